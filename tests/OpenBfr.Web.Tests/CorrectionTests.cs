using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Screening;
using OpenBfr.Data;
using OpenBfr.Data.Athletes;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Screening;
using OpenBfr.Web.Strength;

namespace OpenBfr.Web.Tests;

/// <summary>
/// Correcting and deleting recorded strength tests and clinician clearances: the API (success,
/// validation naming field, value and what is allowed, 404, 403), the audit trail, what follows
/// the change (list, progress charts, the next generated plan, the screening gate), and the pages.
/// </summary>
public sealed class StrengthCorrectionTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    private static readonly object Plan = new
    {
        weeklyKm = 30, start = RecentDates.Moved("2026-12-07"), weeks = 2, availableDays = new[] { "mon", "tue", "thu", "sat", "sun" }, keyWorkoutDays = new[] { "tue" }, longRunDay = "sun",
        injury = "achilles-tendinopathy", injuryDate = RecentDates.Moved("2026-10-01"), injurySide = "right",
    };

    [Fact]
    public async Task PutStrengthTest_Mistyped1Rm_ListProgressAndNextPlanFollowTheCorrection()
    {
        var id = await world.NewAthleteAsync();
        // Calf raise: involved right 34 kg × 10; the left side mistyped as 400 kg × 10 (meant 40).
        var rows = await RecordAsync(id, "calf-raise", RecentDates.Moved("2026-11-16"), [Side("right-leg", true, 34, 10), Side("left-leg", false, 400, 10)], pain: 1);
        var left = rows.Single(r => r.GetProperty("limb").GetString() == "left-leg").GetProperty("id").GetGuid();
        var progress = await ProgressAsync(id);
        progress.GetProperty("latestStrengthLsi").GetDouble().ShouldBe(8.5); // Epley 45.3 / 533.3
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", Plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/plan")).ToString();
        before.ShouldNotContain("Rehab 2/3: Return to running"); // 8.5% is not > 70%
        (await world.Clinician.GetStringAsync($"/Athletes/{id}")).ShouldNotContain("id=\"plan-stale\"");

        var put = await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/strength-tests/{left}",
            new { exercise = "calf-raise", testedOn = RecentDates.Moved("2026-11-16"), limb = "left-leg", loadKg = 40, reps = 10, painScore = 1 });
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var corrected = (await put.Content.ReadFromJsonAsync<JsonElement>())[0];
        corrected.GetProperty("id").GetGuid().ShouldBe(left);
        corrected.GetProperty("loadKg").GetDouble().ShouldBe(40);
        corrected.GetProperty("epleyKg").GetDouble().ShouldBe(53.3); // Epley 1985: 40 × (1 + 10/30)
        corrected.GetProperty("updatedAt").ValueKind.ShouldBe(JsonValueKind.String);

        // The list and the charts read the corrected row at once.
        var list = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests");
        list.EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == left).GetProperty("oneRepMaxKg").GetDouble().ShouldBe(53.3);
        list.GetArrayLength().ShouldBe(2);
        progress = await ProgressAsync(id);
        progress.GetProperty("latestStrengthLsi").GetDouble().ShouldBe(85); // 45.3 / 53.3 (Rambaud 2018 gate > 70%: met)
        progress.GetProperty("oneRepMax").EnumerateArray().Single(s => s.GetProperty("limb").GetString() == "left-leg")
            .GetProperty("points")[0].GetProperty("value").GetDouble().ShouldBe(53.3);

        // The stored plan predates the correction: the page says so; a new plan uses it.
        (await world.Clinician.GetStringAsync($"/Athletes/{id}")).ShouldContain("id=\"plan-stale\"");
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", Plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var after = (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/plan")).ToString();
        after.ShouldContain("Rehab 2/3: Return to running");
        after.ShouldContain($"strength LSI ≥ 90% (was 85% on {RecentDates.Moved("2026-11-16")})");
        after.ShouldContain("calf-raise 36–39 kg"); // 80–85% of the involved side's 45.3 kg
        (await world.Clinician.GetStringAsync($"/Athletes/{id}")).ShouldNotContain("id=\"plan-stale\"");
    }

    [Fact]
    public async Task PutStrengthTest_NewDate_MovesBothSidesOfTheTestSoTheLsiPairStays()
    {
        var id = await world.NewAthleteAsync();
        var rows = await RecordAsync(id, "leg-press", RecentDates.Moved("2026-11-10"), [Side("right-leg", true, 60, 10), Side("left-leg", false, 75, 10)], pain: 2);
        var right = rows.Single(r => r.GetProperty("limb").GetString() == "right-leg").GetProperty("id").GetGuid();
        var put = await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/strength-tests/{right}",
            new { exercise = "leg-press", testedOn = RecentDates.Moved("2026-11-09"), limb = "right-leg", involved = true, loadKg = 60, reps = 10, painScore = 3, note = "re-dated" });
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        (await put.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength().ShouldBe(2); // the other side took the shared fields

        var list = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests");
        list.EnumerateArray().Select(r => (r.GetProperty("testedOn").GetString(), r.GetProperty("painScore").GetInt32(), r.GetProperty("note").GetString()))
            .ShouldBe([(RecentDates.Moved("2026-11-09"), 3, "re-dated"), (RecentDates.Moved("2026-11-09"), 3, "re-dated")]);
        var lsi = (await ProgressAsync(id)).GetProperty("lsi").EnumerateArray().Single().GetProperty("points").EnumerateArray().ToList();
        lsi.Select(p => (p.GetProperty("date").GetString(), p.GetProperty("percent").GetDouble())).ShouldBe([(RecentDates.Moved("2026-11-09"), 80.0)]); // 80 / 100
    }

    [Fact]
    public async Task DeleteStrengthTest_InvolvedSide_LsiAndItsSeriesGoAndTheNextPlanHasNoLsi()
    {
        var id = await world.NewAthleteAsync();
        var rows = await RecordAsync(id, "calf-raise", RecentDates.Moved("2026-11-16"), [Side("right-leg", true, 34, 10), Side("left-leg", false, 40, 10)], pain: 1);
        var right = rows.Single(r => r.GetProperty("limb").GetString() == "right-leg").GetProperty("id").GetGuid();
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", Plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/plan")).ToString().ShouldContain("Rehab 2/3: Return to running");

        var delete = await world.Clinician.DeleteAsync($"/api/v1/athletes/{id}/strength-tests/{right}");
        delete.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var list = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests");
        list.EnumerateArray().Select(r => r.GetProperty("limb").GetString()).ShouldBe(["left-leg"]);
        var progress = await ProgressAsync(id);
        progress.GetProperty("latestStrengthLsi").ValueKind.ShouldBe(JsonValueKind.Null);
        progress.GetProperty("lsi").GetArrayLength().ShouldBe(0);
        progress.GetProperty("oneRepMax").EnumerateArray().Select(s => s.GetProperty("limb").GetString()).ShouldBe(["left-leg"]);
        (await world.Clinician.GetStringAsync($"/Athletes/{id}")).ShouldContain("id=\"plan-stale\""); // only the audit entry is left of it

        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", Plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var after = (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/plan")).ToString();
        after.ShouldContain("no LSI recorded");
        after.ShouldNotContain("Rehab 2/3: Return to running");
        (await world.Clinician.DeleteAsync($"/api/v1/athletes/{id}/strength-tests/{right}")).StatusCode.ShouldBe(HttpStatusCode.NotFound); // gone
    }

    [Theory]
    [InlineData("""{"exercise":"leg-press","limb":"left-leg","loadKg":50,"reps":13}""", "reps", "reps must be 1–12 repetitions (the equations are not valid beyond 12), was 13")]
    [InlineData("""{"exercise":"leg-press","limb":"left-leg","loadKg":1200,"reps":8}""", "loadKg", "1000")]
    [InlineData("""{"exercise":"leg-press","limb":"left-leg","loadKg":0,"reps":8}""", "loadKg", "was 0")]
    [InlineData("""{"exercise":"leg-press","limb":"left-leg","loadKg":50}""", "reps", "reps is required with loadKg (1–12")]
    [InlineData("""{"exercise":"leg-press","limb":"left-leg"}""", "loadKg", "give loadKg with reps (1–12), or a measured oneRepMaxKg")]
    [InlineData("""{"exercise":"leg-press","limb":"left-leg","oneRepMaxKg":1500}""", "oneRepMaxKg", "oneRepMaxKg must be 0–1000 kg, was 1500")]
    [InlineData("""{"exercise":"deadlift","limb":"left-leg","loadKg":50,"reps":5}""", "exercise", "was 'deadlift'")]
    [InlineData("""{"exercise":"leg-press","testedOn":"2999-01-01","limb":"left-leg","loadKg":50,"reps":5}""", "testedOn", "or earlier, was 2999-01-01")]
    [InlineData("""{"exercise":"leg-press","painScore":11,"limb":"left-leg","loadKg":50,"reps":5}""", "painScore", "painScore must be 0–10, was 11")]
    [InlineData("""{"exercise":"leg-press","limb":"right-arm","loadKg":50,"reps":5}""", "limb", "must be a leg for leg-press; was 'right-arm'")]
    [InlineData("""{"exercise":"leg-press","limb":"right-leg","loadKg":50,"reps":5}""", "limb", "limb must be left-leg: the other side of this test is right-leg; was 'right-leg'")]
    [InlineData("""{"exercise":"leg-press","limb":"both","loadKg":50,"reps":5}""", "limb", "limb must be left-leg")]
    [InlineData("""{"exercise":"leg-press","limb":"left-leg","involved":true,"loadKg":50,"reps":5}""", "involved", "the other side of this test (right-leg) is already the involved limb")]
    [InlineData("""{"exercise":"single-leg-hop","limb":"left-leg","hopDistanceCm":120}""", "exercise", "exercise single-leg-hop does not fit the other side of this test (right-leg)")]
    [InlineData("""{"exercise":"single-leg-hop","limb":"left-leg","hopDistanceCm":5000}""", "hopDistanceCm", "hopDistanceCm must be 10–1500 cm, was 5000")]
    [InlineData("""{"exercise":"check-in","painScore":2,"loadKg":50}""", "loadKg", "loadKg must be empty for a check-in")]
    [InlineData("""{"exercise":"check-in","painScore":2}""", "exercise", "exercise cannot become check-in")]
    [InlineData("""{"exercise":"leg-press","limb":"left-leg","loadKg":50,"reps":5,"note":"NOTE"}""", "note", "note must be at most 200 characters, was 201")]
    public async Task PutStrengthTest_BadInput_400NamesFieldValueAndAllowed_AndNothingIsWritten(string body, string field, string message)
    {
        // The athlete's own pair (right involved, left uninvolved), corrected on its left side.
        var rows = await RecordAsync(world.AthleteId, "leg-press", RecentDates.Moved("2026-11-01"), [Side("right-leg", true, 60, 10), Side("left-leg", false, 75, 10)], client: world.Athlete);
        var left = rows.Single(r => r.GetProperty("limb").GetString() == "left-leg").GetProperty("id").GetGuid();
        var before = await RowsAsync(world.AthleteId);

        using var response = await world.Athlete.PutAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests/{left}",
            new StringContent(body.Replace("NOTE", new string('n', 201), StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe([field], errors.ToString());
        errors.GetProperty(field)[0].GetString()!.ShouldContain(message);
        (await RowsAsync(world.AthleteId)).ShouldBe(before); // no half-written row, no stamp
        (await AuditAsync(world.AthleteId, StrengthService.UpdatedAction)).ShouldNotContain(e => e.Detail != null && e.Detail.Contains(left.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task PutStrengthTest_MalformedJson_Is400NotA500()
    {
        var rows = await RecordAsync(world.AthleteId, "squat", RecentDates.Moved("2026-11-01"), [new { limb = "both", loadKg = 100, reps = 5 }], client: world.Athlete);
        var id = rows[0].GetProperty("id").GetGuid();
        using var response = await world.Athlete.PutAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests/{id}",
            new StringContent("""{"exercise":"squat","reps":"five"}""", System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task StrengthTest_UnknownOrOtherAthletesId_Is404()
    {
        var other = await world.NewAthleteAsync();
        var rows = await RecordAsync(other, "squat", RecentDates.Moved("2026-11-01"), [new { limb = "both", loadKg = 100, reps = 5 }]);
        var othersTest = rows[0].GetProperty("id").GetGuid();
        var body = new { exercise = "squat", limb = "both", loadKg = 90, reps = 5 };
        // A test of another athlete's, reached through this athlete's route: not told apart from a missing one.
        (await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests/{othersTest}", body)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await world.Clinician.DeleteAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests/{othersTest}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{other}/strength-tests/{Guid.NewGuid()}", body)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await world.Clinician.DeleteAsync($"/api/v1/athletes/{other}/strength-tests/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // The athlete (an account) cannot reach the clinician's other athlete at all.
        (await world.Athlete.DeleteAsync($"/api/v1/athletes/{other}/strength-tests/{othersTest}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{other}/strength-tests")).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task StrengthTest_AthleteOnClinicianRecordedOrCorrectedTest_Is403SayingWhy_OwnTestIsFine()
    {
        var byClinician = (await RecordAsync(world.AthleteId, "knee-extension", RecentDates.Moved("2026-11-04"), [new { limb = "right-leg", oneRepMaxKg = 50 }]))[0].GetProperty("id").GetGuid();
        var put = await world.Athlete.PutAsJsonAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests/{byClinician}", new { exercise = "knee-extension", limb = "right-leg", oneRepMaxKg = 55 });
        put.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldBe("this test was recorded by your clinician: only a clinician can correct or delete it");
        (await world.Athlete.DeleteAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests/{byClinician}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The athlete's own entry: corrected and deleted by the athlete; once the clinician corrected it, it is the clinician's.
        var own = (await RecordAsync(world.AthleteId, "knee-extension", RecentDates.Moved("2026-11-05"), [new { limb = "right-leg", oneRepMaxKg = 50 }], client: world.Athlete))[0].GetProperty("id").GetGuid();
        (await world.Athlete.PutAsJsonAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests/{own}", new { exercise = "knee-extension", limb = "right-leg", oneRepMaxKg = 52 }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests/{own}", new { exercise = "knee-extension", limb = "right-leg", oneRepMaxKg = 54, stageClearance = false }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var now = await world.Athlete.PutAsJsonAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests/{own}", new { exercise = "knee-extension", limb = "right-leg", oneRepMaxKg = 56 });
        now.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await now.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("rehab stage decision");
        var row = await RowAsync(own);
        (row.MeasuredOneRepMaxKg, row.StageClearance, row.UpdatedByUserId).ShouldBe((54.0, (bool?)false, world.ClinicianUserId));

        var mine = (await RecordAsync(world.AthleteId, "calf-raise", RecentDates.Moved("2026-11-06"), [Side("left-leg", false, 30, 12)], client: world.Athlete))[0].GetProperty("id").GetGuid();
        (await world.Athlete.DeleteAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests/{mine}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await world.Athlete.PutAsJsonAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests/{byClinician}", new { exercise = "knee-extension", limb = "right-leg", oneRepMaxKg = 50, stageClearance = true }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden); // 403 before any field is looked at
    }

    [Fact]
    public async Task StrengthCorrections_AreAudited_AndTheRowSaysWhoAndWhen()
    {
        var id = await world.NewAthleteAsync();
        var rows = await RecordAsync(id, "squat", RecentDates.Moved("2026-11-01"), [new { limb = "both", loadKg = 100, reps = 5 }]);
        var test = rows[0].GetProperty("id").GetGuid();
        var clock = world.App.Services.GetRequiredService<TimeProvider>();
        var start = clock.GetUtcNow().AddSeconds(-1);
        (await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/strength-tests/{test}", new { exercise = "squat", limb = "both", loadKg = 105, reps = 5 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var row = await RowAsync(test);
        row.UpdatedByUserId.ShouldBe(world.ClinicianUserId);
        row.UpdatedAt.ShouldNotBeNull().ShouldBeGreaterThan(start);
        row.RecordedByUserId.ShouldBe(world.ClinicianUserId);
        (await world.Clinician.DeleteAsync($"/api/v1/athletes/{id}/strength-tests/{test}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var updated = await AuditAsync(id, StrengthService.UpdatedAction);
        updated.ShouldHaveSingleItem().Detail.ShouldBe(test.ToString());
        updated[0].ActorUserId.ShouldBe(world.ClinicianUserId);
        var deleted = await AuditAsync(id, StrengthService.DeletedAction);
        deleted.ShouldHaveSingleItem().Detail.ShouldBe(test.ToString());
        deleted[0].At.ShouldBeGreaterThanOrEqualTo(updated[0].At);
    }

    [Fact]
    public async Task AthletePage_EditAndDeleteForms_CorrectThenDeleteWithAConfirmStep()
    {
        var id = await world.NewAthleteAsync();
        var test = (await RecordAsync(id, "leg-press", RecentDates.Moved("2026-11-10"), [new { limb = "left-leg", involved = true, loadKg = 600, reps = 8 }]))[0].GetProperty("id").GetGuid();
        var athletePage = await world.Clinician.GetStringAsync($"/Athletes/{id}");
        athletePage.ShouldContain($"href=\"/Athletes/{id}/StrengthTests/{test}/Edit\"");
        athletePage.ShouldContain($"href=\"/Athletes/{id}/StrengthTests/{test}/Delete\"");

        var edit = $"/Athletes/{id}/StrengthTests/{test}/Edit";
        var form = await world.Clinician.GetStringAsync(edit);
        form.ShouldContain("name=\"Form.LoadKg\" type=\"number\" step=\"any\" min=\"0\" max=\"1000\" value=\"600\"");
        var bad = await PostFormAsync(edit, new() { ["Form.Exercise"] = "leg-press", ["Form.TestedOn"] = RecentDates.Moved("2026-11-10"), ["Form.Limb"] = "left-leg", ["Form.Involved"] = "true",
            ["Form.LoadKg"] = "60", ["Form.Reps"] = "20" });
        bad.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()).ShouldContain("reps must be 1–12 repetitions (the equations are not valid beyond 12), was 20");
        (await RowAsync(test)).LoadKg.ShouldBe(600);

        var ok = await PostFormAsync(edit, new() { ["Form.Exercise"] = "leg-press", ["Form.TestedOn"] = RecentDates.Moved("2026-11-10"), ["Form.Limb"] = "left-leg", ["Form.Involved"] = "true",
            ["Form.LoadKg"] = "60", ["Form.Reps"] = "8", ["Form.PainScore"] = "2", ["Form.StageClearance"] = "withheld", ["Form.Note"] = "typo fixed" });
        ok.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var row = await RowAsync(test);
        (row.LoadKg, row.Reps, row.PainScore, row.StageClearance, row.Note).ShouldBe((60.0, (int?)8, (int?)2, (bool?)false, "typo fixed"));
        WebUtility.HtmlDecode(await world.Clinician.GetStringAsync($"/Athletes/{id}")).ShouldContain("60 kg × 8");

        var delete = $"/Athletes/{id}/StrengthTests/{test}/Delete";
        var confirm = await world.Clinician.GetStringAsync(delete);
        confirm.ShouldContain("id=\"confirm-delete\"");
        (await RowAsync(test)).ShouldNotBeNull(); // asking deletes nothing
        (await PostFormAsync(delete, [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests")).GetArrayLength().ShouldBe(0);
        (await world.Clinician.GetAsync(delete)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AthletePage_ClinicianRecordedTest_AthleteSeesNoEditLinkAndTheFormSaysWhy()
    {
        var test = (await RecordAsync(world.AthleteId, "hamstring-curl", RecentDates.Moved("2026-11-11"), [new { limb = "left-leg", loadKg = 30, reps = 10 }]))[0].GetProperty("id").GetGuid();
        (await world.Athlete.GetStringAsync($"/Athletes/{world.AthleteId}")).ShouldNotContain($"/StrengthTests/{test}/Edit");
        (await world.Clinician.GetStringAsync($"/Athletes/{world.AthleteId}")).ShouldContain($"/StrengthTests/{test}/Edit");
        var page = await world.Athlete.GetStringAsync($"/Athletes/{world.AthleteId}/StrengthTests/{test}/Edit");
        page.ShouldContain("id=\"not-changeable\"");
        page.ShouldNotContain("id=\"strength-edit-form\"");
    }

    [Fact]
    public async Task PutStrengthTest_CheckIn_PainChangesWhatTheGatesReadAndACheckInCanBecomeATest()
    {
        var id = await world.NewAthleteAsync();
        var checkIn = (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/strength-tests", new { exercise = "check-in", testedOn = RecentDates.Moved("2026-11-20"), painScore = 6, stageClearance = false }));
        checkIn.StatusCode.ShouldBe(HttpStatusCode.Created);
        var test = (await checkIn.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("id").GetGuid();
        (await ProgressAsync(id)).GetProperty("latestPain").GetInt32().ShouldBe(6);

        (await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/strength-tests/{test}", new { exercise = "check-in", painScore = 1, stageClearance = true }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var row = await RowAsync(test);
        (row.TestedOn, row.PainScore, row.StageClearance).ShouldBe((RecentDates.Moved(new DateOnly(2026, 11, 20)), (int?)1, (bool?)true)); // no testedOn keeps the stored day
        (await ProgressAsync(id)).GetProperty("latestPain").GetInt32().ShouldBe(1);

        var empty = await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/strength-tests/{test}", new { exercise = "check-in" });
        (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("painScore")[0].GetString()!.ShouldContain("needs painScore (0–10) or a clinician's stageClearance");

        (await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/strength-tests/{test}", new { exercise = "squat", limb = "both", loadKg = 80, reps = 6, painScore = 1 }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ProgressAsync(id)).GetProperty("oneRepMax").EnumerateArray().Single().GetProperty("points")[0].GetProperty("value").GetDouble().ShouldBe(96); // Epley 80 × (1 + 6/30)
    }

    [Fact]
    public async Task PutStrengthTest_AthleteGivesStageClearance_400LikeCreate()
    {
        var own = (await RecordAsync(world.AthleteId, "step-up", RecentDates.Moved("2026-11-07"), [Side("left-leg", false, 20, 10)], client: world.Athlete))[0].GetProperty("id").GetGuid();
        var put = await world.Athlete.PutAsJsonAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests/{own}", new { exercise = "step-up", limb = "left-leg", loadKg = 22, reps = 10, stageClearance = true });
        put.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("stageClearance")[0].GetString()
            .ShouldBe("stageClearance can only be given by a clinician; leave it empty");
        (await RowAsync(own)).LoadKg.ShouldBe(20);
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheCorrectionEndpoints()
    {
        var paths = (await world.Clinician.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");
        foreach (var path in new[] { "/api/v1/athletes/{athleteId}/strength-tests/{testId}", "/api/v1/athletes/{athleteId}/screening/clearances/{clearanceId}", "/api/v1/athletes/{athleteId}/lop/{lopId}" })
        {
            var item = paths.GetProperty(path);
            item.TryGetProperty("put", out _).ShouldBeTrue(path);
            item.TryGetProperty("delete", out _).ShouldBeTrue(path);
        }
    }

    /// <summary>Posts a page's form as a browser would: with its anti-forgery token and the version its hidden field carries.</summary>
    private Task<HttpResponseMessage> PostFormAsync(string page, Dictionary<string, string> form) => WebAppFactory.PostFormAsync(world.Clinician, page, form);

    private static object Side(string limb, bool involved, double kg, int reps) => new { limb, involved, loadKg = kg, reps };

    private async Task<List<JsonElement>> RecordAsync(Guid athleteId, string exercise, string on, object[] results, HttpClient? client = null, int? pain = null)
    {
        var response = await (client ?? world.Clinician).PostAsJsonAsync($"/api/v1/athletes/{athleteId}/strength-tests", new { exercise, testedOn = on, results, painScore = pain });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
    }

    private Task<JsonElement> ProgressAsync(Guid athleteId) => world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{athleteId}/progress/strength");

    private async Task<OpenBfr.Data.Strength.StrengthTestRecord> RowAsync(Guid testId)
    {
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        return await db.StrengthTests.AsNoTracking().SingleAsync(t => t.Id == testId);
    }

    /// <summary>Every stored column of an athlete's tests, to compare before and after a refused request.</summary>
    private async Task<List<string>> RowsAsync(Guid athleteId)
    {
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        return (await db.StrengthTests.AsNoTracking().Where(t => t.AthleteId == athleteId).ToListAsync())
            .Select(t => JsonSerializer.Serialize(t)).Order(StringComparer.Ordinal).ToList();
    }

    private async Task<List<OpenBfr.Data.Audit.AuditEntry>> AuditAsync(Guid athleteId, string action)
    {
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        return await db.AuditLog.AsNoTracking().Where(e => e.AthleteId == athleteId && e.Action == action).OrderBy(e => e.Id).ToListAsync();
    }
}

public sealed class ClearanceCorrectionTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    /// <summary>A clinician's athlete (no account) whose screening needs clearance for diabetes on every limb, cleared by the world's clinician on all limbs.</summary>
    private async Task<(Guid Athlete, Guid Clearance)> ClearedAthleteAsync()
    {
        var id = await world.NewScreenedAthleteAsync(45, "diabetes");
        var created = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances", new { itemId = "diabetes", note = "HbA1c 6.1%", clearedOn = RecentDates.Text(5) });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (id, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    /// <summary>A second clinician linked to the athlete.</summary>
    private async Task<HttpClient> SecondClinicianAsync(Guid athleteId)
    {
        var email = $"pt2-{Guid.NewGuid():N}@t.org";
        var user = await world.App.CreateUserAsync(email, Roles.Clinician);
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        db.ClinicianLinks.Add(new ClinicianLink { Id = Guid.NewGuid(), AthleteId = athleteId, ClinicianUserId = user.Id, CreatedAt = DateTimeOffset.UnixEpoch });
        await db.SaveChangesAsync();
        return await world.App.SignedInAsync(email);
    }

    [Fact]
    public async Task PutClearance_BySigningClinician_NoteAndDateChangeAndTheScreeningStillClears()
    {
        var (id, clearance) = await ClearedAthleteAsync();
        var put = await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances/{clearance}", new { note = "HbA1c 6.1%, recheck in 3 months", clearedOn = RecentDates.Text(6) });
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var dto = await put.Content.ReadFromJsonAsync<JsonElement>();
        (dto.GetProperty("note").GetString(), dto.GetProperty("clearedOn").GetString(), dto.GetProperty("itemId").GetString()).ShouldBe(("HbA1c 6.1%, recheck in 3 months", RecentDates.Text(6), "diabetes"));

        var screening = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening");
        screening.GetProperty("overall").GetString().ShouldBe("Eligible");
        var listed = screening.GetProperty("clearances").EnumerateArray().Single();
        (listed.GetProperty("note").GetString(), listed.GetProperty("clearedOn").GetString()).ShouldBe(("HbA1c 6.1%, recheck in 3 months", RecentDates.Text(6)));
        listed.GetProperty("updatedAt").ValueKind.ShouldBe(JsonValueKind.String);
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        (await db.AuditLog.Where(e => e.AthleteId == id && e.Action == ScreeningService.ClearanceUpdatedAction).ToListAsync())
            .ShouldHaveSingleItem().Detail.ShouldBe(clearance.ToString());
        (await db.ScreeningClearances.SingleAsync(c => c.Id == clearance)).UpdatedByUserId.ShouldBe(world.ClinicianUserId);
    }

    [Theory]
    [InlineData("""{"note":""}""", "note", "1–300 characters), was 0 characters")]
    [InlineData("""{"note":"   "}""", "note", "1–300 characters")]
    [InlineData("""{"note":"LONG"}""", "note", "was 301 characters")]
    [InlineData("""{"note":"ok","clearedOn":"2999-05-01"}""", "clearedOn", "or earlier, was 2999-05-01")]
    public async Task PutClearance_BadInput_400NamesFieldValueAndAllowed_AndNothingChanges(string body, string field, string message)
    {
        var (id, clearance) = await ClearedAthleteAsync();
        using var response = await world.Clinician.PutAsync($"/api/v1/athletes/{id}/screening/clearances/{clearance}",
            new StringContent(body.Replace("LONG", new string('x', 301), StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe([field]);
        var text = errors.GetProperty(field)[0].GetString()!;
        text.ShouldContain(message);
        text.ShouldContain(field);
        var c = (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening/clearances")).GetProperty("clearances").EnumerateArray().Single();
        (c.GetProperty("note").GetString(), c.GetProperty("clearedOn").GetString()).ShouldBe(("HbA1c 6.1%", RecentDates.Text(5)));
    }

    [Fact]
    public async Task Clearance_OtherLinkedClinicianMayRevokeButNotRewrite_AthleteGets403_UnknownIs404()
    {
        var (id, clearance) = await ClearedAthleteAsync();
        var second = await SecondClinicianAsync(id);
        var put = await second.PutAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances/{clearance}", new { note = "my words now" });
        put.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()
            .ShouldBe("this clearance is signed by pt: only they can correct it; revoke it and record your own instead");
        (await world.Athlete.PutAsJsonAsync($"/api/v1/athletes/{world.AthleteId}/screening/clearances/{clearance}", new { note = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await world.Athlete.DeleteAsync($"/api/v1/athletes/{world.AthleteId}/screening/clearances/{clearance}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances/{Guid.NewGuid()}", new { note = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await world.Clinician.DeleteAsync($"/api/v1/athletes/{id}/screening/clearances/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Another athlete's route with this clearance's id: not found.
        var other = await world.NewAthleteAsync();
        (await world.Clinician.DeleteAsync($"/api/v1/athletes/{other}/screening/clearances/{clearance}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // The screening's own id (a one-note clearance has no row of its own) is not a clearance.
        var screeningId = (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening")).GetProperty("id").GetGuid();
        (await world.Clinician.DeleteAsync($"/api/v1/athletes/{id}/screening/clearances/{screeningId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await second.DeleteAsync($"/api/v1/athletes/{id}/screening/clearances/{clearance}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening")).GetProperty("clearances").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task DeleteClearance_Revoked_FindingPendingAgainAndNoSessionMayStart()
    {
        var (id, clearance) = await ClearedAthleteAsync();
        var gate = world.App.Services.GetRequiredService<ScreeningService>();
        (await gate.GateAsync(id, Limb.LeftLeg)).ShouldBe(new ScreeningGate(null, true, true));

        (await world.Clinician.DeleteAsync($"/api/v1/athletes/{id}/screening/clearances/{clearance}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var screening = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening");
        screening.GetProperty("overall").GetString().ShouldBe("NeedsClearance");
        screening.GetProperty("cleared").GetBoolean().ShouldBeFalse();
        screening.GetProperty("pending").EnumerateArray().Single().GetProperty("itemId").GetString().ShouldBe("diabetes");
        (await gate.GateAsync(id, Limb.LeftLeg)).SessionRefusal.ShouldBe("screening needs clearance: a clinician must record clearance before the first session");
        var flags = (await world.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/dashboard")).EnumerateArray()
            .Single(r => r.GetProperty("athleteId").GetGuid() == id).GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToList();
        flags.ShouldContain("needs clearance");
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        var audit = await db.AuditLog.Where(e => e.AthleteId == id && e.Action == ScreeningService.ClearanceRevokedAction).ToListAsync();
        audit.ShouldHaveSingleItem().Detail.ShouldBe(clearance.ToString());
        audit[0].ActorUserId.ShouldBe(world.ClinicianUserId);
        (await world.Clinician.DeleteAsync($"/api/v1/athletes/{id}/screening/clearances/{clearance}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ClearancePage_EditThenRevokeAfterConfirming_AthleteIsDenied()
    {
        var (id, clearance) = await ClearedAthleteAsync();
        (await world.Clinician.GetStringAsync($"/Athletes/{id}")).ShouldContain($"href=\"/Athletes/{id}/Clearances/{clearance}\"");
        var page = $"/Athletes/{id}/Clearances/{clearance}";
        var token = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page);
        var saved = await world.Clinician.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Note"] = "GP letter of 2026-11-15", ["ClearedOn"] = RecentDates.Text(7), ["__RequestVerificationToken"] = token,
            ["Version"] = WebAppFactory.HiddenVersion(await world.Clinician.GetStringAsync(page)),
        }));
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var c = (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening/clearances")).GetProperty("clearances").EnumerateArray().Single();
        (c.GetProperty("note").GetString(), c.GetProperty("clearedOn").GetString()).ShouldBe(("GP letter of 2026-11-15", RecentDates.Text(7)));

        var confirm = await world.Clinician.GetStringAsync(page + "?revoke=true");
        confirm.ShouldContain("id=\"confirm-revoke\"");
        token = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page + "?revoke=true");
        WebAppFactory.HiddenVersion(confirm).ShouldBe("2"); // corrected once
        (await world.Clinician.PostAsync(page + "?handler=Revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Version"] = "2" })))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening/clearances")).GetProperty("clearances").GetArrayLength().ShouldBe(0);

        // Without the anti-forgery token nothing happens.
        var (id2, clearance2) = await ClearedAthleteAsync();
        var forged = await world.Clinician.PostAsync($"/Athletes/{id2}/Clearances/{clearance2}?handler=Revoke", new FormUrlEncodedContent(new Dictionary<string, string>()));
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id2}/screening/clearances")).GetProperty("clearances").GetArrayLength().ShouldBe(1);

        var denied = await world.Athlete.GetAsync($"/Athletes/{world.AthleteId}/Clearances/{clearance2}");
        denied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        denied.Headers.Location!.OriginalString.ShouldContain("/Account/Denied");
    }
}

/// <summary>Corrections and deletions through the web app on the real PostgreSQL test server (types, the audit entry in the same transaction, the version-5 columns).</summary>
public sealed class CorrectionPostgresTests
{
    [PostgresWebFact]
    public async Task CorrectAndDeleteStrengthTest_ReviseAndRevokeClearance_OnPostgres()
        => await ScratchPostgres.WithDatabaseAsync("openbfr_c_", async cs =>
        {
            using var app = new WebAppFactory(cs);
            await app.CreateUserAsync("admin@t.org", Roles.Admin);
            var pt = await app.CreateUserAsync("pt@t.org", Roles.Clinician);
            var client = await app.SignedInAsync("pt@t.org");
            var created = await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Pg Runner", birthYear = 1985, sex = "male" });
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

            var recorded = await client.PostAsJsonAsync($"/api/v1/athletes/{id}/strength-tests", new
            {
                exercise = "knee-extension", testedOn = RecentDates.Moved("2026-11-09"), painScore = 1,
                results = new object[] { new { limb = "left-leg", involved = true, loadKg = 45, reps = 8 }, new { limb = "right-leg", loadKg = 600, reps = 8 } },
            });
            recorded.StatusCode.ShouldBe(HttpStatusCode.Created);
            var rows = (await recorded.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
            var right = rows.Single(r => r.GetProperty("limb").GetString() == "right-leg").GetProperty("id").GetGuid();
            var left = rows.Single(r => r.GetProperty("limb").GetString() == "left-leg").GetProperty("id").GetGuid();
            (await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/progress/strength")).GetProperty("latestStrengthLsi").GetDouble().ShouldBe(7.5); // 45 / 600

            var put = await client.PutAsJsonAsync($"/api/v1/athletes/{id}/strength-tests/{right}", new { exercise = "knee-extension", testedOn = RecentDates.Moved("2026-11-08"), limb = "right-leg", loadKg = 60, reps = 8, painScore = 1 });
            put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
            var progress = await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/progress/strength");
            progress.GetProperty("latestStrengthLsi").GetDouble().ShouldBe(75); // 45 / 60, both sides moved to 2026-11-08
            progress.GetProperty("lsi")[0].GetProperty("points")[0].GetProperty("date").GetString().ShouldBe(RecentDates.Moved("2026-11-08"));
            var bad = await client.PutAsJsonAsync($"/api/v1/athletes/{id}/strength-tests/{right}", new { exercise = "knee-extension", limb = "right-leg", loadKg = 60, reps = 30 });
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await client.DeleteAsync($"/api/v1/athletes/{id}/strength-tests/{left}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            (await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/progress/strength")).GetProperty("latestStrengthLsi").ValueKind.ShouldBe(JsonValueKind.Null);

            var answers = Questionnaire.Default.YesNoItems.ToDictionary(i => i.Id, i => i.Id == "chronic-kidney-disease" ? ItemAnswer.YesAnswer : ItemAnswer.No);
            var given = new ScreeningAnswers(41, 124, 80, answers);
            await app.Services.GetRequiredService<ScreeningService>().SaveAsync(new Viewer(pt.Id, false, true, false), id, ScreeningAnswerText.Write(given),
                Screener.Evaluate(given).Limbs.ToDictionary(l => l.Limb, l => new LimbOutcome(l.Eligibility.ToString(), l.ReasonIds)));
            var cleared = await client.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances", new { itemId = "chronic-kidney-disease", limb = "right-leg", note = "eGFR 70" });
            var clearance = (await cleared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            (await client.PutAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances/{clearance}", new { note = "eGFR 72", clearedOn = RecentDates.Text(13) })).StatusCode.ShouldBe(HttpStatusCode.OK);
            var listed = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening/clearances")).GetProperty("clearances")[0];
            (listed.GetProperty("note").GetString(), listed.GetProperty("clearedOn").GetString()).ShouldBe(("eGFR 72", RecentDates.Text(13)));
            (await client.DeleteAsync($"/api/v1/athletes/{id}/screening/clearances/{clearance}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            (await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening")).GetProperty("limbs").GetProperty("right-leg").GetProperty("outcome").GetString()
                .ShouldBe("NeedsClearance");

            await using var db = await app.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
            var actions = await db.AuditLog.Where(e => e.AthleteId == id && e.ActorUserId == pt.Id).Select(e => e.Action).ToListAsync();
            actions.ShouldContain(StrengthService.UpdatedAction);
            actions.ShouldContain(StrengthService.DeletedAction);
            actions.ShouldContain(ScreeningService.ClearanceUpdatedAction);
            actions.ShouldContain(ScreeningService.ClearanceRevokedAction);
            actions.Count(a => a == StrengthService.UpdatedAction).ShouldBe(1); // the refused correction left no entry
            var kept = await db.StrengthTests.SingleAsync(t => t.Id == right);
            (kept.LoadKg, kept.UpdatedByUserId).ShouldBe(((double?)60, pt.Id));
        });
}
