namespace OpenBfr.Data.Sessions;

/// <summary>
/// A guided BFR session. Its content is the append-only log of <see cref="SessionEvent"/>s and
/// <see cref="TelemetrySample"/>s written while it runs; this row holds only the header, the
/// runner's heartbeat and, once over, how it ended.
/// </summary>
public sealed class SessionRecord
{
    public Guid Id { get; set; }

    public Guid AthleteId { get; set; }

    public Guid? PrescriptionId { get; set; }

    public string ProtocolName { get; set; } = "";

    /// <summary>True when the cuffs were simulated.</summary>
    public bool Simulated { get; set; }

    public string StartedByUserId { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Null while running or when the process running it died (then it is interrupted).</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>How it ended: see <see cref="SessionEndReasons"/>.</summary>
    public string? EndReason { get; set; }

    /// <summary>Last time the process running it wrote (schema version 2); a stale heartbeat on an unended session means it was interrupted.</summary>
    public DateTimeOffset LastHeartbeatAt { get; set; }

    /// <summary>Which server process ran it (schema version 2).</summary>
    public string? NodeId { get; set; }

    /// <summary>
    /// The running node's latest live status as the page's "status" message carries it (JSON,
    /// camelCase), written with each append (schema version 7); null before the first append and
    /// for sessions recorded before version 7.
    /// </summary>
    public string? LiveStatusJson { get; set; }

    /// <summary>The session's state now, as the rules in <see cref="SessionStatusRules"/> derive it.</summary>
    public SessionState StateAt(DateTimeOffset now, bool runningInThisProcess, DateTimeOffset processStartedAt)
        => SessionStatusRules.State(this, now, runningInThisProcess, processStartedAt);
}

/// <summary>The end reasons written to <see cref="SessionRecord.EndReason"/>.</summary>
public static class SessionEndReasons
{
    public const string Completed = "completed";
    public const string Stopped = "stopped";
    public const string Symptom = "symptom";
    public const string Fault = "fault";
}

/// <summary>Where a session stands.</summary>
public enum SessionState
{
    Running,
    Completed,

    /// <summary>Stopped early by the user, a symptom or a fault (the reason says which).</summary>
    Stopped,

    /// <summary>Never ended: the process running it died. Everything recorded up to then is kept.</summary>
    Interrupted,
}

/// <summary>How a session's state is derived from its stored header.</summary>
public static class SessionStatusRules
{
    /// <summary>
    /// A running session's process writes at least this often; a heartbeat older than this on a
    /// session that never ended means its process is gone.
    /// </summary>
    public static readonly TimeSpan HeartbeatStaleAfter = TimeSpan.FromSeconds(10);

    /// <summary>The state of <paramref name="session"/> as seen by one server process.</summary>
    /// <param name="session">the stored header.</param>
    /// <param name="now">the current time.</param>
    /// <param name="runningInThisProcess">whether this process is running it now.</param>
    /// <param name="processStartedAt">when this process started: a session last heard of before then cannot be this process's.</param>
    public static SessionState State(SessionRecord session, DateTimeOffset now, bool runningInThisProcess, DateTimeOffset processStartedAt)
    {
        if (session.EndedAt is not null)
        {
            return session.EndReason == SessionEndReasons.Completed ? SessionState.Completed : SessionState.Stopped;
        }
        if (runningInThisProcess)
        {
            return SessionState.Running;
        }
        // Another node (several web nodes may share PostgreSQL) keeps its heartbeat fresh; a
        // session heard of before this process started, and not running here, was orphaned by
        // a restart.
        var stale = now - session.LastHeartbeatAt > HeartbeatStaleAfter;
        return stale || session.LastHeartbeatAt < processStartedAt ? SessionState.Interrupted : SessionState.Running;
    }
}

/// <summary>One timestamped event of a session: inflate, set start/end, rest, deflate, symptom, fault, stop.</summary>
public sealed class SessionEvent
{
    public long Id { get; set; }

    public Guid SessionId { get; set; }

    /// <summary>Order within the session, from 1.</summary>
    public int Seq { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>What happened, in kebab case ("inflate", "set-start", "symptom", "fault", "stop").</summary>
    public string Kind { get; set; } = "";

    /// <summary>Which cuff it concerns, null for the whole session.</summary>
    public string? CuffId { get; set; }

    /// <summary>Details in words or JSON (the exercise, the set, the fault's reason).</summary>
    public string? Detail { get; set; }
}

/// <summary>One pressure sample of one cuff during a session.</summary>
public sealed class TelemetrySample
{
    public long Id { get; set; }

    public Guid SessionId { get; set; }

    public string CuffId { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public double PressureMmHg { get; set; }

    /// <summary>The controller's set-point at that moment, mmHg (0 when deflated).</summary>
    public double TargetMmHg { get; set; }
}
