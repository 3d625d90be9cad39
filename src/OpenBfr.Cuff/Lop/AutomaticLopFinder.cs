using System.Globalization;
using OpenBfr.Core;
using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Lop;

/// <summary>Why an automatic LOP measurement gave no value.</summary>
public enum LopFailure
{
    /// <summary>It succeeded.</summary>
    None,

    /// <summary>No arterial pulse at any pressure (cuff loose, sensor line blocked, or no pulse to find).</summary>
    NoPulse,

    /// <summary>Pulses still show at the highest pressure allowed (300 mmHg cap): LOP is above what may be measured.</summary>
    NoOcclusionBelowCap,

    /// <summary>Movement swamped the pulse: measure again with the limb still.</summary>
    MotionArtifact,

    /// <summary>The pulse envelope was too irregular to trust a value.</summary>
    LowConfidence,

    /// <summary>The cuff could not reach or hold a pressure step (leak, pump), or the sensor stopped.</summary>
    DeviceProblem,

    /// <summary>The measurement took longer than allowed.</summary>
    Timeout,
}

/// <summary>One pressure step of the measurement.</summary>
/// <param name="LevelMmHg">mean cuff pressure over the record, mmHg.</param>
/// <param name="PulseAmplitudeMmHg">rms of the beat-periodic part of the pressure, mmHg (0 when none).</param>
/// <param name="NoiseMmHg">rms of what did not repeat with the beat, mmHg.</param>
/// <param name="RecordSeconds">length of the record, s.</param>
/// <param name="BurstZ">with <see cref="LopFinderOptions.Burst"/>: the step's burst power over its noise-only standard error when it was measured; NaN otherwise.</param>
/// <param name="Refining">true for a step added to narrow the interval after the scan, false for a scan step.</param>
/// <param name="EndSeconds">when the step's record ended, s from the start of the measurement; NaN when not known.</param>
public readonly record struct LopStep(double LevelMmHg, double PulseAmplitudeMmHg, double NoiseMmHg, double RecordSeconds = 0, double BurstZ = double.NaN, bool Refining = false, double EndSeconds = double.NaN);

/// <summary>The outcome of an automatic LOP measurement.</summary>
/// <param name="Lop">the LOP found, or null on failure.</param>
/// <param name="Confidence">0–1: 1 − uncertainty / (2 × the largest uncertainty reported), 0 on failure.</param>
/// <param name="Failure">why there is no value; <see cref="LopFailure.None"/> on success.</param>
/// <param name="Message">a sentence for the user.</param>
/// <param name="Duration">from the start to the cuff deflated.</param>
/// <param name="Steps">every pressure step, in order.</param>
/// <param name="Uncertainty">
/// ± around <paramref name="Lop"/> within which the envelope fit puts the LOP (about two standard
/// errors: the profile-likelihood interval of the fit); null on failure.
/// </param>
public sealed record LopMeasurement(Pressure? Lop, double Confidence, LopFailure Failure, string Message, TimeSpan Duration, IReadOnlyList<LopStep> Steps, Pressure? Uncertainty = null)
{
    public bool Succeeded => Failure == LopFailure.None && Lop is not null;
}

/// <summary>Tunables of the automatic LOP finder, with documented defaults and ranges.</summary>
public sealed record LopFinderOptions
{
    /// <summary>First pressure step, mmHg: below the pulse-envelope peak of any LOP the finder should see.</summary>
    /// <value>30–120 mmHg; default 50.</value>
    public double StartMmHg { get; init; } = 50;

    /// <summary>Coarse step while the envelope rises, mmHg.</summary>
    /// <value>5–40 mmHg; default 20.</value>
    public double CoarseStepMmHg { get; init; } = 20;

    /// <summary>Fine step on the envelope's falling side, mmHg.</summary>
    /// <value>2–20 mmHg; default 8.</value>
    public double FineStepMmHg { get; init; } = 8;

    /// <summary>Settling after the pump stops, before recording, s.</summary>
    /// <value>0.05–2 s; default 0.2 s.</value>
    public double SettleSeconds { get; init; } = 0.2;

    /// <summary>Shortest record per step, s (it always holds 2.3 beats plus the filter's edges).</summary>
    /// <value>1.5–10 s; default 3 s.</value>
    public double RecordSeconds { get; init; } = 3;

    /// <summary>Longest record per step on the falling side, where a noisy limb needs more beats, s.</summary>
    /// <value>2–30 s; default 8 s.</value>
    public double MaxRecordSeconds { get; init; } = 8;

    /// <summary>Longest record of a refining step (a step added where it narrows the uncertainty), s; shorter on quiet limbs.</summary>
    /// <value>2–30 s; default 8 s.</value>
    public double RefineRecordSeconds { get; init; } = 8;

    /// <summary>The highest step, mmHg; never above the absolute cap less a margin, and lowered further on a swaying limb (the held pressure wanders with it).</summary>
    /// <value>100–295 mmHg; default 295.</value>
    public double MaxMmHg { get; init; } = 295;

    /// <summary>Longest measurement before giving up, s; it must leave room for the last refining record after <see cref="ExtendedRefineBudgetSeconds"/>.</summary>
    /// <value>30–300 s; default 300 s.</value>
    public double TimeoutSeconds { get; init; } = 300;

    /// <summary>No refining step starts after this much time, s: the result is then given as it stands.</summary>
    /// <value>10–250 s; default 75 s.</value>
    public double RefineBudgetSeconds { get; init; } = 75;

    /// <summary>
    /// While the uncertainty is still above <see cref="ExtendAboveMmHg"/>, refining steps may start
    /// until this much time instead of <see cref="RefineBudgetSeconds"/>, s. Only a limb that would
    /// otherwise end with a wide or failed result (a swaying seated or standing leg) measures longer;
    /// one that reaches ± 7 within the budget ends exactly as without it. Continuing is what "measure
    /// again" would do, keeping the records already made.
    /// </summary>
    /// <value>10–280 s, not below <see cref="RefineBudgetSeconds"/>; default 240 s; equal to <see cref="RefineBudgetSeconds"/>, no extension.</value>
    public double ExtendedRefineBudgetSeconds { get; init; } = 240;

    /// <summary>The uncertainty above which refining goes on into <see cref="ExtendedRefineBudgetSeconds"/>, mmHg.</summary>
    /// <value>1–20 mmHg; default 7 (on the simulator, successes with ± 7 or less were never off by more than 14.4 mmHg; ± 8–10 held the errors beyond 15).</value>
    public double ExtendAboveMmHg { get; init; } = 7;

    /// <summary>Refining stops once the uncertainty is at or below this, mmHg.</summary>
    /// <value>1–10 mmHg; default 3.</value>
    public double TargetUncertaintyMmHg { get; init; } = 3;

    /// <summary>A result less certain than this is reported as a failure (low confidence), never as a value, mmHg.</summary>
    /// <value>2–20 mmHg; default 10 (on the simulator, 95% of errors fall within the reported interval).</value>
    public double MaxUncertaintyMmHg { get; init; } = 10;

    /// <summary>
    /// Measure each step's burst power (<see cref="PulseAnalysis.BurstSeries"/>) too and fit it with
    /// the beat-lag power, scan in coarse steps only and place refining steps by information. The
    /// pulse's short systolic bursts near the LOP show through sway 2–4× more clearly than the
    /// beat-lag power alone (bench: more seated and standing legs get a value, errors no wider).
    /// False: the beat-lag power alone with a fine walk up the flank (the earlier finder, kept as
    /// the bench's baseline).
    /// </summary>
    /// <value>default true.</value>
    public bool Burst { get; init; } = true;

    public static LopFinderOptions Default { get; } = new();

    // Pumping to the last refining step, settling and deflating after its record.
    private const double LastStepMarginSeconds = 15;

    /// <summary>Every problem, naming the option, value and allowed range; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        void Check(double v, double min, double max, string unit, string name)
        {
            if (!double.IsFinite(v) || v < min || v > max) e.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be {min}–{max} {unit}, was {v}"));
        }
        Check(StartMmHg, 30, 120, "mmHg", nameof(StartMmHg));
        Check(CoarseStepMmHg, 5, 40, "mmHg", nameof(CoarseStepMmHg));
        Check(FineStepMmHg, 2, 20, "mmHg", nameof(FineStepMmHg));
        Check(SettleSeconds, 0.05, 2, "s", nameof(SettleSeconds));
        Check(RecordSeconds, 1.5, 10, "s", nameof(RecordSeconds));
        Check(MaxRecordSeconds, 2, 30, "s", nameof(MaxRecordSeconds));
        Check(RefineRecordSeconds, 2, 30, "s", nameof(RefineRecordSeconds));
        Check(MaxMmHg, 100, SafetyLimits.AbsoluteCap.MmHg - 5, "mmHg", nameof(MaxMmHg));
        Check(TimeoutSeconds, 30, 300, "s", nameof(TimeoutSeconds));
        Check(RefineBudgetSeconds, 10, 250, "s", nameof(RefineBudgetSeconds));
        Check(TargetUncertaintyMmHg, 1, 10, "mmHg", nameof(TargetUncertaintyMmHg));
        Check(MaxUncertaintyMmHg, 2, 20, "mmHg", nameof(MaxUncertaintyMmHg));
        Check(ExtendedRefineBudgetSeconds, 10, 280, "s", nameof(ExtendedRefineBudgetSeconds));
        Check(ExtendAboveMmHg, 1, 20, "mmHg", nameof(ExtendAboveMmHg));
        if (ExtendedRefineBudgetSeconds < RefineBudgetSeconds)
        {
            e.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(ExtendedRefineBudgetSeconds)} must not be below {nameof(RefineBudgetSeconds)} ({RefineBudgetSeconds} s), was {ExtendedRefineBudgetSeconds}"));
        }
        // A refining step may start just before the (extended) budget ends: its pumping, settling, record and deflation must fit before the timeout.
        var lastEnds = Math.Max(RefineBudgetSeconds, ExtendedRefineBudgetSeconds) + RefineRecordSeconds + LastStepMarginSeconds;
        if (TimeoutSeconds < lastEnds)
        {
            e.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(TimeoutSeconds)} must be at least the refining budget plus one refining record plus {LastStepMarginSeconds} s ({lastEnds} s), was {TimeoutSeconds}"));
        }
        return e;
    }

    /// <exception cref="ArgumentException">options out of range; all listed.</exception>
    public LopFinderOptions Validated()
    {
        var e = Validate();
        return e.Count == 0 ? this : throw new ArgumentException(string.Join("; ", e), "options");
    }
}

/// <summary>
/// Measures LOP through the cuff (DESIGN.md section 5): step inflation, at each step a record of
/// the cuff pressure with pump and valve shut, its pulsatile part found by
/// <see cref="PulseAnalysis"/> (the power that repeats with the heart beat); coarse steps while
/// the pulse envelope rises, fine steps on its falling side until the pulse no longer shows
/// (records lengthened on noisy limbs). The LOP is where a physiologic envelope model
/// (<see cref="EnvelopeModel"/>), fitted with the limb's own diastolic and pulse pressure, says
/// the pulse vanishes; each step is weighted by how precisely its record measures the pulse.
/// The fit's profile-likelihood interval is the reported uncertainty; while it is wider than
/// the target, the finder adds long records at the pressures that narrow it most. It reports
/// failure (no pulse, pulses still at the highest step, motion, an interval wider than allowed,
/// pulses seen above the value) instead of guessing. Ticked like the session engine: no
/// threads, no timers; it sends the heartbeat and never pumps at or above the absolute cap; it
/// ends with the cuff deflated.
/// </summary>
public sealed class AutomaticLopFinder
{
    private enum Stage { Start, Pumping, Settling, Recording, Deflating, Done }

    // Variance of the beat-lag power estimate: c·(v² + 2·p·v)/T for noise variance v, pulse
    // power p and record length T. c measured on the simulator: 0.10–0.20 for sensor noise,
    // 0.26–0.32 for motion (narrower band); the larger is used.
    internal const double PowerVarianceFactor = 0.3;

    // Variance of the burst series' beat-lag power: its correlation time (PulseAnalysis.CorrelationSeconds,
    // from the record itself) · (v² + 2·p·v)/T; measured on the simulator at 0.5–1.4 of that (median 0.75)
    // for pulse-free records of 3–8 s across positions, sensor noise and motion: the factor 1 is used.
    private const double BurstVarianceShare = 1.0;

    // Share of a step's power taken as model error (bladder, creep and waveform the model lacks),
    // so a few very clean steps cannot pull the fit alone.
    internal const double ModelErrorShare = 0.1;

    // Pulses "show" at z ≥ 3 (power over its noise-only standard error); "gone" below 2.
    private const double ShowsZ = 3, GoneZ = 2;

    // The envelope's top counts only where the pulse stands well clear of the noise.
    private const double PeakZ = 5;

    // A real envelope spans 0.45–0.9 of the LOP, so its pulse shows at two or more 20 mmHg steps
    // even on the lowest LOPs; a pulse at one step alone can be sway (a standing leg with LOP 300
    // once showed one at 72 mmHg in a 2.5 s record, nothing at the steps around it, and was given 91).
    private const int MinShowingSteps = 2;

    // Nor below 0.25 mmHg rms: thigh and arm envelopes peak at 0.4–0.9 mmHg rms on the simulator,
    // and a LOP far above the first steps gives small but clear pulses there that are not the top.
    private const double MinPeakPower = 0.25 * 0.25;

    // Refining steps, as shares of the current LOP estimate, in turn: the flank's slope, the
    // pulse's disappearance, the flank's top (the fit's other unknowns need all three).
    private static readonly double[] RefineShares = [0.9, 0.96, 0.84, 0.93, 1.0, 0.87];

    // In-band noise above this (rms) on a step is movement, not sensor noise: the step is
    // measured again, and after two failed retries the measurement stops.
    private const double MotionMmHg = 2.0;

    private const int MaxRefinements = 12;

    // In the extension (ExtendedRefineBudgetSeconds): 8 more records of up to 8 s.
    private const int MaxExtendedRefinements = 20;

    // A held cuff wanders with the limb's sway: the highest step stays this many of the held
    // records' standard deviations (median record, pulse and sway together) plus 1 mmHg below the
    // absolute cap. A standing leg with sway of 1.4 mmHg sd held at 295 mmHg went to 301.
    private const double SwayMarginSds = 5;

    // A value is given only while it plus this many of its ± stays under the highest step. Near
    // the top a pulse at 0.95–1.0 of a LOP above the step is lost in sway, and the values given
    // there ran low (a leg with LOP 296 was given 286 ± 7 against a top step of 295), so one ±
    // does not cover the truth there. On harness populations 3001–3003 (1500 legs; never the
    // bench's): with one ±, 2 values were given for LOPs above the highest step; with two, none,
    // at the cost of 12 of 1211 values (standing legs with LOP 268–293, errors −10.8 to +6.4).
    private const double NearTopIntervals = 2;

    // A step's noise variance is taken as at least this share of the median step's (see Estimates).
    private const double NoiseFloorShare = 0.5;

    // The pulse counts as gone after this many steps in a row without it.
    private const int GoneSteps = 2;

    // With the burst power, the scan hands off to refining steps once the beat-lag power has
    // fallen below this share of its top.
    private const double HandOffShare = 0.6;

    // While the pump runs (or the valve bleeds) the cuff must fill (or empty) at least this much in
    // each window: a stuck sensor, a dead pump, a pump giving no air, a fast leak or a valve that does
    // not open are found within a window instead of after the 8 s stage limit (a stuck sensor once let
    // the pump drive the cuff blind to the device's own 300 mmHg cut-off). On sound devices they never
    // tripped: not on the 60 varied legs of the tests, nor on 3000 legs of six populations (the bench's
    // main and held-out ones among them, pumps ±30%, swaying standing legs), whose results did not change.
    private static readonly TimeSpan FillWindow = TimeSpan.FromSeconds(0.5);
    private const double MinFillMmHg = 1;
    private static readonly TimeSpan BleedWindow = TimeSpan.FromSeconds(1);
    private const double MinBleedMmHg = 0.5;

    private enum Acting { Nothing, Pumping, Bleeding }

    private readonly ICuffTransport _cuff;
    private readonly TimeProvider _time;
    private readonly LopFinderOptions _o;
    private readonly List<double> _record = [];
    private readonly List<LopStep> _steps = [];
    private readonly List<double> _heldSd = [];
    private readonly List<Record> _records = [];
    private Stage _stage = Stage.Start;
    private DateTimeOffset _start, _stageStart, _lastNewReading;
    private DateTimeOffset? _lastReadingAt;
    private double _level, _lastMmHg, _recordSeconds, _fineStep, _noiseVariance;
    private double _beatSeconds = double.NaN, _beatPower;

    // Every recorded step's estimates at the beat as it stood when the last record was added (with
    // Burst, refined on the bursts): computed once per record, read by the scan and the fit.
    private double _beat = double.NaN;
    private List<PulseEstimate> _lag = [], _bursts = [];
    private bool _fine, _refining;
    private Acting _acting;
    private DateTimeOffset _actingSince;
    private double _actingFromMmHg;
    private int _goneInRow, _motionRetries, _refinements;
    private (Pressure? Lop, double Confidence, LopFailure Failure, string Message, Pressure? Uncertainty) _verdict;

    /// <exception cref="ArgumentException">invalid options.</exception>
    public AutomaticLopFinder(ICuffTransport cuff, TimeProvider time, LopFinderOptions? options = null)
    {
        _cuff = Guard.NotNull(cuff);
        _time = Guard.NotNull(time);
        _o = (options ?? LopFinderOptions.Default).Validated();
    }

    /// <summary>The result once finished (the cuff deflated); null before.</summary>
    public LopMeasurement? Result { get; private set; }

    public bool IsFinished => Result is not null;

    /// <summary>The steps measured so far.</summary>
    public IReadOnlyList<LopStep> Steps => _steps;

    /// <summary>The pressure the finder is at or going to, mmHg.</summary>
    public double CurrentLevelMmHg => _level;

    /// <summary>One step at the clock's time: read, decide, command, heartbeat.</summary>
    public void Tick()
    {
        var now = _time.GetUtcNow();
        if (_stage == Stage.Start)
        {
            _start = now;
            _lastNewReading = now;
            _level = _o.StartMmHg;
            _recordSeconds = _o.RecordSeconds;
            Enter(Stage.Pumping, now);
        }

        var has = _cuff.TryReadPressure(out var reading);
        if (has && (_lastReadingAt is null || reading.At > _lastReadingAt))
        {
            _lastReadingAt = reading.At;
            _lastNewReading = now;
            _lastMmHg = reading.PressureMmHg;
            if (_stage == Stage.Recording) _record.Add(reading.PressureMmHg);
        }

        if (_stage != Stage.Deflating && _stage != Stage.Done)
        {
            if (_lastMmHg > SafetyLimits.AbsoluteCap.MmHg)
                Finish(null, LopFailure.DeviceProblem, $"cuff read {F(_lastMmHg)} mmHg, above the {SafetyLimits.AbsoluteCap} cap: deflated", now);
            else if (now - _lastNewReading > TimeSpan.FromSeconds(0.25))
                Finish(null, LopFailure.DeviceProblem, "the pressure sensor stopped reporting: deflated", now);
            else if ((now - _start).TotalSeconds > _o.TimeoutSeconds)
                Finish(null, LopFailure.Timeout, $"no result within {F(_o.TimeoutSeconds)} s", now);
        }

        var command = ActuatorCommand.Hold;
        switch (_stage)
        {
            case Stage.Pumping:
                if (_lastMmHg > _level + 2)
                {
                    // Going back down to a refining step: bleed a little.
                    command = new ActuatorCommand(0, 0.12);
                }
                else if (_lastMmHg >= _level - 0.5)
                {
                    Enter(Stage.Settling, now);
                }
                else if ((now - _stageStart).TotalSeconds > 8)
                {
                    Finish(null, LopFailure.DeviceProblem, $"the cuff did not reach {F(_level)} mmHg in 8 s (leak or pump)", now);
                }
                else
                {
                    command = new ActuatorCommand(1, 0);
                }
                break;
            case Stage.Settling:
                if ((now - _stageStart).TotalSeconds >= _o.SettleSeconds) Enter(Stage.Recording, now);
                break;
            case Stage.Recording:
                if ((now - _stageStart).TotalSeconds >= RecordSeconds) Analyse(now);
                break;
        }
        if (_stage == Stage.Deflating)
        {
            command = ActuatorCommand.Deflate;
            if (_lastMmHg < 5 || (now - _stageStart).TotalSeconds > 5)
            {
                Result = new LopMeasurement(_verdict.Lop, _verdict.Confidence, _verdict.Failure, _verdict.Message, now - _start, _steps.ToList(), _verdict.Uncertainty);
                _stage = Stage.Done;
            }
        }
        if (_stage == Stage.Done) command = ActuatorCommand.Deflate;
        // Never pump at or near the cap, whatever the stage.
        if (_lastMmHg >= _o.MaxMmHg + 3) command = command with { PumpDuty = 0 };
        if (_stage is Stage.Pumping && !CheckProgress(command, now)) command = ActuatorCommand.Deflate;
        _cuff.Command(command);
        _cuff.Heartbeat();
    }

    // The planned length, but never shorter than 2.5 beats plus the filter's edges at the heart rate seen so far.
    private double RecordSeconds => double.IsNaN(_beatSeconds) ? _recordSeconds : Math.Max(_recordSeconds, 2.5 * _beatSeconds + 0.5);

    /// <summary>
    /// Whether the cuff moves as the command should move it: filling while the pump runs, emptying
    /// while the valve bleeds, judged over each <see cref="FillWindow"/> (<see cref="BleedWindow"/>)
    /// from when the action began. When it does not, the measurement ends as a device problem.
    /// </summary>
    private bool CheckProgress(ActuatorCommand command, DateTimeOffset now)
    {
        var acting = command.PumpDuty > 0 ? Acting.Pumping : command.ValveOpening > 0 ? Acting.Bleeding : Acting.Nothing;
        if (acting != _acting)
        {
            (_acting, _actingSince, _actingFromMmHg) = (acting, now, _lastMmHg);
            return true;
        }
        var (window, least) = acting == Acting.Pumping ? (FillWindow, MinFillMmHg) : (BleedWindow, MinBleedMmHg);
        if (acting == Acting.Nothing || now - _actingSince < window) return true;
        var moved = acting == Acting.Pumping ? _lastMmHg - _actingFromMmHg : _actingFromMmHg - _lastMmHg;
        if (moved >= least)
        {
            (_actingSince, _actingFromMmHg) = (now, _lastMmHg);
            return true;
        }
        var what = acting == Acting.Pumping
            ? $"the cuff did not fill while the pump ran (it read {F(_actingFromMmHg)} then {F(_lastMmHg)} mmHg over {F(window.TotalSeconds)} s): a pump, tube or leak problem, or a stuck pressure sensor"
            : $"the cuff did not empty while the valve bled (it read {F(_actingFromMmHg)} then {F(_lastMmHg)} mmHg over {F(window.TotalSeconds)} s): a valve that does not open, or a stuck pressure sensor";
        Finish(null, LopFailure.DeviceProblem, what + ": deflated", now); // entering Deflating resets _acting
        return false;
    }

    private void Enter(Stage stage, DateTimeOffset now)
    {
        _stage = stage;
        _stageStart = now;
        _acting = Acting.Nothing;
        if (stage == Stage.Recording) _record.Clear();
    }

    private void Analyse(DateTimeOffset now)
    {
        var seconds = (now - _stageStart).TotalSeconds;
        if (_record.Count > 1 && _record.TrueForAll(v => v == _record[0]))
        {
            // Noise, sway and the pulse always move a live sensor within a record (even in 0.5 mmHg steps).
            Finish(null, LopFailure.DeviceProblem, $"the pressure sensor read {F(_record[0])} mmHg unchanged for the whole {F(seconds)} s record: a stuck sensor: deflated", now);
            return;
        }
        var rate = _record.Count / seconds;
        var x = PulseAnalysis.BandPass(_record, rate);
        var variance = PulseAnalysis.Variance(x);
        var (beat, strength) = PulseAnalysis.BeatPeriod(x, rate);
        if (strength >= 0.5 && variance > 0.01 && strength * variance > _beatPower)
        {
            // The heart's period from the step where it repeats most strongly: weak early steps
            // can lock onto two beats or onto noise, the envelope's top does not.
            _beatPower = strength * variance;
            _beatSeconds = beat;
        }
        var burst = PulseAnalysis.BurstSeries(_record, rate);
        var record = new Record(_record.Average(), x, rate, burst, PulseAnalysis.CorrelationSeconds(burst, rate));
        var e = Estimate(record, double.IsNaN(_beatSeconds) && strength >= 0.3 ? beat : _beatSeconds);
        var noise = Math.Sqrt(e.NoiseVariance);
        if (noise > MotionMmHg)
        {
            if (_motionRetries++ < 2)
            {
                Enter(Stage.Settling, now);
                return;
            }
            Finish(null, LopFailure.MotionArtifact, $"movement swamped the pulse at {F(record.LevelMmHg)} mmHg (noise {F(noise)} mmHg rms): keep the limb still and measure again", now);
            return;
        }
        _motionRetries = 0;
        _records.Add(record);
        _heldSd.Add(DetrendedSd(_record));
        _beat = _o.Burst ? BurstBeatSeconds() : _beatSeconds;
        _lag = Estimates();
        _bursts = _o.Burst ? BurstEstimates() : [];
        _steps.Add(new LopStep(record.LevelMmHg, Math.Sqrt(Math.Max(0, e.Power)), noise, x.Length / rate, _o.Burst ? _bursts[^1].Z : double.NaN, _refining, (now - _start).TotalSeconds));
        if (_refining)
        {
            _refinements++;
            Conclude(now);
            return;
        }

        if (_o.Burst)
        {
            ScanWithBursts(record, now);
            return;
        }

        // Scan: the peak so far among steps where a pulse shows.
        var estimates = _lag;
        var peak = -1;
        for (var i = 0; i < estimates.Count; i++)
        {
            if (estimates[i].Z >= PeakZ && estimates[i].Power >= MinPeakPower && (peak < 0 || estimates[i].Power > estimates[peak].Power)) peak = i;
        }
        var last = estimates[^1];
        // Not sticky: a later, higher top (the first one was noise) brings the coarse steps back.
        _fine = peak >= 0 && peak < estimates.Count - 1 && last.Power < 0.9 * estimates[peak].Power;
        if (_fine)
        {
            // On the falling side: fine steps, and records long enough for this limb's noise
            // (the variance of the power estimate grows with the noise's, falls with length).
            _noiseVariance = estimates.Skip(peak).Average(s => s.NoiseVariance);
            _recordSeconds = Math.Clamp(_o.RecordSeconds * _noiseVariance / 0.02, _o.RecordSeconds, _o.MaxRecordSeconds);
            // The flank spans the last third of the LOP; its steps scale with where the top was.
            _fineStep = Math.Clamp(0.05 * estimates[peak].LevelMmHg, 4, _o.FineStepMmHg);
        }
        // The envelope peaks at 0.55–0.85 of the LOP, and the pulse shows to about 0.9 of it: a
        // pulse gone within 12% above the peak is noise at the top, not the end of the flank.
        var gone = _fine && peak >= 0 && last.Z < GoneZ && last.Power < 0.25 * estimates[peak].Power
            && record.LevelMmHg >= 1.12 * estimates[peak].LevelMmHg;
        _goneInRow = gone ? _goneInRow + 1 : 0;
        if (_goneInRow >= GoneSteps)
        {
            Conclude(now);
            return;
        }
        StepUpOrEnd(_fine ? _fineStep : _o.CoarseStepMmHg, peak >= 0, peak >= 0 && last.Z >= ShowsZ && last.Power >= 0.1 * estimates[peak].Power, record.LevelMmHg, now);
    }

    /// <summary>
    /// The next scan step, or one last at the highest pressure allowed; past that, the end: no pulse
    /// found, pulses still showing at the top (the LOP is out of reach), or the fit.
    /// </summary>
    private void StepUpOrEnd(double stepMmHg, bool pulseFound, bool showsAtTop, double levelMmHg, DateTimeOffset now)
    {
        var next = _level + stepMmHg;
        var top = TopMmHg;
        if (next > top && _level < top - 1) next = top;
        if (next <= top)
        {
            _level = next;
            Enter(Stage.Pumping, now);
        }
        else if (!pulseFound)
            Finish(null, LopFailure.NoPulse, $"no arterial pulse found between {F(_o.StartMmHg)} and {F(_level)} mmHg{NoPulseAdvice()}", now);
        else if (showsAtTop)
            Finish(null, LopFailure.NoOcclusionBelowCap, $"pulses still show at {F(levelMmHg)} mmHg: the LOP is at or above the highest step allowed under the {SafetyLimits.AbsoluteCap} cap and cannot be measured", now);
        else
            Conclude(now);
    }

    /// <summary>
    /// The scan with <see cref="LopFinderOptions.Burst"/>: coarse steps with short records until the
    /// beat-lag power has passed its top and fallen below <see cref="HandOffShare"/> of it, then
    /// straight to refining steps around the fitted LOP (the burst power measures the flank
    /// there far better than a fine walk up it would).
    /// </summary>
    private void ScanWithBursts(Record record, DateTimeOffset now)
    {
        var lag = _lag;
        var burst = _bursts;
        var top = -1;
        for (var i = 0; i < lag.Count; i++)
        {
            if (PulseShowsAt(i) && lag[i].Power >= MinPeakPower && (top < 0 || lag[i].Power > lag[top].Power)) top = i;
        }
        var last = lag.Count - 1;
        // The noise past the top sets the refining records' length (read only by the fit).
        if (top >= 0) _noiseVariance = lag.Skip(top).Average(s => s.NoiseVariance);
        // A top that does not stand clear may be noise on a quiet early step: the scan goes on.
        var clear = top >= 0 && (lag[top].Z >= ShowsZ + 1 || burst[top].Z >= ShowsZ + 2)
            && Enumerable.Range(0, lag.Count).Count(PulseShowsAt) >= MinShowingSteps;
        if (clear && top < last && lag[last].Power < HandOffShare * lag[top].Power && record.LevelMmHg >= 1.1 * lag[top].LevelMmHg
            && burst[last].Z < GoneZ)
        {
            Conclude(now);
            return;
        }
        StepUpOrEnd(_o.CoarseStepMmHg, top >= 0, top >= 0 && PulseShowsAt(last) && lag[last].Power >= 0.1 * lag[top].Power, record.LevelMmHg, now);
    }

    /// <summary>
    /// What to do after no pulse was found, with the steps' median noise: a loose cuff or a kinked
    /// line shows no pulse on a quiet record, but so does a swaying standing leg, whose short scan
    /// records bury a weak pulse (on the simulator that is most of the standing legs that fail so).
    /// </summary>
    private string NoPulseAdvice()
    {
        var noise = _steps.Count == 0 ? 0 : _steps.Select(s => s.NoiseMmHg).Order().ElementAt(_steps.Count / 2);
        return $" (median noise {noise.ToString("0.00", CultureInfo.InvariantCulture)} mmHg rms): check the cuff's fit and tubing, keep the limb still and measure again";
    }

    private void Conclude(DateTimeOffset now)
    {
        var estimates = _lag;
        if (double.IsNaN(_beatSeconds) || !(estimates.Any(e => e.Z >= ShowsZ + 1) || _bursts.Any(e => e.Z >= ShowsZ + 2)))
        {
            Finish(null, LopFailure.NoPulse, $"no clear arterial pulse at any step{NoPulseAdvice()}", now);
            return;
        }
        var rate = _records[^1].RateHz;
        var model = EnvelopeModel.For(_beat, rate);
        var fit = EnvelopeFit.Run(model, estimates, _bursts);
        var lop = fit.LopMmHg;
        var uncertainty = fit.UncertaintyMmHg;

        var elapsed = (now - _start).TotalSeconds;
        var highest = TopMmHg;
        // Refining narrows the interval roughly as 1/√(records): past three times the largest
        // allowed after two refining steps, the budget would not bring it within bounds.
        var hopeless = _refinements >= (_o.Burst ? 4 : 2) && uncertainty > 3 * _o.MaxUncertaintyMmHg;
        // Still wider than ± 7: the extension's budget (validated to be at least the budget) and record count.
        var extending = uncertainty > _o.ExtendAboveMmHg;
        var budget = extending ? _o.ExtendedRefineBudgetSeconds : _o.RefineBudgetSeconds;
        var cap = extending ? MaxExtendedRefinements : MaxRefinements;
        if (uncertainty > _o.TargetUncertaintyMmHg && !hopeless && _refinements < cap && elapsed < budget
            && lop - uncertainty < highest && !double.IsNaN(lop))
        {
            // Add a long record where it narrows the interval most.
            _refining = true;
            _recordSeconds = Math.Clamp(_o.RecordSeconds * _noiseVariance / 0.02, _o.RecordSeconds, _o.RefineRecordSeconds);
            _level = _o.Burst
                ? EnvelopeFit.NextLevel(model, fit, estimates, _bursts, _recordSeconds, highest)
                : Math.Min(highest, RefineShares[_refinements % RefineShares.Length] * lop);
            Enter(Stage.Pumping, now);
            return;
        }

        // Where pulses clearly showed: by the beat-lag power, or by the bursts when only they showed it.
        var shownBy = estimates.Any(e => e.Z >= ShowsZ + 1) ? estimates.Where(e => e.Z >= ShowsZ + 1) : _bursts.Where(e => e.Z >= ShowsZ + 2);
        var highestShown = shownBy.Select(e => e.LevelMmHg).DefaultIfEmpty(0).Max();
        if (double.IsNaN(lop))
        {
            Finish(null, LopFailure.LowConfidence, "the pulse envelope did not fit: measure again", now);
            return;
        }
        // Where the envelope's top sits must agree with the value (0.45–0.88 of LOP on every
        // simulated limb): a noisy early top cannot be extrapolated into a low LOP, nor a noisy
        // flank into a high one.
        var shown = estimates.Where(e => e.Z >= ShowsZ).ToList();
        if (shown.Count == 0)
        {
            Finish(null, LopFailure.LowConfidence, "the pulse envelope's top did not stand clear of the noise: keep the limb still and measure again", now);
            return;
        }
        var showing = estimates.Where((_, i) => PulseShowsAt(i)).ToList();
        if (showing.Count < MinShowingSteps)
        {
            Finish(null, LopFailure.NoPulse, $"a pulse showed at one step only ({F(showing.Select(e => e.LevelMmHg).DefaultIfEmpty(0).Max())} mmHg), which movement can fake: check the cuff's fit, keep the limb still and measure again", now);
            return;
        }
        var top = shown.MaxBy(e => e.Power);
        var topShare = top.LevelMmHg / lop;
        if (topShare is < 0.45 or > 0.88)
        {
            Finish(null, LopFailure.LowConfidence, $"the pulse envelope's top at {F(top.LevelMmHg)} mmHg does not fit a LOP of {F(lop)} mmHg: measure again", now);
            return;
        }
        // The interval as it would be reported, doubled (NearTopIntervals), reaches the highest
        // step: a value there could not be checked against a step above it, so the LOP is
        // reported as out of reach rather than guessed. Not when the fit merely failed (an
        // interval wider than allowed around a value well below the cap, even an infinite one):
        // that is refused below as uncertain, and telling the runner the LOP is out of reach
        // would be wrong.
        var reachesCap = Math.Round(lop, MidpointRounding.AwayFromZero) + NearTopIntervals * Math.Ceiling(uncertainty) >= highest;
        if (reachesCap && (uncertainty <= _o.MaxUncertaintyMmHg || lop >= highest - _o.MaxUncertaintyMmHg))
        {
            Finish(null, LopFailure.NoOcclusionBelowCap,
                $"the pulse envelope puts the LOP at or near {F(highest)} mmHg (about {F(lop)} ± {F(uncertainty)}), the highest step allowed under the {SafetyLimits.AbsoluteCap} cap: it cannot be measured", now);
            return;
        }
        if (highestShown > lop + uncertainty + 2)
        {
            Finish(null, LopFailure.LowConfidence, $"pulses showed at {F(highestShown)} mmHg, above the fitted LOP {F(lop)} ± {F(uncertainty)} mmHg: measure again", now);
            return;
        }
        if (uncertainty > _o.MaxUncertaintyMmHg)
        {
            var about = double.IsInfinity(uncertainty) ? "no bound on either side" : $"about {F(lop)} ± {F(uncertainty)} mmHg";
            Finish(null, LopFailure.LowConfidence, $"the pulse envelope leaves the LOP uncertain ({about}, more than ± {F(_o.MaxUncertaintyMmHg)}): keep the limb still and measure again", now);
            return;
        }
        var value = Pressure.FromMmHg(Math.Round(lop, MidpointRounding.AwayFromZero));
        var u = Pressure.FromMmHg(Math.Ceiling(uncertainty));
        var confidence = Math.Clamp(1 - uncertainty / (2 * _o.MaxUncertaintyMmHg), 0, 1);
        _verdict = (value, confidence, LopFailure.None, $"LOP {value} ± {u} (pulses seen up to {F(highestShown)} mmHg)", u);
        Enter(Stage.Deflating, now);
    }

    /// <summary>
    /// Every step's estimate at the learned beat. Movement comes in bursts, so one short record
    /// can look far quieter than the limb is: each step's noise is taken as at least half the
    /// median step's, or a lucky quiet record would weigh like a clean one (one such record once
    /// made a false envelope top and a LOP of 106 for 255 mmHg).
    /// </summary>
    private List<PulseEstimate> Estimates()
    {
        var raw = _records.Select(r => Estimate(r, _beat)).ToList();
        var floor = raw.Select(e => e.NoiseVariance).Order().ElementAt(raw.Count / 2);
        return _records.Select(r => Estimate(r, _beat, NoiseFloorShare * floor)).ToList();
    }

    /// <summary>Every step's burst estimate (<see cref="PulseAnalysis.BurstSeries"/>) at the beat refined on the bursts (with <see cref="LopFinderOptions.Burst"/>).</summary>
    private List<PulseEstimate> BurstEstimates() => _records.Select(r => BurstEstimate(r, _beat)).ToList();

    /// <summary>
    /// The beat period refined on the burst series of every record together (bursts are narrow, so
    /// their beat-lag power needs the period closer than the one step that set it): the lag where
    /// the records' summed, normalised burst autocovariance (averaged over ±2 samples) peaks,
    /// within ±6% of the learned beat or of half of it (sway can make the beat-lag search lock
    /// onto two beats; sharp bursts repeat most strongly at one).
    /// </summary>
    private double BurstBeatSeconds()
    {
        if (double.IsNaN(_beatSeconds) || _records.Count == 0) return _beatSeconds;
        var rate = _records[^1].RateHz;
        var best = double.NegativeInfinity;
        var bestLag = _beatSeconds * rate;
        foreach (var centre in new[] { _beatSeconds, _beatSeconds / 2 })
        {
            if (centre < PulseAnalysis.MinBeatSeconds * 0.94) continue;
            var lo = (int)Math.Floor(centre * 0.94 * rate);
            var hi = (int)Math.Ceiling(centre * 1.06 * rate);
            var sums = new double[hi - lo + 5];
            foreach (var r in _records)
            {
                var v = PulseAnalysis.Variance(r.Burst);
                if (v <= 0) continue;
                for (var lag = Math.Max(1, lo - 2); lag <= hi + 2; lag++) sums[lag - lo + 2] += PulseAnalysis.AutoCovariance(r.Burst, lag) / v;
            }
            for (var lag = lo; lag <= hi; lag++)
            {
                double sum = 0;
                for (var k = -2; k <= 2; k++) sum += sums[lag + k - lo + 2];
                if (sum > best) { best = sum; bestLag = lag; }
            }
        }
        return bestLag / rate;
    }

    private static PulseEstimate BurstEstimate(Record r, double beatSeconds)
    {
        var variance = PulseAnalysis.Variance(r.Burst);
        var power = double.IsNaN(beatSeconds) ? 0 : PulseAnalysis.BeatPower(r.Burst, r.RateHz, beatSeconds);
        var noiseVariance = Math.Max(1e-12, variance - Math.Max(0, power));
        var seconds = r.Burst.Length / r.RateHz;
        var factor = BurstVarianceShare * r.BurstCorrelationSeconds;
        var noiseOnly = Math.Sqrt(factor * noiseVariance * noiseVariance / seconds);
        var estimate = new PulseEstimate(r.LevelMmHg, power, 0, noiseVariance, power / noiseOnly, seconds, factor);
        return estimate with { Sd = Math.Sqrt(estimate.VarianceAt(power)) };
    }

    private static PulseEstimate Estimate(Record r, double beatSeconds, double noiseFloor = 0)
    {
        var variance = PulseAnalysis.Variance(r.Filtered);
        var power = double.IsNaN(beatSeconds) ? 0 : PulseAnalysis.BeatPower(r.Filtered, r.RateHz, beatSeconds);
        var noiseVariance = Math.Max(Math.Max(1e-6, noiseFloor), variance - Math.Max(0, power));
        var seconds = r.Filtered.Length / r.RateHz;
        var noiseOnly = Math.Sqrt(PowerVarianceFactor * noiseVariance * noiseVariance / seconds);
        var estimate = new PulseEstimate(r.LevelMmHg, power, 0, noiseVariance, power / noiseOnly, seconds, PowerVarianceFactor);
        return estimate with { Sd = Math.Sqrt(estimate.VarianceAt(power)) };
    }

    /// <summary>
    /// The highest step: <see cref="LopFinderOptions.MaxMmHg"/>, lowered on a swaying limb so the
    /// pressure it wanders to while held stays under the absolute cap (see <see cref="SwayMarginSds"/>).
    /// </summary>
    private double TopMmHg
    {
        get
        {
            if (_heldSd.Count == 0) return _o.MaxMmHg;
            var median = _heldSd.Order().ElementAt(_heldSd.Count / 2);
            return Math.Min(_o.MaxMmHg, SafetyLimits.AbsoluteCap.MmHg - 1 - SwayMarginSds * median);
        }
    }

    /// <summary>Standard deviation of a record about its straight-line trend, mmHg.</summary>
    private static double DetrendedSd(IReadOnlyList<double> x)
        => x.Count < 3 ? 0 : Math.Sqrt(PulseAnalysis.Detrend(x).Sum(r => r * r) / (x.Count - 2));

    /// <summary>Whether a pulse shows at recorded step <paramref name="i"/>: its beat-lag power or its burst power stands clear of the noise.</summary>
    private bool PulseShowsAt(int i) => _lag[i].Z >= ShowsZ || (_bursts.Count > i && _bursts[i].Z >= ShowsZ + 1);

    private void Finish(Pressure? lop, LopFailure failure, string message, DateTimeOffset now)
    {
        _verdict = (lop, 0, failure, message, null);
        Enter(Stage.Deflating, now);
    }

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private sealed record Record(double LevelMmHg, double[] Filtered, double RateHz, double[] Burst, double BurstCorrelationSeconds);
}

/// <summary>One step's pulse power (mmHg², may be negative without a pulse), its standard error, the noise variance, and z = power / its noise-only standard error.</summary>
internal readonly record struct PulseEstimate(double LevelMmHg, double Power, double Sd, double NoiseVariance, double Z, double Seconds, double VarianceFactor)
{
    /// <summary>Variance of this step's power estimate if the pulse power there were <paramref name="power"/>: c·(v² + 2·p·v)/T plus the model-error share.</summary>
    public double VarianceAt(double power)
    {
        var p = Math.Max(0, power);
        return VarianceFactor * (NoiseVariance * NoiseVariance + 2 * p * NoiseVariance) / Seconds
            + AutomaticLopFinder.ModelErrorShare * AutomaticLopFinder.ModelErrorShare * p * p;
    }
}

/// <summary>
/// Weighted least-squares fit of the steps' pulse statistics to <see cref="EnvelopeModel"/>: the
/// beat-lag power (strong on the envelope's rising side and top) and the burst power (strong on
/// its falling flank, up to the LOP) share the LOP, the diastolic pressure (50–100 mmHg) and the
/// pulse pressure (the model's grid); each has its own scale, by least squares. The uncertainty
/// is the profile-likelihood interval over the LOP at Δχ² = 4 (about two standard errors),
/// widened when the fit is worse than the steps' own errors explain.
/// </summary>
internal static class EnvelopeFit
{
    private const double DiastolicFrom = 50, DiastolicTo = 100, DiastolicStep = 2.5;

    private sealed class Series(EnvelopeModel model, PulseStatistic statistic, IReadOnlyList<PulseEstimate> steps)
    {
        public readonly PulseStatistic Statistic = statistic;
        public readonly IReadOnlyList<PulseEstimate> Steps = steps;
        public readonly double[] Level = steps.Select(s => s.LevelMmHg).ToArray();
        public readonly double[] Power = steps.Select(s => s.Power).ToArray();
        public readonly double[] Gain = steps.Select(s => EnvelopeModel.GainFactor(statistic, s.LevelMmHg)).ToArray();
        public readonly double[] Model = new double[steps.Count];
        public double[] Weight = steps.Select(s => 1 / s.VarianceAt(s.Power)).ToArray();

        /// <summary>Best scale and its χ² for one set of unknowns.</summary>
        public (double Chi, double Scale) Fit(double lop, double d, int k)
        {
            if (Model.Length == 0) return (0, 0);
            double num = 0, den = 0;
            model.Powers(Statistic, Level, Gain, lop, d, k, Model);
            for (var i = 0; i < Model.Length; i++)
            {
                var m = Model[i];
                num += Weight[i] * Power[i] * m;
                den += Weight[i] * m * m;
            }
            if (den <= 0) return (double.PositiveInfinity, 0);
            var scale = Math.Max(0, num / den);
            double chi = 0;
            for (var i = 0; i < Model.Length; i++)
            {
                var r = Power[i] - scale * Model[i];
                chi += Weight[i] * r * r;
            }
            return (chi, scale);
        }

        /// <summary>Weights from the variance each step would have at the power a fit predicts there, beat-sampling scatter included.</summary>
        public void Reweight(double lop, double d, int k, double scale)
        {
            Weight = Steps.Select((s, i) =>
            {
                var predicted = scale * model.Power(Statistic, Level[i], Gain[i], lop, d, k);
                return 1 / StepVariance(model, Statistic, s, predicted, lop, d, k);
            }).ToArray();
        }
    }

    /// <summary>The fit's result: the LOP with its ± and the other unknowns at the best fit (scales per statistic).</summary>
    public readonly record struct Result(double LopMmHg, double UncertaintyMmHg, double ChiPerDof, double DiastolicMmHg, int PulseIndex, double LagScale, double BurstScale);

    public static Result Run(EnvelopeModel model, IReadOnlyList<PulseEstimate> beatLag, IReadOnlyList<PulseEstimate> burst)
    {
        Series[] series = [new(model, PulseStatistic.BeatLag, beatLag), new(model, PulseStatistic.Burst, burst)];
        var n = beatLag.Count + burst.Count;
        var lo = Math.Max(60, Math.Max(
            beatLag.Where(s => s.Z >= 4).Select(s => s.LevelMmHg).DefaultIfEmpty(60).Max() - 15,
            burst.Where(s => s.Z >= 6).Select(s => s.LevelMmHg).DefaultIfEmpty(60).Max() - 25));
        const double hi = 420;

        (double Chi, double D, int Pulse) Profile(double lop)
        {
            var b = (Chi: double.PositiveInfinity, D: 0.0, Pulse: 0);
            for (var k = 0; k < EnvelopeModel.PulsePressures.Length; k++)
            {
                for (var d = DiastolicFrom; d <= DiastolicTo; d += DiastolicStep)
                {
                    double chi = 0;
                    foreach (var s in series) chi += s.Fit(lop, d, k).Chi;
                    if (chi < b.Chi) b = (chi, d, k);
                }
            }
            return b;
        }

        (double Chi, double Lop, double D, int Pulse, List<(double Lop, double Chi)> Grid) Solve()
        {
            var b = (Chi: double.PositiveInfinity, Lop: double.NaN, D: 0.0, Pulse: 0);
            var g = new List<(double Lop, double Chi)>();
            for (var lop = lo; lop <= hi; lop += 2)
            {
                var p = Profile(lop);
                g.Add((lop, p.Chi));
                if (p.Chi < b.Chi) b = (p.Chi, lop, p.D, p.Pulse);
            }
            var coarse = b.Lop;
            for (var lop = coarse - 2; lop <= coarse + 2; lop += 0.25)
            {
                var p = Profile(lop);
                if (p.Chi < b.Chi) b = (p.Chi, lop, p.D, p.Pulse);
            }
            return (b.Chi, b.Lop, b.D, b.Pulse, g);
        }

        // Weights from each step's own power would favour steps that noise pushed down (their
        // variance looks smaller) and bias the flank, and so the LOP, low: the second pass takes
        // each step's variance at the power the first fit predicts there.
        var first = Solve();
        if (!double.IsNaN(first.Lop))
        {
            foreach (var s in series) s.Reweight(first.Lop, first.D, first.Pulse, s.Fit(first.Lop, first.D, first.Pulse).Scale);
        }
        var solved = double.IsNaN(first.Lop) ? first : Solve();
        var best = (solved.Chi, solved.Lop);
        var lagScale = double.IsNaN(solved.Lop) ? 0 : series[0].Fit(solved.Lop, solved.D, solved.Pulse).Scale;
        var burstScale = double.IsNaN(solved.Lop) ? 0 : series[1].Fit(solved.Lop, solved.D, solved.Pulse).Scale;
        var grid = solved.Grid;

        // Unknowns: the LOP, the diastolic and pulse pressures, and one scale per statistic measured.
        var dof = Math.Max(1, n - 3 - series.Count(s => s.Steps.Count > 0));
        var spread = Math.Max(1, best.Chi / dof);
        var threshold = best.Chi + 4 * spread;
        // The interval: where the profile stays under the threshold, walking out from the best value.
        double Edge(int direction)
        {
            var i = grid.FindIndex(g => g.Lop >= best.Lop);
            if (i < 0) i = grid.Count - 1;
            var edge = best.Lop;
            while (i >= 0 && i < grid.Count)
            {
                if (grid[i].Chi > threshold)
                {
                    // Interpolate between this grid point and the previous one inside.
                    var inside = i - direction;
                    if (inside >= 0 && inside < grid.Count && grid[inside].Chi <= threshold && grid[i].Chi > grid[inside].Chi)
                    {
                        var t = (threshold - grid[inside].Chi) / (grid[i].Chi - grid[inside].Chi);
                        edge = grid[inside].Lop + t * (grid[i].Lop - grid[inside].Lop);
                    }
                    return edge;
                }
                edge = grid[i].Lop;
                i += direction;
            }
            return direction < 0 ? double.NegativeInfinity : double.PositiveInfinity;
        }
        var low = Edge(-1);
        var high = Edge(+1);
        var uncertainty = Math.Max(0.5, Math.Max(best.Lop - low, high - best.Lop));

        return new Result(best.Lop, uncertainty, best.Chi / dof, solved.D, solved.Pulse, lagScale, burstScale);
    }

    /// <summary>
    /// The cuff pressure where one more record of <paramref name="seconds"/> s narrows the LOP most:
    /// the variance of the LOP from the Fisher information of every step so far plus the new one,
    /// over all the fit's unknowns (LOP, diastolic and pulse pressure, one scale per statistic, so
    /// a step that only pins the others counts for little), averaged over LOPs across the current
    /// interval (robust to where in it the truth is); candidates from 0.7 to 1.06 of the estimate,
    /// never above <paramref name="maxMmHg"/>. A new record's noise is the median step's.
    /// </summary>
    public static double NextLevel(EnvelopeModel model, Result fit, IReadOnlyList<PulseEstimate> beatLag, IReadOnlyList<PulseEstimate> burst, double seconds, double maxMmHg)
    {
        var lagNoise = Median(beatLag);
        var burstNoise = Median(burst);
        var spread = Math.Clamp(fit.UncertaintyMmHg, 2, 0.15 * fit.LopMmHg);
        double[] lops = [fit.LopMmHg - spread, fit.LopMmHg, fit.LopMmHg + spread];
        var k = fit.PulseIndex;
        var kUp = Math.Min(EnvelopeModel.PulsePressures.Length - 1, k + 1);
        var kDown = Math.Max(0, k - 1);
        var pulseStep = EnvelopeModel.PulsePressures[kUp] - EnvelopeModel.PulsePressures[kDown];
        const int unknowns = 5;

        // One step's gradient (LOP, diastolic, pulse pressure, lag scale, burst scale) and weight.
        (double[] Gradient, double Weight) Row(PulseStatistic statistic, double lop, PulseEstimate step)
        {
            var level = step.LevelMmHg;
            var scale = statistic == PulseStatistic.Burst ? fit.BurstScale : fit.LagScale;
            var gain = EnvelopeModel.GainFactor(statistic, level);
            double M(double l, double d, int p) => model.Power(statistic, level, gain, l, d, p);
            var mean = M(lop, fit.DiastolicMmHg, k);
            var gradient = new double[unknowns];
            gradient[0] = scale * (M(lop + 1, fit.DiastolicMmHg, k) - M(lop - 1, fit.DiastolicMmHg, k)) / 2;
            gradient[1] = scale * (M(lop, fit.DiastolicMmHg + 1, k) - M(lop, fit.DiastolicMmHg - 1, k)) / 2;
            gradient[2] = pulseStep > 0 ? scale * (M(lop, fit.DiastolicMmHg, kUp) - M(lop, fit.DiastolicMmHg, kDown)) / pulseStep : 0;
            gradient[statistic == PulseStatistic.Burst ? 4 : 3] = mean;
            var power = scale * mean;
            var variance = StepVariance(model, statistic, step, power, lop, fit.DiastolicMmHg, k);
            return (gradient, variance > 0 ? 1 / variance : 0);
        }

        static void Add(double[,] information, (double[] Gradient, double Weight) row)
        {
            for (var i = 0; i < unknowns; i++)
                for (var j = 0; j < unknowns; j++)
                    information[i, j] += row.Weight * row.Gradient[i] * row.Gradient[j];
        }

        var bases = lops.Select(lop =>
        {
            var information = new double[unknowns, unknowns];
            foreach (var step in beatLag) Add(information, Row(PulseStatistic.BeatLag, lop, step));
            foreach (var step in burst) Add(information, Row(PulseStatistic.Burst, lop, step));
            return information;
        }).ToArray();

        var best = Math.Min(maxMmHg, fit.LopMmHg);
        var least = double.PositiveInfinity;
        for (var share = 0.7; share <= 1.0601; share += 0.01)
        {
            var level = Math.Min(maxMmHg, share * fit.LopMmHg);
            double total = 0;
            for (var l = 0; l < lops.Length; l++)
            {
                var information = (double[,])bases[l].Clone();
                if (beatLag.Count > 0) Add(information, Row(PulseStatistic.BeatLag, lops[l], new PulseEstimate(level, 0, 0, lagNoise.Variance, 0, seconds, lagNoise.Factor)));
                if (burst.Count > 0) Add(information, Row(PulseStatistic.Burst, lops[l], new PulseEstimate(level, 0, 0, burstNoise.Variance, 0, seconds, burstNoise.Factor)));
                total += LopVariance(information);
            }
            if (total < least) { least = total; best = level; }
        }
        return best;
    }

    /// <summary>
    /// Variance of a step's statistic if its value there were <paramref name="power"/>: the record's noise
    /// (<see cref="PulseEstimate.VarianceAt"/>) plus the scatter from the beats it caught (<see cref="EnvelopeModel.Scatter"/>).
    /// </summary>
    private static double StepVariance(EnvelopeModel model, PulseStatistic statistic, PulseEstimate step, double power, double lop, double diastolicMmHg, int pulseIndex)
        => step.VarianceAt(power) + model.Scatter(statistic, step.LevelMmHg, step.Seconds / model.BeatSeconds, lop, diastolicMmHg, pulseIndex) * power * power;

    /// <summary>[I⁻¹]₀₀ of a symmetric information matrix (Gauss–Jordan with a small ridge so an unknown no step pins cannot blow it up).</summary>
    private static double LopVariance(double[,] information)
    {
        var n = information.GetLength(0);
        var a = new double[n, 2 * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++) a[i, j] = information[i, j];
            a[i, i] += 1e-9 * (1 + Math.Abs(information[i, i]));
            a[i, n + i] = 1;
        }
        for (var c = 0; c < n; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < n; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[pivot, c])) pivot = r;
            if (Math.Abs(a[pivot, c]) < 1e-300) return double.PositiveInfinity;
            if (pivot != c) for (var j = 0; j < 2 * n; j++) (a[c, j], a[pivot, j]) = (a[pivot, j], a[c, j]);
            var p = a[c, c];
            for (var j = 0; j < 2 * n; j++) a[c, j] /= p;
            for (var r = 0; r < n; r++)
            {
                if (r == c || a[r, c] == 0) continue;
                var f = a[r, c];
                for (var j = 0; j < 2 * n; j++) a[r, j] -= f * a[c, j];
            }
        }
        return a[0, n];
    }

    private static (double Variance, double Factor) Median(IReadOnlyList<PulseEstimate> steps)
    {
        if (steps.Count == 0) return (0, 0);
        var variance = steps.Select(s => s.NoiseVariance).Order().ElementAt(steps.Count / 2);
        var factor = steps.Select(s => s.VarianceFactor).Order().ElementAt(steps.Count / 2);
        return (variance, factor);
    }
}
