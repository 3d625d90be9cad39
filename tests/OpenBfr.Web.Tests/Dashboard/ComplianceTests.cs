using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Core.Limbs;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Screening;
using OpenBfr.Web.Training;

namespace OpenBfr.Web.Tests.Dashboard;

/// <summary>
/// Compliance on the dashboard counts only sessions that could already have happened: a prescription
/// made today showed 0/16 done and 0% (2 a week × 4 weeks) the day the PT prescribed it. The app's
/// clock is set by the test (dates only; timers stay the system's).
/// </summary>
public sealed class ComplianceTests : IDisposable
{
    private sealed class SetClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    // Monday 1 June 2026, 09:00 UTC.
    private static readonly DateTimeOffset Day0 = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly SetClock _clock = new(Day0);
    private readonly WebAppFactory _app;

    public ComplianceTests() => _app = new WebAppFactory(services: s => s.AddSingleton<TimeProvider>(_clock));

    public void Dispose() => _app.Dispose();

    /// <summary>The clinician's client, signed in anew on the app's now (a sign-in cookie does not outlive a jump of weeks).</summary>
    private Task<HttpClient> ClinicianAtAsync(TimeSpan sinceDay0)
    {
        _clock.Now = Day0 + sinceDay0;
        return _app.SignedInAsync("pt@t.org");
    }

    private async Task<(HttpClient Client, Guid AthleteId)> ScreenedAthleteAsync()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        var clinician = await _app.CreateUserAsync("pt@t.org", Roles.Clinician);
        var client = await _app.SignedInAsync("pt@t.org");
        using var created = await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Rx Runner", birthYear = 1985, sex = "female" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var eligible = LimbExtensions.All.ToDictionary(l => l, _ => new LimbOutcome("Eligible", []));
        await _app.Services.GetRequiredService<ScreeningService>().SaveAsync(new Viewer(clinician.Id, false, true, false), id, new Dictionary<string, string>(), eligible);
        return (client, id);
    }

    /// <summary>A LOP measured now and a resistance prescription on the left leg from it (replacing the current one).</summary>
    private static async Task PrescribeAsync(HttpClient client, Guid athleteId, int sessionsPerWeek)
    {
        using var lop = await client.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/lop", new { limb = "left-leg", position = "standing", cuffWidthCm = 11.5, lopMmHg = 200 });
        lop.StatusCode.ShouldBe(HttpStatusCode.Created, await lop.Content.ReadAsStringAsync());
        var lopId = (await lop.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var rx = await client.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/prescriptions", new { lopId, modality = "resistance", sessionsPerWeek });
        rx.StatusCode.ShouldBe(HttpStatusCode.Created, await rx.Content.ReadAsStringAsync());
    }

    private static async Task<(int Done, int Planned, int? Percent)> RowAsync(HttpClient client, Guid athleteId)
    {
        var row = (await client.GetFromJsonAsync<JsonElement>("/api/v1/dashboard")).EnumerateArray().Single(r => r.GetProperty("athleteId").GetGuid() == athleteId);
        var percent = row.GetProperty("compliancePercent");
        return (row.GetProperty("done").GetInt32(), row.GetProperty("planned").GetInt32(), percent.ValueKind == JsonValueKind.Null ? null : percent.GetInt32());
    }

    /// <summary>The dashboard page's compliance cell, as text.</summary>
    private static async Task<string> CellAsync(HttpClient client)
    {
        var html = await client.GetStringAsync("/Clinician");
        var cell = Regex.Match(html, "<td class=\"compliance\">(.*?)</td>", RegexOptions.Singleline);
        cell.Success.ShouldBeTrue("the dashboard has a compliance cell");
        return Regex.Replace(Regex.Replace(cell.Groups[1].Value, "<[^>]+>", ""), @"\s+", " ").Trim();
    }

    private async Task CompletedSessionAsync(Guid athleteId, DateTimeOffset at)
    {
        var user = await _app.Services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<OpenBfrUser>>().FindByEmailAsync("pt@t.org");
        var log = _app.Services.GetRequiredService<OpenBfr.Data.Sessions.SessionLog>();
        var session = new OpenBfr.Data.Sessions.SessionRecord { Id = Guid.NewGuid(), AthleteId = athleteId, ProtocolName = "strength-lower", StartedByUserId = user!.Id, StartedAt = at };
        await log.StartAsync(session);
        await log.EndAsync(session.Id, at.AddMinutes(20), OpenBfr.Data.Sessions.SessionEndReasons.Completed);
    }

    [Fact]
    public async Task Dashboard_PrescriptionMadeToday_PlansNothingYet_ThenProRatesByDaysInForce()
    {
        var (client, id) = await ScreenedAthleteAsync();
        await PrescribeAsync(client, id, sessionsPerWeek: 2);

        // The day it is prescribed: nothing could have been done yet (it showed 0 / 8 and 0%).
        (await RowAsync(client, id)).ShouldBe((0, 0, null));
        (await CellAsync(client)).ShouldBe("0 / 0");

        // 2 a week: the first session is due once 3.5 days have passed, not before.
        client = await ClinicianAtAsync(TimeSpan.FromDays(3.5) - TimeSpan.FromMinutes(1));
        (await RowAsync(client, id)).Planned.ShouldBe(0);
        client = await ClinicianAtAsync(TimeSpan.FromDays(3.5));
        await CompletedSessionAsync(id, Day0.AddDays(2));
        (await RowAsync(client, id)).ShouldBe((1, 1, 100));
        (await CellAsync(client)).ShouldBe("1 / 1 (100%)");

        // Ten days in force: 2 × 10/7 = 2.86, rounded down to 2 (the third is not due until day 10.5).
        client = await ClinicianAtAsync(TimeSpan.FromDays(10));
        (await RowAsync(client, id)).ShouldBe((1, 2, 50));
        (await CellAsync(client)).ShouldBe("1 / 2 (50%)");

        // Longer than the window: 4 weeks × 2, as before.
        client = await ClinicianAtAsync(TimeSpan.FromDays(40));
        (await RowAsync(client, id)).ShouldBe((0, 8, 0));
    }

    [Fact]
    public async Task Dashboard_PrescriptionReplacedMidWindow_CountsEachForItsOwnDays()
    {
        var (client, id) = await ScreenedAthleteAsync();
        await PrescribeAsync(client, id, sessionsPerWeek: 2);
        // Two weeks later a new LOP and 4 a week replace it (the old one is retired then).
        client = await ClinicianAtAsync(TimeSpan.FromDays(14));
        await PrescribeAsync(client, id, sessionsPerWeek: 4);

        client = await ClinicianAtAsync(TimeSpan.FromDays(21));

        // 2 × 2 weeks + 4 × 1 week; counting only the current one for 4 weeks said 16.
        (await RowAsync(client, id)).Planned.ShouldBe(8);
    }

    [Fact]
    public async Task Dashboard_PlanStartedBeforeItWasGenerated_CountsItsBfrSessionsFromThatDayOnPastDaysOnly()
    {
        var (client, id) = await ScreenedAthleteAsync();
        await PrescribeAsync(client, id, sessionsPerWeek: 2);
        // Generated on Monday 1 June, starting two weeks earlier (18 May).
        var body = new { weeklyKm = 40, start = "2026-05-18", weeks = 6, availableDays = new[] { "mon", "tue", "thu", "sat", "sun" }, keyWorkoutDays = new[] { "tue" }, longRunDay = "sun" };
        using (var plan = await client.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", body))
        {
            plan.StatusCode.ShouldBe(HttpStatusCode.Created, await plan.Content.ReadAsStringAsync());
        }
        var bfr = (await _app.Services.GetRequiredService<TrainingService>().LatestPlanAsync(id))!.Weeks.SelectMany(w => w.Sessions).Where(s => s.Bfr).Select(s => s.Date).ToList();
        var generated = DateOnly.FromDateTime(Day0.UtcDateTime);
        bfr.Count(d => d < generated).ShouldBeGreaterThan(0, "the test's plan has BFR sessions before it was generated");

        // The day it is generated: its earlier sessions were never asked of the athlete, today's may still be done; the
        // prescription (made today too) plans nothing yet either.
        (await RowAsync(client, id)).Planned.ShouldBe(0);

        // Nine days later: the plan's BFR sessions from 1 June up to yesterday (9 June).
        client = await ClinicianAtAsync(TimeSpan.FromDays(9));
        var expected = bfr.Count(d => d >= generated && d < generated.AddDays(9));
        expected.ShouldBeGreaterThan(0);
        (await RowAsync(client, id)).Planned.ShouldBe(expected);
    }
}
