using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Data;
using OpenBfr.Data.Activities;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Training;

namespace OpenBfr.Web.Tests;

/// <summary>
/// The clinician's dashboard reads every listed athlete's load and plan: in a fixed number of
/// queries, whatever the number of athletes (it once ran two queries and one audit write per
/// athlete), and with each athlete's own numbers.
/// </summary>
public sealed class DashboardQueryTests : IDisposable
{
    private readonly CommandCountingApp _counting = new();

    private WebAppFactory App => _counting.App;

    public void Dispose() => _counting.Dispose();

    [Fact]
    public async Task Dashboard_MoreAthletes_SameNumberOfActivityAndPlanQueries()
    {
        var client = await ClinicianAsync();
        for (var i = 0; i < 2; i++) await AthleteAsync(client, $"Runner {i}");
        var few = await CountCommandsAsync(client);
        for (var i = 2; i < 9; i++) await AthleteAsync(client, $"Runner {i}");
        var many = await CountCommandsAsync(client);

        few.Activities.ShouldBe(1);
        many.Activities.ShouldBe(1, "one query for all nine athletes' activities, not one each");
        few.Plans.ShouldBeLessThanOrEqualTo(2);
        many.Plans.ShouldBe(few.Plans, "which plan is latest, then those plans: not one query per athlete");
    }

    [Fact]
    public async Task Dashboard_SeveralAthletes_EachGetsTheirOwnLoadFlagAndAuditEntry()
    {
        var client = await ClinicianAsync();
        var spiking = await AthleteAsync(client, "Spiking");
        var steady = await AthleteAsync(client, "Steady");
        await AthleteAsync(client, "No runs");
        var now = App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // Five weeks of 30 min every third day, then a week of 90 min every day: an acute spike.
        await RunsAsync(spiking, Enumerable.Range(8, 38).Where(d => d % 3 == 0).Select(d => (now.AddDays(-d), 30.0))
            .Concat(Enumerable.Range(0, 7).Select(d => (now.AddDays(-d), 90.0))));
        // Six and a half weeks of 45 min every other day: no spike.
        await RunsAsync(steady, Enumerable.Range(0, 46).Where(d => d % 2 == 0).Select(d => (now.AddDays(-d), 45.0)));
        var training = App.Services.GetRequiredService<TrainingService>();
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        var spikeRatio = (await training.LoadAsync(await db.Athletes.SingleAsync(a => a.Id == spiking))).Ewma!.Ratio!.Value;
        var steadyRatio = (await training.LoadAsync(await db.Athletes.SingleAsync(a => a.Id == steady))).Ewma!.Ratio!.Value;
        spikeRatio.ShouldBeGreaterThan(1.5, "the test's spike must be one");
        steadyRatio.ShouldBeLessThan(1.5);

        var rows = await client.GetFromJsonAsync<JsonElement>("/api/v1/dashboard");

        string[] Flags(string name) => rows.EnumerateArray().Single(r => r.GetProperty("name").GetString() == name)
            .GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToArray();
        Flags("Spiking").ShouldContain($"load spike (ACWR {spikeRatio:0.00})");
        Flags("Steady").ShouldNotContain(f => f.StartsWith("load spike", StringComparison.Ordinal));
        Flags("No runs").ShouldNotContain(f => f.StartsWith("load spike", StringComparison.Ordinal));
        var audited = await db.AuditLog.Where(e => e.Action == "dashboard.read").Select(e => e.AthleteId).ToListAsync();
        audited.Count.ShouldBe(3);
        audited.ShouldContain(spiking);
        audited.ShouldContain(steady);
    }

    [Fact]
    public async Task LatestPlans_SeveralAthletes_SameAsLatestPlanOfEach()
    {
        var client = await ClinicianAsync();
        var twice = await AthleteAsync(client, "Two plans");
        var once = await AthleteAsync(client, "One plan");
        var none = await AthleteAsync(client, "No plan");
        var body = new { weeklyKm = 40, start = RecentDates.Moved("2027-01-04"), weeks = 4, availableDays = new[] { "mon", "tue", "thu", "sat", "sun" }, keyWorkoutDays = new[] { "tue" }, longRunDay = "sun" };
        (await client.PostAsJsonAsync($"/api/v1/athletes/{twice}/plan", body)).StatusCode.ShouldBe(System.Net.HttpStatusCode.Created);
        (await client.PostAsJsonAsync($"/api/v1/athletes/{once}/plan", body with { weeks = 5 })).StatusCode.ShouldBe(System.Net.HttpStatusCode.Created);
        (await client.PostAsJsonAsync($"/api/v1/athletes/{twice}/plan", body with { weeks = 7 })).StatusCode.ShouldBe(System.Net.HttpStatusCode.Created);
        var training = App.Services.GetRequiredService<TrainingService>();

        var plans = await training.LatestPlansAsync([twice, once, none]);

        plans.Keys.ShouldBe([twice, once], ignoreOrder: true);
        plans[twice].Plan.Weeks.Count.ShouldBe(7, "the newer of the two");
        plans[once].Plan.Weeks.Count.ShouldBe(5);
        plans[twice].Plan.Weeks.Count.ShouldBe((await training.LatestPlanAsync(twice))!.Weeks.Count);
    }

    private async Task<HttpClient> ClinicianAsync()
    {
        await App.CreateUserAsync("admin@t.org", Roles.Admin);
        await App.CreateUserAsync("pt@t.org", Roles.Clinician);
        return await App.SignedInAsync("pt@t.org");
    }

    private static async Task<Guid> AthleteAsync(HttpClient client, string name)
    {
        var response = await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = name, birthYear = 1990, sex = "female" });
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task RunsAsync(Guid athleteId, IEnumerable<(DateTimeOffset At, double Minutes)> runs)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
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

    /// <summary>The SQL commands one dashboard request sent that read activities or plans (EF Core's command log, this app's only).</summary>
    private async Task<(int Activities, int Plans)> CountCommandsAsync(HttpClient client)
    {
        var before = _counting.Mark;
        (await client.GetAsync("/api/v1/dashboard")).EnsureSuccessStatusCode();
        var texts = _counting.CommandsSince(before);
        return (texts.Count(t => t.Contains("\"Activities\"", StringComparison.Ordinal)), texts.Count(t => t.Contains("\"Plans\"", StringComparison.Ordinal)));
    }
}
