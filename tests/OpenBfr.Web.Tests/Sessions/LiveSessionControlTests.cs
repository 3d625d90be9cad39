using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Core.Limbs;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Lop;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Screening;
using Xunit.Abstractions;

namespace OpenBfr.Web.Tests.Sessions;

/// <summary>An athlete ready for a live session: eligible screening, a LOP and a prescription, with clinician pt@t.org.</summary>
internal static class LiveSeed
{
    public static async Task<(Guid Athlete, Guid Prescription)> AthleteAsync(WebAppFactory app, bool createAccounts = true)
    {
        var clinicianUser = createAccounts
            ? (await app.CreateUserAsync("pt@t.org", Roles.Clinician)).Id
            : (await app.Services.CreateScope().ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<OpenBfrUser>>().FindByEmailAsync("pt@t.org"))!.Id;
        if (createAccounts)
        {
            await app.CreateUserAsync("admin@t.org", Roles.Admin);
        }
        var sp = app.Services;
        var clinician = new Viewer(clinicianUser, false, true, false);
        var athlete = await sp.GetRequiredService<AthleteDirectory>().CreateAsync(clinician, new NewAthlete("Live Runner", 1990, "female", null));
        var eligible = LimbExtensions.All.ToDictionary(l => l, _ => new LimbOutcome(ScreeningOutcomes.Eligible, []));
        await sp.GetRequiredService<ScreeningService>().SaveAsync(clinician, athlete.Id, new Dictionary<string, string>(), eligible);
        var lop = await sp.GetRequiredService<LopService>().RecordAsync(clinician, athlete, new RecordLopRequest("left-leg", "standing", 11.5, 200));
        var rx = await sp.GetRequiredService<PrescriptionService>().CreateAsync(clinician, athlete, new CreatePrescriptionRequest(lop.Id, "resistance"));
        return (athlete.Id, rx.Id);
    }

    public static async Task<Guid> StartAsync(HttpClient client, Guid athlete, Guid rx)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/athletes/{athlete}/sessions", new { prescriptionIds = new[] { rx } });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Polls (the server runs in real time) until <paramref name="done"/> holds or the deadline passes.</summary>
    public static async Task<JsonElement> PollAsync(HttpClient client, string path, Func<JsonElement, bool> done, TimeSpan deadline)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var json = await client.GetFromJsonAsync<JsonElement>(path);
            if (done(json))
            {
                return json;
            }
            watch.Elapsed.ShouldBeLessThan(deadline, $"{path} did not reach the expected state: {json}");
            await Task.Delay(10);
        }
    }

    /// <summary>The last stored pressure of the session's cuff, mmHg.</summary>
    public static double LastPressure(JsonElement detail)
        => detail.GetProperty("telemetry").EnumerateArray().Select(t => t.GetProperty("p").GetDouble()).LastOrDefault();
}

/// <summary>One live session per athlete, and stop / symptom on the node running the session.</summary>
public sealed class LiveSessionRulesTests : IDisposable
{
    private readonly WebAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task StartSession_WhileOneRuns_Answers409ProblemNamingTheRunningSession()
    {
        var (athlete, rx) = await LiveSeed.AthleteAsync(_app);
        var client = await _app.SignedInAsync("pt@t.org");
        var first = await LiveSeed.StartAsync(client, athlete, rx);

        var second = await client.PostAsJsonAsync($"/api/v1/athletes/{athlete}/sessions", new { prescriptionIds = new[] { rx } });
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        second.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("title").GetString().ShouldBe("A live session is already running");
        problem.GetProperty("detail").GetString()!.ShouldContain("stop it before starting another");
        problem.GetProperty("sessionId").GetGuid().ShouldBe(first);
        (await client.PostAsync($"/api/v1/sessions/{first}/stop", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var third = await LiveSeed.StartAsync(client, athlete, rx);
        third.ShouldNotBe(first, "once stopped, a new session may start");
        (await client.PostAsync($"/api/v1/sessions/{third}/stop", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task StartSession_TenAtOnceForOneAthlete_ExactlyOneStarts()
    {
        var (athlete, rx) = await LiveSeed.AthleteAsync(_app);
        var client = await _app.SignedInAsync("pt@t.org");
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.PostAsJsonAsync($"/api/v1/athletes/{athlete}/sessions", new { prescriptionIds = new[] { rx } })));
        answers.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        answers.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(9);
    }

    [Fact]
    public async Task Stop_OnTheNodeRunningIt_Answers204AndTheSessionEndsStopped()
    {
        var (athlete, rx) = await LiveSeed.AthleteAsync(_app);
        var client = await _app.SignedInAsync("pt@t.org");
        var id = await LiveSeed.StartAsync(client, athlete, rx);
        (await client.PostAsync($"/api/v1/sessions/{id}/stop", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{id}?seconds=5");
        detail.GetProperty("session").GetProperty("state").GetString().ShouldBe("stopped");
        LiveSeed.LastPressure(detail).ShouldBeLessThan(20, "deflated before the answer");

        var again = await client.PostAsync($"/api/v1/sessions/{id}/stop", null);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("the session is stopped");
    }
}

/// <summary>
/// Stop and symptom sent to a web node that does not run the session: answered 202 with the
/// command's URL, applied by the running node within a poll, the cuff deflated. Two app
/// instances on one SQLite file (always) and on one real PostgreSQL (when ./test.sh provides it).
/// </summary>
public sealed class MultiNodeSessionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StopAndSymptom_SentToTheOtherNode_OnSharedSqlite_DeflateWithinAPoll()
    {
        var dir = Path.Combine(Path.GetTempPath(), "openbfr-nodes-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            using var nodeA = new WebAppFactory(sqlitePath: Path.Combine(dir, "shared.db"));
            using var nodeB = new WebAppFactory(sqlitePath: Path.Combine(dir, "shared.db"));
            await RelayAsync(nodeA, nodeB, "SQLite", rounds: 3);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [PostgresWebFact]
    public async Task StopAndSymptom_SentToTheOtherNode_OnOnePostgres_DeflateWithinAPoll()
        => await ScratchPostgres.WithDatabaseAsync("openbfr_n_", async cs =>
        {
            using var nodeA = new WebAppFactory(cs);
            using var nodeB = new WebAppFactory(cs);
            await RelayAsync(nodeA, nodeB, "PostgreSQL", rounds: 5);
        });

    [PostgresWebFact]
    public async Task StartSession_SameAthleteOnTwoNodesAtOnce_OnOnePostgres_ExactlyOneStarts()
        => await ScratchPostgres.WithDatabaseAsync("openbfr_s_", async cs =>
        {
            using var nodeA = new WebAppFactory(cs);
            using var nodeB = new WebAppFactory(cs);
            var (athlete, rx) = await LiveSeed.AthleteAsync(nodeA);
            var a = await nodeA.SignedInAsync("pt@t.org");
            var b = await nodeB.SignedInAsync("pt@t.org");
            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
                (i % 2 == 0 ? a : b).PostAsJsonAsync($"/api/v1/athletes/{athlete}/sessions", new { prescriptionIds = new[] { rx } })));
            answers.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
            answers.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(7);
        });

    private async Task RelayAsync(WebAppFactory nodeA, WebAppFactory nodeB, string database, int rounds)
    {
        var (athlete, rx) = await LiveSeed.AthleteAsync(nodeA);
        var a = await nodeA.SignedInAsync("pt@t.org");
        var b = await nodeB.SignedInAsync("pt@t.org");
        var serverSide = new List<double>();
        var seenByClient = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var symptom = round == rounds - 1;
            var id = await LiveSeed.StartAsync(a, athlete, rx);
            // Node B knows the session runs elsewhere and will not start a second one for the athlete.
            (await b.PostAsJsonAsync($"/api/v1/athletes/{athlete}/sessions", new { prescriptionIds = new[] { rx } })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
            var inflated = await LiveSeed.PollAsync(a, $"/api/v1/sessions/{id}?seconds=2", d => LiveSeed.LastPressure(d) > 50, TimeSpan.FromSeconds(20));
            LiveSeed.LastPressure(inflated).ShouldBeGreaterThan(50);

            var watch = Stopwatch.StartNew();
            var response = symptom
                ? await b.PostAsJsonAsync($"/api/v1/sessions/{id}/symptom", new { kind = "numbness" })
                : await b.PostAsync($"/api/v1/sessions/{id}/stop", null);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
            var location = response.Headers.Location!.OriginalString;
            location.ShouldStartWith($"/api/v1/sessions/{id}/commands/");
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().ShouldBeOneOf("pending", "applied");

            var applied = await LiveSeed.PollAsync(b, location, c => c.GetProperty("status").GetString() == "applied", TimeSpan.FromSeconds(5));
            seenByClient.Add(watch.Elapsed.TotalMilliseconds);
            applied.GetProperty("outcome").GetString().ShouldBe("deflated");
            serverSide.Add(applied.GetProperty("millisecondsToApply").GetDouble());

            var after = await b.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{id}?seconds=5");
            after.GetProperty("session").GetProperty("state").GetString().ShouldBe("stopped");
            after.GetProperty("session").GetProperty("endReason").GetString().ShouldBe(symptom ? "symptom" : "stopped");
            LiveSeed.LastPressure(after).ShouldBeLessThan(20, "the cuff is deflated");
        }
        serverSide.Sort();
        seenByClient.Sort();
        output.WriteLine($"{database}, {rounds} relayed commands: request to applied (deflated) on the running node {string.Join(", ", serverSide.Select(v => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} ms; " +
            $"seen applied by the requesting client after {string.Join(", ", seenByClient.Select(v => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        // Polling every 100 ms: one poll plus a database round trip; 1 s leaves room for a loaded build machine.
        serverSide[serverSide.Count / 2].ShouldBeLessThan(1000);
    }
}
