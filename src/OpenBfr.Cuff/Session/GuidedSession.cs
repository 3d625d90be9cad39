using System.Globalization;
using OpenBfr.Core;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Control;
using OpenBfr.Cuff.Safety;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Session;

/// <summary>What the session is doing now, for a display.</summary>
/// <param name="Phase">the phase.</param>
/// <param name="Exercise">the current exercise's name, or null.</param>
/// <param name="ExerciseNumber">1-based exercise number, 0 before the first.</param>
/// <param name="ExerciseCount">exercises in the protocol.</param>
/// <param name="Set">1-based set (or work interval) number, 0 when none.</param>
/// <param name="Rep">1-based rep within the set, 0 when none.</param>
/// <param name="Reps">reps in the set, 0 when none.</param>
/// <param name="Remaining">time left in the phase (countdown), zero for open-ended phases.</param>
/// <param name="Fault">the safety fault that ended the session, if any.</param>
public sealed record SessionStatus(
    SessionPhase Phase,
    string? Exercise,
    int ExerciseNumber,
    int ExerciseCount,
    int Set,
    int Rep,
    int Reps,
    TimeSpan Remaining,
    SafetyFault? Fault);

/// <summary>
/// Runs a prescription (one cuff, or one prescription per limb for two cuffs) as a state machine:
/// inflate → set i (rep cadence) → rest i (cuff on) → … → deflate → reperfusion (≥ 1 min) →
/// next exercise → done, with timed work steps for aerobic, walk-interval, passive and
/// sprint-recovery protocols. It is driven by an injected <see cref="TimeProvider"/> and by
/// <see cref="Tick"/> calls (50–100 Hz): no threads, no timers, so a 30-minute session runs in
/// virtual time in a test. Every tick reads each cuff (pressure and actuator feedback), lets the <see cref="SafetySupervisor"/>
/// judge it, steps each cuff's own controller, passes the command through the supervisor (whose
/// verdict overrides it), and sends the host heartbeat. A fault on any cuff deflates all of them.
/// </summary>
public sealed class GuidedSession
{
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<SessionCuff> _cuffs;
    private readonly List<ISessionObserver> _observers = [];
    private readonly List<ObserverFailure> _observerFailures = [];
    private readonly SessionOptions _options;
    private readonly List<Segment> _plan;
    private readonly PressureReading[] _last;
    private readonly bool[] _hasReading;
    private readonly Pressure[] _targets;

    private int _index = -1;
    private bool _reinflating;
    private DateTimeOffset _segmentStart;
    private TimeSpan _elapsedAtPause;
    private SessionPhase _phaseBeforePause;
    private int _repsCued;
    private int _setCuedFrom;
    private DateTimeOffset? _lastSetEnd;

    // How long after a set the muscle may still be relaxing (the last eccentric phase and a little more).
    private static readonly TimeSpan MuscleRelaxation = TimeSpan.FromSeconds(2);

    // The limb's motion in a set, for the supervisor's repeated-motion leak check: when the muscles
    // began moving (set start or restart after a pause), the rep time, the planned end and the exercise.
    private SetMotion? _motion;
    private SetMotion? _previousMotion;
    // A rep must be this far in before the same moment of the rep before it is a whole, comparable window.
    private static readonly TimeSpan RepeatSettle = TimeSpan.FromSeconds(0.3);
    private DateTimeOffset _nextTelemetry = DateTimeOffset.MinValue;
    private DateTimeOffset? _terminalAt;

    /// <exception cref="ArgumentException">no cuffs, duplicate cuff ids, prescriptions with different protocols, or invalid options (all listed).</exception>
    /// <exception cref="SafetyLimitExceededException">a prescription's target breaks a hard limit.</exception>
    public GuidedSession(IEnumerable<SessionCuff> cuffs, TimeProvider time, SessionOptions? options = null)
    {
        _time = Guard.NotNull(time);
        _cuffs = Guard.NotNull(cuffs).ToList();
        _options = (options ?? SessionOptions.Default).Validated();
        if (_cuffs.Count == 0) throw new ArgumentException("a session needs at least one cuff", nameof(cuffs));
        var protocols = _cuffs.Select(c => c.Prescription.Protocol.Name).Distinct().ToList();
        if (protocols.Count > 1)
        {
            throw new ArgumentException($"all cuffs of a session follow one protocol, got {string.Join(", ", protocols)}", nameof(cuffs));
        }
        Protocol = _cuffs[0].Prescription.Protocol;
        _targets = _cuffs.Select(c => SafetyLimits.CheckTarget(c.Prescription.Target, c.Prescription.ReferenceLop)).ToArray();
        // The supervisor judges against the prescribing reference (the low end for an estimate): the stricter LOP.
        Supervisor = new SafetySupervisor(
            _cuffs.Select(c => new SupervisedCuff(c.Id, c.Prescription.ReferenceLop, c.Prescription.Ceiling, Protocol.InflationKind)),
            _options.Safety);
        _plan = BuildPlan(Protocol);
        _last = new PressureReading[_cuffs.Count];
        _hasReading = new bool[_cuffs.Count];
    }

    /// <summary>The protocol being run.</summary>
    public Protocol Protocol { get; }

    /// <summary>The safety supervisor watching this session's cuffs.</summary>
    public SafetySupervisor Supervisor { get; }

    /// <summary>The cuffs, in order.</summary>
    public IReadOnlyList<SessionCuff> Cuffs => _cuffs;

    public SessionPhase Phase { get; private set; } = SessionPhase.Ready;

    /// <summary>True once the session has ended (done, stopped or aborted) and the cuffs are deflated: the Done event has been emitted.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>True when the session has ended, whether or not the cuffs have finished deflating.</summary>
    public bool IsEnded => Phase is SessionPhase.Done or SessionPhase.Stopped or SessionPhase.Aborted;

    /// <summary>
    /// Adds an observer of events and telemetry. An observer that throws is detached and its
    /// failure kept in <see cref="ObserverFailures"/>: the session goes on, so a log that cannot be
    /// written (a full disk) never keeps the supervisor from deflating the cuffs.
    /// </summary>
    public void Subscribe(ISessionObserver observer) => _observers.Add(Guard.NotNull(observer));

    /// <summary>Observers that threw, in order, each detached at its failure.</summary>
    public IReadOnlyList<ObserverFailure> ObserverFailures => _observerFailures;

    /// <summary>The target of a cuff now: zero whenever it should be deflated.</summary>
    public Pressure TargetOf(int cuffIndex)
    {
        if (IsEnded || Phase is SessionPhase.Paused or SessionPhase.Ready || Supervisor.IsTripped) return Pressure.Zero;
        var segment = Current;
        return segment is not null && (_reinflating || segment.Inflated) ? _targets[cuffIndex] : Pressure.Zero;
    }

    /// <summary>The last reading of a cuff, if any.</summary>
    public bool TryGetLastReading(int cuffIndex, out PressureReading reading)
    {
        reading = _last[cuffIndex];
        return _hasReading[cuffIndex];
    }

    /// <summary>A snapshot for a display.</summary>
    public SessionStatus Status
    {
        get
        {
            var now = _time.GetUtcNow();
            var segment = Current;
            if (segment is null || IsEnded)
            {
                return new SessionStatus(Phase, null, IsEnded ? Protocol.Exercises.Count : 0, Protocol.Exercises.Count, 0, 0, 0, TimeSpan.Zero, Supervisor.Fault);
            }
            var elapsed = Phase == SessionPhase.Paused ? _elapsedAtPause : now - _segmentStart;
            var remaining = segment.Duration > TimeSpan.Zero && !_reinflating ? segment.Duration - elapsed : TimeSpan.Zero;
            var reps = segment.Kind == SegmentKind.Set ? segment.Step!.Reps : 0;
            var rep = segment.Kind == SegmentKind.Set ? Math.Max(1, Math.Min(reps, _repsCued)) : 0;
            return new SessionStatus(Phase, Protocol.Exercises[segment.Exercise].Name, segment.Exercise + 1, Protocol.Exercises.Count,
                segment.Number, rep, reps, remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining, Supervisor.Fault);
        }
    }

    private Segment? Current => _index >= 0 && _index < _plan.Count ? _plan[_index] : null;

    /// <summary>
    /// One step of the session at the clock's time: read every cuff, supervise, advance the
    /// plan, command every cuff (through the supervisor) and send the heartbeat.
    /// </summary>
    public void Tick()
    {
        var now = _time.GetUtcNow();
        if (Phase == SessionPhase.Ready) Start(now);

        for (var i = 0; i < _cuffs.Count; i++)
        {
            var has = _cuffs[i].Transport.TryReadPressure(out var reading);
            if (has)
            {
                _last[i] = reading;
                _hasReading[i] = true;
            }
            var fault = Supervisor.Observe(_cuffs[i].Id, has, reading, TargetOf(i), now, LimbActive(now), LimbReleasing(now), LimbRepeatsFrom(now));
            if (fault is not null) OnFault(fault, now);
            var hasFeedback = _cuffs[i].Transport.TryReadActuators(out var feedback);
            var actuatorFault = Supervisor.ObserveActuators(_cuffs[i].Id, hasFeedback, feedback, now);
            if (actuatorFault is not null) OnFault(actuatorFault, now);
        }

        if (!IsEnded && Phase != SessionPhase.Paused) Advance(now);

        Command(now);

        if (now >= _nextTelemetry)
        {
            for (var i = 0; i < _cuffs.Count; i++)
            {
                var reading = _hasReading[i] ? _last[i].PressureMmHg : double.NaN;
                Emit(new PressureSample(now, _cuffs[i].Id, reading, TargetOf(i).MmHg, Phase));
            }
            // The next grid point after now, in one step: a session stopped before its first tick
            // has no schedule yet (MinValue), and stepping from there would take years of loop turns.
            var interval = _options.TelemetryInterval;
            _nextTelemetry = _nextTelemetry == DateTimeOffset.MinValue
                ? now + interval
                : _nextTelemetry + interval * ((now - _nextTelemetry).Ticks / interval.Ticks + 1);
        }

        if (IsEnded && !IsFinished) TryFinish(now);
    }

    /// <summary>Pauses: deflates every cuff now and stops the plan's clocks. Continuous-inflation limits still hold: a pause shorter than 1 min does not reset them.</summary>
    /// <returns>false when there is nothing to pause (not started, already paused, or ended).</returns>
    public bool Pause()
    {
        if (Phase is SessionPhase.Ready or SessionPhase.Paused || IsEnded) return false;
        var now = _time.GetUtcNow();
        _motion = null; // after a pause the motion restarts; nothing before it is compared
        _previousMotion = null;
        _elapsedAtPause = _reinflating ? TimeSpan.Zero : now - _segmentStart;
        if (Phase == SessionPhase.Set && Current is { Step: { } step } && _repsCued > 0)
        {
            // The interrupted rep starts again on resume.
            _repsCued--;
            _setCuedFrom = _repsCued;
            _elapsedAtPause = TimeSpan.FromSeconds(_repsCued * step.SecondsPerRep);
            foreach (var cuff in _cuffs) cuff.Muscle?.EndSet();
        }
        _phaseBeforePause = Phase;
        Phase = SessionPhase.Paused;
        Emit(Event(now, SessionEventKind.Pause, Current, detail: $"cuffs deflated; {Fmt(_elapsedAtPause.TotalSeconds)} s into {_phaseBeforePause.ToString().ToLowerInvariant()}"));
        Command(now);
        return true;
    }

    /// <summary>Resumes after a pause: re-inflates when the plan is in an inflated step, then continues where it stopped.</summary>
    /// <returns>false when not paused.</returns>
    public bool Resume()
    {
        if (Phase != SessionPhase.Paused) return false;
        var now = _time.GetUtcNow();
        var segment = Current!;
        Emit(Event(now, SessionEventKind.Resume, segment));
        if (segment.Inflated && segment.Kind != SegmentKind.Inflate)
        {
            foreach (var cuff in _cuffs) cuff.Regulator.Reset();
            _reinflating = true;
            _segmentStart = now;
            Phase = SessionPhase.Inflating;
            Emit(Event(now, SessionEventKind.Inflate, segment, detail: TargetsText()));
        }
        else
        {
            _segmentStart = now - _elapsedAtPause;
            Phase = _phaseBeforePause;
        }
        return true;
    }

    /// <summary>Stops the session: every cuff deflates now.</summary>
    public void Stop(string reason = "stopped by the athlete")
    {
        if (IsEnded) return;
        var now = _time.GetUtcNow();
        OnFault(Supervisor.Stop(reason, now), now);
        Command(now);
    }

    /// <summary>
    /// Records a symptom. Pain above 7/10, numbness, tingling, dizziness or a skin colour
    /// change deflates every cuff now and ends the session (SmartCuffs manual; Brandner et al. 2018).
    /// </summary>
    /// <returns>true when the symptom ended the session.</returns>
    public bool ReportSymptom(SymptomReport symptom)
    {
        Guard.NotNull(symptom);
        var now = _time.GetUtcNow();
        Emit(Event(now, SessionEventKind.Symptom, Current, detail: symptom.ToString()));
        if (IsEnded) return false;
        var fault = Supervisor.ReportSymptom(symptom, now);
        if (fault is null) return false;
        OnFault(fault, now);
        Command(now);
        return true;
    }

    private void Start(DateTimeOffset now)
    {
        _nextTelemetry = now;
        var cuffs = string.Join(", ", _cuffs.Select((c, i) => $"{c.Id} target {_targets[i]} ({Fmt(c.Prescription.TargetPercent)}% of LOP {c.Prescription.ReferenceLop})"));
        Emit(new SessionEvent(now, SessionEventKind.Start, Detail: $"{Protocol.Name}: {cuffs}"));
        Enter(0, now);
    }

    private void Advance(DateTimeOffset now)
    {
        // Bounded: each pass either stays or enters the next segment.
        for (var guard = 0; guard <= _plan.Count && !IsEnded; guard++)
        {
            var segment = Current!;
            var elapsed = now - _segmentStart;
            if (_reinflating)
            {
                if (!CheckInflated(segment, elapsed, now)) return;
                // Back where the pause stopped the plan, without restarting the step.
                _reinflating = false;
                _segmentStart = now - _elapsedAtPause;
                Phase = _phaseBeforePause == SessionPhase.Inflating ? PhaseOf(segment) : _phaseBeforePause;
                continue;
            }
            switch (segment.Kind)
            {
                case SegmentKind.Inflate:
                    if (!CheckInflated(segment, elapsed, now)) return;
                    break;
                case SegmentKind.Set:
                    var step = segment.Step!;
                    while (_repsCued < step.Reps && elapsed >= TimeSpan.FromSeconds(_repsCued * step.SecondsPerRep))
                    {
                        if (_repsCued == _setCuedFrom)
                        {
                            // A set starts (or restarts after a pause): the muscles contract from now.
                            foreach (var cuff in _cuffs) cuff.Muscle?.BeginSet(step.Reps - _repsCued, step.SecondsPerRep);
                            var whole = _repsCued == 0;
                            if (whole && _motion is { Whole: true } done && done.End <= now) _previousMotion = done;
                            _motion = new SetMotion(now, TimeSpan.FromSeconds(step.SecondsPerRep),
                                now + TimeSpan.FromSeconds((step.Reps - _repsCued) * step.SecondsPerRep), segment.Exercise, whole);
                        }
                        _repsCued++;
                        Emit(Event(now, SessionEventKind.Rep, segment, rep: _repsCued));
                    }
                    if (elapsed < segment.Duration) return;
                    _lastSetEnd = now;
                    Emit(Event(now, SessionEventKind.SetEnd, segment));
                    break;
                case SegmentKind.Rest:
                    if (elapsed < segment.Duration) return;
                    Emit(Event(now, SessionEventKind.RestEnd, segment));
                    break;
                case SegmentKind.Work:
                    if (elapsed < segment.Duration) return;
                    Emit(Event(now, SessionEventKind.WorkEnd, segment));
                    break;
                case SegmentKind.Deflate:
                    var all = Enumerable.Range(0, _cuffs.Count).All(IsDeflated);
                    if (!all && elapsed < _options.DeflateTimeout) return;
                    break;
                case SegmentKind.Reperfusion:
                    if (elapsed < segment.Duration) return;
                    break;
            }
            Enter(_index + 1, now);
        }
    }

    private bool CheckInflated(Segment segment, TimeSpan elapsed, DateTimeOffset now)
    {
        var reached = true;
        for (var i = 0; i < _cuffs.Count; i++)
        {
            reached &= _hasReading[i] && _last[i].PressureMmHg >= _targets[i].MmHg * _options.InflatedAtPercentOfTarget / 100;
        }
        if (reached) return true;
        if (elapsed > _options.InflateTimeout)
        {
            var slow = Enumerable.Range(0, _cuffs.Count).First(i => !_hasReading[i] || _last[i].PressureMmHg < _targets[i].MmHg * _options.InflatedAtPercentOfTarget / 100);
            var fault = Supervisor.Trip(FaultKind.InflateTimeout, _cuffs[slow].Id,
                $"{_cuffs[slow].Id}: did not reach {Fmt(_options.InflatedAtPercentOfTarget)}% of its target {_targets[slow]} within {Fmt(_options.InflateTimeout.TotalSeconds)} s", now);
            OnFault(fault, now);
        }
        return false;
    }

    private void Enter(int index, DateTimeOffset now)
    {
        _index = index;
        _segmentStart = now;
        _repsCued = 0;
        _setCuedFrom = 0;
        var segment = Current;
        if (segment is null)
        {
            Phase = SessionPhase.Done;
            _terminalAt = now;
            return;
        }
        Phase = PhaseOf(segment);
        switch (segment.Kind)
        {
            case SegmentKind.Inflate:
                foreach (var cuff in _cuffs) cuff.Regulator.Reset();
                Emit(Event(now, SessionEventKind.Inflate, segment, detail: TargetsText()));
                break;
            case SegmentKind.Set:
                Emit(Event(now, SessionEventKind.SetStart, segment, detail: $"{segment.Step!.Reps} reps, {Fmt(segment.Step.SecondsPerRep)} s each"));
                break;
            case SegmentKind.Rest:
                Emit(Event(now, SessionEventKind.RestStart, segment, detail: $"{Fmt(segment.Duration.TotalSeconds)} s, cuff {(segment.Inflated ? "on" : "off")}"));
                break;
            case SegmentKind.Work:
                Emit(Event(now, SessionEventKind.WorkStart, segment, detail: $"{Fmt(segment.Duration.TotalSeconds)} s, cuff {(segment.Inflated ? "on" : "off")}"));
                break;
            case SegmentKind.Deflate:
                Emit(Event(now, SessionEventKind.Deflate, segment));
                break;
            case SegmentKind.Reperfusion:
                Emit(Event(now, SessionEventKind.Reperfusion, segment, detail: $"{Fmt(segment.Duration.TotalSeconds)} s cuffs off"));
                break;
        }
    }

    private void OnFault(SafetyFault fault, DateTimeOffset now)
    {
        var isStop = fault.Kind == FaultKind.Stop;
        Emit(new SessionEvent(now, isStop ? SessionEventKind.Stop : SessionEventKind.Fault,
            Current is { } s ? Protocol.Exercises[s.Exercise].Name : null, Cuff: fault.CuffId,
            Detail: isStop ? fault.Reason : $"{fault.Kind.ToKebab()}: {fault.Reason}"));
        if (IsEnded) return;
        if (Phase == SessionPhase.Set) foreach (var cuff in _cuffs) cuff.Muscle?.EndSet();
        var wasDeflating = Phase is SessionPhase.Deflating or SessionPhase.Reperfusion or SessionPhase.Paused;
        Phase = isStop ? SessionPhase.Stopped : SessionPhase.Aborted;
        _terminalAt = now;
        if (!wasDeflating) Emit(new SessionEvent(now, SessionEventKind.Deflate, Detail: "all cuffs, now"));
    }

    private void TryFinish(DateTimeOffset now)
    {
        var inflated = Enumerable.Range(0, _cuffs.Count).Where(i => !IsDeflated(i)).ToList();
        var waited = now - (_terminalAt ?? now);
        if (inflated.Count > 0 && waited < _options.DeflateTimeout) return;
        var outcome = Phase switch
        {
            SessionPhase.Done => "completed",
            SessionPhase.Stopped => $"stopped: {Supervisor.Fault?.Reason}",
            _ => $"aborted: {Supervisor.Fault?.Kind.ToKebab()}: {Supervisor.Fault?.Reason}",
        };
        if (inflated.Count > 0)
        {
            outcome += "; deflation not confirmed by the sensor: " + string.Join(", ", inflated.Select(i => $"{_cuffs[i].Id} reads {Fmt(_last[i].PressureMmHg)} mmHg"));
        }
        IsFinished = true;
        Emit(new SessionEvent(now, SessionEventKind.Done, Detail: outcome));
    }

    private void Command(DateTimeOffset now)
    {
        for (var i = 0; i < _cuffs.Count; i++)
        {
            var cuff = _cuffs[i];
            var target = TargetOf(i);
            var proposed = target > Pressure.Zero && _hasReading[i]
                ? cuff.Regulator.Update(_last[i], target, cuff.Prescription.Ceiling)
                : target > Pressure.Zero ? ActuatorCommand.Hold : ActuatorCommand.Deflate;
            cuff.Transport.Command(Supervisor.Filter(cuff.Id, proposed));
            cuff.Transport.Heartbeat();
        }
    }

    /// <summary>True during a set and for a moment after it, while the muscle relaxes.</summary>
    private bool LimbActive(DateTimeOffset now)
        => Phase == SessionPhase.Set || (_lastSetEnd is { } end && now - end < MuscleRelaxation);

    /// <summary>True from the last rep of a set until a moment after it: the held load goes off, the limb gives back volume.</summary>
    private bool LimbReleasing(DateTimeOffset now)
        => (Phase == SessionPhase.Set && Current is { Step: { } step } && _repsCued >= step.Reps)
           || (_lastSetEnd is { } end && now - end < MuscleRelaxation);

    /// <summary>
    /// The earlier moment whose limb motion this one repeats, or null: in a set, from its third rep
    /// until the last, the same moment of the rep before; in the last rep and while the held load goes
    /// off, the same moment of the previous set's end (same exercise, same rep time, both uninterrupted).
    /// </summary>
    private DateTimeOffset? LimbRepeatsFrom(DateTimeOffset now)
    {
        if (_motion is not { } m || now > m.End + MuscleRelaxation) return null;
        if (now < m.End - m.Rep)
        {
            return Phase == SessionPhase.Set && now - m.Start >= 2 * m.Rep + RepeatSettle ? now - m.Rep : null;
        }
        if (!m.Whole || _previousMotion is not { } p || p.Exercise != m.Exercise || p.Rep != m.Rep) return null;
        return now - m.End >= -m.Rep + RepeatSettle ? p.End + (now - m.End) : null;
    }

    private readonly record struct SetMotion(DateTimeOffset Start, TimeSpan Rep, DateTimeOffset End, int Exercise, bool Whole);

    private bool IsDeflated(int i) => _hasReading[i] && _last[i].PressureMmHg < _options.DeflatedBelowMmHg;

    private string TargetsText() => string.Join(", ", _cuffs.Select((c, i) => $"{c.Id} {_targets[i]}"));

    private SessionEvent Event(DateTimeOffset now, SessionEventKind kind, Segment? segment, int? rep = null, string? detail = null)
    {
        var numbered = segment is { Kind: SegmentKind.Set or SegmentKind.Rest or SegmentKind.Work } && segment.Number > 0;
        return new SessionEvent(now, kind,
            segment is null ? null : Protocol.Exercises[segment.Exercise].Name,
            numbered ? segment!.Number : null, rep, null, detail);
    }

    private void Emit(SessionEvent e) => Notify(e.At, o => o.OnEvent(e));

    private void Emit(PressureSample s) => Notify(s.At, o => o.OnSample(s));

    // Any failure of an observer, of any kind: the tick (and with it the deflation) must go on.
    private void Notify(DateTimeOffset at, Action<ISessionObserver> call)
    {
        for (var i = 0; i < _observers.Count; i++)
        {
            try
            {
                call(_observers[i]);
            }
            catch (Exception ex)
            {
                _observerFailures.Add(new ObserverFailure(_observers[i], ex, at));
                _observers.RemoveAt(i--);
            }
        }
    }

    private static SessionPhase PhaseOf(Segment segment) => segment.Kind switch
    {
        SegmentKind.Inflate => SessionPhase.Inflating,
        SegmentKind.Set => SessionPhase.Set,
        SegmentKind.Rest => SessionPhase.Rest,
        SegmentKind.Work => SessionPhase.Work,
        SegmentKind.Deflate => SessionPhase.Deflating,
        _ => SessionPhase.Reperfusion,
    };

    private static List<Segment> BuildPlan(Protocol protocol)
    {
        var plan = new List<Segment>();
        for (var e = 0; e < protocol.Exercises.Count; e++)
        {
            var inflated = false;
            int sets = 0, works = 0;
            foreach (var step in protocol.Exercises[e].Steps)
            {
                if (step.CuffInflated && !inflated) plan.Add(new Segment(SegmentKind.Inflate, e, null, 0, TimeSpan.Zero, true));
                if (!step.CuffInflated && inflated) plan.Add(new Segment(SegmentKind.Deflate, e, null, 0, TimeSpan.Zero, false));
                inflated = step.CuffInflated;
                plan.Add(step.Kind switch
                {
                    StepKind.Set => new Segment(SegmentKind.Set, e, step, ++sets, step.Duration, true),
                    StepKind.Work => new Segment(SegmentKind.Work, e, step, ++works, step.Duration, step.CuffInflated),
                    _ => new Segment(SegmentKind.Rest, e, step, Math.Max(sets, works), step.Duration, step.CuffInflated),
                });
            }
            if (inflated) plan.Add(new Segment(SegmentKind.Deflate, e, null, 0, TimeSpan.Zero, false));
            if (e < protocol.Exercises.Count - 1)
            {
                plan.Add(new Segment(SegmentKind.Reperfusion, e, null, 0, SafetyLimits.CheckDeflation(protocol.DeflationBetweenExercises), false));
            }
        }
        return plan;
    }

    private static string Fmt(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private enum SegmentKind { Inflate, Set, Rest, Work, Deflate, Reperfusion }

    // Number: the set number for sets and the rests after them, the interval number for work.
    private sealed record Segment(SegmentKind Kind, int Exercise, ProtocolStep? Step, int Number, TimeSpan Duration, bool Inflated);
}
