using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Data.Sessions;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Sessions;
using Xunit.Abstractions;

namespace OpenBfr.Web.Tests.Sessions;

/// <summary>
/// The live page never misses or repeats a row: web nodes on Kestrel, a page client on the real
/// .NET SignalR client. The page renders (server side, from the database), rows are written before
/// it watches, it watches from the rendered cursor, its WebSocket is cut and held down while more
/// rows are written, it reconnects and rejoins from what it holds; at the end what it received is
/// exactly the log after the rendered cursor, in order. On the node running the session and relayed
/// by another node, on SQLite (a shared file for two nodes) and on PostgreSQL.
/// </summary>
public sealed class LiveBackfillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WatchFrom_RowsWrittenAfterRenderAndWhileDisconnected_OnTheRunningNode_OnSqlite_ReceivesTheLogOnceInOrder()
    {
        using var node = new WebAppFactory();
        await RenderWatchDropRejoinAsync(node, node, "SQLite, running node");
    }

    [PostgresWebFact]
    public async Task WatchFrom_RowsWrittenAfterRenderAndWhileDisconnected_OnTheRunningNode_OnPostgres_ReceivesTheLogOnceInOrder()
        => await ScratchPostgres.WithDatabaseAsync("openbfr_bf_", async cs =>
        {
            using var node = new WebAppFactory(cs);
            await RenderWatchDropRejoinAsync(node, node, "PostgreSQL, running node");
        });

    [Fact]
    public async Task WatchFrom_RowsWrittenAfterRenderAndWhileDisconnected_RelayedByTheOtherNode_OnSharedSqlite_ReceivesTheLogOnceInOrder()
        => await CrossNodeLiveViewTests.WithSharedSqliteAsync(async (nodeA, nodeB) => await RenderWatchDropRejoinAsync(nodeA, nodeB, "SQLite, relayed"));

    [PostgresWebFact]
    public async Task WatchFrom_RowsWrittenAfterRenderAndWhileDisconnected_RelayedByTheOtherNode_OnPostgres_ReceivesTheLogOnceInOrder()
        => await ScratchPostgres.WithDatabaseAsync("openbfr_bfr_", async cs =>
        {
            using var nodeA = new WebAppFactory(cs);
            using var nodeB = new WebAppFactory(cs);
            await RenderWatchDropRejoinAsync(nodeA, nodeB, "PostgreSQL, relayed");
        });

    [Fact]
    public async Task WatchFrom_SecondPageJoinsTheRelayFarBehind_EachPageGetsItsOwnRestOnce()
        => await CrossNodeLiveViewTests.WithSharedSqliteAsync(async (nodeA, nodeB) =>
        {
            var (serverB, id, log) = await StartSessionAsync(nodeA, nodeB);

            // Both pages render now; the first watches at once, the second only after 3 s of rows,
            // joining the one feed node B already runs for the first.
            await using var first = await LivePageClient.SignInAsync(serverB, "pt@t.org");
            await using var second = await LivePageClient.SignInAsync(serverB, "pt@t.org");
            var fromFirst = (await first.RenderAsync(id)).Cursor;
            var fromSecond = (await second.RenderAsync(id)).Cursor;
            await first.WatchAsync(id);
            await UntilAsync(async () => (await log.TelemetryAfterIdAsync(id, fromSecond.TelemetryId, 30)).Count >= 30, "rows the second page has not seen");
            await LivePageClient.Until(() => first.Samples().Count >= 20, Deadline, "the first page's samples");
            var firstBefore = first.Samples().Count;
            await second.WatchAsync(id);
            nodeB.Services.GetRequiredService<SessionFeedRelay>().ActiveFeeds.ShouldBe(1, "one feed for both pages");
            await LivePageClient.Until(() => second.Samples().Count >= 40 && first.Samples().Count >= firstBefore + 10, Deadline, "both pages' samples");

            (await first.Http.PostAsync($"api/v1/sessions/{id}/stop", null)).IsSuccessStatusCode.ShouldBeTrue();
            await LivePageClient.Until(() => first.Kinds().Contains("ended") && second.Kinds().Contains("ended"), Deadline, "the end on both pages");
            foreach (var (page, from, name) in new[] { (first, fromFirst, "first"), (second, fromSecond, "second") })
            {
                var stored = await log.TelemetryAfterIdAsync(id, from.TelemetryId, int.MaxValue);
                page.Samples().Select(s => s.Id).ShouldBe(stored.Select(s => s.Id), $"the {name} page: every stored row after its cursor, once, in order");
                page.Events().Select(e => e.Seq).ShouldBe((await log.EventsAfterAsync(id, from.Seq)).Select(e => e.Seq), $"the {name} page's events");
                page.Kinds().Count(k => k == "ended").ShouldBe(1);
            }
        });

    [Fact]
    public async Task WatchFrom_SessionEndedAfterRender_ReceivesTheRestOfTheLogThenTheEndOnce()
    {
        using var node = new WebAppFactory();
        var (server, id, log) = await StartSessionAsync(node);
        await using var page = await LivePageClient.SignInAsync(server, "pt@t.org");
        var from = (await page.RenderAsync(id)).Cursor;
        await UntilAsync(async () => (await log.TelemetryAfterIdAsync(id, from.TelemetryId, 10)).Count >= 10, "rows after the render");
        (await page.Http.PostAsync($"api/v1/sessions/{id}/stop", null)).StatusCode.ShouldBe(System.Net.HttpStatusCode.NoContent);

        (await page.WatchAsync(id)).State.ShouldBe("stopped");

        await LivePageClient.Until(() => page.Kinds().Contains("ended"), Deadline, "the end");
        var stored = await log.TelemetryAfterIdAsync(id, from.TelemetryId, int.MaxValue);
        page.Samples().Select(s => s.Id).ShouldBe(stored.Select(s => s.Id), "every row after the rendered cursor, once, in order");
        page.Events().Select(e => e.Seq).ShouldBe((await log.EventsAfterAsync(id, from.Seq)).Select(e => e.Seq));
        page.Events().Select(e => e.Kind).ShouldContain("stop");
        page.Kinds().Count(k => k == "ended").ShouldBe(1);
        page.Kinds()[^1].ShouldBe("ended", "the end after every row");
    }

    [Fact]
    public async Task WatchFrom_ClinicianNotAssigned_IsRefusedAndReceivesNothing()
    {
        using var node = new WebAppFactory();
        var (server, id, _) = await StartSessionAsync(node);
        await node.CreateUserAsync("stranger@t.org", Roles.Clinician);
        await using var page = await LivePageClient.SignInAsync(server, "pt@t.org");
        await using var stranger = await LivePageClient.SignInAsync(server, "stranger@t.org");

        // From the start of the log: the whole session, were the check skipped.
        (await Should.ThrowAsync<HubException>(() => stranger.WatchAsync(id))).Message.ShouldContain("not found");
        await page.WatchAsync(id);
        await LivePageClient.Until(() => page.Samples().Count >= 20, Deadline, "the assigned clinician's samples");
        stranger.Kinds().ShouldBeEmpty();
        (await page.Http.PostAsync($"api/v1/sessions/{id}/stop", null)).StatusCode.ShouldBe(System.Net.HttpStatusCode.NoContent);
        await LivePageClient.Until(() => page.Kinds().Contains("ended"), Deadline, "the end");
        stranger.Kinds().ShouldBeEmpty();
    }

    [Fact]
    public async Task WatchFrom_NegativeCursor_IsRefusedNamingTheField()
    {
        using var node = new WebAppFactory();
        var (server, id, _) = await StartSessionAsync(node);
        await using var page = await LivePageClient.SignInAsync(server, "pt@t.org");
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(server, "hubs/session"), o => o.Cookies = page.Cookies).Build();
        await hub.StartAsync();
        (await Should.ThrowAsync<HubException>(() => hub.InvokeAsync<SessionSummaryDto>("WatchFrom", id, -1, 0L))).Message.ShouldContain("afterSeq must be 0 or more, was -1");
        (await Should.ThrowAsync<HubException>(() => hub.InvokeAsync<SessionSummaryDto>("WatchFrom", id, 0, -5L))).Message.ShouldContain("afterTelemetryId must be 0 or more, was -5");
        (await page.Http.PostAsync($"api/v1/sessions/{id}/stop", null)).StatusCode.ShouldBe(System.Net.HttpStatusCode.NoContent);
    }

    private async Task RenderWatchDropRejoinAsync(WebAppFactory running, WebAppFactory watching, string where)
    {
        var (serverW, id, log) = await StartSessionAsync(running, watching);

        // The page renders from the database; its data say where it stands.
        await using var page = await LivePageClient.SignInAsync(serverW, "pt@t.org");
        var rendered = await page.RenderAsync(id);
        var from = rendered.Cursor;
        from.TelemetryId.ShouldBe(rendered.Telemetry.Max(t => t.Id), "the cursor stands at the last row rendered");
        from.Seq.ShouldBe(rendered.Events.Select(e => e.Seq).DefaultIfEmpty(0).Max());

        // Rows and an event written after the render, before the page watches.
        await UntilAsync(async () => (await log.TelemetryAfterIdAsync(id, from.TelemetryId, 10)).Count >= 10
            && (await log.EventsAfterAsync(id, from.Seq)).Count >= 1, "rows after the render");
        var atWatch = await log.PositionAsync(id);
        var betweenRenderAndWatch = (await log.TelemetryAfterIdAsync(id, from.TelemetryId, int.MaxValue)).Count(s => s.Id <= atWatch.TelemetryId);
        var watch = Stopwatch.StartNew();
        (await page.WatchAsync(id)).State.ShouldBe("running");
        var watchMs = watch.Elapsed.TotalMilliseconds;
        await LivePageClient.Until(() => page.Samples().Count(s => s.Id > atWatch.TelemetryId) >= 10, Deadline, "live rows after the back-fill");

        // The connection drops and stays down while the session writes on.
        await page.DropAsync(Deadline);
        var atDrop = page.Cursor;
        await UntilAsync(async () => (await log.TelemetryAfterIdAsync(id, atDrop.TelemetryId, 20)).Count >= 20
            && (await log.EventsAfterAsync(id, atDrop.Seq)).Count >= 1, "rows while disconnected");
        var missed = await log.TelemetryAfterIdAsync(id, atDrop.TelemetryId, int.MaxValue);
        page.Release();
        await LivePageClient.Until(() => page.Reconnects == 1, Deadline, "the reconnect and its WatchFrom");
        var atRejoin = await log.PositionAsync(id);
        await LivePageClient.Until(() => page.Samples().Count(s => s.Id > atRejoin.TelemetryId) >= 10, Deadline, "live rows after the rejoin");
        // The status (what the page shows as phase and countdown) comes with the rows, as live.js reads it; it is not dropped.
        await LivePageClient.Until(() => page.LatestStatus is { } status && status.GetProperty("phase").GetString() is { Length: > 0 }, Deadline, "the session's status");
        page.Statuses().ShouldAllBe(m => m.GetProperty("latest").ValueKind == System.Text.Json.JsonValueKind.Object);

        // Stopped from the page's node (relayed to the running node when that is another).
        (await page.Http.PostAsync($"api/v1/sessions/{id}/stop", null)).IsSuccessStatusCode.ShouldBeTrue();
        await LivePageClient.Until(() => page.Kinds().Contains("ended"), Deadline, "the end");

        var stored = await log.TelemetryAfterIdAsync(id, from.TelemetryId, int.MaxValue);
        var storedEvents = await log.EventsAfterAsync(id, from.Seq);
        var got = page.Samples();
        got.Select(s => s.Id).ShouldBe(stored.Select(s => s.Id), "received telemetry = every stored row after the rendered cursor, once each, in order");
        got.Select(s => (s.Cuff, s.T, s.P, s.Target)).ShouldBe(stored.Select(s => (s.CuffId, s.At.ToUnixTimeMilliseconds(), s.PressureMmHg, s.TargetMmHg)));
        page.Events().Select(e => (e.Seq, e.Kind, e.Detail)).ShouldBe(storedEvents.Select(e => (e.Seq, e.Kind, e.Detail)), "received events = the stored events after the rendered seq");
        page.Events().Select(e => e.Kind).ShouldContain("stop");
        page.Kinds().Count(k => k == "ended").ShouldBe(1);
        page.Kinds()[^1].ShouldBe("ended", "nothing after the end");
        missed.Count.ShouldBeGreaterThanOrEqualTo(20);
        got.Select(s => s.Id).ShouldContain(missed[^1].Id, "rows written while disconnected arrived");
        got.Select(s => s.Id).ShouldContain(atWatch.TelemetryId, "rows written between the render and the watch arrived");
        output.WriteLine($"{where}: {betweenRenderAndWatch} rows written between render and watch, " +
            $"WatchFrom answered in {watchMs:0} ms; {missed.Count} rows written while disconnected; {got.Count} samples and {page.Events().Count} events received in all");
    }

    /// <summary>
    /// Puts <paramref name="running"/> (and <paramref name="watching"/>, when another node) on Kestrel,
    /// starts a session there for pt@t.org's athlete and waits for its first telemetry rows.
    /// </summary>
    /// <returns>the address pages use (the watching node's), the session, and the log.</returns>
    private static async Task<(Uri Server, Guid Session, SessionLog Log)> StartSessionAsync(WebAppFactory running, WebAppFactory? watching = null)
    {
        running.UseKestrel(0);
        var server = LivePageClient.OnKestrel(running);
        var pages = server;
        if (watching is not null && watching != running)
        {
            watching.UseKestrel(0);
            pages = LivePageClient.OnKestrel(watching);
        }
        var (athlete, rx) = await LiveSeed.AthleteAsync(running);
        await using var starter = await LivePageClient.SignInAsync(server, "pt@t.org");
        var id = await LiveSeed.StartAsync(starter.Http, athlete, rx);
        var log = running.Services.GetRequiredService<SessionLog>();
        await UntilAsync(async () => (await log.TelemetryAfterIdAsync(id, 0, 10)).Count >= 5, "first telemetry");
        return (pages, id, log);
    }

    private static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await done())
        {
            watch.Elapsed.ShouldBeLessThan(Deadline, "waiting for " + what);
            await Task.Delay(10);
        }
    }
}
