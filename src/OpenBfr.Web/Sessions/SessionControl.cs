using OpenBfr.Data.Sessions;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Sessions;

/// <summary>A stop or symptom report relayed to the node running the session, as the API shows it.</summary>
/// <param name="Id">the command's id.</param>
/// <param name="SessionId">the session.</param>
/// <param name="Kind">"stop" or "symptom".</param>
/// <param name="Symptom">the symptom, for a report.</param>
/// <param name="Pain">pain 0–10, for a pain report.</param>
/// <param name="RequestedAt">when the request was taken.</param>
/// <param name="Status">"pending" (waiting for the running node), "applied", or "expired" (the session stopped running before it was applied).</param>
/// <param name="AppliedAt">when the running node applied it.</param>
/// <param name="Outcome">what applying it did ("deflated", "recorded; no deflation called for", …).</param>
/// <param name="MillisecondsToApply">from request to applied, milliseconds.</param>
public sealed record SessionCommandDto(long Id, Guid SessionId, string Kind, string? Symptom, int? Pain, DateTimeOffset RequestedAt, string Status,
    DateTimeOffset? AppliedAt, string? Outcome, double? MillisecondsToApply);

/// <summary>What became of a stop or symptom request.</summary>
public abstract record SessionCommandResult
{
    /// <summary>The session runs on this node: applied before the answer (the cuffs are deflated when called for).</summary>
    public sealed record AppliedHere(string Outcome) : SessionCommandResult;

    /// <summary>The session runs on another node: written for it to apply (it polls at least every 200 ms).</summary>
    public sealed record Relayed(SessionCommandDto Command) : SessionCommandResult;

    /// <summary>The session is not running anywhere (ended or interrupted): nothing to do.</summary>
    public sealed record NotRunning(string State) : SessionCommandResult;
}

/// <summary>
/// Stop and symptom buttons on any web node: applied at once when the session runs here, else
/// written to the shared <see cref="SessionCommandQueue"/> for the node that runs it
/// (<see cref="SessionCommandRelay"/> there applies it and marks it applied).
/// </summary>
public sealed class SessionControl(LiveSessions live, SessionQueries queries, SessionCommandQueue queue, TimeProvider time)
{
    /// <summary>The reason recorded with a stop from the stop button.</summary>
    public const string StoppedByUser = "stopped by the user";

    /// <summary>Stops a session, wherever it runs.</summary>
    public Task<SessionCommandResult> StopAsync(Viewer viewer, Guid sessionId, CancellationToken ct = default)
        => SendAsync(viewer, sessionId, SessionCommandKinds.Stop, null, null, ct);

    /// <summary>Reports a symptom, wherever the session runs.</summary>
    /// <exception cref="InputException">unknown symptom, or pain without a 0–10 score.</exception>
    public Task<SessionCommandResult> SymptomAsync(Viewer viewer, Guid sessionId, string kind, int? pain, CancellationToken ct = default)
    {
        SessionCommands.ValidateSymptom(kind, pain);
        return SendAsync(viewer, sessionId, SessionCommandKinds.Symptom, kind, pain, ct);
    }

    /// <summary>A relayed command as the API shows it, or null.</summary>
    public async Task<SessionCommandDto?> FindAsync(Guid sessionId, long commandId, CancellationToken ct = default)
    {
        var command = await queue.FindAsync(sessionId, commandId, ct);
        if (command is null)
        {
            return null;
        }
        var header = await queries.HeaderAsync(sessionId, ct);
        return Dto(command, header);
    }

    private async Task<SessionCommandResult> SendAsync(Viewer viewer, Guid sessionId, string kind, string? symptom, int? pain, CancellationToken ct)
    {
        if (await live.ApplyAsync(sessionId, kind, symptom, pain, StoppedByUser) is { } outcome)
        {
            return new SessionCommandResult.AppliedHere(outcome);
        }
        var header = await queries.HeaderAsync(sessionId, ct);
        var state = header is null ? SessionState.Interrupted : StateOf(header);
        if (header?.NodeId is not { } node || state != SessionState.Running || node == live.NodeId)
        {
            return new SessionCommandResult.NotRunning(state.ToString().ToLowerInvariant());
        }
        var command = await queue.EnqueueAsync(new SessionCommand
        {
            SessionId = sessionId,
            TargetNodeId = node,
            Kind = kind,
            Symptom = symptom,
            Pain = pain,
            RequestedByUserId = viewer.UserId,
            RequestedOnNodeId = live.NodeId,
            RequestedAt = time.GetUtcNow(),
        }, ct);
        return new SessionCommandResult.Relayed(Dto(command, header));
    }

    private SessionState StateOf(SessionRecord header) => header.StateAt(time.GetUtcNow(), live.IsRunningHere(header.Id), live.ProcessStartedAt);

    private SessionCommandDto Dto(SessionCommand c, SessionRecord? header)
    {
        var status = c.AppliedAt is not null ? "applied"
            : header is not null && StateOf(header) == SessionState.Running ? "pending"
            : "expired";
        return new SessionCommandDto(c.Id, c.SessionId, c.Kind, c.Symptom, c.Pain, c.RequestedAt, status, c.AppliedAt, c.Outcome,
            c.AppliedAt is { } at ? Math.Round((at - c.RequestedAt).TotalMilliseconds, 1) : null);
    }
}

/// <summary>
/// On the node running sessions: applies the stop and symptom reports other nodes wrote for it.
/// It looks when PostgreSQL notifies it (LISTEN/NOTIFY, milliseconds) and in any case every
/// <see cref="OpenBfrWebOptions.CommandPollMilliseconds"/> while sessions run here (the table is
/// the durable fallback: a lost notification or a dropped listener costs at most one poll).
/// </summary>
public sealed class SessionCommandRelay(LiveSessions live, SessionCommandQueue queue, TimeProvider time, OpenBfrWebOptions options, ILogger<SessionCommandRelay> logger)
    : BackgroundService
{
    // Completed by a notification; replaced before each look at the queue, so a notification
    // that comes while looking makes the next wait return at once.
    private TaskCompletionSource _wake = NewSignal();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = ListenAsync(stoppingToken);
        var poll = TimeSpan.FromMilliseconds(options.CommandPollMilliseconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var signal = Volatile.Read(ref _wake).Task;
                await Task.WhenAny(signal, Task.Delay(poll, time, stoppingToken));
                stoppingToken.ThrowIfCancellationRequested();
                if (signal.IsCompleted)
                {
                    Interlocked.Exchange(ref _wake, NewSignal());
                }
                if (live.Count == 0)
                {
                    continue;
                }
                try
                {
                    await ApplyPendingAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A database hiccup must not end the relay: the next poll tries again.
                    logger.LogWarning(e, "Polling session commands failed; retrying");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        await listener;
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await queue.ListenAsync(live.NodeId, Wake, ct);
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Listening for session commands failed; polling meanwhile, listening again in 5 s");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), time, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Applies every command waiting for this node; returns how many.</summary>
    public async Task<int> ApplyPendingAsync(CancellationToken ct = default)
    {
        var pending = await queue.PendingForAsync(live.NodeId, ct);
        foreach (var c in pending)
        {
            var outcome = await live.ApplyAsync(c.SessionId, c.Kind, c.Symptom, c.Pain, SessionControl.StoppedByUser + " (on another server)")
                ?? "not applied: the session had already ended on this server";
            var at = time.GetUtcNow();
            await queue.MarkAppliedAsync(c.Id, at, outcome, CancellationToken.None);
            logger.LogInformation("Relayed {Kind} for session {SessionId} applied: {Outcome}, {Milliseconds} ms after the request",
                c.Kind, c.SessionId, outcome, Math.Round((at - c.RequestedAt).TotalMilliseconds));
        }
        return pending.Count;
    }
}
