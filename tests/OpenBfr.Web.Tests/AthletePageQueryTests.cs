using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Tests;

/// <summary>
/// The athlete page reads the latest plan once (the plan and its status together) and the strength
/// tests and LOP records once (the plan status uses the rows the page lists), and still shows the
/// same status as the API's.
/// </summary>
public sealed class AthletePageQueryTests : IDisposable
{
    private readonly CommandCountingApp _counting = new();

    private WebAppFactory App => _counting.App;

    public void Dispose() => _counting.Dispose();

    [Fact]
    public async Task AthletePage_StalePlan_ReadsPlanTestsAndLopsOnce_AndShowsTheApisStatus()
    {
        await App.CreateUserAsync("admin@t.org", Roles.Admin);
        await App.CreateUserAsync("pt@t.org", Roles.Clinician);
        var client = await App.SignedInAsync("pt@t.org");
        using var created = await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Query Runner", birthYear = 1990, sex = "female" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await StrengthAsync(client, id, "leg-press", RecentDates.Moved("2026-11-10"));
        var plan = new { weeklyKm = 30, start = RecentDates.Moved("2026-12-07"), weeks = 2, availableDays = new[] { "mon", "tue", "thu", "sat", "sun" }, keyWorkoutDays = new[] { "tue" }, longRunDay = "sun" };
        (await client.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", plan)).StatusCode.ShouldBe(HttpStatusCode.Created);
        // After the plan: a test and a LOP, so its status lists changes read from both tables.
        await StrengthAsync(client, id, "calf-raise", RecentDates.Moved("2026-11-16"));
        (await client.PostAsJsonAsync($"/api/v1/athletes/{id}/lop", new { limb = "right-leg", position = "standing", cuffWidthCm = 11.5, lopMmHg = 230 }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var changes = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/plan/status")).GetProperty("changes").EnumerateArray().Select(c => c.GetString()).ToList();
        changes.ShouldBe([$"a test was recorded after it (calf-raise, {RecentDates.Moved("2026-11-16")})", "a LOP was recorded after it (right-leg, standing)"]);

        var before = _counting.Mark;
        var html = WebUtility.HtmlDecode(await client.GetStringAsync($"/Athletes/{id}"));
        var commands = _counting.CommandsSince(before);
        int Reading(string table) => commands.Count(c => c.Contains($"FROM \"{table}\"", StringComparison.Ordinal));

        Reading("Plans").ShouldBe(1, "the plan and its status from one read");
        Reading("StrengthTests").ShouldBe(1, "the status uses the tests the page lists");
        Reading("LopRecords").ShouldBe(1, "the status uses the LOP records the page lists");
        html.ShouldContain("id=\"plan-stale\"");
        html.ShouldContain(string.Join("; ", changes));
    }

    private static async Task StrengthAsync(HttpClient client, Guid athleteId, string exercise, string on)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/strength-tests",
            new { exercise, testedOn = on, results = new[] { new { limb = "right-leg", involved = true, loadKg = 40, reps = 10 } }, painScore = 1 });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
