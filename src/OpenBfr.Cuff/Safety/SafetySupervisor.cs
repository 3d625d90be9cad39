using System.Globalization;
using OpenBfr.Core;
using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Safety;

/// <summary>One cuff as the supervisor watches it.</summary>
/// <param name="Id">the cuff's transport id.</param>
/// <param name="Lop">the limb's LOP for this session.</param>
/// <param name="Ceiling">the prescription's ceiling; never taken above <see cref="SafetyLimits.Ceiling"/> of the LOP.</param>
/// <param name="Kind">the kind of inflation, which sets the continuous-inflation limit.</param>
public sealed record SupervisedCuff(string Id, Pressure Lop, Pressure Ceiling, InflationKind Kind);

/// <summary>
/// The safety supervisor: independent of the pressure controller, it watches every cuff of a
/// session on every tick and, on any fault, deflates ALL of them and records why. Its verdict
/// overrides any controller command (every command passes through <see cref="Filter"/>), the
/// fault latches until the session ends, and its options can only make it stricter
/// (<see cref="SafetySupervisorOptions.Validate"/>). The hard limits come from
/// <see cref="SafetyLimits"/>. No threads, no timers: it judges the readings and times it is given.
/// </summary>
public sealed class SafetySupervisor
{
    /// <summary>A cuff below this is deflated (the issue's acceptance: "below 20 mmHg").</summary>
    public static readonly Pressure DeflatedBelow = Pressure.FromMmHg(20);

    // A pump or valve "acts" above these shares; a controller's trickle bleed is not acting.
    private const double ActingThreshold = 0.05;
    private const double ValveOpenThreshold = 0.5;
    private const double PumpWorkingThreshold = 0.25;
    private const double PumpHardThreshold = 0.5;

    // A pump that works must raise pressure at least this fast when the cuff is below its band.
    private const double MinRiseMmHgPerSecond = 3;

    // An open valve empties a cuff exponentially; pressure must fall at least this share per second.
    private const double MinValveFallPerSecond = 0.5;

    // A controller bleeding at least this share on average (never less than the minimum), for a
    // whole window, means to lower the pressure; it must then fall at least this fast. Smaller
    // bleeds can be outrun by a contraction (measured on the simulator: a 10% bleed is), so they
    // prove nothing.
    private const double BleedingThreshold = 0.3;
    private const double MinBleedOpening = 0.2;
    private const double MinBleedFallMmHgPerSecond = 2;

    // The nominal thigh cuff and pump (SimulatedLimb's defaults: a 150 mL/s pump stalling at 450 mmHg,
    // 150 mL slack, 3 mL/mmHg stiffening over 50 mmHg); a sound cuff rises at least MinInflationRiseShare
    // of its rate (weakest pump −30% into the largest bladder +25% of the varied population gives 56%,
    // less the arterial pulse and creep).
    private const double NominalPumpFlowMlPerS = 150;
    private const double NominalPumpStallMmHg = 450;
    private const double NominalSlackMl = 150;
    private const double NominalComplianceMlPerMmHg = 3;
    private const double NominalStiffeningMmHg = 50;
    private const double MinInflationRiseShare = 0.4;
    private const double InflatingDuty = 0.9;
    private const int RecentSamples = 15; // the latest 0.15 s of the window, for a fault's reason
    private const double FlatMmHgPerSecond = 10; // a cuff this close to flat over RecentSamples has stopped filling

    // After this cuff's first sound inflation (at least MinLearnWindows full windows from LearnFromMmHg
    // up), later inflations must rise at least OwnRiseShare of its own median share of the model.
    private const double OwnRiseShare = 0.6;
    private const double LearnFromMmHg = 5;
    private const int MinLearnWindows = 20;
    private const double OwnRiseNearMmHg = 25;
    private const int MinLearnWindowsNear = 5;

    // Under this share of the nominal rise a cuff is not filling (with the pump running: no air reaches it, or it escapes as fast).
    private const double NoRiseShare = 0.1;

    // The repeated-motion leak check: the unexplained fall must exceed the same moment's before by this much
    // for this many samples in a row (0.15 s). Measured on the simulator: a fast leak makes 76–240 mmHg/s on 30 varied legs;
    // healthy repeats over 62 whole sessions never stayed beyond 43 mmHg/s for 0.15 s with a closed-loop pump (54 switched
    // on and off by bang-bang, up to 63 on more standing legs: so a pump not working the whole window is not judged).
    private const double RepeatedLeakMmHgPerSecond = 60;
    private const int RepeatedLeakSamples = 15;
    private const int MaxResidualHistory = 15000; // 150 s at 100 Hz: a set, its rest and the next set
    private static readonly TimeSpan ResidualMatch = TimeSpan.FromMilliseconds(15);

    // A pump that runs but gives no air (its motor current normal), told from the same repeated motion (or, at rest, from
    // a limb that does not move): the pressure misses more than this share of the rise the pump should add, by this much
    // in all (a CUSUM of what it misses beyond the share while the pump works). The pump's rise is modelled by when it ran
    // in the window (its flow lagging the duty by PumpSpinUpS, at least the motor's spin-up, so the model is never ahead of
    // a working pump), and the sum is held through pauses in the pumping of up to NoAirHold. It is judged once the modelled
    // flow reaches a quarter of full duty with the valve closed; against a repeated motion only after the pump has been
    // driven that hard for NoAirRepeatedPumpingSamples (0.18 s). Measured on the simulator (264 whole healthy sessions:
    // 150 strength-lower closed loop and 90 bang-bang on varied legs, 12 arms, 12 other protocols): the sum never went
    // beyond 3.72 mmHg (before this model 3.60), the highest on standing legs with high LOPs; a pump giving no air is found
    // within 0.46 s of being observable in all 132 table rows and all 90 rows of a second 30-leg sweep (0.43 s)
    // (FaultDetectionTableTests). A pump giving no air lets the cuff sag, never rise: the margin is kept on the side of no
    // false faults.
    private const double NoAirShare = 0.5;
    internal const double NoAirMissedMmHg = 5;
    private static readonly TimeSpan NoAirHold = TimeSpan.FromSeconds(0.5);
    private const double PumpSpinUpS = 0.05;
    private const int NoAirRepeatedPumpingSamples = 18;

    // While the held load goes off, a falling cuff is a leak only below this share under the target.
    private const double ReleasingLeakBelowPercent = 25;

    // A reading unchanged this long on an inflated cuff gets a dither pulse (pump 50% or valve 25%
    // for 20 ms, toward the target: about 0.5–1 mmHg), which a live sensor shows even in 0.5 mmHg steps.
    private static readonly TimeSpan DitherAfter = TimeSpan.FromSeconds(0.15);
    private const double DitherPumpDuty = 0.5;
    private const double DitherValveOpening = 0.25;
    private const double StrongActuation = 0.25; // above the probes, which move a cuff too little to tell

    // A reading must have moved this long after the pump or valve acted (a probe's effect is in the
    // cuff within 20 ms), or the sensor is frozen.
    private static readonly TimeSpan FrozenAfterActing = TimeSpan.FromSeconds(0.04);

    // Noise floor for the spike test: changes smaller than this are never spikes.
    private const double SpikeFloorMmHg = 10;

    // Actuator feedback (pump motor current, valve position). A pump told to run at least this duty
    // must draw at least this share of it (a running motor draws about the duty, more under load);
    // a valve told to open at least this far must read at least half of it. Two samples in a row
    // (20 ms at 100 Hz) decide, so one glitch cannot trip it. A pump told to stop must not draw
    // current; a valve told to close must not stay open; a locked rotor draws 2.5x its rated current
    // or more: these take five samples, as a motor winds down and a valve closes within a few.
    private const double PumpJudgedDuty = 0.05;
    private const double PumpMinCurrentPerDuty = 0.4;
    private const double PumpOffMaxCurrent = 0.15;
    private const double PumpStallCurrent = 2.5;
    private const double ValveJudgedOpening = 0.05;
    private const double ValveMinPositionPerOpening = 0.5;
    private const double ValvePositionSlack = 0.01;
    private const double ValveClosedMaxPosition = 0.2;
    private const int SamplesToJudge = 2;
    private const int SamplesToJudgeSlow = 5;

    // Plausible feedback: a current share from slightly negative (offset) to far beyond stall, a position 0–1 with slack.
    private const double MinPlausibleCurrent = -0.1;
    private const double MaxPlausibleCurrent = 10;
    private const double MinPlausiblePosition = -0.1;
    private const double MaxPlausiblePosition = 1.1;

    // Probes: a pump or valve that has not been seen working for ProbeInterval is pulsed briefly,
    // so a failure is seen within ProbeInterval + 2 samples of its onset, whatever the controller does.
    // A pump pulse of 20 ms at 20% duty adds under 0.5 mmHg to a thigh cuff; a valve pulse of 20 ms at
    // 6% takes under 0.6 mmHg out: too little to matter to the hold or to the pressure-based checks
    // (which ignore probe pulses). The pump is never probed at or near the ceiling, nor while the
    // session deflates (a full deflate command must stay a pure deflate: it is what opens the dump valve).
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(0.3);
    private const double ProbePumpDuty = 0.2;
    private const double ProbeValveOpening = 0.06;
    private const double ProbeCeilingMarginMmHg = 5;

    private readonly List<CuffWatch> _cuffs;
    private readonly SafetySupervisorOptions _options;
    private readonly List<SafetyFault> _faults = [];

    /// <exception cref="ArgumentException">no cuffs, duplicate ids, or invalid options (all problems listed).</exception>
    public SafetySupervisor(IEnumerable<SupervisedCuff> cuffs, SafetySupervisorOptions? options = null)
    {
        Guard.NotNull(cuffs);
        _options = (options ?? SafetySupervisorOptions.Default).Validated();
        _cuffs = cuffs.Select(c => new CuffWatch(c, _options)).ToList();
        if (_cuffs.Count == 0) throw new ArgumentException("a session needs at least one cuff", nameof(cuffs));
        var duplicate = _cuffs.GroupBy(c => c.Cuff.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"cuff id '{duplicate.Key}' appears twice", nameof(cuffs));
    }

    /// <summary>The first fault, which deflated everything; null while all is well.</summary>
    public SafetyFault? Fault => _faults.Count > 0 ? _faults[0] : null;

    /// <summary>Every fault seen, first one first.</summary>
    public IReadOnlyList<SafetyFault> Faults => _faults;

    /// <summary>True once any fault, symptom or stop has tripped the supervisor: all cuffs deflate.</summary>
    public bool IsTripped => _faults.Count > 0;

    /// <summary>The cuffs watched, in order.</summary>
    public IReadOnlyList<SupervisedCuff> Cuffs => _cuffs.Select(c => c.Cuff).ToList();

    /// <summary>
    /// Judges one cuff at <paramref name="now"/>. Call once per cuff per tick, before
    /// <see cref="Filter"/>. <paramref name="target"/> is what the session wants now (zero when deflated).
    /// </summary>
    /// <param name="cuffId">the cuff.</param>
    /// <param name="hasReading">whether the sensor gave a reading this tick.</param>
    /// <param name="reading">the reading (ignored without one).</param>
    /// <param name="target">what the session wants now, zero when deflated.</param>
    /// <param name="now">the session's clock.</param>
    /// <param name="limbActive">true while the muscle under the cuff works (a set, and a moment after it):
    /// a relaxing muscle can cancel a working pump's rise, so the pump-failure test that does not wait
    /// for the pressure to leave its band is skipped then.</param>
    /// <param name="limbReleasing">true while the held load goes off (the last rep of a set, and a moment after it): the limb
    /// gives back its volume as fast as a weak pump refills, so a falling cuff counts as a leak only well under its band.</param>
    /// <param name="limbRepeatsFrom">an earlier moment whose limb motion this one repeats (the same moment of the
    /// rep before, or of the previous set's end), or null: the pressure change the pump does not explain is then
    /// compared with what it was at that moment, and a leak shows as a steady extra fall that no repeated motion makes.</param>
    /// <returns>a new fault found on this cuff, or null.</returns>
    /// <exception cref="ArgumentException">unknown cuff id.</exception>
    public SafetyFault? Observe(string cuffId, bool hasReading, PressureReading reading, Pressure target, DateTimeOffset now, bool limbActive = false, bool limbReleasing = false, DateTimeOffset? limbRepeatsFrom = null)
        => Record(Watch(cuffId).Observe(hasReading, reading, target, now, limbActive || limbReleasing, limbReleasing, limbRepeatsFrom));

    /// <summary>
    /// Judges one cuff's actuator feedback (pump motor current, valve position) at <paramref name="now"/>
    /// against the command that was in force while it was sampled. Call once per cuff per tick,
    /// after <see cref="Observe"/> and before <see cref="Filter"/>. No feedback, or none new, for
    /// <see cref="SafetySupervisorOptions.StaleAfter"/> is a fault, as is an implausible value; so is a
    /// pump that draws no current when told to run (or current when told to stop, or stall current)
    /// and a valve whose position disagrees with its command.
    /// </summary>
    /// <param name="cuffId">the cuff.</param>
    /// <param name="hasFeedback">whether the device gave feedback this tick.</param>
    /// <param name="feedback">the feedback (ignored without one).</param>
    /// <param name="now">the session's clock.</param>
    /// <returns>a new fault found on this cuff, or null.</returns>
    /// <exception cref="ArgumentException">unknown cuff id.</exception>
    public SafetyFault? ObserveActuators(string cuffId, bool hasFeedback, ActuatorFeedback feedback, DateTimeOffset now)
        => Record(Watch(cuffId).ObserveActuators(hasFeedback, feedback, now));

    private SafetyFault? Record(SafetyFault? fault)
    {
        if (fault is null) return null;
        // Once tripped, later faults are recorded once per cuff and kind, not on every tick.
        if (IsTripped && _faults.Any(f => f.Kind == fault.Kind && f.CuffId == fault.CuffId)) return null;
        _faults.Add(fault);
        return fault;
    }

    /// <summary>
    /// The command the cuff may actually receive: <see cref="ActuatorCommand.Deflate"/> once
    /// tripped; otherwise the proposal, clamped, with the pump stopped when the last reading is
    /// at or above the prescription's ceiling, and with a brief probe pulse of the pump or valve
    /// when it has not been seen working for 0.3 s (see <see cref="ObserveActuators"/>). Records
    /// what was applied for the next judgement.
    /// </summary>
    /// <exception cref="ArgumentException">unknown cuff id.</exception>
    public ActuatorCommand Filter(string cuffId, ActuatorCommand proposed)
    {
        var watch = Watch(cuffId);
        var command = proposed.Clamped();
        if (IsTripped)
        {
            command = ActuatorCommand.Deflate;
        }
        else if (watch.LastValueMmHg >= watch.Ceiling.MmHg && command.PumpDuty > 0)
        {
            command = command with { PumpDuty = 0 };
        }
        watch.Unprobed = command;
        if (!IsTripped) command = watch.Probe(command);
        watch.Applied = command;
        return command;
    }

    /// <summary>Records a symptom; one that requires deflation trips the supervisor.</summary>
    /// <returns>the fault when the symptom trips it, else null.</returns>
    public SafetyFault? ReportSymptom(SymptomReport symptom, DateTimeOffset now)
    {
        Guard.NotNull(symptom);
        if (!symptom.RequiresDeflation) return null;
        var fault = new SafetyFault(FaultKind.Symptom, null, now, double.NaN,
            $"{symptom} reported: deflate now (SmartCuffs manual; Brandner et al. 2018)");
        _faults.Add(fault);
        return fault;
    }

    /// <summary>Stops: trips the supervisor so every cuff deflates.</summary>
    public SafetyFault Stop(string reason, DateTimeOffset now)
        => Trip(FaultKind.Stop, null, string.IsNullOrWhiteSpace(reason) ? "stopped" : reason, now);

    /// <summary>Trips the supervisor for a cause found outside it (e.g. the cuffs never reached their targets).</summary>
    public SafetyFault Trip(FaultKind kind, string? cuffId, string reason, DateTimeOffset now)
    {
        Guard.Defined(kind);
        var reading = cuffId is null ? double.NaN : Watch(cuffId).LastValueMmHg;
        var fault = new SafetyFault(kind, cuffId, now, reading, reason);
        _faults.Add(fault);
        return fault;
    }

    /// <summary>Time the cuff has been continuously inflated at <paramref name="now"/> (zero when deflated long enough to count as reperfused).</summary>
    public TimeSpan ContinuousInflation(string cuffId, DateTimeOffset now) => Watch(cuffId).ContinuousInflation(now);

    /// <summary>The continuous-inflation limit that applies to the cuff.</summary>
    public TimeSpan ContinuousInflationLimit(string cuffId) => Watch(cuffId).InflationLimit;

    /// <summary>The largest value the no-air statistic of the cuff has reached (mmHg), for measuring its margin against the threshold.</summary>
    internal double NoAirPeakMmHg(string cuffId) => Watch(cuffId).NoAirPeakMmHg;

    /// <summary>True when the cuff's last reading is below <see cref="DeflatedBelow"/>.</summary>
    public bool IsDeflated(string cuffId) => Watch(cuffId).LastValueMmHg < DeflatedBelow.MmHg;

    private CuffWatch Watch(string cuffId)
    {
        foreach (var c in _cuffs)
        {
            if (c.Cuff.Id == cuffId) return c;
        }
        throw new ArgumentException($"cuff '{cuffId}' is not supervised; known: {string.Join(", ", _cuffs.Select(c => c.Cuff.Id))}", nameof(cuffId));
    }

    /// <summary>The detectors of one cuff.</summary>
    private sealed class CuffWatch
    {
        private readonly SafetySupervisorOptions _o;
        private readonly List<Sample> _window = [];
        private DateTimeOffset? _started;
        private DateTimeOffset? _lastSensorAt;
        private DateTimeOffset _lastNewAt;
        private double _frozenValue = double.NaN;
        private TimeSpan _frozenActingTime;
        private DateTimeOffset _frozenLastAt;
        private DateTimeOffset? _frozenActedAt;
        private DateTimeOffset _frozenRunStart;
        private double _targetMmHg;
        private DateTimeOffset? _atOrAboveLopSince;
        private DateTimeOffset? _aboveCeilingSince;
        private DateTimeOffset? _inflatedSince;
        private DateTimeOffset? _deflatedSince;

        private DateTimeOffset _now;
        private DateTimeOffset? _feedbackStarted;
        private DateTimeOffset? _lastFeedbackAt;
        private DateTimeOffset _lastFeedbackNewAt;
        private int _pumpSilent, _pumpOk, _pumpRunningOff, _pumpStalled, _valveBehind, _valveOk, _valveOpenClosed;
        private DateTimeOffset? _pumpProvenAt, _valveProvenAt;
        private readonly List<(double MmHg, double Share)> _riseShares = [];
        private double? _learnedRiseShare;
        private readonly List<Residual> _residuals = [];
        private int _repeatedLeakRun;
        private double _noAirMissedMmHg;
        private DateTimeOffset _noAirJudgedAt;
        private double _pumpFlowShare;

        public CuffWatch(SupervisedCuff cuff, SafetySupervisorOptions options)
        {
            Guard.NotNull(cuff);
            if (string.IsNullOrWhiteSpace(cuff.Id)) throw new ArgumentException("a cuff id is required", nameof(cuff));
            Guard.InRange(cuff.Lop.MmHg, 50, 400, "mmHg", "lop");
            // Never upward: the prescription's ceiling is capped by the hard limit for this LOP.
            Cuff = cuff with { Ceiling = Pressure.Min(cuff.Ceiling, SafetyLimits.Ceiling(cuff.Lop)) };
            _o = options;
            InflationLimit = options.ContinuousInflationLimit(cuff.Kind);
        }

        public SupervisedCuff Cuff { get; }

        public Pressure Ceiling => Cuff.Ceiling;

        public TimeSpan InflationLimit { get; }

        public ActuatorCommand Applied { get; set; } = ActuatorCommand.Hold;

        /// <summary>What was applied less any probe pulse: what the pressure-based checks judge.</summary>
        public ActuatorCommand Unprobed { get; set; } = ActuatorCommand.Hold;

        public double LastValueMmHg { get; private set; }

        public double NoAirPeakMmHg { get; private set; }

        public TimeSpan ContinuousInflation(DateTimeOffset now) => _inflatedSince is { } since ? now - since : TimeSpan.Zero;

        public SafetyFault? Observe(bool hasReading, PressureReading reading, Pressure target, DateTimeOffset now, bool limbActive, bool limbReleasing, DateTimeOffset? limbRepeatsFrom)
        {
            _started ??= now;
            _now = now;
            _targetMmHg = target.MmHg;
            if (target > Ceiling)
            {
                return Fault(FaultKind.AboveCeiling, now,
                    $"set-point {target} is above the prescription's ceiling {Ceiling}");
            }

            var isNew = hasReading && (_lastSensorAt is null || reading.At > _lastSensorAt.Value);
            if (!isNew)
            {
                var since = _lastSensorAt is null ? _started.Value : _lastNewAt;
                if (now - since > _o.StaleAfter)
                {
                    return Fault(FaultKind.SensorStale, now,
                        $"no new pressure reading for {Ms(now - since)} (limit {Ms(_o.StaleAfter)})");
                }
                return CheckInflationTime(now);
            }

            var p = reading.PressureMmHg;
            var previous = LastValueMmHg;
            var previousAt = _lastSensorAt;
            _lastSensorAt = reading.At;
            _lastNewAt = now;
            LastValueMmHg = p;

            if (!double.IsFinite(p))
            {
                return Fault(FaultKind.SensorImplausible, now, "the sensor reported a value that is not a number");
            }
            if (p > SafetyLimits.AbsoluteCap.MmHg)
            {
                return Fault(FaultKind.AbsoluteCap, now,
                    $"reading {Mm(p)} is above the absolute cap of {SafetyLimits.AbsoluteCap}");
            }
            if (p < _o.MinPlausibleMmHg)
            {
                return Fault(FaultKind.SensorImplausible, now,
                    $"reading {Mm(p)} is below {Mm(_o.MinPlausibleMmHg)}: a cuff cannot be under vacuum");
            }
            if (previousAt is { } pa && reading.At > pa)
            {
                var dt = (reading.At - pa).TotalSeconds;
                var jump = Math.Abs(p - previous);
                if (jump > SpikeFloorMmHg && jump / dt > _o.MaxRateMmHgPerSecond)
                {
                    return Fault(FaultKind.SensorImplausible, now,
                        $"reading jumped {Mm(previous)} -> {Mm(p)} in {Ms(reading.At - pa)} ({jump / dt:0} mmHg/s, physical limit {_o.MaxRateMmHgPerSecond:0} mmHg/s)");
                }
            }

            // Frozen: the same value while the pump or valve acts, or while the cuff is inflated, and
            // still the same a moment after the pump or valve last acted. An inflated cuff shows the
            // arterial pulse and sensor noise, but on a coarse sensor (0.5 mmHg steps) a quiet arm cuff
            // can read one value for 30 samples (measured on varied arms); the pump or valve moving
            // settles it, and the supervisor's probes make one of them move at least every 0.3 s.
            // On an empty cuff an open valve moves nothing: there only the pump counts.
            var inflated = p >= DeflatedBelow.MmHg;
            var acting = Applied.PumpDuty > ActingThreshold || inflated; // an open valve counts only on an inflated cuff, which acts anyway
            if (p == _frozenValue)
            {
                if (acting) _frozenActingTime += now - _frozenLastAt;
                if (Applied.PumpDuty >= StrongActuation || (inflated && Applied.ValveOpening >= StrongActuation)) _frozenActedAt ??= now;
                if (_frozenActingTime >= _o.FrozenAfter && _frozenActedAt is { } acted && now - acted >= FrozenAfterActing)
                {
                    return Fault(FaultKind.SensorFrozen, now,
                        $"sensor repeats {Mm(p)} for {Ms(_frozenActingTime)} while {(Applied.PumpDuty > ActingThreshold ? "the pump runs" : Applied.ValveOpening > ActingThreshold ? "the valve is open" : "the cuff is inflated")}");
                }
            }
            else
            {
                _frozenValue = p;
                _frozenActingTime = TimeSpan.Zero;
                _frozenActedAt = null;
                _frozenRunStart = now;
            }
            _frozenLastAt = now;

            // At or above 100% LOP: momentary contraction peaks are expected, not more than 2 s.
            if (p >= Cuff.Lop.MmHg)
            {
                _atOrAboveLopSince ??= now;
                if (now - _atOrAboveLopSince.Value > _o.MaxTimeAtOrAboveLop)
                {
                    return Fault(FaultKind.AtOrAboveLop, now,
                        $"reading {Mm(p)} has been at or above 100% LOP ({Cuff.Lop}) for {Ms(now - _atOrAboveLopSince.Value)} (limit {Ms(_o.MaxTimeAtOrAboveLop)})");
                }
            }
            else
            {
                _atOrAboveLopSince = null;
            }

            var ceilingBand = Ceiling.MmHg * (1 + _o.CeilingBandPercent / 100);
            if (p > ceilingBand)
            {
                _aboveCeilingSince ??= now;
                if (now - _aboveCeilingSince.Value > _o.MaxTimeAboveCeilingBand)
                {
                    return Fault(FaultKind.AboveCeiling, now,
                        $"reading {Mm(p)} has been above the prescription's ceiling {Ceiling} + {_o.CeilingBandPercent:0.#}% for {Ms(now - _aboveCeilingSince.Value)}");
                }
            }
            else
            {
                _aboveCeilingSince = null;
            }

            // Continuous inflation: the clock resets only after a full reperfusion (≥ 1 min deflated).
            if (p >= DeflatedBelow.MmHg)
            {
                _inflatedSince ??= now;
                _deflatedSince = null;
            }
            else
            {
                _deflatedSince ??= now;
                if (now - _deflatedSince.Value >= SafetyLimits.MinDeflation) _inflatedSince = null;
            }
            if (CheckInflationTime(now) is { } tooLong) return tooLong;

            // The pump's flow follows its duty as its motor spins up or down (a nominal lag, longer than the motor's, so never ahead of it).
            var lagDt = _window.Count > 0 ? (now - _window[^1].At).TotalSeconds : 0;
            _pumpFlowShare += (Unprobed.PumpDuty - _pumpFlowShare) * Math.Min(1, lagDt / PumpSpinUpS);
            _window.Add(new Sample(now, p, Unprobed.PumpDuty, Unprobed.ValveOpening, _pumpFlowShare));
            var cutoff = now - _o.ActuatorWindow;
            var drop = 0;
            while (drop < _window.Count - 1 && _window[drop + 1].At <= cutoff) drop++;
            if (drop > 0) _window.RemoveRange(0, drop);
            return CheckActuators(target, now, limbActive, limbReleasing, limbRepeatsFrom);
        }

        public SafetyFault? ObserveActuators(bool hasFeedback, ActuatorFeedback feedback, DateTimeOffset now)
        {
            _feedbackStarted ??= now;
            _now = now;
            _pumpProvenAt ??= now;
            _valveProvenAt ??= now;
            var isNew = hasFeedback && (_lastFeedbackAt is null || feedback.At > _lastFeedbackAt.Value);
            if (!isNew)
            {
                var since = _lastFeedbackAt is null ? _feedbackStarted.Value : _lastFeedbackNewAt;
                if (now - since > _o.StaleAfter)
                {
                    return Fault(FaultKind.ActuatorFeedback, now,
                        $"no {(hasFeedback ? "new " : "")}actuator feedback (pump current, valve position) for {Ms(now - since)} (limit {Ms(_o.StaleAfter)})");
                }
                return null;
            }
            _lastFeedbackAt = feedback.At;
            _lastFeedbackNewAt = now;

            var current = feedback.PumpCurrentShare;
            var position = feedback.ValvePosition;
            if (!double.IsFinite(current) || !double.IsFinite(position)
                || current < MinPlausibleCurrent || current > MaxPlausibleCurrent
                || position < MinPlausiblePosition || position > MaxPlausiblePosition)
            {
                return Fault(FaultKind.ActuatorFeedback, now,
                    $"implausible actuator feedback: pump current {F(current)} of rated (allowed {F(MinPlausibleCurrent)}–{F(MaxPlausibleCurrent)}), valve position {F(position)} (allowed {F(MinPlausiblePosition)}–{F(MaxPlausiblePosition)})");
            }

            // The command in force while this sample was taken is the one applied on the last tick.
            var duty = Applied.PumpDuty;
            var opening = Applied.ValveOpening;

            if (Behind(duty >= PumpJudgedDuty, current < PumpMinCurrentPerDuty * duty, ref _pumpSilent, ref _pumpOk, ref _pumpProvenAt, now))
            {
                return Fault(FaultKind.PumpFailure, now,
                    $"pump told to run at {duty * 100:0}% draws {F(current)} of its rated current for {_pumpSilent} samples (at least {F(PumpMinCurrentPerDuty * duty)} expected): motor or driver failed");
            }

            _pumpRunningOff = duty <= 0 && current > PumpOffMaxCurrent ? _pumpRunningOff + 1 : 0;
            if (_pumpRunningOff >= SamplesToJudgeSlow)
            {
                return Fault(FaultKind.PumpFailure, now,
                    $"pump told to stop draws {F(current)} of its rated current for {_pumpRunningOff} samples: driver stuck on");
            }
            _pumpStalled = current >= PumpStallCurrent ? _pumpStalled + 1 : 0;
            if (_pumpStalled >= SamplesToJudgeSlow)
            {
                return Fault(FaultKind.PumpFailure, now,
                    $"pump draws {F(current)} of its rated current for {_pumpStalled} samples (stall at {F(PumpStallCurrent)}): rotor locked");
            }

            if (Behind(opening >= ValveJudgedOpening, position < ValveMinPositionPerOpening * opening - ValvePositionSlack, ref _valveBehind, ref _valveOk, ref _valveProvenAt, now))
            {
                return Fault(FaultKind.ValveStuck, now,
                    $"valve told to open {opening * 100:0}% reads {position * 100:0}% open for {_valveBehind} samples: stuck closed");
            }

            _valveOpenClosed = opening <= ValvePositionSlack && position > ValveClosedMaxPosition ? _valveOpenClosed + 1 : 0;
            if (_valveOpenClosed >= SamplesToJudgeSlow)
            {
                return Fault(FaultKind.ValveStuck, now,
                    $"valve told to close reads {position * 100:0}% open for {_valveOpenClosed} samples: stuck open");
            }
            return null;
        }

        /// <summary>
        /// Counts one sample of a pump or valve against its command: true once it has lagged a judged
        /// command (<paramref name="judged"/>, <paramref name="behind"/>) for <see cref="SamplesToJudge"/>
        /// samples in a row; as many sound samples under a judged command mark it proven working now.
        /// </summary>
        private static bool Behind(bool judged, bool behind, ref int behindRun, ref int okRun, ref DateTimeOffset? provenAt, DateTimeOffset now)
        {
            if (judged && behind)
            {
                okRun = 0;
                return ++behindRun >= SamplesToJudge;
            }
            behindRun = 0;
            if (!judged) okRun = 0;
            else if (++okRun >= SamplesToJudge) provenAt = now;
            return false;
        }

        /// <summary>The command with a probe pulse added when the pump or valve has not been seen working for <see cref="ProbeInterval"/>.</summary>
        public ActuatorCommand Probe(ActuatorCommand command)
        {
            // Probes start once feedback is being judged; a full deflate stays a pure deflate.
            if (_pumpProvenAt is not { } pumpAt || _valveProvenAt is not { } valveAt || command.ValveOpening >= 1) return command;
            var pumpProbe = command.PumpDuty < PumpJudgedDuty && _now - pumpAt >= ProbeInterval
                && LastValueMmHg < Ceiling.MmHg - ProbeCeilingMarginMmHg;
            if (pumpProbe)
            {
                command = command with { PumpDuty = ProbePumpDuty };
            }
            // One at a time: a pump pulse and a valve pulse together would cancel, and the pressure
            // must visibly move after a probe (a frozen sensor is told by not moving).
            else if (command.ValveOpening < ValveJudgedOpening && _now - valveAt >= ProbeInterval)
            {
                command = command with { ValveOpening = ProbeValveOpening };
            }

            // A reading that has not changed for a while on an inflated cuff: move the pressure
            // (toward the target) by a step a live sensor must show, for 20 ms.
            var still = _now - _frozenRunStart >= DitherAfter && LastValueMmHg >= DeflatedBelow.MmHg && _targetMmHg > 0;
            if (still && (_frozenActedAt is null || _now - _frozenActedAt.Value < TimeSpan.FromSeconds(0.015)))
            {
                command = LastValueMmHg < _targetMmHg && LastValueMmHg < Ceiling.MmHg - ProbeCeilingMarginMmHg
                    ? new ActuatorCommand(Math.Max(command.PumpDuty, DitherPumpDuty), 0)
                    : new ActuatorCommand(0, Math.Max(command.ValveOpening, DitherValveOpening));
            }
            return command;
        }

        private static string F(double v)
        {
            var rounded = Math.Round(v, 3);
            return (rounded == 0 ? 0 : rounded).ToString("0.###", CultureInfo.InvariantCulture); // never "-0"
        }

        private SafetyFault? CheckInflationTime(DateTimeOffset now)
        {
            if (_inflatedSince is { } since && now - since > InflationLimit)
            {
                return Fault(FaultKind.ContinuousInflation, now,
                    $"inflated continuously for {(now - since).TotalMinutes:0.0} min, limit {InflationLimit.TotalMinutes:0.#} min for {Cuff.Kind.ToString().ToLowerInvariant()} BFR; deflate for at least {SafetyLimits.MinDeflation.TotalMinutes:0} min");
            }
            return null;
        }

        private SafetyFault? CheckActuators(Pressure target, DateTimeOffset now, bool limbActive, bool limbReleasing, DateTimeOffset? limbRepeatsFrom)
        {
            // Judge only a full window, so one odd sample cannot trip it.
            if (_window.Count < 4 || now - _window[0].At < _o.ActuatorWindow * 0.9) return null;
            double minPump = 1, minValve = 1, maxValve = 0, valveSum = 0, pSum = 0, pumpSum = 0;
            foreach (var s in _window)
            {
                minPump = Math.Min(minPump, s.Pump);
                pumpSum += s.Pump;
                minValve = Math.Min(minValve, s.Valve);
                maxValve = Math.Max(maxValve, s.Valve);
                valveSum += s.Valve;
                pSum += s.P;
            }
            var meanPump = pumpSum / _window.Count;
            var meanValve = valveSum / _window.Count;
            var meanP = pSum / _window.Count;
            var slope = Slope();
            if (CheckRepeatedMotion(target, now, slope, meanPump, minPump, meanP, maxValve, limbActive, limbRepeatsFrom) is { } repeatedLeak) return repeatedLeak;

            // An open valve empties the cuff: wide open, fast (exponentially); a controller's
            // sustained bleed, at least enough to beat a contraction. Not falling means stuck.
            // A working muscle can outrun a partial bleed (measured on varied limbs), so a bleed is judged at rest only.
            var wideOpenStuck = minValve >= ValveOpenThreshold && slope > -MinValveFallPerSecond * meanP;
            var bleedStuck = !limbActive && minValve >= MinBleedOpening && meanValve >= BleedingThreshold && slope > -MinBleedFallMmHgPerSecond;
            if (meanP > DeflatedBelow.MmHg && (wideOpenStuck || bleedStuck))
            {
                return Fault(FaultKind.ValveStuck, now,
                    $"valve open ({meanValve * 100:0}% on average) for {WindowText(now)} but pressure is not falling ({Mm(meanP)}, {slope:+0.0;-0.0} mmHg/s)");
            }

            // The pump has run for the whole window with the valve closed and the cuff is below its
            // band: pressure must rise. Falling is a leak the pump cannot match; flat, a dead pump.
            var low = target.MmHg * (1 - _o.LowBandPercent / 100);
            if (target > Pressure.Zero && maxValve <= ActingThreshold && minPump >= PumpWorkingThreshold && LastValueMmHg < low)
            {
                // While the held load goes off at the end of a set, the limb can pull a weak pump's
                // cuff down at up to 39 mmHg/s (measured on varied limbs), but by a bounded volume:
                // then a fall counts as a leak only once the cuff is well below the band.
                var leakBelow = limbReleasing ? target.MmHg * (1 - ReleasingLeakBelowPercent / 100) : low;
                if (slope < -_o.LeakFallMmHgPerSecond && LastValueMmHg < leakBelow)
                {
                    return Fault(FaultKind.Leak, now,
                        $"pressure falling {slope:0.0} mmHg/s at {Mm(LastValueMmHg)}, below the band of {target}, with the valve closed and the pump at {meanPump * 100:0}% for {WindowText(now)}");
                }
                // A relaxing muscle (the held load going off at the end of a set) can take as much
                // volume as a weak pump gives (measured on varied limbs), so flat is judged at rest only.
                // A pump that fails electrically is caught by its current within 20 ms in any phase.
                if (!limbActive && slope < MinRiseMmHgPerSecond)
                {
                    return PumpFailed();
                }
            }
            // Inflating at full duty at rest: the pressure must rise at least a share of what a
            // nominal cuff would (a model of the bladder's compliance and the pump's flow against
            // back-pressure). A torn bladder that still lets a strong pump climb slowly is caught here.
            // Once this cuff has inflated soundly, its own rise (as a share of the model's) is known,
            // and later inflations must reach a larger share of that: a leak that began while the cuff
            // was off then shows early in the next inflation, whatever the limb's pump and bladder.
            var inflating = !limbActive && target > Pressure.Zero && maxValve <= ActingThreshold && minPump >= InflatingDuty
                && LastValueMmHg < low;
            if (inflating)
            {
                var expected = NominalInflationRise(meanP);
                double? own = _learnedRiseShare is not null ? OwnRiseShareAt(meanP) : null;
                var share = own is { } o ? Math.Max(MinInflationRiseShare, OwnRiseShare * o) : MinInflationRiseShare;
                if ((slope < share * expected && meanP >= LearnFromMmHg) || slope < MinInflationRiseShare * expected)
                {
                    // Why, from the latest 0.15 s (the window may begin before the fault). Flat (within FlatMmHgPerSecond, a
                    // 0.15 s slope of a noisy sensor scatters by about 5 mmHg/s, or NoRiseShare of the model if wider): the cuff
                    // has stopped filling. Near empty, no air reaches it: a leak lets a working pump raise a near-empty cuff
                    // (a fast one to about 50 mmHg), only a burst bladder would not. Higher up, a pump that gives no air and a
                    // leak that lets out what the pump gives look alike while the pump runs: the reason names both. Falling, or
                    // rising too slowly: air escapes.
                    var recent = Slope(RecentSamples);
                    var flatBand = Math.Max(FlatMmHgPerSecond, NoRiseShare * expected);
                    var flat = Math.Abs(recent) <= flatBand;
                    var nearEmpty = meanP < DeflatedBelow.MmHg;
                    var basis = own is { } k
                        ? $"{share * 100:0}% of the {expected:0} mmHg/s of the model ({k * 100:0}% of it on this cuff's first inflation near this pressure)"
                        : $"{share * 100:0}% of the {expected:0} mmHg/s a sound cuff gives";
                    var latest = $"{recent:+0.0;-0.0} mmHg/s over the last {Ms(now - _window[Math.Max(0, _window.Count - RecentSamples)].At)}";
                    var (kind, cause) = flat && nearEmpty
                        ? (FaultKind.PumpFailure, $"the pump runs but the cuff does not fill ({latest}): no air reaches it, the pump gives none or its hose is off (a leak would still let a working pump raise a near-empty cuff, unless the bladder burst)")
                        : flat
                            ? (slope < NoRiseShare * expected ? FaultKind.PumpFailure : FaultKind.Leak, // the kind cannot be told: as the whole window shows it
                                $"the cuff has stopped filling ({latest}): the pump gives no air, or air escapes as fast as the pump gives it (the two look alike while the pump runs)")
                            : recent < 0
                                ? (FaultKind.Leak, $"pressure falls ({latest}) with the pump running: air escapes")
                                : (FaultKind.Leak, $"the cuff fills too slowly ({latest}): air escapes, or the pump gives too little");
                    return Fault(kind, now,
                        $"inflating at {meanPump * 100:0}% with the valve closed, pressure rises {slope:+0.0;-0.0} mmHg/s at {Mm(meanP)}, under {basis}: {cause}");
                }
                if (_learnedRiseShare is null && meanP >= LearnFromMmHg) _riseShares.Add((meanP, slope / expected));
            }
            else if (_learnedRiseShare is null && _riseShares.Count >= MinLearnWindows)
            {
                // The first sound inflation is over: keep the median of its rise shares.
                _learnedRiseShare = Median(_riseShares.Select(r => r.Share));
            }
            else if (_learnedRiseShare is null && target <= Pressure.Zero)
            {
                _riseShares.Clear(); // an inflation cut short (e.g. a pause) teaches nothing
            }
            // At rest, a pump driven hard (half its flow or more) below the target must raise the
            // pressure; if it does not, the pump gives nothing. (During a set the last eccentric
            // phase can take as much volume as the pump gives: measured on the simulator.)
            if (!limbActive && target > Pressure.Zero && maxValve <= ActingThreshold && minPump >= PumpHardThreshold
                && LastValueMmHg < target.MmHg && slope < MinRiseMmHgPerSecond)
            {
                return PumpFailed();
            }
            return null;

            SafetyFault PumpFailed()
                => Fault(FaultKind.PumpFailure, now,
                    $"pump at {meanPump * 100:0}% for {WindowText(now)} with the valve closed but pressure not rising ({Mm(LastValueMmHg)}, {slope:+0.0;-0.0} mmHg/s, target {target})");
        }

        /// <summary>
        /// This cuff's own rise on its first sound inflation, as a share of the model's, near a pressure:
        /// the median of the windows learned within <see cref="OwnRiseNearMmHg"/> of it, or of all of them
        /// if fewer than <see cref="MinLearnWindowsNear"/> were (e.g. above the first inflation's target).
        /// A bladder with more slack or a weaker pump than the model's falls behind it as the pressure
        /// climbs (one healthy leg rose at 88% of the model over its first inflation but 52% of it at
        /// 173 mmHg, and a later inflation there was taken for a leak).
        /// </summary>
        private double OwnRiseShareAt(double mmHg)
        {
            var near = _riseShares.Where(r => Math.Abs(r.MmHg - mmHg) <= OwnRiseNearMmHg).Select(r => r.Share).ToList();
            return near.Count >= MinLearnWindowsNear ? Median(near) : _learnedRiseShare ?? 1;
        }

        private static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted[sorted.Count / 2];
        }

        /// <summary>
        /// The leak check of a repeated motion. What the pump does not explain of the pressure change
        /// (the window's slope less the rise its mean duty gives this cuff, learned on its first
        /// inflation) is the limb's motion plus any leak and bleed. A repeated motion (the same moment
        /// of the rep before, or of the previous set's end) takes and returns about the same volume, so
        /// this residual repeats; a leak adds a steady fall that nothing in the motion makes. With the
        /// valve closed now (an open valve then only raises the difference: it never makes a fault),
        /// the pump working the whole window (a pump switched on and off, as by a bang-bang controller, is
        /// modelled too loosely by its mean duty), the cuff below its target and the difference beyond <see cref="RepeatedLeakMmHgPerSecond"/>
        /// for <see cref="RepeatedLeakSamples"/> samples in a row, air escapes. Under the same conditions, a pressure that
        /// keeps missing more than <see cref="NoAirShare"/> of the rise the pump should add (summed beyond that share to
        /// <see cref="NoAirMissedMmHg"/>) means a pump that runs, drawing its normal current, but gives no air.
        /// </summary>
        private SafetyFault? CheckRepeatedMotion(Pressure target, DateTimeOffset now, double slope, double meanPump, double minPump, double meanP,
            double maxValve, bool limbActive, DateTimeOffset? limbRepeatsFrom)
        {
            if (_learnedRiseShare is not { } share || target <= Pressure.Zero) return null;
            var pumpRise = share * meanPump * NominalInflationRise(meanP);
            var residual = slope - pumpRise;
            // The no-air check models the pump by when it ran in the window (and how fast its flow follows the duty).
            var pumpFlow = WeightedPumpFlow();
            var noAirPumpRise = share * pumpFlow * NominalInflationRise(meanP);
            var noAirResidual = slope - noAirPumpRise;
            _residuals.Add(new Residual(now, residual, noAirResidual));
            if (_residuals.Count > 2 * MaxResidualHistory)
            {
                _residuals.RemoveRange(0, _residuals.Count - MaxResidualHistory);
            }
            // What the same motion left unexplained before: the same moment of the rep before, or, for a limb at rest
            // (no motion to repeat), nothing; while the muscle works without a repeat to compare, nothing is judged.
            // The leak check judges repeated motion only (at rest the band checks find a leak), the cuff under its target.
            var leakJudged = maxValve <= ActingThreshold && minPump >= PumpWorkingThreshold && LastValueMmHg < target.MmHg;
            double? leakBefore = leakJudged && limbRepeatsFrom is { } then ? FindResidual(then)?.Leak : null;
            // A pump giving no air is judged once its modelled flow reaches PumpWorkingThreshold with the valve closed; against a
            // repeated motion, only after it has also been driven that hard for the last 0.18 s (a pump switched on and off
            // against a motion that differs from the rep before adds up too much by chance: measured on bang-bang sessions).
            var noAirPumping = maxValve <= ActingThreshold && pumpFlow >= PumpWorkingThreshold
                && (limbRepeatsFrom is null || RecentMinPump(NoAirRepeatedPumpingSamples) >= PumpWorkingThreshold);
            double? noAirBefore = !noAirPumping ? null : limbRepeatsFrom is { } same ? FindResidual(same)?.NoAir : limbActive ? null : 0;
            _repeatedLeakRun = leakBefore is { } before && residual - before < -RepeatedLeakMmHgPerSecond ? _repeatedLeakRun + 1 : 0;
            if (_repeatedLeakRun >= RepeatedLeakSamples)
            {
                var difference = residual - leakBefore!.Value;
                return Fault(FaultKind.Leak, now,
                    $"pressure falls {-difference:0} mmHg/s faster than at the same moment of the same motion before ({residual:+0.0;-0.0} against {leakBefore:+0.0;-0.0} mmHg/s once the pump at {meanPump * 100:0}% is allowed for, over {WindowText(now)}), at {Mm(LastValueMmHg)} under the target {target}, valve closed: air escapes");
            }
            return CheckNoAir(target, now, noAirResidual, noAirPumpRise, pumpFlow, noAirBefore, limbRepeatsFrom is not null);
        }

        /// <summary>
        /// A pump that runs but gives no air: the pressure keeps missing more than <see cref="NoAirShare"/> of the rise
        /// the pump should add to the same motion (<paramref name="motionBefore"/>, null when nothing can be compared or
        /// the pump is not working with the valve closed). What it misses beyond that share is summed (mmHg, a CUSUM)
        /// while the pump works; a motion that differs from the one before makes short excursions, a pump that gives
        /// nothing a steady one. The sum is held through a short pause in the pumping (the controller easing off as a
        /// contraction lifts the cuff): a pump that gives no air is driven again and again, and each bout adds to the last.
        /// A reading that has not moved at all for a while is left to the frozen-sensor check: a cuff whose pump gives
        /// nothing still shows the limb's motion, the pulse and noise, and a frozen sensor is the likelier cause.
        /// </summary>
        private SafetyFault? CheckNoAir(Pressure target, DateTimeOffset now, double residual, double pumpRise, double pumpFlow,
            double? motionBefore, bool repeated)
        {
            if (now - _noAirJudgedAt > NoAirHold) _noAirMissedMmHg = 0;
            if (motionBefore is not { } before) return null;
            if (now - _frozenRunStart >= DitherAfter)
            {
                _noAirMissedMmHg = 0;
                return null;
            }
            _noAirJudgedAt = now;
            var difference = residual - before;
            var dt = (now - _window[^2].At).TotalSeconds;
            _noAirMissedMmHg = Math.Max(0, _noAirMissedMmHg + (-difference - NoAirShare * pumpRise) * dt);
            NoAirPeakMmHg = Math.Max(NoAirPeakMmHg, _noAirMissedMmHg);
            if (_noAirMissedMmHg < NoAirMissedMmHg) return null;
            var compared = repeated ? "at the same moment of the same motion before" : "a limb at rest allows";
            return Fault(FaultKind.PumpFailure, now,
                $"pump at {pumpFlow * 100:0}% with the valve closed, yet pressure rises {-difference:0} mmHg/s less than {compared}, where the pump should add {pumpRise:0} mmHg/s; {Mm(_noAirMissedMmHg)} missing beyond half of it, at {Mm(LastValueMmHg)} (target {target}): the pump gives no air");
        }

        // The window's length, for a fault's reason (built only then: Observe runs every tick).
        private string WindowText(DateTimeOffset now) => Ms(now - _window[0].At);

        /// <summary>The lowest pump duty (less probes) over the last <paramref name="samples"/> samples.</summary>
        private double RecentMinPump(int samples)
        {
            var min = 1.0;
            for (var i = Math.Max(0, _window.Count - samples); i < _window.Count; i++) min = Math.Min(min, _window[i].Pump);
            return min;
        }

        /// <summary>
        /// The pump's flow (a share of full duty, lagging the duty by <see cref="PumpSpinUpS"/>) weighted as the window's
        /// least-squares slope weighs each step of pressure: a step counts by how far the later samples lie after the window's
        /// mean time (most in the middle), so a pump switched on and off within the window is modelled by when it ran, not by
        /// its mean duty, and the slope a working pump gives is this share of its full-duty rise.
        /// </summary>
        private double WeightedPumpFlow()
        {
            var n = _window.Count;
            var t0 = _window[0].At;
            double tMean = 0;
            foreach (var s in _window) tMean += (s.At - t0).TotalSeconds;
            tMean /= n;
            double sxx = 0;
            foreach (var s in _window)
            {
                var d = (s.At - t0).TotalSeconds - tMean;
                sxx += d * d;
            }
            if (sxx <= 0) return 0;
            double tail = 0, duty = 0;
            for (var j = n - 1; j >= 1; j--)
            {
                var s = _window[j];
                tail += (s.At - t0).TotalSeconds - tMean;
                var dt = (s.At - _window[j - 1].At).TotalSeconds;
                var w = tail / sxx * dt;
                duty += w * s.PumpFlow;
            }
            return duty;
        }

        private Residual? FindResidual(DateTimeOffset at)
        {
            // Binary search for the last residual at or before the moment; it must be within 15 ms of it.
            int lo = 0, hi = _residuals.Count - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) / 2;
                if (_residuals[mid].At <= at) { found = mid; lo = mid + 1; }
                else hi = mid - 1;
            }
            return found >= 0 && at - _residuals[found].At <= ResidualMatch ? _residuals[found] : null;
        }

        /// <summary>
        /// The rise, mmHg/s, of a nominal thigh cuff at <paramref name="pMmHg"/> with the pump at full
        /// duty: pump flow falling linearly to zero at its stall pressure, over the bladder's
        /// capacitance (compliance stiffening with pressure, plus the air's compressibility). An arm
        /// cuff, smaller, rises faster, so the share below is looser for it, never stricter.
        /// </summary>
        private static double NominalInflationRise(double pMmHg)
        {
            var p = Math.Max(0, pMmHg);
            var stiff = 1 + p / NominalStiffeningMmHg;
            var air = NominalSlackMl + NominalComplianceMlPerMmHg * NominalStiffeningMmHg * Math.Log(stiff);
            var capacitance = NominalComplianceMlPerMmHg / stiff * (760 + p) / 760 + air / 760;
            return NominalPumpFlowMlPerS * Math.Max(0, 1 - p / NominalPumpStallMmHg) / capacitance;
        }

        private double Slope(int last = int.MaxValue)
        {
            // Least-squares slope of pressure against time over the window (or its last samples), mmHg/s.
            var first = Math.Max(0, _window.Count - last);
            var t0 = _window[first].At;
            double n = _window.Count - first, st = 0, sp = 0, stt = 0, stp = 0;
            for (var i = first; i < _window.Count; i++)
            {
                var s = _window[i];
                var t = (s.At - t0).TotalSeconds;
                st += t; sp += s.P; stt += t * t; stp += t * s.P;
            }
            var den = n * stt - st * st;
            return den <= 0 ? 0 : (n * stp - st * sp) / den;
        }

        private SafetyFault Fault(FaultKind kind, DateTimeOffset now, string reason)
            => new(kind, Cuff.Id, now, LastValueMmHg, $"{Cuff.Id}: {reason}");

        private static string Mm(double mmHg)
        {
            var rounded = Math.Round(mmHg, 1);
            return (rounded == 0 ? 0 : rounded).ToString("0.#", CultureInfo.InvariantCulture) + " mmHg"; // never "-0"
        }

        private static string Ms(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

        private readonly record struct Residual(DateTimeOffset At, double Leak, double NoAir);

        private readonly record struct Sample(DateTimeOffset At, double P, double Pump, double Valve, double PumpFlow);
    }
}
