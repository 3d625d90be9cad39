using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Protocols;
using OpenBfr.Data;
using OpenBfr.Data.Prescriptions;

namespace OpenBfr.Web.Tests;

/// <summary>
/// A LOP sets pressures only for a protocol done in the position it was measured in (DESIGN.md
/// section 3; Hughes et al. 2018: leg LOP supine/seated/standing 187/204/242 mmHg). Passive BFR from a
/// standing LOP at 80% is 194 mmHg, above the mean supine LOP: full occlusion lying down. The form
/// and the API refuse it under lopId; a session from such a prescription stored before the rule is refused.
/// </summary>
public sealed class PrescriptionPositionTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    private async Task<Guid> EligibleAthleteAsync()
    {
        var id = await world.NewAthleteAsync();
        await LopKit.EligibleAsync(world.App, world.ClinicianUserId, id);
        return id;
    }

    private async Task<int> PrescriptionCountAsync(Guid athleteId)
        => (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{athleteId}/prescriptions")).GetArrayLength();

    [Fact]
    public async Task Api_PassiveFromAStandingLop_RefusedUnderLopIdSayingWhichPositionItNeeds()
    {
        var id = await EligibleAthleteAsync();
        var standing = (await LopKit.RecordAsync(world.Clinician, id, 242, position: "standing")).GetProperty("id").GetGuid();

        using var response = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/prescriptions", new { lopId = standing, modality = "passive", percent = 80, sessionsPerWeek = 2 });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var error = await LopKit.ErrorAsync(response, "lopId");
        error.ShouldStartWith("passive is done supine or seated; this LOP was measured standing");
        error.ShouldContain("Hughes et al. 2018");
        error.ShouldContain("measure a supine or seated LOP, or choose a protocol done standing (strength-lower, aerobic-walk, walk-intervals, sprint-recovery)");
        (await PrescriptionCountAsync(id)).ShouldBe(0);

        // A named protocol is checked the same way: the cycle is done seated.
        using var cycle = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/prescriptions", new { lopId = standing, modality = "aerobic", protocol = "aerobic-cycle", sessionsPerWeek = 2 });
        cycle.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await LopKit.ErrorAsync(cycle, "lopId")).ShouldStartWith("aerobic-cycle is done seated; this LOP was measured standing");

        // From a supine LOP it prescribes, at most 80% of that LOP.
        var supine = (await LopKit.RecordAsync(world.Clinician, id, 187, position: "supine")).GetProperty("id").GetGuid();
        var rx = await LopKit.PrescribeAsync(world.Clinician, id, supine, "passive", 80);
        rx.GetProperty("position").GetString().ShouldBe("supine");
        rx.GetProperty("targetMmHg").GetDouble().ShouldBe(149.6); // 80% of 187
        rx.GetProperty("protocol").GetString().ShouldBe("passive");
    }

    [Fact]
    public async Task Form_PassiveFromAStandingLop_RefusedWithTheMessageAndTheFormTellsEachProtocolsPosition()
    {
        var id = await EligibleAthleteAsync();
        var standing = (await LopKit.RecordAsync(world.Clinician, id, 242, position: "standing")).GetProperty("id").GetGuid();
        var page = $"/Athletes/{id}";

        var form = new Dictionary<string, string>
        {
            ["lopId"] = standing.ToString(), ["modality"] = "passive", ["protocol"] = "", ["percent"] = "80", ["sessionsPerWeek"] = "2",
            ["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page),
        };
        using var response = await world.Clinician.PostAsync($"{page}?handler=Prescribe", new FormUrlEncodedContent(form));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, "a refused form comes back as the page with its error");
        var html = await response.Content.ReadAsStringAsync();
        var text = WebUtility.HtmlDecode(html);
        text.ShouldContain("passive is done supine or seated; this LOP was measured standing");
        text.ShouldContain("measure a supine or seated LOP, or choose a protocol done standing");
        (await PrescriptionCountAsync(id)).ShouldBe(0);
        var prescribe = Walkthrough.FormHtml.ById(html, "prescribe-form");
        prescribe.Selected("modality").ShouldBe("passive");
        prescribe.Selected("lopId").ShouldBe(standing.ToString());

        // The form names each protocol's positions, in the choice and in its help.
        foreach (var p in ProtocolCatalog.All)
        {
            text.ShouldContain($"{p.Name} (done {p.PositionsText})");
        }
        text.ShouldContain("passive supine or seated; sprint-recovery standing");

        // Choosing a protocol done standing prescribes from the same LOP.
        form["protocol"] = "aerobic-walk";
        form["modality"] = "aerobic";
        form["percent"] = "";
        form["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page);
        using var ok = await world.Clinician.PostAsync($"{page}?handler=Prescribe", new FormUrlEncodedContent(form));
        ok.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Redirect, HttpStatusCode.Found, HttpStatusCode.SeeOther);
        var rx = (await LopKit.PrescriptionsAsync(world.Clinician, id)).Single();
        rx.GetProperty("protocol").GetString().ShouldBe("aerobic-walk");
        rx.GetProperty("position").GetString().ShouldBe("standing");
    }

    [Fact]
    public async Task LiveSession_FromAPrescriptionStoredBeforeTheRule_WithAMismatchedPosition_Refused()
    {
        var id = await EligibleAthleteAsync();
        var standing = (await LopKit.RecordAsync(world.Clinician, id, 242, limb: "left-leg", position: "standing")).GetProperty("id").GetGuid();
        // As the web stored it before the rule: passive from the standing LOP, 80% = 194 mmHg.
        var old = new PrescriptionRecord
        {
            Id = Guid.NewGuid(), AthleteId = id, LopRecordId = standing, Limb = Limb.LeftLeg, Position = BodyPosition.Standing, Modality = Modality.Passive,
            ProtocolName = "passive", TargetPercent = 80, ReferenceLopMmHg = 242, LowMmHg = 0, HighMmHg = 194, TargetMmHg = 194, SessionsPerWeek = 2,
            CreatedAt = world.App.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddHours(-1), CreatedByUserId = world.ClinicianUserId,
        };
        await using (var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync())
        {
            db.Prescriptions.Add(old);
            await db.SaveChangesAsync();
        }

        using var start = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/sessions", new { prescriptionIds = new[] { old.Id } });

        start.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await LopKit.ErrorAsync(start, "lopId");
        error.ShouldStartWith("the passive prescription for the left-leg (");
        error.ShouldContain("cannot start a session: passive is done supine or seated; this LOP was measured standing");
        error.ShouldContain("Hughes et al. 2018");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/sessions")).GetArrayLength().ShouldBe(0);

        // The athlete page's start button gets the same refusal.
        var page = $"/Athletes/{id}";
        var form = new Dictionary<string, string>
        {
            ["prescriptionIds"] = old.Id.ToString(),
            ["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page),
        };
        using var viaPage = await world.Clinician.PostAsync($"{page}?handler=Start", new FormUrlEncodedContent(form));
        viaPage.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await viaPage.Content.ReadAsStringAsync()).ShouldContain("cannot start a session: passive is done supine or seated");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/sessions")).GetArrayLength().ShouldBe(0);
    }
}

/// <summary>The --demo data still prescribes, each from a LOP measured where its protocol is done.</summary>
public sealed class DemoPrescriptionPositionTests : IDisposable
{
    private readonly WebAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task DemoSeed_EveryPrescriptionIsFromALopOfAPositionItsProtocolIsDoneIn()
    {
        using (var scope = _app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<OpenBfr.Web.Demo.DemoSeeder>().SeedAsync();
        }
        var clinician = await _app.SignedInAsync(OpenBfr.Web.Demo.DemoSeeder.ClinicianEmail, OpenBfr.Web.Demo.DemoSeeder.Password);
        var athletes = (await clinician.GetFromJsonAsync<JsonElement>("/api/v1/athletes")).EnumerateArray().Select(a => a.GetProperty("id").GetGuid()).ToList();
        var seen = new List<string>();
        foreach (var athlete in athletes)
        {
            foreach (var rx in await LopKit.PrescriptionsAsync(clinician, athlete))
            {
                ProtocolCatalog.TryGet(rx.GetProperty("protocol").GetString()!, out var protocol).ShouldBeTrue();
                var position = Enum.Parse<BodyPosition>(rx.GetProperty("position").GetString()!, ignoreCase: true);
                protocol.IsDoneIn(position).ShouldBeTrue($"{protocol.Name} from a {position} LOP");
                seen.Add($"{rx.GetProperty("limb").GetString()} {protocol.Name} {position.ToString().ToLowerInvariant()}");
            }
        }
        seen.Order().ShouldBe(["left-leg aerobic-cycle seated", "left-leg strength-lower standing", "right-leg aerobic-cycle seated", "right-leg strength-lower standing"]);
    }
}
