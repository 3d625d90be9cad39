using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Metrics;
using OpenBfr.Core.Screening;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Tests;

/// <summary>One app with an admin, a clinician and an athlete account linked to the clinician.</summary>
public sealed class StrengthWorld : IAsyncLifetime
{
    public WebAppFactory App { get; } = new();

    public HttpClient Clinician { get; private set; } = null!;

    public HttpClient Athlete { get; private set; } = null!;

    public Guid AthleteId { get; private set; }

    public string ClinicianUserId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await App.CreateUserAsync("admin@t.org", Roles.Admin);
        var clinician = await App.CreateUserAsync("pt@t.org", Roles.Clinician);
        var athlete = await App.CreateUserAsync("runner@t.org", Roles.Athlete);
        ClinicianUserId = clinician.Id;
        var directory = App.Services.GetRequiredService<AthleteDirectory>();
        var a = await directory.CreateForAccountAsync(athlete.Id, new NewAthlete("Rita Runner", 1990, "female", "Achilles tendinopathy, right"));
        await directory.LinkClinicianAsync(new Viewer(athlete.Id, false, false, true), a.Id, clinician.Id);
        AthleteId = a.Id;
        Clinician = await App.SignedInAsync("pt@t.org");
        Athlete = await App.SignedInAsync("runner@t.org");
    }

    /// <summary>A new athlete of the clinician's (no account), for tests that need a clean record.</summary>
    public async Task<Guid> NewAthleteAsync()
    {
        var created = await Clinician.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Fresh Runner", birthYear = 1985, sex = "male" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>
    /// A new athlete of the clinician's, screened by the clinician (stored as the page stores it) with
    /// <paramref name="yesItems"/> answered yes and every other item no, at 124/80 mmHg.
    /// </summary>
    public async Task<Guid> NewScreenedAthleteAsync(int ageYears, params string[] yesItems)
    {
        var id = await NewAthleteAsync();
        var answers = Questionnaire.Default.YesNoItems.ToDictionary(i => i.Id, i => yesItems.Contains(i.Id) ? ItemAnswer.YesAnswer : ItemAnswer.No);
        var given = new ScreeningAnswers(ageYears, 124, 80, answers);
        await App.Services.GetRequiredService<ScreeningService>().SaveAsync(new Viewer(ClinicianUserId, false, true, false), id, ScreeningAnswerText.Write(given),
            Screener.Evaluate(given).Limbs.ToDictionary(l => l.Limb, l => new LimbOutcome(l.Eligibility.ToString(), l.ReasonIds)));
        return id;
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class StrengthTestApiTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    [Fact]
    public async Task ProgressStrength_KnownLoads_MatchCoreEpleyBrzyckiAndLsi()
    {
        var id = await world.NewAthleteAsync();
        // Involved right leg 60 kg × 10, uninvolved left 75 kg × 10; then 100 kg × 5 against 110 kg × 5 two weeks later.
        (await PostAsync(id, "leg-press", RecentDates.Moved("2026-10-05"), [Side("right-leg", true, 60, 10), Side("left-leg", false, 75, 10)])).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await PostAsync(id, "leg-press", RecentDates.Moved("2026-10-19"), [Side("right-leg", true, 100, 5), Side("left-leg", false, 110, 5)])).StatusCode.ShouldBe(HttpStatusCode.Created);

        var progress = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/progress/strength");
        var right = Series(progress.GetProperty("oneRepMax"), "leg-press", "right-leg");
        right.GetProperty("involved").GetBoolean().ShouldBeTrue();
        var points = right.GetProperty("points").EnumerateArray().ToList();
        points.Select(p => p.GetProperty("date").GetString()).ShouldBe([RecentDates.Moved("2026-10-05"), RecentDates.Moved("2026-10-19")]);
        // Epley 1985: 60 × (1 + 10/30) = 80 kg; 100 × (1 + 5/30) = 116.7 kg.
        points[0].GetProperty("value").GetDouble().ShouldBe(Math.Round(Core.Metrics.Strength.EstimateOneRepMax(60, 10).EpleyKg, 1));
        points[0].GetProperty("value").GetDouble().ShouldBe(80);
        points[1].GetProperty("value").GetDouble().ShouldBe(116.7);

        var lsi = progress.GetProperty("lsi").EnumerateArray().Single(s => s.GetProperty("exercise").GetString() == "leg-press");
        lsi.GetProperty("strength").GetBoolean().ShouldBeTrue();
        var lsiPoints = lsi.GetProperty("points").EnumerateArray().ToList();
        // 80 / 100 × 100 = 80%; (100·(1+5/30)) / (110·(1+5/30)) × 100 = 90.9%.
        lsiPoints[0].GetProperty("percent").GetDouble().ShouldBe(Core.Metrics.Strength.LimbSymmetryIndex(80, 100));
        lsiPoints[0].GetProperty("percent").GetDouble().ShouldBe(80);
        lsiPoints[1].GetProperty("percent").GetDouble().ShouldBe(Math.Round(Core.Metrics.Strength.LimbSymmetryIndex(Core.Metrics.Strength.EstimateOneRepMax(100, 5).EpleyKg, Core.Metrics.Strength.EstimateOneRepMax(110, 5).EpleyKg), 1));
        lsiPoints[1].GetProperty("percent").GetDouble().ShouldBe(90.9);
        lsiPoints[1].GetProperty("uninvolved").GetDouble().ShouldBe(128.3);

        // The gates come from the core: start running > 70%, return to sport ≥ 90%.
        var gates = progress.GetProperty("gates").EnumerateArray().ToList();
        gates.Select(g => (g.GetProperty("name").GetString(), g.GetProperty("percent").GetDouble())).ShouldBe(
            ReturnToRunGate.Defaults.Select(g => ((string?)g.Name, g.MinLimbSymmetryPercent)));
        gates.Select(g => g.GetProperty("percent").GetDouble()).ShouldContain(90);
        progress.GetProperty("latestStrengthLsi").GetDouble().ShouldBe(90.9);
        // No pain recorded: no gate is met, and the reason says so.
        var status = progress.GetProperty("latestGates").EnumerateArray().ToList();
        status.ShouldAllBe(s => !s.GetProperty("met").GetBoolean());
        status[0].GetProperty("unmet")[0].GetString()!.ShouldContain("no pain score recorded");
    }

    [Fact]
    public async Task StrengthRead_ByLinkedClinician_IsAudited_ButOwnReadIsNot()
    {
        (await world.Clinician.GetAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.Clinician.GetAsync($"/api/v1/athletes/{world.AthleteId}/progress/strength")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.Athlete.GetAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfr.Data.OpenBfrDbContext>>().CreateDbContextAsync();
        var list = await db.AuditLog.Where(e => e.AthleteId == world.AthleteId && (e.Action == "strength.read" || e.Action == "progress.read")).ToListAsync();
        list.ShouldContain(e => e.ActorUserId == world.ClinicianUserId && e.Action == "strength.read");
        list.ShouldContain(e => e.ActorUserId == world.ClinicianUserId && e.Action == "progress.read");
        list.ShouldAllBe(e => e.ActorUserId == world.ClinicianUserId);
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheStrengthAndClearanceEndpoints()
    {
        var paths = (await world.Clinician.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");
        foreach (var path in new[] { "/api/v1/athletes/{athleteId}/strength-tests", "/api/v1/athletes/{athleteId}/progress/strength", "/api/v1/strength-exercises",
            "/api/v1/athletes/{athleteId}/screening/clearances" })
        {
            paths.TryGetProperty(path, out _).ShouldBeTrue(path);
        }
        paths.GetProperty("/api/v1/athletes/{athleteId}/strength-tests").TryGetProperty("post", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task StrengthTests_List_CarriesBothEquations()
    {
        var id = await world.NewAthleteAsync();
        (await PostAsync(id, "squat", RecentDates.Moved("2026-11-02"), [new { limb = "both", loadKg = 100, reps = 5 }])).StatusCode.ShouldBe(HttpStatusCode.Created);
        var list = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests");
        var row = list.EnumerateArray().Single();
        row.GetProperty("limb").ValueKind.ShouldBe(JsonValueKind.Null);
        // Epley 100 × (1 + 5/30) = 116.7; Brzycki 100 × 36 / 32 = 112.5 (DESIGN.md section 3).
        row.GetProperty("epleyKg").GetDouble().ShouldBe(116.7);
        row.GetProperty("brzyckiKg").GetDouble().ShouldBe(112.5);
        row.GetProperty("oneRepMaxKg").GetDouble().ShouldBe(116.7);
    }

    [Fact]
    public async Task ProgressStrength_HopPairAndMeasured1Rm_UsesDistanceAndTheMeasuredValue()
    {
        var id = await world.NewAthleteAsync();
        (await PostAsync(id, "single-leg-hop", RecentDates.Moved("2026-11-03"), [new { limb = "left-leg", involved = true, hopDistanceCm = 117 }, new { limb = "right-leg", hopDistanceCm = 150 }]))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await PostAsync(id, "knee-extension", RecentDates.Moved("2026-11-03"), [new { limb = "left-leg", involved = true, oneRepMaxKg = 42, loadKg = 30, reps = 12 }, new { limb = "right-leg", oneRepMaxKg = 60 }]))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var progress = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/progress/strength");
        var lsi = progress.GetProperty("lsi").EnumerateArray().ToDictionary(s => s.GetProperty("exercise").GetString()!);
        lsi["single-leg-hop"].GetProperty("unit").GetString().ShouldBe("cm");
        lsi["single-leg-hop"].GetProperty("strength").GetBoolean().ShouldBeFalse();
        lsi["single-leg-hop"].GetProperty("points")[0].GetProperty("percent").GetDouble().ShouldBe(78); // 117 / 150
        lsi["knee-extension"].GetProperty("points")[0].GetProperty("percent").GetDouble().ShouldBe(70); // measured 42 / 60, not Epley's 42
        // The strength LSI (not the hop's, which is reported apart) is what starting to run reads: 70% is not "> 70%".
        progress.GetProperty("latestStrengthLsi").GetDouble().ShouldBe(70);
        progress.GetProperty("latestHopLsi").GetDouble().ShouldBe(78);
    }

    [Theory]
    [InlineData("""{"exercise":"leg-press","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","loadKg":50,"reps":13}]}""", "results[0].reps", "1–12")]
    [InlineData("""{"exercise":"leg-press","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","loadKg":0,"reps":8}]}""", "results[0].loadKg", "was 0")]
    [InlineData("""{"exercise":"leg-press","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","loadKg":1200,"reps":8}]}""", "results[0].loadKg", "1000")]
    [InlineData("""{"exercise":"leg-press","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","loadKg":50}]}""", "results[0].reps", "1–12")]
    [InlineData("""{"exercise":"deadlift","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","loadKg":50,"reps":5}]}""", "exercise", "leg-press")]
    [InlineData("""{"exercise":"leg-press","testedOn":"2999-01-01","results":[{"limb":"right-leg","loadKg":50,"reps":5}]}""", "testedOn", "2999-01-01")]
    [InlineData("""{"exercise":"leg-press","testedOn":"{moved:2026-11-01}","painScore":11,"results":[{"limb":"right-leg","loadKg":50,"reps":5}]}""", "painScore", "0–10, was 11")]
    [InlineData("""{"exercise":"leg-press","testedOn":"{moved:2026-11-01}","results":[]}""", "results", "1–2")]
    [InlineData("""{"exercise":"leg-press","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","loadKg":50,"reps":5},{"limb":"right-leg","loadKg":50,"reps":5}]}""", "results[1].limb", "left-leg")]
    [InlineData("""{"exercise":"leg-press","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","involved":true,"loadKg":50,"reps":5},{"limb":"left-leg","involved":true,"loadKg":50,"reps":5}]}""", "results[1].involved", "only one side")]
    [InlineData("""{"exercise":"leg-press","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-arm","loadKg":50,"reps":5}]}""", "results[0].limb", "a leg")]
    [InlineData("""{"exercise":"single-leg-hop","testedOn":"{moved:2026-11-01}","results":[{"limb":"right-leg","loadKg":50,"reps":5}]}""", "results[0].loadKg", "hop test")]
    [InlineData("""{"exercise":"single-leg-hop","testedOn":"{moved:2026-11-01}","results":[{"limb":"both","hopDistanceCm":120}]}""", "results[0].limb", "one limb")]
    [InlineData("""{"exercise":"single-leg-hop","testedOn":"{moved:2026-11-01}","results":[{"limb":"left-leg","hopDistanceCm":5000}]}""", "results[0].hopDistanceCm", "10–1500 cm, was 5000")]
    [InlineData("""{"exercise":"calf-raise","testedOn":"{moved:2026-11-01}","results":[{"limb":"left-leg"}]}""", "results[0].loadKg", "oneRepMaxKg")]
    [InlineData("""{"exercise":"calf-raise","testedOn":"{moved:2026-11-01}","stageClearance":true,"results":[{"limb":"left-leg","loadKg":20,"reps":10}]}""", "stageClearance", "clinician")]
    public async Task RecordStrengthTest_BadInput_ProblemDetailsNameFieldAndAllowedRange(string body, string field, string allowed)
    {
        // The athlete records on their own record (stageClearance is the clinician's to give).
        using var response = await world.Athlete.PostAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests",
            new StringContent(RecentDates.Fill(body), System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty(field, out var messages).ShouldBeTrue(errors.ToString());
        messages[0].GetString()!.ShouldContain(allowed);
        messages[0].GetString()!.ShouldContain(field.Split('.')[^1]);
    }

    [Fact]
    public async Task RecordStrengthTest_Reps13_MessageIsTheCoresRangeWithTheValue()
    {
        using var response = await PostAsync(world.AthleteId, "leg-press", RecentDates.Moved("2026-11-01"), [Side("right-leg", true, 50, 13)], world.Athlete);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("results[0].reps")[0].GetString();
        message.ShouldBe("results[0].reps must be 1–12 repetitions (the equations are not valid beyond 12), was 13");
    }

    [Fact]
    public async Task CreatePlan_AfterRecordedTests_GateReadsTheirLsiAndPainAndDosesFromThe1Rm()
    {
        var id = await world.NewAthleteAsync();
        var plan = new
        {
            weeklyKm = 30, start = RecentDates.Moved("2026-12-07"), weeks = 2, availableDays = new[] { "mon", "tue", "thu", "sat", "sun" }, keyWorkoutDays = new[] { "tue" }, longRunDay = "sun",
            injury = "achilles-tendinopathy", injuryDate = RecentDates.Moved("2026-10-01"), injurySide = "right",
        };
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = (await world.Clinician.GetStringAsync($"/api/v1/athletes/{id}/plan"));
        before.ShouldContain("no LSI recorded"); // Achilles pathway: "return to running" needs pain < 2 and LSI > 70%

        // Calf raise: involved right 34 kg × 10 against 40 kg × 10 → LSI 85%, pain 1/10 (Rambaud 2018 gate: met).
        (await PostAsync(id, "calf-raise", RecentDates.Moved("2026-11-16"), [Side("right-leg", true, 34, 10), Side("left-leg", false, 40, 10)], pain: 1)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var after = (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/plan")).ToString();
        after.ShouldNotContain("no LSI recorded");
        after.ShouldContain("Rehab 2/3: Return to running");
        after.ShouldContain($"strength LSI ≥ 90% (was 85% on {RecentDates.Moved("2026-11-16")})"); // the next gate reads the recorded LSI
        // Heavy strength at 80–85% of the involved calf's 1RM: Epley 34 × (1 + 10/30) = 45.3 kg → 36–39 kg.
        after.ShouldContain("calf-raise 36–39 kg");
    }

    [Fact]
    public async Task CreatePlan_PostOpCheckInWithStageClearance_OpensTheClearanceGate()
    {
        var id = await world.NewAthleteAsync();
        var plan = new
        {
            weeklyKm = 0, start = RecentDates.Moved("2026-12-07"), weeks = 1, availableDays = new[] { "mon", "wed", "fri", "sat" }, keyWorkoutDays = Array.Empty<string>(),
            injury = "meniscus-repair", injuryDate = RecentDates.Moved("2026-11-02"), injurySide = "left",
        };
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/plan")).ToString();
        before.ShouldContain("clinician clearance (none recorded)");
        before.ShouldNotContain("Rehab 1/5: Early post-op");

        // Nothing to test three weeks after the operation: a check-in records pain and the clinician's decision.
        var checkIn = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/strength-tests", new { exercise = "check-in", testedOn = RecentDates.Moved("2026-11-20"), painScore = 3, stageClearance = true });
        checkIn.StatusCode.ShouldBe(HttpStatusCode.Created, await checkIn.Content.ReadAsStringAsync());
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var after = (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/plan")).ToString();
        after.ShouldNotContain("clinician clearance (none recorded)");
        after.ShouldContain("Rehab 1/5: Early post-op");
        (await world.Clinician.GetStringAsync($"/Athletes/{id}")).ShouldNotContain("id=\"plan-stale\"");

        // A test recorded after the plan: the page says the plan does not use it yet.
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/strength-tests", new { exercise = "check-in", testedOn = RecentDates.Moved("2026-11-21"), painScore = 2 }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await world.Clinician.GetStringAsync($"/Athletes/{id}")).ShouldContain("id=\"plan-stale\"");

        // A check-in adds no 1RM or LSI points.
        var progress = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/progress/strength");
        progress.GetProperty("oneRepMax").GetArrayLength().ShouldBe(0);
        progress.GetProperty("latestPain").GetInt32().ShouldBe(2);

        var empty = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/strength-tests", new { exercise = "check-in", testedOn = RecentDates.Moved("2026-11-20") });
        (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("painScore")[0].GetString()!.ShouldContain("stageClearance");
    }

    private static object Side(string limb, bool involved, double kg, int reps) => new { limb, involved, loadKg = kg, reps };

    private Task<HttpResponseMessage> PostAsync(Guid athleteId, string exercise, string on, object[] results, HttpClient? client = null, int? pain = null)
        => (client ?? world.Clinician).PostAsJsonAsync($"/api/v1/athletes/{athleteId}/strength-tests", new { exercise, testedOn = on, results, painScore = pain });

    private static JsonElement Series(JsonElement list, string exercise, string limb)
        => list.EnumerateArray().Single(s => s.GetProperty("exercise").GetString() == exercise && s.GetProperty("limb").GetString() == limb);
}

public sealed class ItemClearanceTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    /// <summary>A screening answered yes to diabetes and varicose veins (both NeedsClearance, all limbs), stored as the page stores it.</summary>
    private Task<Guid> AthleteNeedingTwoClearancesAsync() => world.NewScreenedAthleteAsync(41, "diabetes", "varicose-veins");

    [Fact]
    public async Task ClearOneItemOnOneLimb_OnlyThatLimbBecomesEligible_OtherItemStaysPending()
    {
        var id = await AthleteNeedingTwoClearancesAsync();
        var screening = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening");
        screening.GetProperty("overall").GetString().ShouldBe("NeedsClearance");
        screening.GetProperty("pending").EnumerateArray().Select(p => p.GetProperty("itemId").GetString()).Order().ShouldBe(["diabetes", "varicose-veins"]);

        // Diabetes cleared on every limb: varicose veins still needs clearance everywhere.
        var first = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances", new { itemId = "diabetes", note = "HbA1c 6.1%, well controlled" });
        first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clinician").GetString().ShouldBe("pt");
        screening = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening");
        Outcomes(screening).Values.ShouldAllBe(o => o == "NeedsClearance");

        // Varicose veins cleared on the left leg only: the left leg is eligible (conservatively), the rest are not.
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances", new { itemId = "varicose-veins", limb = "left-leg", note = "duplex normal on the left" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        screening = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening");
        var outcomes = Outcomes(screening);
        outcomes["left-leg"].ShouldBe("Eligible");
        outcomes["right-leg"].ShouldBe("NeedsClearance");
        outcomes["left-arm"].ShouldBe("NeedsClearance");
        screening.GetProperty("limbs").GetProperty("left-leg").GetProperty("cleared").GetBoolean().ShouldBeTrue();
        var pending = screening.GetProperty("pending").EnumerateArray().Single();
        pending.GetProperty("itemId").GetString().ShouldBe("varicose-veins");
        pending.GetProperty("limbs").EnumerateArray().Select(l => l.GetString()).ShouldBe(["left-arm", "right-arm", "right-leg"]);
        screening.GetProperty("clearances").GetArrayLength().ShouldBe(2);
        (await DashboardFlagsAsync(id)).ShouldContain("needs clearance");

        // The gate follows: a prescription on the left leg is conservative, on the right leg it is one too but a session cannot start there.
        var gate = world.App.Services.GetRequiredService<ScreeningService>();
        (await gate.GateAsync(id, Limb.LeftLeg)).ShouldBe(new ScreeningGate(null, true, true));
        (await gate.GateAsync(id, Limb.RightLeg)).SessionRefusal.ShouldNotBeNull();
    }

    [Fact]
    public async Task ItemClearance_BadInput_NamesFieldAndAllowed()
    {
        var id = await AthleteNeedingTwoClearancesAsync();
        var notClearable = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances", new { itemId = "vte-history", note = "no" });
        notClearable.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await notClearable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("itemId")[0].GetString()!.ShouldContain("diabetes");

        var notPending = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances", new { itemId = "recent-surgery", note = "n/a" });
        (await notPending.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("itemId")[0].GetString()!.ShouldContain("pending: varicose-veins, diabetes");

        var badLimb = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances", new { itemId = "diabetes", limb = "tail", note = "ok" });
        (await badLimb.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("limb")[0].GetString()!.ShouldContain("left-arm, right-arm, left-leg, right-leg");

        var noNote = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances", new { itemId = "diabetes", note = " " });
        (await noNote.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("note")[0].GetString()!.ShouldContain("1–300 characters");

        var future = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances", new { itemId = "diabetes", note = "ok", clearedOn = "2999-01-01" });
        (await future.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("clearedOn")[0].GetString()!.ShouldContain("2999-01-01");
    }

    [Fact]
    public async Task OldClearanceEndpoint_ClearsEveryPendingItemAsOneRowEach()
    {
        var id = await AthleteNeedingTwoClearancesAsync();
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearance", new { note = "Dr PT, reviewed both" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var screening = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening");
        screening.GetProperty("overall").GetString().ShouldBe("Eligible");
        screening.GetProperty("screenedOverall").GetString().ShouldBe("NeedsClearance");
        screening.GetProperty("cleared").GetBoolean().ShouldBeTrue();
        screening.GetProperty("clearances").EnumerateArray().Select(c => c.GetProperty("itemId").GetString()).Order().ShouldBe(["diabetes", "varicose-veins"]);
        screening.GetProperty("pending").GetArrayLength().ShouldBe(0);
        (await DashboardFlagsAsync(id)).ShouldNotContain("needs clearance");
    }

    private async Task<List<string>> DashboardFlagsAsync(Guid athleteId)
        => (await world.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/dashboard")).EnumerateArray()
            .Single(r => r.GetProperty("athleteId").GetGuid() == athleteId).GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToList();

    [Fact]
    public async Task LegacyOneNoteClearance_OnAReadableScreening_StillClearsEveryFinding()
    {
        var id = await AthleteNeedingTwoClearancesAsync();
        // As a version-2 database left it: the one clearance note on the screening row.
        // Three weeks ago: a clearance counts 12 months, so a fixed day would have failed a year on.
        var note = "Dr Old, " + RecentDates.Text(22);
        await using (var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfr.Data.OpenBfrDbContext>>().CreateDbContextAsync())
        {
            await db.Screenings.Where(x => x.AthleteId == id).ExecuteUpdateAsync(u => u
                .SetProperty(x => x.ClearedAt, RecentDates.DaysAgoAt(22, 9))
                .SetProperty(x => x.ClearedByUserId, world.ClinicianUserId)
                .SetProperty(x => x.ClearanceNote, note));
        }
        var screening = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening");
        Outcomes(screening).Values.ShouldAllBe(o => o == "Eligible");
        screening.GetProperty("cleared").GetBoolean().ShouldBeTrue();
        screening.GetProperty("pending").GetArrayLength().ShouldBe(0);
        screening.GetProperty("clearanceNote").GetString().ShouldBe(note);
        (await world.App.Services.GetRequiredService<ScreeningService>().GateAsync(id, Limb.RightArm)).ShouldBe(new ScreeningGate(null, true, true));
    }

    [Fact]
    public async Task ScreeningPage_StoresAnswersTheClearanceCanReadItemByItem()
    {
        var id = await world.NewAthleteAsync();
        var page = $"/Athletes/{id}/Screening";
        var token = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page);
        var form = Questionnaire.Default.YesNoItems.ToDictionary(i => $"q-{i.Id}", i => i.Id == "cancer-last-5-years" ? "yes" : "no");
        form["ageYears"] = "52";
        form["systolicMmHg"] = "128";
        form["diastolicMmHg"] = "82";
        form["__RequestVerificationToken"] = token;
        (await world.Clinician.PostAsync(page, new FormUrlEncodedContent(form))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var clearances = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening/clearances");
        clearances.GetProperty("perItem").GetBoolean().ShouldBeTrue();
        clearances.GetProperty("pending").EnumerateArray().Single().GetProperty("itemId").GetString().ShouldBe("cancer-last-5-years");
    }

    [Fact]
    public async Task AthletePage_ItemClearanceForm_ClearsThatItemOnThatLimb()
    {
        var id = await AthleteNeedingTwoClearancesAsync();
        var page = $"/Athletes/{id}";
        var html = await world.Clinician.GetStringAsync(page);
        html.ShouldContain("data-item=\"diabetes\"");
        var token = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page);
        var response = await world.Clinician.PostAsync(page + "?handler=ItemClearance", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["itemId"] = "diabetes", ["limb"] = "right-arm", ["note"] = "GP letter", ["clearedOn"] = RecentDates.Text(3), ["__RequestVerificationToken"] = token,
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var clearances = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening/clearances");
        var c = clearances.GetProperty("clearances").EnumerateArray().Single();
        (c.GetProperty("itemId").GetString(), c.GetProperty("limb").GetString(), c.GetProperty("clearedOn").GetString()).ShouldBe(("diabetes", "right-arm", RecentDates.Text(3)));

        // An athlete cannot clear (the page shows no form; a post is refused naming why).
        var athletePage = $"/Athletes/{world.AthleteId}";
        var athleteToken = await WebAppFactory.AntiforgeryTokenAsync(world.Athlete, athletePage);
        var refused = await world.Athlete.PostAsync(athletePage + "?handler=ItemClearance", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["itemId"] = "diabetes", ["note"] = "self-cleared", ["__RequestVerificationToken"] = athleteToken,
        }));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("only a clinician can record medical clearance");
    }

    private static Dictionary<string, string> Outcomes(JsonElement screening)
        => screening.GetProperty("limbs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("outcome").GetString()!);
}

public sealed class StrengthDemoAndPageTests : IDisposable
{
    private readonly WebAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task DemoSeed_InjuredRunner_LsiRisesFrom65To85OnEveryTest()
    {
        using (var scope = _app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<OpenBfr.Web.Demo.DemoSeeder>().SeedAsync();
        }
        var clinician = await _app.SignedInAsync(OpenBfr.Web.Demo.DemoSeeder.ClinicianEmail, OpenBfr.Web.Demo.DemoSeeder.Password);
        var athletes = await clinician.GetFromJsonAsync<JsonElement>("/api/v1/athletes");
        var tom = athletes.EnumerateArray().Single(a => a.GetProperty("injury").ValueKind == JsonValueKind.String).GetProperty("id").GetGuid();
        var progress = await clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{tom}/progress/strength");
        foreach (var exercise in new[] { "calf-raise", "single-leg-hop" })
        {
            var series = progress.GetProperty("lsi").EnumerateArray().Single(s => s.GetProperty("exercise").GetString() == exercise);
            series.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("percent").GetDouble()).ShouldBe([65, 75, 80, 85], exercise);
        }
        // The timed hop (uninvolved / involved time; the involved times are rounded to 0.01 s).
        var timed = progress.GetProperty("lsi").EnumerateArray().Single(s => s.GetProperty("exercise").GetString() == "timed-hop");
        timed.GetProperty("unit").GetString().ShouldBe("s");
        timed.GetProperty("points").EnumerateArray().Select(p => Math.Round(p.GetProperty("percent").GetDouble())).ShouldBe([65, 75, 80, 85]);
        progress.GetProperty("latestHopLsi").GetDouble().ShouldBe(85, 0.5);
        progress.GetProperty("latestGates").EnumerateArray().Select(g => g.GetProperty("met").GetBoolean()).ShouldBe([true, false]); // > 70% and pain 1 < 2; not yet ≥ 90%

        // The athlete page shows the tests and carries the same numbers for its charts.
        var html = await clinician.GetStringAsync($"/Athletes/{tom}");
        html.ShouldContain("id=\"chart-lsi\"");
        html.ShouldContain("id=\"chart-1rm\"");
        html.ShouldContain("start-running: <strong>met</strong>");
        var json = System.Text.RegularExpressions.Regex.Match(html, "<script type=\"application/json\" id=\"chart-data\">(.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        JsonDocument.Parse(json).RootElement.GetProperty("strength").GetProperty("lsi").ToString().ShouldBe(progress.GetProperty("lsi").ToString());
    }

    [Fact]
    public async Task AthletePage_StrengthForm_RecordsAPairAndShowsErrorsBesideTheForm()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        await _app.CreateUserAsync("pt@t.org", Roles.Clinician);
        var client = await _app.SignedInAsync("pt@t.org");
        var created = await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Page Runner", birthYear = 1990, sex = "female" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var page = $"/Athletes/{id}";

        async Task<HttpResponseMessage> PostAsync(Dictionary<string, string> form)
        {
            form["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(client, page);
            return await client.PostAsync(page + "?handler=Strength", new FormUrlEncodedContent(form));
        }

        var ok = await PostAsync(new() { ["exercise"] = "leg-press", ["testedOn"] = RecentDates.Moved("2026-11-10"), ["limbA"] = "left-leg", ["involvedA"] = "true", ["loadKgA"] = "60", ["repsA"] = "10",
            ["limbB"] = "right-leg", ["loadKgB"] = "75", ["repsB"] = "10", ["painScore"] = "1", ["stageClearance"] = "cleared" });
        ok.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var tests = await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests");
        tests.GetArrayLength().ShouldBe(2);
        tests.EnumerateArray().ShouldAllBe(t => t.GetProperty("stageClearance").GetBoolean());
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/progress/strength")).GetProperty("latestStrengthLsi").GetDouble().ShouldBe(80);

        var bad = await PostAsync(new() { ["exercise"] = "leg-press", ["testedOn"] = RecentDates.Moved("2026-11-10"), ["limbA"] = "left-leg", ["loadKgA"] = "60", ["repsA"] = "20" });
        bad.StatusCode.ShouldBe(HttpStatusCode.OK);
        System.Net.WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()).ShouldContain("results[0].reps must be 1–12 repetitions (the equations are not valid beyond 12), was 20");
    }
}

/// <summary>Strength tests and per-item clearances through the web app on the real PostgreSQL test server.</summary>
public sealed class StrengthPostgresTests
{
    [PostgresWebFact]
    public async Task StrengthAndItemClearance_OnPostgres_RoundTripThroughTheApi()
        => await ScratchPostgres.WithDatabaseAsync("openbfr_s_", async cs =>
        {
            using var app = new WebAppFactory(cs);
            await app.CreateUserAsync("admin@t.org", Roles.Admin);
            var pt = await app.CreateUserAsync("pt@t.org", Roles.Clinician);
            var client = await app.SignedInAsync("pt@t.org");
            var created = await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Pg Runner", birthYear = 1985, sex = "male" });
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

            (await client.PostAsJsonAsync($"/api/v1/athletes/{id}/strength-tests", new
            {
                exercise = "knee-extension", testedOn = RecentDates.Moved("2026-11-09"), painScore = 1, stageClearance = true,
                results = new object[] { new { limb = "left-leg", involved = true, loadKg = 45, reps = 8 }, new { limb = "right-leg", loadKg = 60, reps = 8 } },
            })).StatusCode.ShouldBe(HttpStatusCode.Created);
            var progress = await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/progress/strength");
            progress.GetProperty("latestStrengthLsi").GetDouble().ShouldBe(75); // 45 / 60 at the same reps
            progress.GetProperty("oneRepMax").EnumerateArray().Single(s => s.GetProperty("limb").GetString() == "left-leg")
                .GetProperty("points")[0].GetProperty("value").GetDouble().ShouldBe(57); // Epley 45 × (1 + 8/30)

            var answers = Questionnaire.Default.YesNoItems.ToDictionary(i => i.Id, i => i.Id == "chronic-kidney-disease" ? ItemAnswer.YesAnswer : ItemAnswer.No);
            var given = new ScreeningAnswers(41, 124, 80, answers);
            await app.Services.GetRequiredService<ScreeningService>().SaveAsync(new Viewer(pt.Id, false, true, false), id, ScreeningAnswerText.Write(given),
                Screener.Evaluate(given).Limbs.ToDictionary(l => l.Limb, l => new LimbOutcome(l.Eligibility.ToString(), l.ReasonIds)));
            (await client.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances", new { itemId = "chronic-kidney-disease", limb = "right-leg", note = "eGFR 70" }))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
            var screening = await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening");
            screening.GetProperty("limbs").GetProperty("right-leg").GetProperty("outcome").GetString().ShouldBe("Eligible");
            screening.GetProperty("limbs").GetProperty("left-leg").GetProperty("outcome").GetString().ShouldBe("NeedsClearance");
        });
}

public sealed class ScreeningAnswerTextTests
{
    /// <summary>Stored answers read back give the core's screener the same result, for seeded random answers.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void WriteThenTryRead_RandomAnswers_ScreenerGivesTheSameResult(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 50; n++)
        {
            var answers = Questionnaire.Default.YesNoItems.ToDictionary(i => i.Id, i => random.NextDouble() > 0.8
                ? i.IsLimbSpecific ? ItemAnswer.OnLimbs(LimbExtensions.All.Where(_ => random.NextDouble() > 0.5).DefaultIfEmpty(Limb.LeftLeg)) : ItemAnswer.YesAnswer
                : ItemAnswer.No);
            var systolic = random.Next(90, 200);
            var given = new ScreeningAnswers(random.Next(18, 90), systolic, random.Next(50, Math.Min(systolic, 120)), answers);
            var read = ScreeningAnswerText.TryRead(ScreeningAnswerText.Write(given)).ShouldNotBeNull($"seed {seed}, case {n}");
            var expected = Screener.Evaluate(given);
            var actual = Screener.Evaluate(read);
            actual.Limbs.Select(l => (l.Limb, l.Eligibility, string.Join(',', l.ReasonIds))).ShouldBe(
                expected.Limbs.Select(l => (l.Limb, l.Eligibility, string.Join(',', l.ReasonIds))), $"seed {seed}, case {n}");
        }
    }

    [Fact]
    public void TryRead_PageFormatBeforeVersion3_ReadsAllLimbsAndNamedLimbs()
    {
        var raw = Questionnaire.Default.YesNoItems.ToDictionary(i => i.Id, _ => "no");
        raw["open-wound-or-infection"] = "yes: all limbs";
        raw["dialysis-fistula"] = "yes: left-arm";
        raw["age"] = "44";
        raw["bloodPressure"] = "130/85";
        var read = ScreeningAnswerText.TryRead(raw).ShouldNotBeNull();
        read.Answers["open-wound-or-infection"].Limbs.Count.ShouldBe(4);
        read.Answers["dialysis-fistula"].Limbs.ShouldBe([Limb.LeftArm]);
        (read.AgeYears, read.SystolicMmHg, read.DiastolicMmHg).ShouldBe((44, 130, 85));
    }

    [Theory]
    [InlineData("demo", "all answers no")]
    [InlineData("age", "forty")]
    [InlineData("bloodPressure", "130-85")]
    [InlineData("diabetes", "maybe")]
    public void TryRead_IncompleteOrForeignText_IsNull(string key, string value)
    {
        var raw = Questionnaire.Default.YesNoItems.ToDictionary(i => i.Id, _ => "no");
        raw["age"] = "44";
        raw["bloodPressure"] = "130/85";
        if (key == "demo") raw.Remove("diabetes");
        raw[key] = value;
        ScreeningAnswerText.TryRead(raw).ShouldBeNull();
    }
}
