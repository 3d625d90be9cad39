using System.Text.Json;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Core.Time;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Control;
using OpenBfr.Cuff.Safety;
using OpenBfr.Cuff.Session;
using OpenBfr.Cuff.Simulation;
using OpenBfr.Cuff.Transport;
using OpenBfr.Data.Sessions;
using CuffSessionEvent = OpenBfr.Cuff.Session.SessionEvent;

namespace OpenBfr.Web.Sessions;

/// <summary>
/// The cuff layer's guided session engine on simulated cuffs, in the server. Its clock is a
/// virtual one that follows the wall clock: each <see cref="Tick"/> steps the simulators and
/// the engine in 10 ms increments (the engine's 100 Hz control rate) up to the wall clock's now,
/// so pressures are regulated as on a device while the page sees real time.
/// </summary>
public sealed class SimulatedRun : ILiveRun, ISessionObserver
{
    /// <summary>The engine's control step: 100 Hz.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TimeProvider _wall;
    private readonly ManualTimeProvider _clock;
    private readonly List<CuffSimulator> _simulators = [];
    private readonly GuidedSession _session;
    private readonly LiveBuffer _buffer;
    private readonly Dictionary<string, double> _latest = [];

    /// <summary>Builds the session: one simulated cuff per prescription (all of one protocol).</summary>
    /// <param name="prescriptions">one per limb; the simulated limb's true LOP is the prescription's LOP.</param>
    /// <param name="wall">the real clock the run follows.</param>
    /// <param name="buffer">receives events and samples.</param>
    /// <param name="seed">seeds the simulators (noise, pulse, contractions).</param>
    /// <exception cref="ArgumentException">the engine refuses the prescriptions (different protocols, duplicate limbs).</exception>
    public SimulatedRun(IReadOnlyList<Prescription> prescriptions, TimeProvider wall, LiveBuffer buffer, int seed)
    {
        _wall = wall;
        _buffer = buffer;
        _clock = new ManualTimeProvider(wall.GetUtcNow());
        var cuffs = new List<SessionCuff>();
        var i = 0;
        foreach (var rx in prescriptions)
        {
            var limb = (rx.Limb.IsLeg() ? SimulatedLimb.Leg(rx.Lop.Value.MmHg, rx.Lop.Position, seed + i) : SimulatedLimb.Arm(rx.Lop.Value.MmHg, rx.Lop.Position, seed + i));
            var sim = new CuffSimulator(limb, _clock.GetUtcNow(), rx.Limb.ToKebab());
            _simulators.Add(sim);
            cuffs.Add(new SessionCuff(sim, rx, new ClosedLoopRegulator(clock: _clock), new MuscleActivity(sim.BeginSet, sim.EndSet)));
            Cuffs = [.. Cuffs, new LiveCuff(sim.Id, rx.Target.MmHg, rx.Low.MmHg, rx.High.MmHg, rx.Lop.Value.MmHg)];
            i++;
        }
        _session = new GuidedSession(cuffs, _clock);
        _session.Subscribe(this);
        foreach (var c in Cuffs)
        {
            _buffer.Event(_clock.GetUtcNow(), "cuff", c.Id, JsonSerializer.Serialize(c, Json));
        }
        // Start the engine now: a stop or symptom may come before the first wall-clock tick, and
        // the engine's telemetry schedule only exists once it has started (a stop before its
        // first tick left the schedule at DateTimeOffset.MinValue and the next tick caught up
        // from year 1 in 100 ms steps, holding the session's lock).
        _session.Tick();
    }

    public IReadOnlyList<LiveCuff> Cuffs { get; private set; } = [];

    public bool IsEnded => _session.IsFinished;

    public string? EndReason => !_session.IsFinished ? null : _session.Phase switch
    {
        SessionPhase.Done => SessionEndReasons.Completed,
        SessionPhase.Stopped => SessionEndReasons.Stopped,
        _ => _session.Supervisor.Fault?.Kind.ToKebab().Contains("symptom", StringComparison.Ordinal) == true ? SessionEndReasons.Symptom : SessionEndReasons.Fault,
    };

    public IReadOnlyDictionary<string, double> LatestMmHg => new Dictionary<string, double>(_latest);

    public LiveStatus Status
    {
        get
        {
            var s = _session.Status;
            var sets = _session.Protocol.Exercises.ElementAtOrDefault(Math.Max(0, s.ExerciseNumber - 1))?.Steps.Count(x => x.Kind is Core.Protocols.StepKind.Set or Core.Protocols.StepKind.Work) ?? 0;
            return new LiveStatus(s.Phase.ToString().ToLowerInvariant(), s.Exercise, s.Set, sets, s.Rep, s.Reps, Math.Round(s.Remaining.TotalSeconds, 1),
                _session.IsFinished, EndReason, s.Fault?.Reason);
        }
    }

    /// <summary>The simulators, for tests that inject faults.</summary>
    public IReadOnlyList<CuffSimulator> Simulators => _simulators;

    public void Tick()
    {
        var now = _wall.GetUtcNow();
        // Catch up at the engine's control rate; after a long stall (a paused debugger) at most 5 s at once.
        var steps = 0;
        while (_clock.GetUtcNow() + Step <= now && steps++ < 500)
        {
            _clock.Advance(Step);
            foreach (var sim in _simulators)
            {
                sim.AdvanceTo(_clock.GetUtcNow());
            }
            _session.Tick();
            if (_session.IsFinished)
            {
                break;
            }
        }
    }

    public void Stop(string reason)
    {
        _session.Stop(reason);
        FinishDeflation();
    }

    private void FinishDeflation()
    {
        // Deflation is commanded now; let the engine finish it on the next steps.
        for (var i = 0; i < 300 && !_session.IsFinished; i++)
        {
            _clock.Advance(Step);
            foreach (var sim in _simulators)
            {
                sim.AdvanceTo(_clock.GetUtcNow());
            }
            _session.Tick();
        }
    }

    public void ReportSymptom(string kind, int? pain)
    {
        var text = kind == "pain" ? $"pain:{pain ?? 0}" : kind;
        if (!SymptomReport.TryParse(text, out var report) || report is null)
        {
            throw new ArgumentException($"kind must be pain (with 0–10), numbness, tingling, dizziness or skin-colour-change; was '{kind}'", nameof(kind));
        }
        if (_session.ReportSymptom(report))
        {
            FinishDeflation();
        }
    }

    void ISessionObserver.OnEvent(CuffSessionEvent e)
    {
        var words = new List<string>();
        if (e.Exercise is not null) words.Add(e.Exercise);
        if (e.Set is { } set) words.Add($"set {set}");
        if (e.Rep is { } rep) words.Add($"rep {rep}");
        if (e.Detail is not null) words.Add(e.Detail);
        _buffer.Event(e.At, Kebab(e.Kind.ToString()), e.Cuff, words.Count == 0 ? null : string.Join(", ", words));
    }

    void ISessionObserver.OnSample(PressureSample sample)
    {
        if (double.IsFinite(sample.ReadingMmHg))
        {
            _latest[sample.Cuff] = sample.ReadingMmHg;
            _buffer.Sample(sample.At, sample.Cuff, sample.ReadingMmHg, sample.TargetMmHg);
        }
    }

    private static string Kebab(string name)
        => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

}
