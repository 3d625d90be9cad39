using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace OpenBfr.Web.Tests.Walkthrough;

/// <summary>A deload week's heading read "Week 4 · Base (deload) (deload) · 49 km": the planner's label already says deload.</summary>
public sealed class PlanDeloadHeadingTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    [Fact]
    public async Task Plan_DeloadWeek_HeadingSaysDeloadOnce()
    {
        var id = await world.NewScreenedAthleteAsync(40);
        var today = DateOnly.FromDateTime(TestToday.Clock.GetUtcNow().UtcDateTime);
        var monday = today.AddDays(((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7 is 0 ? 7 : ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7);
        var plan = new { weeklyKm = 40, start = monday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), weeks = 8, availableDays = new[] { "mon", "tue", "thu", "sat", "sun" }, keyWorkoutDays = new[] { "tue" }, longRunDay = "sun" };
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", plan)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var html = WebUtility.HtmlDecode(await world.Clinician.GetStringAsync($"/Athletes/{id}"));

        var headings = Regex.Matches(html, "<summary><h3>(Week \\d+ [^<]*)<span").Select(m => Regex.Replace(m.Groups[1].Value, "\\s+", " ").Trim()).ToList();
        headings.Count.ShouldBe(8);
        var deloads = headings.Where(h => h.Contains("deload", StringComparison.Ordinal)).ToList();
        deloads.ShouldNotBeEmpty("an 8-week plan has a deload week (every 4th, DESIGN section 4)");
        deloads.ShouldAllBe(h => Regex.Matches(h, "deload").Count == 1, string.Join(" | ", deloads));
    }
}
