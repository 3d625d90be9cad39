using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using OpenBfr.Data.Schema;
using OpenBfr.Data.Sessions;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Sessions;

/// <summary>
/// The live view of a session that runs on another web node. SignalR groups are per node (there
/// is no backplane), so the node running a session pushes only to its own pages; this node reads
/// what the running node writes as it happens (events, telemetry, its live status and the end)
/// and pushes it to the pages watching here, in the same messages ("samples", "event",
/// "status", "ended").
/// </summary>
/// <remarks>
/// One feed per session watched here, only while at least one page here watches it: it starts
/// with the first <see cref="WatchAsync"/> and stops when the last watcher leaves or the session
/// ends. Each watcher has its own cursor (last event seq, last telemetry row id), starting where
/// its page was (<see cref="LiveCursor"/>): a look reads from the furthest-behind watcher and sends
/// each only what is after its own cursor, so a page that joins late or again after a reconnect
/// gets what it missed first, and every row once and in order. It looks when PostgreSQL notifies <see cref="SessionLog.AppendedChannel"/>
/// with its session's id, and in any case every <see cref="OpenBfrWebOptions.FeedPollMilliseconds"/>
/// (the only way on a SQLite file shared by several nodes).
/// </remarks>
public sealed class SessionFeedRelay(SessionLog log, SessionQueries queries, LiveSessions live, IHubContext<SessionHub> hub, DatabaseSettings settings,
    TimeProvider time, OpenBfrWebOptions options, ILogger<SessionFeedRelay> logger) : BackgroundService
{
    /// <summary>At most this many telemetry rows per look (a feed catching up sends several batches, one look after another).</summary>
    public const int MaxSamplesPerLook = 2000;

    /// <summary>The reason sent with "ended" when the node running the session stopped writing (its heartbeat went stale).</summary>
    public const string Interrupted = "interrupted";

    private readonly Lock _sync = new();
    private readonly Dictionary<Guid, Feed> _feeds = [];
    private readonly Dictionary<string, HashSet<Guid>> _watching = [];
    private int _running;
    private long _looks;

    /// <summary>Feeds whose loop is running now (each polls the database while it runs).</summary>
    public int ActiveFeeds => Volatile.Read(ref _running);

    /// <summary>Database looks made by all feeds so far.</summary>
    public long Looks => Interlocked.Read(ref _looks);

    /// <summary>Whether this node relays the session to watchers here now.</summary>
    public bool IsRelaying(Guid sessionId)
    {
        lock (_sync)
        {
            return _feeds.ContainsKey(sessionId);
        }
    }

    /// <summary>
    /// Starts sending an authorised connection a session's rows after <paramref name="from"/> and
    /// then its live rows, wherever the session runs: joined to the running node's pushes when it
    /// runs here (<see cref="LiveSessions.JoinAsync"/>), relayed from the database when another node
    /// runs it, and, when it no longer runs, the rest of its log and its end at once.
    /// </summary>
    /// <returns>true when this node relays the session for the connection (another node runs it).</returns>
    public async Task<bool> WatchAsync(string connectionId, SessionRecord header, LiveCursor from, CancellationToken ct = default)
    {
        if (await live.JoinAsync(header.Id, connectionId, from, ct))
        {
            return false;
        }
        // Another node's session is alive while its heartbeat is fresh. Not SessionStatusRules'
        // "heard of before this process started" clause: that is about this node's own sessions
        // after a restart, and a node started a moment after another node's last write would
        // otherwise leave its page silent for good.
        if (header.EndedAt is not null || HeartbeatStale(header))
        {
            await FinishAsync(connectionId, header.Id, from, ct);
            return false;
        }
        // Runs on another node (or ended here a moment ago, or is being registered here this
        // instant): relayed from the log, which holds the rest and the end in every case.
        Feed? created = null;
        lock (_sync)
        {
            if (!_watching.TryGetValue(connectionId, out var sessions))
            {
                _watching[connectionId] = sessions = [];
            }
            sessions.Add(header.Id);
            if (!_feeds.TryGetValue(header.Id, out var feed))
            {
                _feeds[header.Id] = created = feed = new Feed(header.Id);
            }
            // A page watching again on the same connection starts again from its new cursor.
            feed.Watchers[connectionId] = new Watcher(connectionId, from);
            feed.Wake();
        }
        if (created is not null)
        {
            Interlocked.Increment(ref _running);
            created.Loop = Task.Run(() => RunAsync(created), CancellationToken.None);
        }
        return true;
    }

    /// <summary>A session that runs nowhere: the rest of its log after the cursor, then its end.</summary>
    private async Task FinishAsync(string connectionId, Guid sessionId, LiveCursor from, CancellationToken ct)
    {
        var client = hub.Clients.Client(connectionId);
        // The header first: when it says ended, every row was committed before it.
        var header = await queries.HeaderAsync(sessionId, ct);
        await LiveWire.BackfillAsync(log, client, sessionId, from, ct);
        if (header is null)
        {
            return;
        }
        if (header.EndedAt is not null)
        {
            await client.SendAsync(LiveMessages.Ended, new { reason = header.EndReason ?? SessionEndReasons.Stopped, message = Message(header.LiveStatusJson) }, CancellationToken.None);
        }
        else if (HeartbeatStale(header))
        {
            await client.SendAsync(LiveMessages.Ended, InterruptedMessage(header), CancellationToken.None);
        }
    }

    /// <summary>A connection left (or stopped watching): its feeds stop when it was their last watcher.</summary>
    public async Task LeaveAsync(string connectionId, Guid? sessionId = null)
    {
        var stopped = new List<Feed>();
        lock (_sync)
        {
            if (!_watching.TryGetValue(connectionId, out var sessions))
            {
                return;
            }
            foreach (var id in sessionId is { } one ? [one] : sessions.ToList())
            {
                sessions.Remove(id);
                if (_feeds.TryGetValue(id, out var feed) && feed.Watchers.Remove(connectionId) && feed.Watchers.Count == 0)
                {
                    _feeds.Remove(id);
                    stopped.Add(feed);
                }
            }
            if (sessions.Count == 0)
            {
                _watching.Remove(connectionId);
            }
        }
        foreach (var feed in stopped)
        {
            await feed.Stop.CancelAsync();
            if (feed.Loop is { } loop)
            {
                await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>One page's connection watching through a feed, with where it is in the log.</summary>
    private sealed class Watcher(string connectionId, LiveCursor from)
    {
        public string ConnectionId { get; } = connectionId;

        public int Seq { get; set; } = from.Seq;

        public long TelemetryId { get; set; } = from.TelemetryId;

        public string? StatusJson { get; set; }
    }

    private sealed class Feed(Guid sessionId)
    {
        public Guid SessionId { get; } = sessionId;

        /// <summary>By connection id; guarded by the relay's lock.</summary>
        public Dictionary<string, Watcher> Watchers { get; } = [];

        public CancellationTokenSource Stop { get; } = new();

        public Task? Loop { get; set; }

        private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task WakeTask => Volatile.Read(ref _wake).Task;

        public void Wake() => Volatile.Read(ref _wake).TrySetResult();

        public void Rearm() => Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    private async Task RunAsync(Feed feed)
    {
        var poll = TimeSpan.FromMilliseconds(options.FeedPollMilliseconds);
        var ct = feed.Stop.Token;
        HashSet<Watcher> served = [];
        try
        {
            // The first look at once: the back-fill and the status (phase, countdown) show without waiting for a poll.
            var more = true;
            while (!ct.IsCancellationRequested)
            {
                if (!more)
                {
                    var signal = feed.WakeTask;
                    await Task.WhenAny(signal, Task.Delay(poll, time, ct));
                    ct.ThrowIfCancellationRequested();
                    if (signal.IsCompleted)
                    {
                        feed.Rearm();
                    }
                }
                try
                {
                    var (done, full, watchers) = await LookAsync(feed, ct);
                    if (done)
                    {
                        served = watchers;
                        break;
                    }
                    more = full;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A database hiccup must not end the feed: the next poll tries again from where it was.
                    logger.LogWarning(e, "Relaying session {SessionId} to watchers here failed; retrying", feed.SessionId);
                    more = false;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            var late = new List<Watcher>();
            lock (_sync)
            {
                if (_feeds.TryGetValue(feed.SessionId, out var current) && current == feed)
                {
                    _feeds.Remove(feed.SessionId);
                    foreach (var w in feed.Watchers.Values)
                    {
                        if (_watching.TryGetValue(w.ConnectionId, out var sessions) && sessions.Remove(feed.SessionId) && sessions.Count == 0)
                        {
                            _watching.Remove(w.ConnectionId);
                        }
                        if (!ct.IsCancellationRequested && !served.Contains(w))
                        {
                            late.Add(w);
                        }
                    }
                }
            }
            // Joined after the last look of a session that ended: they get the rest and the end from the log.
            foreach (var w in late)
            {
                try
                {
                    await FinishAsync(w.ConnectionId, feed.SessionId, new LiveCursor(w.Seq, w.TelemetryId), CancellationToken.None);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Sending the end of session {SessionId} to a late watcher failed", feed.SessionId);
                }
            }
            Interlocked.Decrement(ref _running);
        }
    }

    /// <summary>
    /// One look at the database: sends each watcher what is new to it (one message to all watchers
    /// at the same place). Returns whether the feed is done (the session ended), whether a full
    /// batch suggests more, and the watchers served.
    /// </summary>
    private async Task<(bool Done, bool Full, HashSet<Watcher> Watchers)> LookAsync(Feed feed, CancellationToken ct)
    {
        Interlocked.Increment(ref _looks);
        List<Watcher> watchers;
        lock (_sync)
        {
            watchers = [.. feed.Watchers.Values];
        }
        if (watchers.Count == 0)
        {
            return (false, false, []);
        }
        // The header first: when it says ended, every row was committed before it, so the reads below see them all.
        var header = await queries.HeaderAsync(feed.SessionId, ct);
        var events = await log.EventsAfterAsync(feed.SessionId, watchers.Min(w => w.Seq), ct);
        var samples = await log.TelemetryAfterIdAsync(feed.SessionId, watchers.Min(w => w.TelemetryId), MaxSamplesPerLook, ct);
        foreach (var place in watchers.GroupBy(w => (w.Seq, w.TelemetryId)))
        {
            var clients = hub.Clients.Clients(place.Select(w => w.ConnectionId).ToList());
            var (seq, telemetryId) = place.Key;
            var newSamples = samples.Where(s => s.Id > telemetryId).ToList();
            if (newSamples.Count > 0)
            {
                await clients.SendAsync(LiveMessages.Samples, LiveWire.Samples(newSamples), ct);
                telemetryId = newSamples[^1].Id;
            }
            foreach (var e in events.Where(e => e.Seq > seq))
            {
                await clients.SendAsync(LiveMessages.Event, LiveWire.Event(e), ct);
                seq = e.Seq;
            }
            foreach (var w in place)
            {
                (w.Seq, w.TelemetryId) = (seq, telemetryId);
            }
        }
        var all = watchers.ToHashSet();
        var full = samples.Count == MaxSamplesPerLook;
        if (header is null)
        {
            // Deleted with its athlete: nothing more will come.
            return (true, false, all);
        }
        if (header.LiveStatusJson is { } json)
        {
            var behind = watchers.Where(w => w.StatusJson != json).ToList();
            if (behind.Count > 0)
            {
                var status = JsonDocument.Parse(json).RootElement.Clone();
                await hub.Clients.Clients(behind.Select(w => w.ConnectionId).ToList()).SendAsync(LiveMessages.Status, status, ct);
                foreach (var w in behind)
                {
                    w.StatusJson = json;
                }
            }
        }
        if (full)
        {
            return (false, true, all);
        }
        var everyone = hub.Clients.Clients(watchers.Select(w => w.ConnectionId).ToList());
        if (header.EndedAt is not null)
        {
            await everyone.SendAsync(LiveMessages.Ended, new { reason = header.EndReason ?? SessionEndReasons.Stopped, message = Message(header.LiveStatusJson) }, CancellationToken.None);
            return (true, false, all);
        }
        if (HeartbeatStale(header))
        {
            await everyone.SendAsync(LiveMessages.Ended, InterruptedMessage(header), CancellationToken.None);
            return (true, false, all);
        }
        return (false, false, all);
    }

    private static object InterruptedMessage(SessionRecord header) => new
    {
        reason = Interrupted,
        message = $"the server running it stopped writing at {header.LastHeartbeatAt:HH:mm:ss} UTC; everything recorded until then is kept",
    };

    private bool HeartbeatStale(SessionRecord header) => time.GetUtcNow() - header.LastHeartbeatAt > SessionStatusRules.HeartbeatStaleAfter;

    /// <summary>The status's message (a fault's reason), as the running node sends it with "ended".</summary>
    private static string? Message(string? statusJson)
    {
        if (statusJson is null)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(statusJson);
        return doc.RootElement.TryGetProperty("status", out var s) && s.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
    }

    /// <summary>On PostgreSQL, listens for appends and wakes the feed of the session named (when this node has one).</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Provider != DatabaseProvider.Postgres)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new Npgsql.NpgsqlConnection(settings.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (Guid.TryParseExact(e.Payload, "N", out var id))
                    {
                        Feed? feed;
                        lock (_sync)
                        {
                            feed = _feeds.GetValueOrDefault(id);
                        }
                        feed?.Wake();
                    }
                };
                await using (var listen = new Npgsql.NpgsqlCommand($"LISTEN {SessionLog.AppendedChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Listening for session appends failed; feeds poll meanwhile, listening again in 5 s");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        List<Feed> feeds;
        lock (_sync)
        {
            feeds = [.. _feeds.Values];
        }
        foreach (var feed in feeds)
        {
            await feed.Stop.CancelAsync();
            if (feed.Loop is { } loop)
            {
                await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        await base.StopAsync(cancellationToken);
    }
}
