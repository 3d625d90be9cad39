using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Data;
using OpenBfr.Data.Activities;

namespace OpenBfr.Web.Tests.Walkthrough;

/// <summary>
/// The planner states its reading of imported load in every plan built with history. The page showed
/// it as a warning also when it raised no flag ("… (0.8–1.5, no flag)"); now it is information then,
/// and a warning only when a flag is raised.
/// </summary>
public sealed class PlanLoadNoteTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    [Fact]
    public async Task PlanPage_ImportedLoadWithinRange_IsInformation()
    {
        var id = await world.NewScreenedAthleteAsync(40);
        var now = world.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // Six and a half weeks of 45 min every other day: ratios near 1.
        await RunsAsync(id, Enumerable.Range(0, 46).Where(d => d % 2 == 0).Select(d => (now.AddDays(-d), 45.0)));

        var notes = await PlanNotesAsync(id, now);

        var load = notes.Single(n => n.Text.StartsWith("imported load", StringComparison.Ordinal));
        load.Text.ShouldContain("no flag");
        load.Class.ShouldBe("info");
        load.Role.ShouldBe("note");
    }

    [Fact]
    public async Task PlanPage_ImportedLoadSpike_IsAWarning()
    {
        var id = await world.NewScreenedAthleteAsync(40);
        var now = world.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // Five weeks of 30 min every third day, then a week of 90 min every day: an acute spike.
        await RunsAsync(id, Enumerable.Range(8, 38).Where(d => d % 3 == 0).Select(d => (now.AddDays(-d), 30.0))
            .Concat(Enumerable.Range(0, 7).Select(d => (now.AddDays(-d), 90.0))));

        var notes = await PlanNotesAsync(id, now);

        var load = notes.Single(n => n.Text.StartsWith("imported load", StringComparison.Ordinal));
        load.Text.ShouldStartWith("imported load spike");
        load.Class.ShouldBe("warn");
        load.Role.ShouldBe("alert");
    }

    /// <summary>Generates a plan from next Monday and reads the plan section's notes: text, class and role.</summary>
    private async Task<List<(string Text, string Class, string Role)>> PlanNotesAsync(Guid id, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var monday = today.AddDays(7 - ((int)today.DayOfWeek + 6) % 7);
        var plan = new { weeklyKm = 40, start = monday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), weeks = 4, availableDays = new[] { "mon", "tue", "thu", "sat", "sun" }, keyWorkoutDays = new[] { "tue" }, longRunDay = "sun" };
        using (var created = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", plan))
        {
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }
        var html = await world.Clinician.GetStringAsync($"/Athletes/{id}");
        var section = Regex.Match(html, "<section id=\"plan\".*?</section>", RegexOptions.Singleline).Value;
        return Regex.Matches(section, "<p class=\"plan-notice ([a-z]+)\" role=\"([a-z]+)\">(.*?)</p>", RegexOptions.Singleline)
            .Select(m => (WebUtility.HtmlDecode(m.Groups[3].Value), m.Groups[1].Value, m.Groups[2].Value)).ToList();
    }

    private async Task RunsAsync(Guid athleteId, IEnumerable<(DateTimeOffset At, double Minutes)> runs)
    {
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        foreach (var (at, minutes) in runs)
        {
            db.Activities.Add(new ActivityRecord
            {
                Id = Guid.NewGuid(), AthleteId = athleteId, StartedAt = at, Sport = "running", DurationSeconds = minutes * 60,
                DistanceMeters = minutes * 60 * 3, Rpe = 5, SourceFormat = "manual", SourceFileName = "test", ContentSha256 = Guid.NewGuid().ToString("N"),
            });
        }
        await db.SaveChangesAsync();
    }
}
