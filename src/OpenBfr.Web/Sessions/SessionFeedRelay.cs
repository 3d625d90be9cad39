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
/// ends. Each feed keeps where it is (last event seq, last telemetry row id), so every row is sent
/// once and in order. It looks when PostgreSQL notifies <see cref="SessionLog.AppendedChannel"/>
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
    /// Called after the hub put an authorised connection into the session's group: starts (or
    /// joins) the feed when the session runs on another node.
    /// </summary>
    /// <returns>true when this node relays the session for the connection; false when it runs here or is not running.</returns>
    public async Task<bool> WatchAsync(string connectionId, SessionRecord header, CancellationToken ct = default)
    {
        // Another node's session is alive while its heartbeat is fresh. Not SessionStatusRules'
        // "heard of before this process started" clause: that is about this node's own sessions
        // after a restart, and a node started a moment after another node's last write would
        // otherwise leave its page silent for good.
        if (live.IsRunningHere(header.Id) || header.EndedAt is not null || HeartbeatStale(header))
        {
            return false;
        }
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
            feed.Watchers.Add(connectionId);
        }
        if (created is not null)
        {
            // Where the watchers start: what is already stored they have from the page (or Watch's answer).
            (created.Seq, created.TelemetryId) = await log.PositionAsync(header.Id, ct);
            created.StatusJson = null;
            Interlocked.Increment(ref _running);
            created.Loop = Task.Run(() => RunAsync(created), CancellationToken.None);
        }
        return true;
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

    private sealed class Feed(Guid sessionId)
    {
        public Guid SessionId { get; } = sessionId;

        public HashSet<string> Watchers { get; } = [];

        public CancellationTokenSource Stop { get; } = new();

        public Task? Loop { get; set; }

        public int Seq { get; set; }

        public long TelemetryId { get; set; }

        public string? StatusJson { get; set; }

        private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task WakeTask => Volatile.Read(ref _wake).Task;

        public void Wake() => Volatile.Read(ref _wake).TrySetResult();

        public void Rearm() => Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    private async Task RunAsync(Feed feed)
    {
        var poll = TimeSpan.FromMilliseconds(options.FeedPollMilliseconds);
        var ct = feed.Stop.Token;
        try
        {
            // The first look at once: the status (phase, countdown) shows without waiting for a poll.
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
                    var (done, full) = await LookAsync(feed, ct);
                    if (done)
                    {
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
            lock (_sync)
            {
                if (_feeds.TryGetValue(feed.SessionId, out var current) && current == feed)
                {
                    _feeds.Remove(feed.SessionId);
                    foreach (var c in feed.Watchers)
                    {
                        if (_watching.TryGetValue(c, out var sessions) && sessions.Remove(feed.SessionId) && sessions.Count == 0)
                        {
                            _watching.Remove(c);
                        }
                    }
                }
            }
            Interlocked.Decrement(ref _running);
        }
    }

    /// <summary>One look at the database: sends what is new. Returns whether the feed is done (the session ended) and whether a full batch suggests more.</summary>
    private async Task<(bool Done, bool Full)> LookAsync(Feed feed, CancellationToken ct)
    {
        Interlocked.Increment(ref _looks);
        // The header first: when it says ended, every row was committed before it, so the reads below see them all.
        var header = await queries.HeaderAsync(feed.SessionId, ct);
        var events = await log.EventsAfterAsync(feed.SessionId, feed.Seq, ct);
        var samples = await log.TelemetryAfterIdAsync(feed.SessionId, feed.TelemetryId, MaxSamplesPerLook, ct);
        var group = hub.Clients.Group(SessionHub.Group(feed.SessionId));
        if (samples.Count > 0)
        {
            await group.SendAsync("samples", samples.Select(s => new { cuff = s.CuffId, t = s.At.ToUnixTimeMilliseconds(), p = s.PressureMmHg, target = s.TargetMmHg }).ToList(), ct);
            feed.TelemetryId = samples[^1].Id;
        }
        foreach (var e in events)
        {
            await group.SendAsync("event", new { kind = e.Kind, at = e.At.ToUnixTimeMilliseconds(), cuff = e.CuffId, detail = e.Detail }, ct);
            feed.Seq = e.Seq;
        }
        var full = samples.Count == MaxSamplesPerLook;
        if (header is null)
        {
            // Deleted with its athlete: nothing more will come.
            return (true, false);
        }
        JsonElement? status = null;
        if (header.LiveStatusJson is { } json && json != feed.StatusJson)
        {
            feed.StatusJson = json;
            status = JsonDocument.Parse(json).RootElement.Clone();
            await group.SendAsync("status", status.Value, ct);
        }
        if (full)
        {
            return (false, true);
        }
        if (header.EndedAt is not null)
        {
            await group.SendAsync("ended", new { reason = header.EndReason ?? SessionEndReasons.Stopped, message = Message(feed.StatusJson) }, CancellationToken.None);
            return (true, false);
        }
        if (HeartbeatStale(header))
        {
            await group.SendAsync("ended", new
            {
                reason = Interrupted,
                message = $"the server running it stopped writing at {header.LastHeartbeatAt:HH:mm:ss} UTC; everything recorded until then is kept",
            }, CancellationToken.None);
            return (true, false);
        }
        return (false, false);
    }

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
