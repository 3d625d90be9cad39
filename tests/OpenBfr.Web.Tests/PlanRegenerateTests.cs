using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Data;

namespace OpenBfr.Web.Tests;

/// <summary>
/// A plan generated again with its own settings, so tests and LOPs recorded after it take effect:
/// the status (what changed since), the API, the page's button and its form filled in with the
/// latest plan's settings.
/// </summary>
public sealed class PlanRegenerateTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    // Achilles tendinopathy, right: "return to running" needs pain < 2 and strength LSI > 70% (Rambaud 2018).
    private static readonly object Plan = new
    {
        weeklyKm = 30, start = RecentDates.Moved("2026-12-07"), weeks = 2, availableDays = new[] { "mon", "tue", "thu", "sat", "sun" }, keyWorkoutDays = new[] { "tue" }, longRunDay = "sun",
        injury = "achilles-tendinopathy", injuryDate = RecentDates.Moved("2026-10-01"), injurySide = "right",
    };

    [Fact]
    public async Task Regenerate_TestRecordedAfterThePlan_SameSettingsAndTheTestTakesEffect()
    {
        var id = await world.NewAthleteAsync();
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", Plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await PlanAsync(id)).ShouldContain("no LSI recorded");
        var fresh = await StatusAsync(id);
        fresh.GetProperty("stale").GetBoolean().ShouldBeFalse();
        fresh.GetProperty("changes").GetArrayLength().ShouldBe(0);

        // Calf raise, involved right 34 kg × 10 against 40 kg × 10: LSI 85%, pain 1/10 — one test, two rows.
        (await RecordAsync(id, "calf-raise", RecentDates.Moved("2026-11-16"), [Side("right-leg", true, 34, 10), Side("left-leg", false, 40, 10)], pain: 1)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var stale = await StatusAsync(id);
        stale.GetProperty("stale").GetBoolean().ShouldBeTrue();
        stale.GetProperty("changes").EnumerateArray().Select(c => c.GetString()).ShouldBe([$"a test was recorded after it (calf-raise, {RecentDates.Moved("2026-11-16")})"]);
        (await PlanAsync(id)).ShouldContain("no LSI recorded"); // nothing changes by itself

        var again = await world.Clinician.PostAsync($"/api/v1/athletes/{id}/plan/regenerate", null);
        again.StatusCode.ShouldBe(HttpStatusCode.Created, await again.Content.ReadAsStringAsync());
        var after = await PlanAsync(id);
        after.ShouldContain("Rehab 2/3: Return to running");
        after.ShouldContain("calf-raise 36–39 kg"); // 80–85% of the involved side's Epley 45.3 kg
        var current = await StatusAsync(id);
        current.GetProperty("stale").GetBoolean().ShouldBeFalse();

        // The same settings, field for field; the earlier plan is kept.
        var inputs = current.GetProperty("inputs");
        inputs.GetProperty("weeklyKm").GetDouble().ShouldBe(30);
        inputs.GetProperty("start").GetString().ShouldBe(RecentDates.Moved("2026-12-07"));
        inputs.GetProperty("weeks").GetInt32().ShouldBe(2);
        inputs.GetProperty("availableDays").EnumerateArray().Select(d => d.GetString()).ShouldBe(["mon", "tue", "thu", "sat", "sun"]);
        inputs.GetProperty("keyWorkoutDays").EnumerateArray().Select(d => d.GetString()).ShouldBe(["tue"]);
        inputs.GetProperty("longRunDay").GetString().ShouldBe("sun");
        inputs.GetProperty("injury").GetString().ShouldBe("achilles-tendinopathy");
        inputs.GetProperty("injuryDate").GetString().ShouldBe(RecentDates.Moved("2026-10-01"));
        inputs.GetProperty("injurySide").GetString().ShouldBe("right");
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        (await db.Plans.CountAsync(p => p.AthleteId == id)).ShouldBe(2);
    }

    [Fact]
    public async Task PlanStatus_CorrectionDeletionAndLop_EachListed()
    {
        var id = await world.NewAthleteAsync();
        var rows = await (await RecordAsync(id, "leg-press", RecentDates.Moved("2026-11-10"), [Side("right-leg", true, 60, 10), Side("left-leg", false, 75, 10)], pain: 2)).Content.ReadFromJsonAsync<JsonElement>();
        var step = await (await RecordAsync(id, "step-up", RecentDates.Moved("2026-11-11"), [Side("right-leg", true, 20, 10)], pain: 2)).Content.ReadFromJsonAsync<JsonElement>();
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", Plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await StatusAsync(id)).GetProperty("stale").GetBoolean().ShouldBeFalse();

        var right = rows.EnumerateArray().Single(r => r.GetProperty("limb").GetString() == "right-leg").GetProperty("id").GetGuid();
        (await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/strength-tests/{right}",
            new { exercise = "leg-press", testedOn = RecentDates.Moved("2026-11-10"), limb = "right-leg", involved = true, loadKg = 65, reps = 10, painScore = 2 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.Clinician.DeleteAsync($"/api/v1/athletes/{id}/strength-tests/{step[0].GetProperty("id").GetGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/lop", new { limb = "right-leg", position = "standing", cuffWidthCm = 11.5, lopMmHg = 230 }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        // A correction that copies the shared fields to the other side is still one corrected test.
        (await StatusAsync(id)).GetProperty("changes").EnumerateArray().Select(c => c.GetString()).ShouldBe([
            "a test was corrected after it",
            "a test was deleted after it",
            "a LOP was recorded after it (right-leg, standing)",
        ]);
        var page = await world.Clinician.GetStringAsync($"/Athletes/{id}");
        page.ShouldContain("id=\"plan-stale\"");
        page.ShouldContain("a test was corrected after it; a test was deleted after it; a LOP was recorded after it (right-leg, standing)");
    }

    [Fact]
    public async Task PlanStatus_LopCorrectedAndAnotherWithdrawn_BothListedAndTheNextPlanDropsTheWithdrawnOne()
    {
        var id = await world.NewAthleteAsync();
        var left = await LopAsync(id, "left-leg", 200);
        var right = await LopAsync(id, "right-leg", 260);
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", Plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await StatusAsync(id)).GetProperty("stale").GetBoolean().ShouldBeFalse();

        (await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/lop/{left}", new { lopMmHg = 190 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.Clinician.DeleteAsync($"/api/v1/athletes/{id}/lop/{right}?reason=typed%20260%20for%20160")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await StatusAsync(id)).GetProperty("changes").EnumerateArray().Select(c => c.GetString()).ShouldBe(["a LOP was corrected after it", "a LOP was withdrawn after it"]);

        (await world.Clinician.PostAsync($"/api/v1/athletes/{id}/plan/regenerate", null)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await StatusAsync(id)).GetProperty("stale").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Regenerate_NoPlanYet_400NamesThePlan()
    {
        var id = await world.NewAthleteAsync();
        (await world.Clinician.GetAsync($"/api/v1/athletes/{id}/plan/status")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var response = await world.Clinician.PostAsync($"/api/v1/athletes/{id}/plan/regenerate", null);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("plan")[0].GetString()
            .ShouldBe("there is no plan to generate again: generate one with the form first");
    }

    [Fact]
    public async Task Page_RegenerateButton_GeneratesAgainAndTheWarningGoes()
    {
        var id = await world.NewAthleteAsync();
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", Plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await RecordAsync(id, "calf-raise", RecentDates.Moved("2026-11-16"), [Side("right-leg", true, 34, 10), Side("left-leg", false, 40, 10)], pain: 1)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var page = $"/Athletes/{id}";
        (await world.Clinician.GetStringAsync(page)).ShouldContain("id=\"plan-stale\"");

        var token = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page);
        var post = await world.Clinician.PostAsync($"{page}?handler=RegeneratePlan", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        post.StatusCode.ShouldBe(HttpStatusCode.Redirect, await post.Content.ReadAsStringAsync());

        var html = await world.Clinician.GetStringAsync(page);
        html.ShouldContain("Plan generated again with the same settings.");
        html.ShouldNotContain("id=\"plan-stale\"");
        html.ShouldContain("Rehab 2/3: Return to running");
    }

    [Fact]
    public async Task Page_PlanForm_FilledInWithTheLatestPlansSettings()
    {
        var id = await world.NewAthleteAsync();
        var blank = await world.Clinician.GetStringAsync($"/Athletes/{id}");
        blank.ShouldNotContain("Filled in with the latest plan's settings.");
        blank.ShouldContain("name=\"weeklyKm\" type=\"number\" min=\"0\" max=\"300\" step=\"1\" value=\"40\"");

        var plan = new
        {
            weeklyKm = 22, start = RecentDates.Moved("2026-12-07"), weeks = 6, availableDays = new[] { "mon", "wed", "fri", "sat" }, keyWorkoutDays = new[] { "wed" }, longRunDay = "sat",
            goalDistance = "10k", goalDate = RecentDates.Moved("2027-01-17"), injury = "meniscus-repair", injuryDate = RecentDates.Moved("2026-10-20"), injurySide = "left",
        };
        var created = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", plan);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var html = await world.Clinician.GetStringAsync($"/Athletes/{id}");
        html.ShouldContain("Filled in with the latest plan's settings.");
        html.ShouldContain("name=\"weeklyKm\" type=\"number\" min=\"0\" max=\"300\" step=\"1\" value=\"22\"");
        html.ShouldContain("name=\"weeks\" type=\"number\" min=\"1\" max=\"52\" value=\"6\"");
        Checked(html, "availableDays").ShouldBe(["mon", "wed", "fri", "sat"]);
        Checked(html, "keyWorkoutDays").ShouldBe(["wed"]);
        html.ShouldContain("<option selected=\"selected\">sat</option>");
        html.ShouldContain("<option selected=\"selected\">10k</option>");
        html.ShouldContain($"name=\"goalDate\" type=\"date\" value=\"{RecentDates.Moved("2027-01-17")}\"");
        html.ShouldContain("<option selected=\"selected\">meniscus-repair</option>");
        html.ShouldContain($"name=\"injuryDate\" type=\"date\" value=\"{RecentDates.Moved("2026-10-20")}\"");
        html.ShouldContain("<option selected=\"selected\">left</option>");
    }

    /// <summary>The values of the checked checkboxes named <paramref name="name"/>, in page order.</summary>
    private static List<string> Checked(string html, string name)
        => System.Text.RegularExpressions.Regex.Matches(html, $"<input type=\"checkbox\" name=\"{name}\" value=\"(\\w+)\"( checked=\"checked\")? />")
            .Where(m => m.Groups[2].Success).Select(m => m.Groups[1].Value).ToList();

    private async Task<Guid> LopAsync(Guid athleteId, string limb, double mmHg)
    {
        var created = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/lop", new { limb, position = "seated", cuffWidthCm = 11.5, lopMmHg = mmHg });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static object Side(string limb, bool involved, double kg, int reps) => new { limb, involved, loadKg = kg, reps };

    private Task<HttpResponseMessage> RecordAsync(Guid athleteId, string exercise, string on, object[] results, int? pain = null)
        => world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/strength-tests", new { exercise, testedOn = on, results, painScore = pain });

    private async Task<string> PlanAsync(Guid athleteId) => (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{athleteId}/plan")).ToString();

    private Task<JsonElement> StatusAsync(Guid athleteId) => world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{athleteId}/plan/status");
}
