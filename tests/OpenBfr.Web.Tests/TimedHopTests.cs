using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenBfr.Data.Strength;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Strength;

namespace OpenBfr.Web.Tests;

/// <summary>
/// The 6 m timed hop (Noyes et al. 1991): a time, lower is better, so its limb symmetry index is
/// uninvolved / involved time × 100. Involved 2.5 s against uninvolved 2.2 s is 88.0%, below the
/// return-to-sport 90% (Grindem et al. 2016) — where the distance form would read it as 113.6%.
/// </summary>
public sealed class TimedHopTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    private static readonly object[] SlowerInvolved =
        [new { limb = "right-leg", involved = true, hopTimeSeconds = 2.5 }, new { limb = "left-leg", hopTimeSeconds = 2.2 }];

    [Fact]
    public async Task RecordTimedHop_Pair_ListCarriesTheTimesAndProgressTheTimedLsi()
    {
        var id = await world.NewAthleteAsync();
        var created = await PostAsync(id, "timed-hop", RecentDates.Moved("2026-11-10"), SlowerInvolved);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        var list = (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests")).EnumerateArray().ToList();
        list.Count.ShouldBe(2);
        var right = list.Single(r => r.GetProperty("limb").GetString() == "right-leg");
        right.GetProperty("exercise").GetString().ShouldBe("timed-hop");
        right.GetProperty("hopTimeSeconds").GetDouble().ShouldBe(2.5);
        right.GetProperty("involved").GetBoolean().ShouldBeTrue();
        right.GetProperty("hopDistanceCm").ValueKind.ShouldBe(JsonValueKind.Null);
        right.GetProperty("oneRepMaxKg").ValueKind.ShouldBe(JsonValueKind.Null);
        list.Single(r => r.GetProperty("limb").GetString() == "left-leg").GetProperty("hopTimeSeconds").GetDouble().ShouldBe(2.2);

        var progress = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/progress/strength");
        var series = progress.GetProperty("lsi").EnumerateArray().Single(s => s.GetProperty("exercise").GetString() == "timed-hop");
        series.GetProperty("unit").GetString().ShouldBe("s");
        series.GetProperty("strength").GetBoolean().ShouldBeFalse();
        var point = series.GetProperty("points").EnumerateArray().Single();
        point.GetProperty("percent").GetDouble().ShouldBe(88.0); // 2.2 / 2.5 × 100, not 2.5 / 2.2 × 100 = 113.6
        point.GetProperty("involved").GetDouble().ShouldBe(2.5);
        point.GetProperty("uninvolved").GetDouble().ShouldBe(2.2);
        progress.GetProperty("oneRepMax").GetArrayLength().ShouldBe(0); // a time is no 1RM

        // A hop LSI is not a strength LSI: return to sport reads it (Grindem: strength and the hop battery ≥ 90%),
        // starting to run does not (Rambaud: strength LSI > 70%), so there it still lacks a strength test.
        progress.GetProperty("latestHopLsi").GetDouble().ShouldBe(88.0);
        progress.GetProperty("latestStrengthLsi").ValueKind.ShouldBe(JsonValueKind.Null);
        var status = progress.GetProperty("latestGates").EnumerateArray().ToDictionary(g => g.GetProperty("name").GetString()!);
        status["return-to-sport"].GetProperty("met").GetBoolean().ShouldBeFalse();
        string.Join(";", status["return-to-sport"].GetProperty("unmet").EnumerateArray().Select(u => u.GetString())).ShouldContain("hop limb symmetry 88% must be ≥ 90%");
        var startRunning = string.Join(";", status["start-running"].GetProperty("unmet").EnumerateArray().Select(u => u.GetString()));
        startRunning.ShouldNotContain("hop");
        startRunning.ShouldContain("no strength LSI recorded");
    }

    [Fact]
    public async Task ProgressStrength_TwoTimedTrialsPerLeg_UsesEachLegsFastestTime()
    {
        var id = await world.NewAthleteAsync();
        (await PostAsync(id, "timed-hop", RecentDates.Moved("2026-11-10"), SlowerInvolved)).StatusCode.ShouldBe(HttpStatusCode.Created);
        // A second trial the same day: the involved leg faster (2.4 s), the uninvolved slower (2.6 s; its 2.2 s stays the best).
        (await PostAsync(id, "timed-hop", RecentDates.Moved("2026-11-10"), [new { limb = "right-leg", involved = true, hopTimeSeconds = 2.4 }, new { limb = "left-leg", hopTimeSeconds = 2.6 }]))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var progress = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/progress/strength");
        var point = progress.GetProperty("lsi").EnumerateArray().Single(s => s.GetProperty("exercise").GetString() == "timed-hop").GetProperty("points")[0];
        (point.GetProperty("involved").GetDouble(), point.GetProperty("uninvolved").GetDouble()).ShouldBe((2.4, 2.2));
        point.GetProperty("percent").GetDouble().ShouldBe(91.7); // 2.2 / 2.4 × 100 = 91.67
    }

    [Fact]
    public async Task ProgressStrength_TimedHopBelowTheDaysStrengthLsi_ReturnToSportReadsTheHopStartRunningTheStrength()
    {
        var id = await world.NewAthleteAsync();
        // Leg press 95% (95 kg / 100 kg measured) and the timed hop 88% on the same day: each gate reads what it asks for.
        (await PostAsync(id, "leg-press", RecentDates.Moved("2026-11-10"), [new { limb = "right-leg", involved = true, oneRepMaxKg = 95 }, new { limb = "left-leg", oneRepMaxKg = 100 }], pain: 1))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await PostAsync(id, "timed-hop", RecentDates.Moved("2026-11-10"), SlowerInvolved)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var progress = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/progress/strength");
        progress.GetProperty("latestStrengthLsi").GetDouble().ShouldBe(95.0);
        progress.GetProperty("latestHopLsi").GetDouble().ShouldBe(88.0);
        var status = progress.GetProperty("latestGates").EnumerateArray().ToDictionary(g => g.GetProperty("name").GetString()!);
        status["start-running"].GetProperty("met").GetBoolean().ShouldBeTrue();
        status["return-to-sport"].GetProperty("met").GetBoolean().ShouldBeFalse();
        status["return-to-sport"].GetProperty("unmet").EnumerateArray().Select(u => u.GetString()).ShouldBe(["hop limb symmetry 88% must be ≥ 90%"]);

        // The same rows as the planner's rehab tests: strength 95% from the leg press, hop 88% (not the distance form's 113.6%).
        var rows = new List<StrengthTestRecord>
        {
            Row("timed-hop", Core.Limbs.Limb.RightLeg, true, time: 2.5), Row("timed-hop", Core.Limbs.Limb.LeftLeg, false, time: 2.2),
            Row("leg-press", Core.Limbs.Limb.RightLeg, true, kg: 95), Row("leg-press", Core.Limbs.Limb.LeftLeg, false, kg: 100),
        };
        var test = StrengthService.RehabTests(rows).Single();
        test.StrengthLsiPercent!.Value.ShouldBe(95.0, 1e-9);
        test.HopLsiPercent!.Value.ShouldBe(88.0, 1e-9);
        // A faster involved leg (2.0 s against 2.2 s) is 110% on the hop.
        rows[0].HopTimeSeconds = 2.0;
        StrengthService.RehabTests(rows).Single().HopLsiPercent!.Value.ShouldBe(110.0, 1e-9);
        // A hop for distance the same day (involved / uninvolved, 117 / 150 cm = 78%) is the day's lowest hop LSI; strength stays 95%.
        rows.Add(new StrengthTestRecord { Id = Guid.NewGuid(), Exercise = "single-leg-hop", Limb = Core.Limbs.Limb.RightLeg, Involved = true, TestedOn = rows[0].TestedOn, HopDistanceCm = 117 });
        rows.Add(new StrengthTestRecord { Id = Guid.NewGuid(), Exercise = "single-leg-hop", Limb = Core.Limbs.Limb.LeftLeg, TestedOn = rows[0].TestedOn, HopDistanceCm = 150 });
        test = StrengthService.RehabTests(rows).Single();
        test.HopLsiPercent!.Value.ShouldBe(78.0, 1e-9);
        test.StrengthLsiPercent!.Value.ShouldBe(95.0, 1e-9);
    }

    [Fact]
    public async Task CreatePlan_TimedHopAt88Percent_ReturnToSportGateIsNotMetAndSaysSo()
    {
        var id = await world.NewAthleteAsync();
        var plan = new
        {
            weeklyKm = 30, start = RecentDates.Moved("2026-12-07"), weeks = 2, availableDays = new[] { "mon", "tue", "thu", "sat", "sun" }, keyWorkoutDays = new[] { "tue" }, longRunDay = "sun",
            injury = "achilles-tendinopathy", injuryDate = RecentDates.Moved("2026-10-01"), injurySide = "right",
        };
        // Calf raise 95% with pain 1/10 alone would pass the ≥ 90% gate; the timed hop the same day is 88%, and return to full training asks for hop tests at ≥ 90% too.
        (await PostAsync(id, "calf-raise", RecentDates.Moved("2026-11-16"), [new { limb = "right-leg", involved = true, oneRepMaxKg = 57 }, new { limb = "left-leg", oneRepMaxKg = 60 }], pain: 1))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await PostAsync(id, "timed-hop", RecentDates.Moved("2026-11-16"), SlowerInvolved)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var text = (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/plan")).ToString();
        text.ShouldContain("Rehab 2/3: Return to running");
        text.ShouldContain($"hop LSI ≥ 90% (was 88% on {RecentDates.Moved("2026-11-16")})");
        text.ShouldNotContain("strength LSI ≥ 90% (was");
    }

    [Theory]
    [InlineData("""{"exercise":"timed-hop","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg"}]}""", "results[0].hopTimeSeconds", "hopTimeSeconds is required for timed-hop (1–10 s)")]
    [InlineData("""{"exercise":"timed-hop","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","hopTimeSeconds":0.5}]}""", "results[0].hopTimeSeconds", "results[0].hopTimeSeconds must be 1–10 s, was 0.5")]
    [InlineData("""{"exercise":"timed-hop","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","hopTimeSeconds":25}]}""", "results[0].hopTimeSeconds", "results[0].hopTimeSeconds must be 1–10 s, was 25")]
    [InlineData("""{"exercise":"timed-hop","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","hopDistanceCm":150}]}""", "results[0].hopDistanceCm", "timed-hop is timed: give hopTimeSeconds (1–10 s), not a distance; was 150")]
    [InlineData("""{"exercise":"timed-hop","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","hopTimeSeconds":2.2,"hopDistanceCm":150}]}""", "results[0].hopDistanceCm", "not a distance")]
    [InlineData("""{"exercise":"timed-hop","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","loadKg":50,"reps":5}]}""", "results[0].loadKg", "give hopTimeSeconds")]
    [InlineData("""{"exercise":"timed-hop","testedOn":"{moved:2026-11-01}","results":[{"limb":"both","hopTimeSeconds":2.2}]}""", "results[0].limb", "one limb")]
    [InlineData("""{"exercise":"single-leg-hop","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","hopTimeSeconds":2.2}]}""", "results[0].hopTimeSeconds", "only for the timed hop; single-leg-hop is for distance: give hopDistanceCm (10–1500 cm); was 2.2")]
    [InlineData("""{"exercise":"triple-hop","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","hopDistanceCm":400,"hopTimeSeconds":2.2}]}""", "results[0].hopTimeSeconds", "only for the timed hop")]
    [InlineData("""{"exercise":"leg-press","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","loadKg":50,"reps":5,"hopTimeSeconds":2.2}]}""", "results[0].hopTimeSeconds", "leg-press takes loadKg")]
    public async Task RecordTimedHop_BadInput_ProblemDetailsNameFieldValueAndAllowed(string body, string field, string message)
    {
        using var response = await world.Athlete.PostAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests", new StringContent(RecentDates.Fill(body), Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty(field, out var messages).ShouldBeTrue(errors.ToString());
        messages[0].GetString()!.ShouldContain(message);
    }

    [Fact]
    public async Task CorrectTimedHop_NewTime_ChangesLsiAndHistoryKeepsTheOldTime()
    {
        var id = await world.NewAthleteAsync();
        // Mistyped: 3.5 s for the involved leg's 2.5 s (in range, so only a correction can fix it).
        var created = await PostAsync(id, "timed-hop", RecentDates.Moved("2026-11-10"), [new { limb = "right-leg", involved = true, hopTimeSeconds = 3.5 }, new { limb = "left-leg", hopTimeSeconds = 2.2 }]);
        var rows = (await created.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        var testId = rows.Single(r => r.GetProperty("involved").GetBoolean()).GetProperty("id").GetGuid();
        var url = $"/api/v1/athletes/{id}/strength-tests/{testId}";
        (await LsiAsync(id)).ShouldBe(62.9); // 2.2 / 3.5

        // A correction that gives a distance to the timed hop is refused, naming the flat field.
        var bad = await world.Clinician.PutAsJsonAsync(url, new { exercise = "timed-hop", limb = "right-leg", involved = true, hopDistanceCm = 150 });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("hopDistanceCm")[0].GetString()!.ShouldContain("timed-hop is timed");
        var outOfRange = await world.Clinician.PutAsJsonAsync(url, new { exercise = "timed-hop", limb = "right-leg", involved = true, hopTimeSeconds = 12 });
        (await outOfRange.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("hopTimeSeconds")[0].GetString()
            .ShouldBe("hopTimeSeconds must be 1–10 s, was 12");

        using var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(new { exercise = "timed-hop", limb = "right-leg", involved = true, hopTimeSeconds = 2.5 }) };
        put.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var ok = await world.Clinician.SendAsync(put);
        ok.StatusCode.ShouldBe(HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());
        var corrected = (await ok.Content.ReadFromJsonAsync<JsonElement>())[0];
        (corrected.GetProperty("hopTimeSeconds").GetDouble(), corrected.GetProperty("version").GetInt32()).ShouldBe((2.5, 2));
        (await LsiAsync(id)).ShouldBe(88.0);

        var history = await world.Clinician.GetFromJsonAsync<JsonElement>(url + "/revisions");
        var versions = history.GetProperty("versions").EnumerateArray()
            .Select(v => (v.GetProperty("version").GetInt32(), v.GetProperty("record").GetProperty("hopTimeSeconds").GetDouble())).ToList();
        versions.ShouldBe([(2, 2.5), (1, 3.5)]);

        // Deleted: the history keeps the last time, and no LSI is left to chart.
        (await world.Clinician.DeleteAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await LsiAsync(id)).ShouldBeNull();
        var deleted = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/deleted-records");
        deleted.GetProperty("strengthTests").EnumerateArray().Single().GetProperty("record").GetProperty("hopTimeSeconds").GetDouble().ShouldBe(2.5);
    }

    [Fact]
    public async Task StrengthExercises_ListsTheTimedHopAsAUnilateralLegTestInSeconds()
    {
        var list = await world.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/strength-exercises");
        var timed = list.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "timed-hop");
        (timed.GetProperty("title").GetString(), timed.GetProperty("measure").GetString(), timed.GetProperty("limbs").GetString(), timed.GetProperty("unilateral").GetBoolean())
            .ShouldBe(("6 m timed hop", "hop s", "legs", true));
    }

    [Fact]
    public async Task AthletePage_TimedHopPair_ShowsTheFieldAndTheTimedLsi()
    {
        var id = await world.NewAthleteAsync();
        (await PostAsync(id, "timed-hop", RecentDates.Moved("2026-11-10"), SlowerInvolved)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var html = await world.Clinician.GetStringAsync($"/Athletes/{id}");
        html.ShouldContain("name=\"hopSecondsA\"");
        html.ShouldContain("name=\"hopSecondsB\"");
        html.ShouldContain("<option value=\"timed-hop\" data-measure=\"hop-time\">6 m timed hop</option>");
        html.ShouldContain("2.50 s");
        var lsiRow = html[html.IndexOf("<tr data-exercise=\"timed-hop\">", StringComparison.Ordinal)..];
        lsiRow[..lsiRow.IndexOf("</tr>", StringComparison.Ordinal)].ShouldContain("88.0%");
    }

    [PostgresWebFact]
    public async Task TimedHop_OnPostgres_RecordCorrectAndTimedLsiRoundTrip()
        => await ScratchPostgres.WithDatabaseAsync("openbfr_th_", async cs =>
        {
            using var app = new WebAppFactory(cs);
            await app.CreateUserAsync("admin@t.org", Roles.Admin);
            await app.CreateUserAsync("pt@t.org", Roles.Clinician);
            var client = await app.SignedInAsync("pt@t.org");
            var created = await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Pg Hopper", birthYear = 1990, sex = "female" });
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var posted = await client.PostAsJsonAsync($"/api/v1/athletes/{id}/strength-tests", new { exercise = "timed-hop", testedOn = RecentDates.Moved("2026-11-10"), results = SlowerInvolved });
            posted.StatusCode.ShouldBe(HttpStatusCode.Created, await posted.Content.ReadAsStringAsync());
            var involved = (await posted.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Single(r => r.GetProperty("involved").GetBoolean()).GetProperty("id").GetGuid();
            var progress = await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/progress/strength");
            progress.GetProperty("latestHopLsi").GetDouble().ShouldBe(88.0); // 2.2 / 2.5

            var put = await client.PutAsJsonAsync($"/api/v1/athletes/{id}/strength-tests/{involved}", new { exercise = "timed-hop", limb = "right-leg", involved = true, hopTimeSeconds = 2.75 });
            put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
            progress = await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/progress/strength");
            progress.GetProperty("latestHopLsi").GetDouble().ShouldBe(80.0); // 2.2 / 2.75
            var history = await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests/{involved}/revisions");
            history.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("record").GetProperty("hopTimeSeconds").GetDouble()).ShouldBe([2.75, 2.5]);
        });

    private async Task<double?> LsiAsync(Guid id)
    {
        var progress = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/progress/strength");
        var series = progress.GetProperty("lsi").EnumerateArray().Where(s => s.GetProperty("exercise").GetString() == "timed-hop").ToList();
        return series.Count == 0 ? null : series[0].GetProperty("points").EnumerateArray().Last().GetProperty("percent").GetDouble();
    }

    private static StrengthTestRecord Row(string exercise, Core.Limbs.Limb limb, bool involved, double? kg = null, double? time = null) => new()
    {
        Id = Guid.NewGuid(), Exercise = exercise, Limb = limb, Involved = involved, TestedOn = new DateOnly(2026, 11, 10), MeasuredOneRepMaxKg = kg, HopTimeSeconds = time,
    };

    private Task<HttpResponseMessage> PostAsync(Guid athleteId, string exercise, string on, object[] results, int? pain = null)
        => world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/strength-tests", new { exercise, testedOn = on, results, painScore = pain });
}
