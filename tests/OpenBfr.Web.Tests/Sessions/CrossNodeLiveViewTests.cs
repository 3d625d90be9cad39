using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Sessions;
using Xunit.Abstractions;

namespace OpenBfr.Web.Tests.Sessions;

/// <summary>
/// The live view of a session from a web node that does not run it: node B relays what node A
/// writes (telemetry, events, status, the end) to the pages watching on B, in the messages node A
/// sends its own pages. Two app instances on one real PostgreSQL (when ./test.sh provides it;
/// LISTEN/NOTIFY wakes the relay) and on one SQLite file (polling only).
/// </summary>
public sealed class CrossNodeLiveViewTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [PostgresWebFact]
    public async Task Watch_OnTheOtherNode_OnOnePostgres_GetsEveryTelemetryRowAndEventInOrderAndTheEnd()
        => await ScratchPostgres.WithDatabaseAsync("openbfr_lv_", async cs =>
        {
            using var nodeA = new WebAppFactory(cs);
            using var nodeB = new WebAppFactory(cs);
            await WatchAcrossNodesAsync(nodeA, nodeB, "PostgreSQL");
        });

    [Fact]
    public async Task Watch_OnTheOtherNode_OnSharedSqlite_GetsEveryTelemetryRowAndEventInOrderAndTheEnd()
        => await WithSharedSqliteAsync(async (nodeA, nodeB) => await WatchAcrossNodesAsync(nodeA, nodeB, "SQLite"));

    [PostgresWebFact]
    public async Task Relay_LastWatcherLeaves_OnOnePostgres_StopsLookingWhileTheSessionRuns()
        => await ScratchPostgres.WithDatabaseAsync("openbfr_lw_", async cs =>
        {
            using var nodeA = new WebAppFactory(cs);
            using var nodeB = new WebAppFactory(cs);
            await RelayStopsWhenWatchersLeaveAsync(nodeA, nodeB);
        });

    [Fact]
    public async Task Relay_LastWatcherLeaves_OnSharedSqlite_StopsLookingWhileTheSessionRuns()
        => await WithSharedSqliteAsync(RelayStopsWhenWatchersLeaveAsync);

    [Fact]
    public async Task Relay_RunningNodeShutsDown_OnSharedSqlite_ThePageOnTheOtherNodeSeesTheEnd()
        => await WithSharedSqliteAsync(async (nodeA, nodeB) =>
        {
            var (athlete, rx) = await LiveSeed.AthleteAsync(nodeA);
            var id = await LiveSeed.StartAsync(await nodeA.SignedInAsync("pt@t.org"), athlete, rx);
            var feedsB = nodeB.Services.GetRequiredService<SessionFeedRelay>();
            await using var onB = await TestHubClient.ConnectAsync(nodeB, "pt@t.org");
            await onB.InvokeAsync("Watch", id);
            try
            {
                await onB.WaitForAsync(w => w.Samples().Count >= 10, Deadline, "relayed samples");
            }
            catch (Exception)
            {
                output.WriteLine($"DIAG feeds {feedsB.ActiveFeeds} looks {feedsB.Looks} relaying {feedsB.IsRelaying(id)}");
                foreach (var line in nodeA.Logs.Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("Live", StringComparison.Ordinal)).TakeLast(30)) output.WriteLine("A: " + line);
                foreach (var line in nodeB.Logs.Where(l => !l.Contains("Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal)).TakeLast(60)) output.WriteLine("B: " + line);
                throw;
            }

            // A rolling restart: node A deflates what it runs and records why on the way down.
            nodeA.Dispose();
            await onB.WaitForAsync(w => w.Of("ended").Count > 0, Deadline, "the end after the running node shut down");
            onB.Of("ended").Single().Argument.GetProperty("reason").GetString().ShouldBe("stopped");
            var events = onB.Of("event").Select(m => (Kind: m.Argument.GetProperty("kind").GetString(), Detail: m.Argument.GetProperty("detail").GetString())).ToList();
            events.ShouldContain(e => e.Kind == "stop" && e.Detail!.Contains("server shutting down"), string.Join("; ", events));
            onB.Samples()[^1].P.ShouldBeLessThan(20, "the last relayed reading is a deflated cuff");
            await onB.WaitForAsync(_ => feedsB.ActiveFeeds == 0, Deadline, "the relay to stop after the end");
        });

    [Fact]
    public async Task Relay_RunningNodeStopsWriting_SendsExactlyWhatWasWrittenThenEndsInterrupted()
    {
        // The "running node" here is this test writing the session log as a node would (its id
        // names no live app), so every relayed value is known; then it falls silent, as a crashed node does.
        using var node = new WebAppFactory();
        var (athlete, _) = await LiveSeed.AthleteAsync(node);
        var log = node.Services.GetRequiredService<OpenBfr.Data.Sessions.SessionLog>();
        var feeds = node.Services.GetRequiredService<SessionFeedRelay>();
        var id = Guid.NewGuid();
        // The app's clock, which judges the heartbeat (the same as the system's unless the run is moved in time: TestToday).
        var clock = node.Services.GetRequiredService<TimeProvider>();
        var t0 = clock.GetUtcNow();
        await log.StartAsync(new OpenBfr.Data.Sessions.SessionRecord
        {
            Id = id, AthleteId = athlete, ProtocolName = "test", Simulated = true, StartedByUserId = "x", StartedAt = t0, NodeId = "crashed-node",
        });
        var seq = 0;
        async Task WriteAsync(int from, int count, string phase)
        {
            var now = clock.GetUtcNow();
            var samples = Enumerable.Range(from, count).Select(i => new OpenBfr.Data.Sessions.TelemetrySample
            {
                CuffId = "left-leg", At = t0.AddMilliseconds(100 * i), PressureMmHg = 100 + i, TargetMmHg = 120,
            }).ToList();
            var events = new List<OpenBfr.Data.Sessions.SessionEvent> { new() { Seq = ++seq, At = now, Kind = "set-start", Detail = $"set {seq}" } };
            await log.AppendAsync(id, events, samples, now, default, JsonSerializer.Serialize(new { status = new { phase, set = seq }, latest = new Dictionary<string, double> { ["left-leg"] = 100 + from + count - 1 } }));
        }
        await WriteAsync(0, 5, "inflate");

        await using var watcher = await TestHubClient.ConnectAsync(node, "pt@t.org");
        await watcher.InvokeAsync("Watch", id);
        feeds.ActiveFeeds.ShouldBe(1);
        await watcher.WaitForAsync(w => w.Of("status").Count == 1, Deadline, "the stored status at once");
        watcher.Of("status")[0].Argument.GetProperty("status").GetProperty("phase").GetString().ShouldBe("inflate");
        await WriteAsync(5, 7, "set");
        await WriteAsync(12, 3, "set");
        await watcher.WaitForAsync(w => w.Samples().Count == 10 && w.Of("event").Count == 2, Deadline, "the rows written after the watcher joined");
        watcher.Samples().Select(s => s.P).ShouldBe(Enumerable.Range(105, 10).Select(i => (double)i), "rows 5–14 once each, in order (rows 0–4 were there before it joined)");
        watcher.Samples().Select(s => s.T).ShouldBe(Enumerable.Range(5, 10).Select(i => t0.AddMilliseconds(100 * i).ToUnixTimeMilliseconds()));
        watcher.Of("event").Select(m => m.Argument.GetProperty("detail").GetString()).ShouldBe(["set 2", "set 3"]);
        watcher.Of("status")[^1].Argument.GetProperty("latest").GetProperty("left-leg").GetDouble().ShouldBe(114);

        // Silence: once the heartbeat is stale (10 s) the page is told the session was interrupted, and the relay stops.
        await watcher.WaitForAsync(w => w.Of("ended").Count > 0, Deadline, "the end of a session whose node stopped writing");
        watcher.Of("ended").Single().Argument.GetProperty("reason").GetString().ShouldBe(SessionFeedRelay.Interrupted);
        (clock.GetUtcNow() - t0).ShouldBeGreaterThan(OpenBfr.Data.Sessions.SessionStatusRules.HeartbeatStaleAfter);
        await watcher.WaitForAsync(_ => feeds.ActiveFeeds == 0, Deadline, "the relay to stop");
        watcher.Samples().Count.ShouldBe(10, "nothing twice");
    }

    [Fact]
    public async Task Watch_OnTheNodeRunningIt_StartsNoRelay()
    {
        using var node = new WebAppFactory();
        var (athlete, rx) = await LiveSeed.AthleteAsync(node);
        var id = await LiveSeed.StartAsync(await node.SignedInAsync("pt@t.org"), athlete, rx);
        await using var watcher = await TestHubClient.ConnectAsync(node, "pt@t.org");
        await watcher.InvokeAsync("Watch", id);
        await watcher.WaitForAsync(w => w.Samples().Count >= 5, Deadline, "samples from the running node");
        var feeds = node.Services.GetRequiredService<SessionFeedRelay>();
        feeds.ActiveFeeds.ShouldBe(0, "the node running the session pushes itself");
        feeds.Looks.ShouldBe(0);
        (await watcher.InvokeAsync("Stop", id)).GetBoolean().ShouldBeTrue();
    }

    /// <summary>Two web nodes on one SQLite file in a temporary folder, removed afterwards.</summary>
    internal static async Task WithSharedSqliteAsync(Func<WebAppFactory, WebAppFactory, Task> body)
    {
        var dir = Path.Combine(Path.GetTempPath(), "openbfr-live-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            using var nodeA = new WebAppFactory(sqlitePath: Path.Combine(dir, "shared.db"));
            using var nodeB = new WebAppFactory(sqlitePath: Path.Combine(dir, "shared.db"));
            await body(nodeA, nodeB);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private async Task WatchAcrossNodesAsync(WebAppFactory nodeA, WebAppFactory nodeB, string database)
    {
        var (athlete, rx) = await LiveSeed.AthleteAsync(nodeA);
        await nodeA.CreateUserAsync("stranger@t.org", Roles.Clinician);
        var a = await nodeA.SignedInAsync("pt@t.org");
        var b = await nodeB.SignedInAsync("pt@t.org");
        var id = await LiveSeed.StartAsync(a, athlete, rx);
        var feedsB = nodeB.Services.GetRequiredService<SessionFeedRelay>();

        // A clinician not assigned to the athlete is refused and joins nothing, on the relaying node too.
        await using var stranger = await TestHubClient.ConnectAsync(nodeB, "stranger@t.org");
        (await Should.ThrowAsync<HubException>(() => stranger.InvokeAsync("Watch", id))).Message.ShouldContain("not found");
        feedsB.ActiveFeeds.ShouldBe(0);

        await using var onA = await TestHubClient.ConnectAsync(nodeA, "pt@t.org");
        await using var onB = await TestHubClient.ConnectAsync(nodeB, "pt@t.org");
        await onA.InvokeAsync("Watch", id);
        await onB.InvokeAsync("Watch", id);
        feedsB.ActiveFeeds.ShouldBe(1);
        feedsB.IsRelaying(id).ShouldBeTrue();
        nodeA.Services.GetRequiredService<SessionFeedRelay>().ActiveFeeds.ShouldBe(0);

        // About 5 s of the session (10 samples/s), a status with its phase, and the first events.
        await onB.WaitForAsync(w => w.Samples().Count >= 50 && w.Of("status").Count > 0 && w.Of("event").Count >= 2, Deadline, "relayed samples, status and events");
        var status = onB.Of("status")[^1].Argument.GetProperty("status");
        status.GetProperty("phase").GetString().ShouldNotBeNullOrEmpty();
        status.GetProperty("ended").GetBoolean().ShouldBeFalse();
        onB.Of("status")[^1].Argument.GetProperty("latest").EnumerateObject().Single().Name.ShouldBe("left-leg");

        // The stop pressed on node B reaches node A (a relayed command); node B's page then sees the end.
        (await onB.InvokeAsync("Stop", id)).GetBoolean().ShouldBeTrue();
        await onB.WaitForAsync(w => w.Of("ended").Count > 0, Deadline, "the end, relayed");
        await onA.WaitForAsync(w => w.Of("ended").Count > 0, Deadline, "the end on the running node");
        onB.Of("ended").Single().Argument.GetProperty("reason").GetString().ShouldBe("stopped");
        onB.Messages[^1].Target.ShouldBe("ended", "nothing after the end");
        var lastStatus = onB.Of("status")[^1].Argument.GetProperty("status");
        lastStatus.GetProperty("ended").GetBoolean().ShouldBeTrue();
        lastStatus.GetProperty("endReason").GetString().ShouldBe("stopped");

        // Everything stored, compared row by row with what node B's page got: a gap-free,
        // duplicate-free suffix of the log, in order, running to its last row.
        var stored = await b.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{id}");
        var telemetry = stored.GetProperty("telemetry").EnumerateArray()
            .Select(t => (Cuff: t.GetProperty("cuff").GetString()!, T: t.GetProperty("t").GetInt64(), P: t.GetProperty("p").GetDouble(), Target: t.GetProperty("target").GetDouble())).ToList();
        var got = onB.Samples();
        got.Count.ShouldBeGreaterThanOrEqualTo(50);
        var first = telemetry.FindIndex(t => t.T == got[0].T && t.Cuff == got[0].Cuff);
        first.ShouldBeGreaterThanOrEqualTo(0, "the first relayed sample is stored");
        got.Select(s => (s.Cuff, s.T, s.P, s.Target)).ToList().ShouldBe(telemetry.Skip(first).ToList(), "relayed telemetry = the stored rows from the first relayed one, in order");
        got.Select(s => s.T).ShouldBeInOrder(SortDirection.Ascending);
        got.Select(s => s.T).Distinct().Count().ShouldBe(got.Count, "no sample twice");

        var events = stored.GetProperty("events").EnumerateArray()
            .Select(e => (Kind: e.GetProperty("kind").GetString()!, At: e.GetProperty("at").GetDateTimeOffset().ToUnixTimeMilliseconds())).ToList();
        var relayed = onB.Of("event").Select(m => (Kind: m.Argument.GetProperty("kind").GetString()!, At: m.Argument.GetProperty("at").GetInt64())).ToList();
        relayed.Count.ShouldBeGreaterThanOrEqualTo(2);
        relayed.ShouldBe(events.Skip(events.Count - relayed.Count).ToList(), "relayed events = the stored events' tail, in order");
        relayed.Select(e => e.Kind).ShouldContain("stop");

        // The stranger, connected all along on the same node, got nothing.
        stranger.Messages.ShouldBeEmpty();

        // The session ended, so its relay ended too.
        await onB.WaitForAsync(_ => feedsB.ActiveFeeds == 0, Deadline, "the relay to stop after the end");
        feedsB.IsRelaying(id).ShouldBeFalse();

        Report(database, "other node (relayed)", got.Select(s => (s.ReceivedAt - DateTimeOffset.FromUnixTimeMilliseconds(s.T)).TotalMilliseconds).ToList());
        Report(database, "running node (direct)", onA.Samples().Select(s => (s.ReceivedAt - DateTimeOffset.FromUnixTimeMilliseconds(s.T)).TotalMilliseconds).ToList());
        var latency = Percentiles(got.Select(s => (s.ReceivedAt - DateTimeOffset.FromUnixTimeMilliseconds(s.T)).TotalMilliseconds).ToList());
        // Samples wait up to 0.5 s on the running node before they are written (and pushed there);
        // the relay adds a notification (PostgreSQL) or at most one 1 s poll (SQLite). 3 s leaves room for a loaded build machine.
        latency.Median.ShouldBeLessThan(3000);
    }

    private static async Task RelayStopsWhenWatchersLeaveAsync(WebAppFactory nodeA, WebAppFactory nodeB)
    {
        var (athlete, rx) = await LiveSeed.AthleteAsync(nodeA);
        var a = await nodeA.SignedInAsync("pt@t.org");
        var id = await LiveSeed.StartAsync(a, athlete, rx);
        var feedsB = nodeB.Services.GetRequiredService<SessionFeedRelay>();
        await using var first = await TestHubClient.ConnectAsync(nodeB, "pt@t.org");
        await using var second = await TestHubClient.ConnectAsync(nodeB, "pt@t.org");
        await first.InvokeAsync("Watch", id);
        await second.InvokeAsync("Watch", id);
        feedsB.ActiveFeeds.ShouldBe(1, "one relay per session, shared by its watchers on the node");
        await second.WaitForAsync(w => w.Samples().Count >= 10, Deadline, "relayed samples");

        // One watcher stops watching: the other still gets the session.
        await first.InvokeAsync("Unwatch", id);
        feedsB.ActiveFeeds.ShouldBe(1);
        var before = second.Samples().Count;
        await second.WaitForAsync(w => w.Samples().Count >= before + 10, Deadline, "samples after the first watcher left");

        // The last one disconnects: the relay stops (and looks no more) while the session runs on.
        await second.DisposeAsync();
        await first.WaitForAsync(_ => feedsB.ActiveFeeds == 0, Deadline, "the relay to stop when its last watcher left");
        feedsB.IsRelaying(id).ShouldBeFalse();
        var looks = feedsB.Looks;
        looks.ShouldBeGreaterThan(0);
        var stored = (await a.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{id}?seconds=1")).GetProperty("telemetryCount").GetInt32();
        await LiveSeed.PollAsync(a, $"/api/v1/sessions/{id}?seconds=1", d => d.GetProperty("telemetryCount").GetInt32() >= stored + 20, Deadline);
        feedsB.Looks.ShouldBe(looks, "no looks for a session nobody here watches, though it wrote 2 s more");
        (await a.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{id}?seconds=1")).GetProperty("session").GetProperty("state").GetString().ShouldBe("running");
        (await a.PostAsync($"/api/v1/sessions/{id}/stop", null)).StatusCode.ShouldBe(System.Net.HttpStatusCode.NoContent);
    }

    private static (double Median, double P95, int Count) Percentiles(List<double> ms)
    {
        ms.Sort();
        double P(double q) => ms.Count == 0 ? double.NaN : ms[Math.Clamp((int)Math.Ceiling(q * ms.Count) - 1, 0, ms.Count - 1)];
        return (P(0.5), P(0.95), ms.Count);
    }

    private void Report(string database, string where, List<double> ms)
    {
        var (median, p95, count) = Percentiles(ms);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{database}, watcher on the {where}: sample time to received, median {median:0} ms, p95 {p95:0} ms, max {ms.DefaultIfEmpty(double.NaN).Max():0} ms over {count} samples"));
    }
}
