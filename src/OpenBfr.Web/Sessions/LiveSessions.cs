using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using OpenBfr.Data.Sessions;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Sessions;

/// <summary>One cuff of a live session as the page draws it.</summary>
public sealed record LiveCuff(string Id, double TargetMmHg, double LowMmHg, double HighMmHg, double LopMmHg);

/// <summary>Where a live session is, for the big countdown.</summary>
public sealed record LiveStatus(string Phase, string? Exercise, int Set, int Sets, int Rep, int Reps, double RemainingSeconds, bool Ended, string? EndReason, string? Message);

/// <summary>A guided session running on cuffs, stepped in real time by <see cref="LiveSessions"/>.</summary>
public interface ILiveRun
{
    IReadOnlyList<LiveCuff> Cuffs { get; }

    /// <summary>Advances to the clock's now. Events and samples produced go to the sinks given at start.</summary>
    void Tick();

    /// <summary>Deflates every cuff at once and ends the session.</summary>
    void Stop(string reason);

    /// <summary>Reports a symptom; the engine deflates when it calls for it (all listed symptoms and pain above 7/10 do).</summary>
    void ReportSymptom(string kind, int? pain);

    LiveStatus Status { get; }

    bool IsEnded { get; }

    /// <summary>One of <see cref="SessionEndReasons"/> once ended.</summary>
    string? EndReason { get; }

    /// <summary>The latest reading per cuff, mmHg.</summary>
    IReadOnlyDictionary<string, double> LatestMmHg { get; }
}

/// <summary>Collects what a run produces between two flushes.</summary>
public sealed class LiveBuffer
{
    private readonly Lock _sync = new();
    private List<SessionEvent> _events = [];
    private List<TelemetrySample> _samples = [];
    private int _seq;

    public void Event(DateTimeOffset at, string kind, string? cuff, string? detail)
    {
        lock (_sync)
        {
            _events.Add(new SessionEvent { Seq = ++_seq, At = at, Kind = kind, CuffId = cuff, Detail = detail });
        }
    }

    public void Sample(DateTimeOffset at, string cuff, double pressureMmHg, double targetMmHg)
    {
        lock (_sync)
        {
            _samples.Add(new TelemetrySample { CuffId = cuff, At = at, PressureMmHg = Math.Round(pressureMmHg, 2), TargetMmHg = Math.Round(targetMmHg, 2) });
        }
    }

    /// <summary>Takes the events, and the samples too when <paramref name="withSamples"/>.</summary>
    public (List<SessionEvent> Events, List<TelemetrySample> Samples) Take(bool withSamples)
    {
        lock (_sync)
        {
            var events = _events;
            _events = [];
            if (!withSamples)
            {
                return (events, []);
            }
            var samples = _samples;
            _samples = [];
            return (events, samples);
        }
    }
}

/// <summary>A session running in this process.</summary>
public sealed class LiveSession(Guid id, Guid athleteId, ILiveRun run, LiveBuffer buffer)
{
    public Guid Id { get; } = id;

    public Guid AthleteId { get; } = athleteId;

    public ILiveRun Run { get; } = run;

    public LiveBuffer Buffer { get; } = buffer;

    /// <summary>Serialises ticks with stop and symptom calls from the hub and the API.</summary>
    public Lock Sync { get; } = new();

    /// <summary>
    /// Serialises flushes: one batch is taken, written and pushed before the next, so the log's
    /// rows commit in order (watchers on other nodes read them by sequence and id) and pages
    /// get them in order. A page joining holds it while it is sent its back-fill and put in the
    /// group (<see cref="LiveSessions.JoinAsync"/>), so no batch falls between the two.
    /// </summary>
    public SemaphoreSlim FlushGate { get; } = new(1, 1);

    public DateTimeOffset LastSampleFlush { get; set; }
}

/// <summary>
/// Runs the live sessions of this server: ticks each in real time on a background loop, writes
/// what happens to the session log as it happens (events at once, telemetry at least twice a
/// second), and pushes it to the watching pages over SignalR.
/// </summary>
public sealed class LiveSessions(SessionLog log, IHubContext<SessionHub> hub, TimeProvider time, OpenBfrWebOptions options, ILogger<LiveSessions> logger)
    : BackgroundService
{
    /// <summary>Telemetry is written at least this often (events are written at once).</summary>
    public static readonly TimeSpan TelemetryFlushInterval = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<Guid, LiveSession> _running = new();

    /// <summary>When this process started: sessions last heard of before then are interrupted.</summary>
    public DateTimeOffset ProcessStartedAt { get; } = time.GetUtcNow();

    /// <summary>Identifies this server process in the session headers.</summary>
    public string NodeId { get; } = Environment.MachineName + "-" + Guid.NewGuid().ToString("N")[..8];

    public int Count => _running.Count;

    public bool IsRunningHere(Guid sessionId) => _running.ContainsKey(sessionId);

    public LiveSession? Find(Guid sessionId) => _running.GetValueOrDefault(sessionId);

    /// <summary>Stores the header and starts ticking the run.</summary>
    public async Task StartAsync(SessionRecord header, ILiveRun run, LiveBuffer buffer, CancellationToken ct = default)
    {
        header.NodeId = NodeId;
        await log.StartAsync(header, ct);
        var live = new LiveSession(header.Id, header.AthleteId, run, buffer) { LastSampleFlush = time.GetUtcNow() };
        _running[header.Id] = live;
        await FlushAsync(live, force: true, ct);
    }

    /// <summary>Stops a session now: the cuffs deflate before this returns.</summary>
    public async Task<bool> StopAsync(Guid sessionId, string reason)
        => await ApplyAsync(sessionId, SessionCommandKinds.Stop, null, null, reason) is not null;

    /// <summary>Reports a symptom now; deflation, when called for, happens before this returns.</summary>
    public async Task<bool> SymptomAsync(Guid sessionId, string kind, int? pain)
        => await ApplyAsync(sessionId, SessionCommandKinds.Symptom, kind, pain, null) is not null;

    /// <summary>Outcome of a command that deflated the cuffs.</summary>
    public const string Deflated = "deflated";

    /// <summary>Outcome of a symptom report that the engine recorded without deflating (pain ≤ 7/10).</summary>
    public const string RecordedWithoutDeflation = "recorded; no deflation called for";

    /// <summary>
    /// Applies a stop or a symptom report to a session running here; the cuffs deflate (when
    /// called for) before this returns and what happened is written at once.
    /// </summary>
    /// <param name="sessionId">the session.</param>
    /// <param name="kind">one of <see cref="SessionCommandKinds"/>.</param>
    /// <param name="symptom">the symptom, for a symptom report.</param>
    /// <param name="pain">pain 0–10, for a pain report.</param>
    /// <param name="stopReason">the reason recorded with a stop.</param>
    /// <returns><see cref="Deflated"/> or <see cref="RecordedWithoutDeflation"/>; null when the session is not running here.</returns>
    public async Task<string?> ApplyAsync(Guid sessionId, string kind, string? symptom, int? pain, string? stopReason)
    {
        if (!_running.TryGetValue(sessionId, out var live))
        {
            return null;
        }
        bool ended;
        lock (live.Sync)
        {
            if (kind == SessionCommandKinds.Symptom)
            {
                live.Run.ReportSymptom(symptom ?? "", pain);
            }
            else
            {
                live.Run.Stop(stopReason ?? "stopped by the user");
            }
            ended = live.Run.IsEnded;
        }
        await FlushAsync(live, force: true, CancellationToken.None);
        return ended ? Deflated : RecordedWithoutDeflation;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.SessionTickMilliseconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var live in _running.Values)
                {
                    try
                    {
                        lock (live.Sync)
                        {
                            live.Run.Tick();
                        }
                        // Never cancelled: the batch is already out of the buffer, and a write rolled
                        // back at shutdown would lose what was recorded.
                        await FlushAsync(live, force: false, CancellationToken.None);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // A failing tick must not leave a cuff inflated: stop it, which deflates.
                        logger.LogError(e, "Live session {SessionId} failed; stopping it", live.Id);
                        lock (live.Sync)
                        {
                            live.Run.Stop("internal error");
                        }
                        await FlushAsync(live, force: true, CancellationToken.None);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        // Shutting down: deflate whatever still runs and record why.
        foreach (var live in _running.Values)
        {
            lock (live.Sync)
            {
                live.Run.Stop("server shutting down");
            }
            await FlushAsync(live, force: true, CancellationToken.None);
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions StatusJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>
    /// Joins a page's connection to a session running here, from its cursor: under the flush gate
    /// (no batch is being written or pushed), sends it what the log holds after the cursor, then
    /// puts it in the session's group, so the next batch pushed is the first row after the
    /// back-fill: no gap, nothing twice, in order.
    /// </summary>
    /// <returns>false when the session does not run here (any more): its rows and end are all in the log then.</returns>
    public async Task<bool> JoinAsync(Guid sessionId, string connectionId, LiveCursor from, CancellationToken ct = default)
    {
        if (!_running.TryGetValue(sessionId, out var live))
        {
            return false;
        }
        await live.FlushGate.WaitAsync(ct);
        try
        {
            if (!_running.ContainsKey(sessionId))
            {
                // Ended while this waited: the flush that ended it wrote everything and the end first.
                return false;
            }
            await LiveWire.BackfillAsync(log, hub.Clients.Client(connectionId), sessionId, from, ct);
            await hub.Groups.AddToGroupAsync(connectionId, SessionHub.Group(sessionId), ct);
            return true;
        }
        finally
        {
            live.FlushGate.Release();
        }
    }

    private async Task FlushAsync(LiveSession live, bool force, CancellationToken ct)
    {
        if (!force)
        {
            // The tick loop never waits behind a page's back-fill (it ticks every session): what
            // this flush would take stays buffered and goes with the next tick's.
            if (!live.FlushGate.Wait(0, CancellationToken.None))
            {
                return;
            }
        }
        else
        {
            await live.FlushGate.WaitAsync(CancellationToken.None);
        }
        try
        {
            await FlushInOrderAsync(live, force, ct);
        }
        finally
        {
            live.FlushGate.Release();
        }
    }

    private async Task FlushInOrderAsync(LiveSession live, bool force, CancellationToken ct)
    {
        if (!_running.ContainsKey(live.Id))
        {
            // Ended by a flush that held the gate before this one: nothing left to write.
            return;
        }
        var now = time.GetUtcNow();
        bool ended;
        string? reason;
        LiveStatus status;
        IReadOnlyDictionary<string, double> latest;
        (List<SessionEvent> Events, List<TelemetrySample> Samples) batch;
        lock (live.Sync)
        {
            ended = live.Run.IsEnded;
            reason = live.Run.EndReason;
            status = live.Run.Status;
            latest = live.Run.LatestMmHg;
            var due = force || ended || now - live.LastSampleFlush >= TelemetryFlushInterval;
            batch = live.Buffer.Take(withSamples: due);
        }
        if (batch.Samples.Count > 0 || force || ended)
        {
            live.LastSampleFlush = now;
        }
        if (batch.Events.Count > 0 || batch.Samples.Count > 0 || force || ended)
        {
            // The status goes with the rows: a node relaying this session to its own watchers
            // reads it from there (SessionFeedRelay).
            var statusJson = System.Text.Json.JsonSerializer.Serialize(new { status, latest }, StatusJson);
            await log.AppendAsync(live.Id, batch.Events, batch.Samples, now, ct, statusJson);
        }
        var group = hub.Clients.Group(SessionHub.Group(live.Id));
        if (batch.Samples.Count > 0)
        {
            // Ids were given by the append above: the page's telemetry cursor.
            await group.SendAsync(LiveMessages.Samples, LiveWire.Samples(batch.Samples), ct);
        }
        foreach (var e in batch.Events)
        {
            await group.SendAsync(LiveMessages.Event, LiveWire.Event(e), ct);
        }
        await group.SendAsync(LiveMessages.Status, new { status, latest }, ct);
        if (ended)
        {
            await log.EndAsync(live.Id, now, reason ?? SessionEndReasons.Stopped, CancellationToken.None);
            _running.TryRemove(live.Id, out _);
            await group.SendAsync(LiveMessages.Ended, new { reason = reason ?? SessionEndReasons.Stopped, message = status.Message }, CancellationToken.None);
        }
    }
}
