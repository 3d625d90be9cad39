using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Core.Limbs;
using OpenBfr.Data;
using OpenBfr.Data.Prescriptions;
using OpenBfr.Data.Revisions;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Lop;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Tests;

/// <summary>Helpers of the LOP correction tests: an eligible athlete, a Doppler LOP, a prescription from it.</summary>
internal static class LopKit
{
    /// <summary>Saves an eligible screening on every limb, so prescriptions and sessions may follow.</summary>
    public static async Task EligibleAsync(WebAppFactory app, string clinicianUserId, Guid athleteId)
    {
        var eligible = LimbExtensions.All.ToDictionary(l => l, _ => new LimbOutcome(ScreeningOutcomes.Eligible, []));
        await app.Services.GetRequiredService<ScreeningService>().SaveAsync(new Viewer(clinicianUserId, false, true, false), athleteId, new Dictionary<string, string>(), eligible);
    }

    public static async Task<JsonElement> RecordAsync(HttpClient client, Guid athleteId, double lopMmHg, string limb = "right-leg", string position = "standing", string? note = null)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/lop", new { limb, position, cuffWidthCm = 11.5, lopMmHg, note });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> PrescribeAsync(HttpClient client, Guid athleteId, Guid lopId, string modality = "resistance", double? percent = 80)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/prescriptions", new { lopId, modality, percent, sessionsPerWeek = 2 });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<List<JsonElement>> PrescriptionsAsync(HttpClient client, Guid athleteId, bool all = false)
        => (await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{athleteId}/prescriptions{(all ? "?all=true" : "")}")).EnumerateArray().ToList();

    public static string Lop(Guid athleteId, Guid lopId) => $"/api/v1/athletes/{athleteId}/lop/{lopId}";

    public static async Task<string> ErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
    }
}

/// <summary>
/// Correcting and withdrawing LOP records through the API: the prescriptions made from them follow
/// in the same transaction (recomputed, or retired saying why), a withdrawn LOP feeds no prescription
/// or session again, validation as on create, who may, history and version conflicts.
/// </summary>
public sealed class LopCorrectionTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    private async Task<Guid> EligibleAthleteAsync()
    {
        var id = await world.NewAthleteAsync();
        await LopKit.EligibleAsync(world.App, world.ClinicianUserId, id);
        return id;
    }

    [Fact]
    public async Task PutLop_260TypedFor160_RecomputesTheCurrentPrescription208To128_AndKeepsEveryEarlierVersion()
    {
        var id = await EligibleAthleteAsync();
        var lop = (await LopKit.RecordAsync(world.Clinician, id, 260)).GetProperty("id").GetGuid();
        // An older prescription from the same LOP, replaced by the current one: retired, it is left as it was.
        var replaced = (await LopKit.PrescribeAsync(world.Clinician, id, lop, percent: 70)).GetProperty("id").GetGuid();
        var rx = await LopKit.PrescribeAsync(world.Clinician, id, lop, percent: 80);
        // 80% of 260 = 208 mmHg: above the limb's real LOP of 160, i.e. full occlusion during exercise.
        (rx.GetProperty("targetMmHg").GetDouble(), rx.GetProperty("lowMmHg").GetDouble(), rx.GetProperty("highMmHg").GetDouble()).ShouldBe((208.0, 130.0, 208.0));
        var rxId = rx.GetProperty("id").GetGuid();

        using var put = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, LopKit.Lop(id, lop), new { lopMmHg = 160, note = "typed 260 for 160" }, "\"1\"");
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        put.Headers.ETag!.ToString().ShouldBe("\"2\"");
        var change = await put.Content.ReadFromJsonAsync<JsonElement>();
        (change.GetProperty("record").GetProperty("lopMmHg").GetDouble(), change.GetProperty("record").GetProperty("version").GetInt32()).ShouldBe((160.0, 2));
        var followed = change.GetProperty("prescriptions").EnumerateArray().Single();
        (followed.GetProperty("prescriptionId").GetGuid(), followed.GetProperty("oldTargetMmHg").GetDouble(), followed.GetProperty("newTargetMmHg").GetDouble(), followed.GetProperty("retired").GetBoolean())
            .ShouldBe((rxId, 208.0, 128.0, false));

        // The stored prescription: 50–80% of 160 = 80–128 mmHg, target 128 (80% of 160), reference 160; the replaced one untouched.
        var current = (await LopKit.PrescriptionsAsync(world.Clinician, id)).Single();
        (current.GetProperty("id").GetGuid(), current.GetProperty("targetMmHg").GetDouble(), current.GetProperty("lowMmHg").GetDouble(), current.GetProperty("highMmHg").GetDouble(),
            current.GetProperty("referenceLopMmHg").GetDouble(), current.GetProperty("version").GetInt32()).ShouldBe((rxId, 128.0, 80.0, 128.0, 160.0, 2));
        var old = (await LopKit.PrescriptionsAsync(world.Clinician, id, all: true)).Single(p => p.GetProperty("id").GetGuid() == replaced);
        (old.GetProperty("targetMmHg").GetDouble(), old.GetProperty("version").GetInt32()).ShouldBe((182.0, 1)); // 70% of 260, as it was prescribed

        // History: the LOP's two versions, and the prescription's earlier pressures, kept in the same transaction.
        var history = await world.Clinician.GetFromJsonAsync<JsonElement>(LopKit.Lop(id, lop) + "/revisions");
        history.GetProperty("kind").GetString().ShouldBe("lop");
        RevisionTestKit.Versions(history, r => r.GetProperty("lopMmHg").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe([(2, "current", "160"), (1, "corrected", "260")]);
        history.GetProperty("versions")[1].GetProperty("endedBy").GetString().ShouldBe("pt");
        var kept = await RevisionTestKit.RevisionRowsAsync(world.App, rxId);
        kept.ShouldHaveSingleItem().RecordKind.ShouldBe(RevisedRecordKind.Prescription);
        RevisionSnapshot.Read<PrescriptionRecord>(kept[0].SnapshotJson).TargetMmHg.ShouldBe(208);
        var rxHistory = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/prescriptions/{rxId}/revisions");
        rxHistory.GetProperty("kind").GetString().ShouldBe("prescription");
        RevisionTestKit.Versions(rxHistory, r => $"{r.GetProperty("targetMmHg").GetDouble()} of {r.GetProperty("referenceLopMmHg").GetDouble()}")
            .ShouldBe([(2, "current", "128 of 160"), (1, "corrected", "208 of 260")]);
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        var audit = await db.AuditLog.Where(e => e.AthleteId == id && (e.Action == LopService.UpdatedAction || e.Action == PrescriptionService.RecomputedAction)).ToListAsync();
        audit.Select(e => (e.Action, e.Detail)).OrderBy(e => e.Action).ShouldBe([(LopService.UpdatedAction, lop.ToString()), (PrescriptionService.RecomputedAction, $"{rxId} lop {lop}")]);
    }

    [Fact]
    public async Task PutLop_NoteOnly_LeavesThePrescriptionAsItIs()
    {
        var id = await EligibleAthleteAsync();
        var lop = (await LopKit.RecordAsync(world.Clinician, id, 200)).GetProperty("id").GetGuid();
        var rxId = (await LopKit.PrescribeAsync(world.Clinician, id, lop)).GetProperty("id").GetGuid();
        using var put = await world.Clinician.PutAsJsonAsync(LopKit.Lop(id, lop), new { note = "posterior tibial" });
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("prescriptions").GetArrayLength().ShouldBe(0);
        (await RevisionTestKit.RevisionRowsAsync(world.App, rxId)).ShouldBeEmpty();
        (await LopKit.PrescriptionsAsync(world.Clinician, id)).Single().GetProperty("version").GetInt32().ShouldBe(1);
        // A correction without a note keeps the stored one; an empty note clears it.
        (await world.Clinician.PutAsJsonAsync(LopKit.Lop(id, lop), new { cuffWidthCm = 12 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RevisionTestKit.GetAsync(world.Clinician, LopKit.Lop(id, lop))).Body.GetProperty("note").GetString().ShouldBe("posterior tibial");
        (await world.Clinician.PutAsJsonAsync(LopKit.Lop(id, lop), new { note = "" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RevisionTestKit.GetAsync(world.Clinician, LopKit.Lop(id, lop))).Body.GetProperty("note").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task PutLop_MeasuredTenDaysEarlier_SavesTheCorrectionAndRetiresThePrescriptionSayingWhy()
    {
        var id = await EligibleAthleteAsync();
        var lop = (await LopKit.RecordAsync(world.Clinician, id, 200)).GetProperty("id").GetGuid();
        var rxId = (await LopKit.PrescribeAsync(world.Clinician, id, lop)).GetProperty("id").GetGuid();
        var tenDaysAgo = world.App.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(-10);

        using var put = await world.Clinician.PutAsJsonAsync(LopKit.Lop(id, lop), new { measuredAt = tenDaysAgo });
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var followed = (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("prescriptions").EnumerateArray().Single();
        followed.GetProperty("retired").GetBoolean().ShouldBeTrue();
        followed.GetProperty("newTargetMmHg").ValueKind.ShouldBe(JsonValueKind.Null);
        followed.GetProperty("reason").GetString()!.ShouldContain("days old; it must be re-measured after 7 days"); // the core's validity rule (LopValidityOptions)

        (await LopKit.PrescriptionsAsync(world.Clinician, id)).ShouldBeEmpty();
        var retired = (await LopKit.PrescriptionsAsync(world.Clinician, id, all: true)).Single();
        (retired.GetProperty("id").GetGuid(), retired.GetProperty("current").GetBoolean()).ShouldBe((rxId, false));
        retired.GetProperty("retiredReason").GetString()!.ShouldStartWith("its LOP was corrected to 200 mmHg on ");
        (await world.App.Services.GetRequiredService<LopService>().FindAsync(id, lop))!.MeasuredAt.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(tenDaysAgo.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task DeleteLop_WithdrawsIt_RetiresItsPrescriptions_AndASessionFromItIsRefusedNamingTheLop()
    {
        var id = await EligibleAthleteAsync();
        var lop = (await LopKit.RecordAsync(world.Clinician, id, 260)).GetProperty("id").GetGuid();
        var rxId = (await LopKit.PrescribeAsync(world.Clinician, id, lop)).GetProperty("id").GetGuid();

        using var withdraw = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Delete, LopKit.Lop(id, lop) + "?reason=typed%20260%20for%20160", null, "\"1\"");
        withdraw.StatusCode.ShouldBe(HttpStatusCode.OK, await withdraw.Content.ReadAsStringAsync());
        var change = await withdraw.Content.ReadFromJsonAsync<JsonElement>();
        change.GetProperty("record").GetProperty("withdrawnAt").ValueKind.ShouldBe(JsonValueKind.String);
        change.GetProperty("record").GetProperty("usableProblem").GetString()!.ShouldContain("was withdrawn on ");
        change.GetProperty("prescriptions").EnumerateArray().Single().GetProperty("retired").GetBoolean().ShouldBeTrue();

        // Not listed as current; still in the database, with its reason, when asked for.
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop")).GetArrayLength().ShouldBe(0);
        var all = (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop?includeWithdrawn=true")).EnumerateArray().Single();
        (all.GetProperty("id").GetGuid(), all.GetProperty("withdrawalReason").GetString(), all.GetProperty("lopMmHg").GetDouble()).ShouldBe((lop, "typed 260 for 160", 260.0));
        var (status, etag, one) = await RevisionTestKit.GetAsync(world.Clinician, LopKit.Lop(id, lop));
        (status, etag, one.GetProperty("withdrawalReason").GetString()).ShouldBe((HttpStatusCode.OK, "\"1\"", "typed 260 for 160"));

        // Its prescription is retired with the reason; a session from it is refused, naming the LOP and what to do.
        (await LopKit.PrescriptionsAsync(world.Clinician, id)).ShouldBeEmpty();
        (await LopKit.PrescriptionsAsync(world.Clinician, id, all: true)).Single().GetProperty("retiredReason").GetString()!.ShouldContain("right-leg standing 260 mmHg");
        using var start = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/sessions", new { prescriptionIds = new[] { rxId } });
        start.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await LopKit.ErrorAsync(start, "prescriptionIds");
        error.ShouldContain("the LOP record right-leg standing 260 mmHg (doppler, measured ");
        error.ShouldContain("was withdrawn on ");
        error.ShouldContain("(typed 260 for 160)");
        error.ShouldContain("record a new LOP for the right-leg standing and prescribe from it");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/sessions")).GetArrayLength().ShouldBe(0);

        // Nor can it feed a new prescription, nor be recomputed (a session that read the prescription just before the withdrawal).
        using var again = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/prescriptions", new { lopId = lop, modality = "resistance" });
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await LopKit.ErrorAsync(again, "lopId")).ShouldContain("was withdrawn on ");
        var record = (await world.App.Services.GetRequiredService<PrescriptionService>().ListAsync(id, includeRetired: true)).Single();
        (await Should.ThrowAsync<InputException>(() => world.App.Services.GetRequiredService<PrescriptionService>().RecomputeAsync(record)))
            .Message.ShouldContain("right-leg standing 260 mmHg");

        // The history survives the withdrawal; the record cannot be corrected or withdrawn again.
        var history = await world.Clinician.GetFromJsonAsync<JsonElement>(LopKit.Lop(id, lop) + "/revisions");
        history.GetProperty("removed").GetBoolean().ShouldBeTrue();
        RevisionTestKit.Versions(history, r => r.GetProperty("lopMmHg").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture)).ShouldBe([(1, "withdrawn", "260")]);
        history.GetProperty("versions")[0].GetProperty("endedBy").GetString().ShouldBe("pt");
        using var late = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, LopKit.Lop(id, lop), new { lopMmHg = 160 }, "\"1\"");
        late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldStartWith("this LOP record was withdrawn by pt at ");
        (await world.Clinician.DeleteAsync(LopKit.Lop(id, lop))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        (await db.AuditLog.CountAsync(e => e.AthleteId == id && (e.Action == LopService.WithdrawnAction || e.Action == PrescriptionService.RetiredAction))).ShouldBe(2);
        (await db.LopRecords.SingleAsync(l => l.Id == lop)).ValueMmHg.ShouldBe(260);
    }

    [Theory]
    [InlineData("""{"lopMmHg":450}""", "lopMmHg", "lopMmHg must be 50–400 mmHg, was 450")]
    [InlineData("""{"lopMmHg":20}""", "lopMmHg", "lopMmHg must be 50–400 mmHg, was 20")]
    [InlineData("""{"cuffWidthCm":40}""", "cuffWidthCm", "must be 2–30 cm, was 40")]
    [InlineData("""{"measuredAt":"2999-01-01T10:00:00Z"}""", "measuredAt", "measuredAt must not be in the future, was 2999-01-01 10:00")]
    [InlineData("""{"limb":"left-knee"}""", "limb", "limb must be one of left-leg, right-leg, left-arm, right-arm; was 'left-knee'")]
    [InlineData("""{"position":"kneeling"}""", "position", "position must be one of supine, seated, standing; was 'kneeling'")]
    [InlineData("""{"note":"NOTE"}""", "note", "note must be at most 200 characters, was 201")]
    public async Task PutLop_BadField_Is400NamingFieldValueAndAllowed_AndNothingChanges(string body, string field, string message)
    {
        var id = await EligibleAthleteAsync();
        var lop = (await LopKit.RecordAsync(world.Clinician, id, 200)).GetProperty("id").GetGuid();
        using var response = await world.Clinician.PutAsync(LopKit.Lop(id, lop),
            new StringContent(body.Replace("NOTE", new string('n', 201), StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await LopKit.ErrorAsync(response, field)).ShouldContain(message);
        var (_, etag, row) = await RevisionTestKit.GetAsync(world.Clinician, LopKit.Lop(id, lop));
        (etag, row.GetProperty("lopMmHg").GetDouble()).ShouldBe(("\"1\"", 200.0));
        (await RevisionTestKit.RevisionRowsAsync(world.App, lop)).ShouldBeEmpty();
    }

    [Fact]
    public async Task PutLop_LimbOrPosition_ChangesOnlyWhileNoPrescriptionWasMadeFromIt()
    {
        var id = await EligibleAthleteAsync();
        var lop = (await LopKit.RecordAsync(world.Clinician, id, 200)).GetProperty("id").GetGuid();
        using (var fixLimb = await world.Clinician.PutAsJsonAsync(LopKit.Lop(id, lop), new { limb = "left-leg", position = "seated" }))
        {
            fixLimb.StatusCode.ShouldBe(HttpStatusCode.OK, await fixLimb.Content.ReadAsStringAsync());
        }
        var fixedRow = (await RevisionTestKit.GetAsync(world.Clinician, LopKit.Lop(id, lop))).Body;
        (fixedRow.GetProperty("limb").GetString(), fixedRow.GetProperty("position").GetString()).ShouldBe(("left-leg", "seated"));

        // Once a prescription was made from it (even one since replaced), its limb and position are that prescription's.
        // Passive, done seated (or supine): a seated LOP sets its pressure.
        await LopKit.PrescribeAsync(world.Clinician, id, lop, "passive");
        using var limb = await world.Clinician.PutAsJsonAsync(LopKit.Lop(id, lop), new { limb = "right-leg" });
        limb.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await LopKit.ErrorAsync(limb, "limb")).ShouldBe("limb cannot change from left-leg to right-leg: prescriptions were made from this LOP and took their limb and position from it. Withdraw it and record a new LOP for the right-leg seated instead");
        using var position = await world.Clinician.PutAsJsonAsync(LopKit.Lop(id, lop), new { position = "standing" });
        position.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await LopKit.ErrorAsync(position, "position")).ShouldContain("position cannot change from seated to standing");
    }

    [Fact]
    public async Task PutLop_EstimatedOrAutomatic_TakesANoteButNotAValue_AndMayBeWithdrawn()
    {
        var id = await EligibleAthleteAsync();
        using var estimated = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/lop/estimate",
            new { limb = "right-leg", position = "seated", cuffWidthCm = 18, thighCircumferenceCm = 55, systolicMmHg = 120, ageYears = 40, sex = "male" });
        estimated.StatusCode.ShouldBe(HttpStatusCode.Created, await estimated.Content.ReadAsStringAsync());
        var est = (await estimated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("record");
        var estId = est.GetProperty("id").GetGuid();
        using var value = await world.Clinician.PutAsJsonAsync(LopKit.Lop(id, estId), new { lopMmHg = 150 });
        value.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await LopKit.ErrorAsync(value, "lopMmHg")).ShouldContain("lopMmHg cannot be corrected on an estimated LOP (it is the equation's result from thigh circumference, systolic pressure, age and sex)");
        using var note = await world.Clinician.PutAsJsonAsync(LopKit.Lop(id, estId), new { note = "estimated: no Doppler at the gym" });
        note.StatusCode.ShouldBe(HttpStatusCode.OK, await note.Content.ReadAsStringAsync());
        var noted = (await note.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("record");
        (noted.GetProperty("note").GetString(), noted.GetProperty("lopMmHg").GetDouble(), noted.GetProperty("method").GetString()).ShouldBe(("estimated: no Doppler at the gym", est.GetProperty("lopMmHg").GetDouble(), "estimated"));

        using var automatic = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/lop/automatic", new { limb = "left-leg", position = "supine", simulatedTrueLopMmHg = 180, seed = 2 });
        automatic.StatusCode.ShouldBe(HttpStatusCode.Created, await automatic.Content.ReadAsStringAsync());
        var autoId = (await automatic.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("record").GetProperty("id").GetGuid();
        using var width = await world.Clinician.PutAsJsonAsync(LopKit.Lop(id, autoId), new { cuffWidthCm = 18 });
        width.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await LopKit.ErrorAsync(width, "cuffWidthCm")).ShouldContain("cannot be corrected on an automatic LOP (it is what the cuff measured)");
        (await world.Clinician.DeleteAsync(LopKit.Lop(id, autoId))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.Clinician.DeleteAsync(LopKit.Lop(id, estId))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop")).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task PutOrDeleteLop_AthleteOnTheClinicians_Is403SayingWhy_AndUnknownIdsAre404()
    {
        await LopKit.EligibleAsync(world.App, world.ClinicianUserId, world.AthleteId);
        var lop = (await LopKit.RecordAsync(world.Clinician, world.AthleteId, 210)).GetProperty("id").GetGuid();
        var url = LopKit.Lop(world.AthleteId, lop);
        using var put = await world.Athlete.PutAsJsonAsync(url, new { lopMmHg = 150 });
        put.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        put.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldBe("this LOP was recorded by your clinician: only a clinician can correct or withdraw it");
        using var delete = await world.Athlete.DeleteAsync(url);
        delete.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await RevisionTestKit.GetAsync(world.Athlete, url)).Body.GetProperty("lopMmHg").GetDouble().ShouldBe(210); // the athlete may read it, not change it

        (await world.Clinician.PutAsJsonAsync(LopKit.Lop(world.AthleteId, Guid.NewGuid()), new { lopMmHg = 150 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await world.Clinician.DeleteAsync(LopKit.Lop(world.AthleteId, Guid.NewGuid()))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Another athlete's route with this record's id: not found, like any stranger's record.
        var other = await world.NewAthleteAsync();
        (await world.Clinician.PutAsJsonAsync(LopKit.Lop(other, lop), new { lopMmHg = 150 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await world.Clinician.GetAsync(LopKit.Lop(other, lop) + "/revisions")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        (await db.AuditLog.CountAsync(e => e.Detail == lop.ToString() && (e.Action == LopService.UpdatedAction || e.Action == LopService.WithdrawnAction))).ShouldBe(0);
    }

    [Fact]
    public async Task PutLop_AthletesOwnRecord_TheyMayCorrect_UntilAClinicianPrescribesFromIt_ThenOnlyWithdraw()
    {
        await LopKit.EligibleAsync(world.App, world.ClinicianUserId, world.AthleteId);
        var lop = (await LopKit.RecordAsync(world.Athlete, world.AthleteId, 230, limb: "left-arm", position: "seated")).GetProperty("id").GetGuid();
        var url = LopKit.Lop(world.AthleteId, lop);
        (await world.Athlete.PutAsJsonAsync(url, new { lopMmHg = 170 })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Their clinician prescribes from it: a corrected value would change the clinician's prescription.
        var rx = await LopKit.PrescribeAsync(world.Clinician, world.AthleteId, lop, "resistance", percent: 40);
        rx.GetProperty("targetMmHg").GetDouble().ShouldBe(68); // 40% of 170 (upper limb 20–40% LOP)
        using var put = await world.Athlete.PutAsJsonAsync(url, new { lopMmHg = 150 });
        put.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!
            .ShouldStartWith("your clinician prescribed from this LOP (resistance, target 68 mmHg): a corrected value would change that prescription, so only a clinician can correct it");
        // Withdrawing only stops pressures: the athlete may.
        using var withdraw = await world.Athlete.DeleteAsync(url + "?reason=measured%20wrongly");
        withdraw.StatusCode.ShouldBe(HttpStatusCode.OK, await withdraw.Content.ReadAsStringAsync());
        (await LopKit.PrescriptionsAsync(world.Clinician, world.AthleteId)).ShouldNotContain(p => p.GetProperty("lopId").GetGuid() == lop);
    }

    [Fact]
    public async Task PutLop_ClinicianCorrectsTheAthletesRecord_ThenTheAthleteMayNoLongerChangeIt()
    {
        var lop = (await LopKit.RecordAsync(world.Athlete, world.AthleteId, 240, limb: "right-arm", position: "supine")).GetProperty("id").GetGuid();
        var url = LopKit.Lop(world.AthleteId, lop);
        (await world.Clinician.PutAsJsonAsync(url, new { lopMmHg = 140 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var put = await world.Athlete.PutAsJsonAsync(url, new { lopMmHg = 240 });
        put.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldBe("this LOP was corrected by your clinician: only a clinician can correct or withdraw it now");
        (await world.Athlete.DeleteAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PutLop_StaleVersion_Is409NamingWhoAndWhen_AndNothingIsWritten()
    {
        var id = await EligibleAthleteAsync();
        var lop = (await LopKit.RecordAsync(world.Clinician, id, 260)).GetProperty("id").GetGuid();
        var rxId = (await LopKit.PrescribeAsync(world.Clinician, id, lop)).GetProperty("id").GetGuid();
        var url = LopKit.Lop(id, lop);
        (await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, url, new { lopMmHg = 160 }, "\"1\"")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var stale = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, url, new { lopMmHg = 170 }, "\"1\"");
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await stale.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("detail").GetString()!.ShouldStartWith("this LOP record was changed by pt at ");
        problem.GetProperty("detail").GetString()!.ShouldContain("after you read version 1; it is now version 2. Nothing was saved");
        (problem.GetProperty("currentVersion").GetInt32(), problem.GetProperty("current").GetProperty("lopMmHg").GetDouble()).ShouldBe((2, 160.0));
        using var staleDelete = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Delete, url, null, "\"1\"");
        staleDelete.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        (await RevisionTestKit.GetAsync(world.Clinician, url)).Body.GetProperty("lopMmHg").GetDouble().ShouldBe(160);
        (await RevisionTestKit.RevisionRowsAsync(world.App, lop)).ShouldHaveSingleItem().Version.ShouldBe(1);
        (await RevisionTestKit.RevisionRowsAsync(world.App, rxId)).ShouldHaveSingleItem(); // recomputed once, by the winner
        (await LopKit.PrescriptionsAsync(world.Clinician, id)).Single().GetProperty("targetMmHg").GetDouble().ShouldBe(128);

        using var malformed = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, url, new { lopMmHg = 170 }, "\"two\"");
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await LopKit.ErrorAsync(malformed, "If-Match")).ShouldContain("If-Match must");
    }

    [Fact]
    public async Task PutLop_TwoRequestsRacingWithTheSameVersion_OneWinsTheOtherGets409()
    {
        var id = await EligibleAthleteAsync();
        for (var round = 0; round < 4; round++)
        {
            var lop = (await LopKit.RecordAsync(world.Clinician, id, 260)).GetProperty("id").GetGuid();
            var url = LopKit.Lop(id, lop);
            var responses = await Task.WhenAll(
                RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, url, new { lopMmHg = 160 }, "\"1\""),
                RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Delete, url, null, "\"1\""));
            responses.Select(r => (int)r.StatusCode).Order().ToList().ShouldBe([200, 409], $"round {round}");
            (await RevisionTestKit.RevisionRowsAsync(world.App, lop)).ShouldHaveSingleItem().Version.ShouldBe(1);
            foreach (var r in responses) r.Dispose();
        }
    }
}

/// <summary>A correction while a session runs: the running session keeps the pressure it started with; the next one starts from the corrected LOP.</summary>
public sealed class LopCorrectionDuringSessionTests : IDisposable
{
    private readonly WebAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task PutLop_WhileASessionRuns_ItKeepsItsTarget_AndTheNextSessionUsesTheCorrectedOne()
    {
        var (athlete, rx) = await Sessions.LiveSeed.AthleteAsync(_app); // LOP 200 mmHg left-leg standing, resistance at its default 70%: 140 mmHg
        var client = await _app.SignedInAsync("pt@t.org");
        (await LopKit.PrescriptionsAsync(client, athlete)).Single().GetProperty("targetMmHg").GetDouble().ShouldBe(140);
        var session = await Sessions.LiveSeed.StartAsync(client, athlete, rx);
        var url = $"/api/v1/sessions/{session}";
        var before = await Sessions.LiveSeed.PollAsync(client, url, d => d.GetProperty("telemetry").EnumerateArray().Any(t => t.GetProperty("target").GetDouble() > 0), TimeSpan.FromSeconds(30));
        var cursor = before.GetProperty("telemetry").EnumerateArray().Max(t => t.GetProperty("id").GetInt64());

        var lop = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{athlete}/lop"))[0].GetProperty("id").GetGuid();
        using var put = await client.PutAsJsonAsync(LopKit.Lop(athlete, lop), new { lopMmHg = 160 });
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        (await LopKit.PrescriptionsAsync(client, athlete)).Single().GetProperty("targetMmHg").GetDouble().ShouldBe(112); // 70% of 160

        // The running session's samples written after the correction still aim at 140 mmHg.
        var after = await Sessions.LiveSeed.PollAsync(client, url,
            d => d.GetProperty("telemetry").EnumerateArray().Count(t => t.GetProperty("id").GetInt64() > cursor && t.GetProperty("target").GetDouble() > 0) >= 5, TimeSpan.FromSeconds(30));
        var targets = after.GetProperty("telemetry").EnumerateArray().Where(t => t.GetProperty("id").GetInt64() > cursor).Select(t => t.GetProperty("target").GetDouble())
            .Where(t => t > 0).Distinct().ToList();
        targets.ShouldBe([140.0]);
        (await client.PostAsync(url + "/stop", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        // The next session starts from the corrected prescription.
        var next = await Sessions.LiveSeed.StartAsync(client, athlete, rx);
        var nextDetail = await Sessions.LiveSeed.PollAsync(client, $"/api/v1/sessions/{next}", d => d.GetProperty("telemetry").EnumerateArray().Any(t => t.GetProperty("target").GetDouble() > 0),
            TimeSpan.FromSeconds(30));
        nextDetail.GetProperty("telemetry").EnumerateArray().Select(t => t.GetProperty("target").GetDouble()).Where(t => t > 0).Distinct().ShouldBe([112.0]);
        (await client.PostAsync($"/api/v1/sessions/{next}/stop", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }
}

/// <summary>The LOP pages without a browser: the athlete page's links, Edit and Withdraw with their anti-forgery token and hidden version.</summary>
public sealed class LopPageTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    [Fact]
    public async Task LopPages_EditThenWithdraw_RecomputeThenRetireThePrescription_AndThePageSaysSo()
    {
        var id = await world.NewAthleteAsync();
        await LopKit.EligibleAsync(world.App, world.ClinicianUserId, id);
        var lop = (await LopKit.RecordAsync(world.Clinician, id, 260)).GetProperty("id").GetGuid();
        await LopKit.PrescribeAsync(world.Clinician, id, lop);
        var athletePage = await world.Clinician.GetStringAsync($"/Athletes/{id}");
        athletePage.ShouldContain($"href=\"/Athletes/{id}/Lop/{lop}/Edit\"");
        athletePage.ShouldContain($"href=\"/Athletes/{id}/Lop/{lop}/Withdraw\"");
        athletePage.ShouldContain($"href=\"/Athletes/{id}/Lop/{lop}/History\"");

        var edit = $"/Athletes/{id}/Lop/{lop}/Edit";
        var form = await world.Clinician.GetStringAsync(edit);
        form.ShouldContain("<input type=\"hidden\" name=\"Version\" value=\"1\" />");
        form.ShouldContain("target 208 mmHg at 80% LOP"); // what the correction will recompute
        form.ShouldContain("id=\"limb-fixed\""); // a prescription took its limb and position from it
        // Without the anti-forgery token: refused, nothing saved.
        (await world.Clinician.PostAsync(edit, new FormUrlEncodedContent(new Dictionary<string, string> { ["Version"] = "1", ["Form.LopMmHg"] = "160" })))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var saved = await WebAppFactory.PostFormAsync(world.Clinician, edit, new() { ["Form.CuffWidthCm"] = "11.5", ["Form.LopMmHg"] = "160", ["Form.Note"] = "typed 260 for 160" });
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        saved.Headers.Location!.OriginalString.ShouldBe($"/Athletes/{id}#lop");
        athletePage = WebUtility.HtmlDecode(await world.Clinician.GetStringAsync($"/Athletes/{id}"));
        athletePage.ShouldContain("LOP corrected. Prescriptions from it: resistance (strength-lower) on the right-leg: 208 → 128 mmHg at 80% LOP.");
        athletePage.ShouldContain("<strong>128 mmHg</strong>");
        athletePage.ShouldContain("recomputed after a LOP correction");
        // A second editor still holding version 1: not saved, told who changed it; the form now names version 2.
        using var stale = await WebAppFactory.PostFormAsync(world.Clinician, edit, new() { ["Version"] = "1", ["Form.CuffWidthCm"] = "11.5", ["Form.LopMmHg"] = "170" });
        stale.StatusCode.ShouldBe(HttpStatusCode.OK);
        var staleHtml = await stale.Content.ReadAsStringAsync();
        staleHtml.ShouldContain("Not saved:");
        staleHtml.ShouldContain("this LOP record was changed by pt at ");
        WebAppFactory.HiddenVersion(staleHtml).ShouldBe("2");

        var withdraw = $"/Athletes/{id}/Lop/{lop}/Withdraw";
        (await world.Clinician.GetStringAsync(withdraw)).ShouldContain("resistance (strength-lower) on the right-leg: target 128 mmHg");
        using var withdrawn = await WebAppFactory.PostFormAsync(world.Clinician, withdraw, new() { ["Reason"] = "wrong cuff" });
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        athletePage = await world.Clinician.GetStringAsync($"/Athletes/{id}");
        athletePage.ShouldContain("LOP withdrawn: it sets no pressure from now on.");
        athletePage.ShouldContain("id=\"lop-withdrawn-table\"");
        athletePage.ShouldContain("id=\"retired-by-lop\"");
        athletePage.ShouldContain("No prescription.");
        athletePage.ShouldNotContain($"href=\"/Athletes/{id}/Lop/{lop}/Edit\"");
        var history = await world.Clinician.GetStringAsync($"/Athletes/{id}/Lop/{lop}/History");
        history.ShouldContain("id=\"withdrawn-note\"");
        history.ShouldContain("(wrong cuff)");
        history.ShouldContain("class=\"status-withdrawn\"");
        history.ShouldContain("class=\"status-corrected\"");
        // Its pages now lead to the history.
        using var late = await world.Clinician.GetAsync(edit);
        late.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        late.Headers.Location!.OriginalString.ShouldBe($"/Athletes/{id}/Lop/{lop}/History");
    }

    [Fact]
    public async Task LopPages_AthleteOnAClinicianRecordedLop_SeeWhyAndNoForm()
    {
        var lop = (await LopKit.RecordAsync(world.Clinician, world.AthleteId, 190, limb: "left-leg", position: "supine")).GetProperty("id").GetGuid();
        (await world.Athlete.GetStringAsync($"/Athletes/{world.AthleteId}")).ShouldNotContain($"/Lop/{lop}/Edit");
        var page = await world.Athlete.GetStringAsync($"/Athletes/{world.AthleteId}/Lop/{lop}/Edit");
        page.ShouldContain("this LOP was recorded by your clinician: only a clinician can correct or withdraw it");
        page.ShouldNotContain("id=\"lop-edit-form\"");
        (await world.Athlete.GetStringAsync($"/Athletes/{world.AthleteId}/Lop/{lop}/Withdraw")).ShouldNotContain("id=\"confirm-withdraw\"");
    }
}

/// <summary>The same on the PostgreSQL test server: correction with prescription recompute, withdrawal, the refused session, the history.</summary>
public sealed class LopCorrectionPostgresTests
{
    [PostgresWebFact]
    public async Task CorrectThenWithdrawLop_RecomputesThenRetiresThePrescription_OnPostgres()
        => await ScratchPostgres.WithDatabaseAsync("openbfr_lop_", async cs =>
        {
            using var app = new WebAppFactory(cs);
            var (client, pt, id) = await app.ClinicianWithAthleteAsync();
            await LopKit.EligibleAsync(app, pt.Id, id);
            var lop = (await LopKit.RecordAsync(client, id, 260)).GetProperty("id").GetGuid();
            var rxId = (await LopKit.PrescribeAsync(client, id, lop)).GetProperty("id").GetGuid();

            using var put = await RevisionTestKit.SendAsync(client, HttpMethod.Put, LopKit.Lop(id, lop), new { lopMmHg = 160 }, "\"1\"");
            put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
            (await LopKit.PrescriptionsAsync(client, id)).Single().GetProperty("targetMmHg").GetDouble().ShouldBe(128); // 80% of 160
            using var stale = await RevisionTestKit.SendAsync(client, HttpMethod.Put, LopKit.Lop(id, lop), new { lopMmHg = 170 }, "\"1\"");
            stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);

            (await RevisionTestKit.SendAsync(client, HttpMethod.Delete, LopKit.Lop(id, lop) + "?reason=wrong%20cuff", null, "\"2\"")).StatusCode.ShouldBe(HttpStatusCode.OK);
            using var start = await client.PostAsJsonAsync($"/api/v1/athletes/{id}/sessions", new { prescriptionIds = new[] { rxId } });
            start.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await LopKit.ErrorAsync(start, "prescriptionIds")).ShouldContain("right-leg standing 160 mmHg");
            var history = await client.GetFromJsonAsync<JsonElement>(LopKit.Lop(id, lop) + "/revisions");
            RevisionTestKit.Versions(history, r => r.GetProperty("lopMmHg").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture))
                .ShouldBe([(2, "withdrawn", "160"), (1, "corrected", "260")]);

            await using var db = await app.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
            var row = await db.LopRecords.SingleAsync(l => l.Id == lop);
            (row.Version, row.WithdrawalReason, row.WithdrawnByUserId, row.UpdatedByUserId).ShouldBe((2, "wrong cuff", pt.Id, pt.Id));
            var rx = await db.Prescriptions.SingleAsync(p => p.Id == rxId);
            (rx.TargetMmHg, rx.Version, rx.RetiredAt is not null).ShouldBe((128.0, 2, true));
            (await db.RecordRevisions.CountAsync(r => r.AthleteId == id)).ShouldBe(3); // LOP v1 corrected, prescription v1, LOP v2 withdrawn
        });
}
