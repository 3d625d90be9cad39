namespace OpenBfr.Cuff.Session;

/// <summary>Where a guided session is.</summary>
public enum SessionPhase
{
    /// <summary>Not started: no tick yet.</summary>
    Ready,

    /// <summary>Cuffs inflating to their targets.</summary>
    Inflating,

    /// <summary>A set of repetitions, cuffs inflated.</summary>
    Set,

    /// <summary>Rest between sets (cuffs on) or off-cuff rest inside an exercise.</summary>
    Rest,

    /// <summary>Timed work: aerobic, walk intervals, passive occlusion, sprint recovery.</summary>
    Work,

    /// <summary>Cuffs deflating.</summary>
    Deflating,

    /// <summary>Cuffs off between exercises so blood flows back (≥ 1 min).</summary>
    Reperfusion,

    /// <summary>Paused by the athlete: cuffs deflated, clocks of the plan stopped.</summary>
    Paused,

    /// <summary>Finished as planned.</summary>
    Done,

    /// <summary>Stopped by the athlete or clinician.</summary>
    Stopped,

    /// <summary>Aborted by the safety supervisor (fault or symptom).</summary>
    Aborted,
}

/// <summary>What happened.</summary>
public enum SessionEventKind
{
    Start,
    Inflate,
    SetStart,
    Rep,
    SetEnd,
    RestStart,
    RestEnd,
    WorkStart,
    WorkEnd,
    Deflate,
    Reperfusion,
    Symptom,
    Fault,
    Pause,
    Resume,
    Stop,
    Done,
}

/// <summary>One timestamped event of a session.</summary>
/// <param name="At">when it happened (the session's clock).</param>
/// <param name="Kind">what happened.</param>
/// <param name="Exercise">the exercise's name, when inside one.</param>
/// <param name="Set">1-based set number for set, rep and rest events.</param>
/// <param name="Rep">1-based rep number for rep events.</param>
/// <param name="Cuff">the cuff, for events about one cuff (a fault).</param>
/// <param name="Detail">words: the fault's reason, the symptom, the outcome.</param>
public sealed record SessionEvent(
    DateTimeOffset At,
    SessionEventKind Kind,
    string? Exercise = null,
    int? Set = null,
    int? Rep = null,
    string? Cuff = null,
    string? Detail = null);

/// <summary>One pressure telemetry sample of one cuff.</summary>
/// <param name="At">when it was taken (the session's clock).</param>
/// <param name="Cuff">the cuff's id.</param>
/// <param name="ReadingMmHg">the sensor reading, mmHg; NaN when the sensor gave none.</param>
/// <param name="TargetMmHg">the session's target for the cuff, mmHg (0 when deflated).</param>
/// <param name="Phase">the session's phase.</param>
public readonly record struct PressureSample(DateTimeOffset At, string Cuff, double ReadingMmHg, double TargetMmHg, SessionPhase Phase);

/// <summary>
/// Receives a session's events and telemetry as they happen, so the web app and the CLI can
/// persist and stream them (DESIGN.md section 6: written as it happens, a crash loses nothing
/// already recorded). Called on the ticking thread, in order.
/// </summary>
public interface ISessionObserver
{
    void OnEvent(SessionEvent sessionEvent);

    void OnSample(PressureSample sample);
}

/// <summary>An observer that threw: <see cref="GuidedSession"/> detached it and went on.</summary>
/// <param name="Observer">the observer, no longer called.</param>
/// <param name="Error">what it threw.</param>
/// <param name="At">the session time of the event or sample it failed on.</param>
public sealed record ObserverFailure(ISessionObserver Observer, Exception Error, DateTimeOffset At);
