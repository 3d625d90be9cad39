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

    // Noise floor for the spike test: changes smaller than this are never spikes.
    private const double SpikeFloorMmHg = 10;

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
    /// <returns>a new fault found on this cuff, or null.</returns>
    /// <exception cref="ArgumentException">unknown cuff id.</exception>
    public SafetyFault? Observe(string cuffId, bool hasReading, PressureReading reading, Pressure target, DateTimeOffset now, bool limbActive = false)
    {
        var fault = Watch(cuffId).Observe(hasReading, reading, target, now, limbActive);
        if (fault is null) return null;
        // Once tripped, later faults are recorded once per cuff and kind, not on every tick.
        if (IsTripped && _faults.Any(f => f.Kind == fault.Kind && f.CuffId == fault.CuffId)) return null;
        _faults.Add(fault);
        return fault;
    }

    /// <summary>
    /// The command the cuff may actually receive: <see cref="ActuatorCommand.Deflate"/> once
    /// tripped; otherwise the proposal, clamped, with the pump stopped when the last reading is
    /// at or above the prescription's ceiling. Records what was applied for the next judgement.
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
        private DateTimeOffset? _atOrAboveLopSince;
        private DateTimeOffset? _aboveCeilingSince;
        private DateTimeOffset? _inflatedSince;
        private DateTimeOffset? _deflatedSince;

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

        public double LastValueMmHg { get; private set; }

        public TimeSpan ContinuousInflation(DateTimeOffset now) => _inflatedSince is { } since ? now - since : TimeSpan.Zero;

        public SafetyFault? Observe(bool hasReading, PressureReading reading, Pressure target, DateTimeOffset now, bool limbActive)
        {
            _started ??= now;
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

            // Frozen: the same value while the pump or valve acts, or while the cuff is inflated:
            // an inflated cuff always shows the arterial pulse and sensor noise, so an exactly
            // repeated value over 30 samples is a stuck sensor, not a steady cuff.
            var acting = Applied.PumpDuty > ActingThreshold || Applied.ValveOpening > ActingThreshold || p >= DeflatedBelow.MmHg;
            if (p == _frozenValue)
            {
                if (acting) _frozenActingTime += now - _frozenLastAt;
                if (_frozenActingTime >= _o.FrozenAfter)
                {
                    return Fault(FaultKind.SensorFrozen, now,
                        $"sensor repeats {Mm(p)} for {Ms(_frozenActingTime)} while {(Applied.PumpDuty > ActingThreshold ? "the pump runs" : Applied.ValveOpening > ActingThreshold ? "the valve is open" : "the cuff is inflated")}");
                }
            }
            else
            {
                _frozenValue = p;
                _frozenActingTime = TimeSpan.Zero;
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

            _window.Add(new Sample(now, p, Applied.PumpDuty, Applied.ValveOpening));
            var cutoff = now - _o.ActuatorWindow;
            var drop = 0;
            while (drop < _window.Count - 1 && _window[drop + 1].At <= cutoff) drop++;
            if (drop > 0) _window.RemoveRange(0, drop);
            return CheckActuators(target, now, limbActive);
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

        private SafetyFault? CheckActuators(Pressure target, DateTimeOffset now, bool limbActive)
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
            var windowText = Ms(now - _window[0].At);

            // An open valve empties the cuff: wide open, fast (exponentially); a controller's
            // sustained bleed, at least enough to beat a contraction. Not falling means stuck.
            var wideOpenStuck = minValve >= ValveOpenThreshold && slope > -MinValveFallPerSecond * meanP;
            var bleedStuck = minValve >= MinBleedOpening && meanValve >= BleedingThreshold && slope > -MinBleedFallMmHgPerSecond;
            if (meanP > DeflatedBelow.MmHg && (wideOpenStuck || bleedStuck))
            {
                return Fault(FaultKind.ValveStuck, now,
                    $"valve open ({meanValve * 100:0}% on average) for {windowText} but pressure is not falling ({Mm(meanP)}, {slope:+0.0;-0.0} mmHg/s)");
            }

            // The pump has run for the whole window with the valve closed and the cuff is below its
            // band: pressure must rise. Falling is a leak the pump cannot match; flat, a dead pump.
            var low = target.MmHg * (1 - _o.LowBandPercent / 100);
            if (target > Pressure.Zero && maxValve <= ActingThreshold && minPump >= PumpWorkingThreshold && LastValueMmHg < low)
            {
                if (slope < -_o.LeakFallMmHgPerSecond)
                {
                    return Fault(FaultKind.Leak, now,
                        $"pressure falling {slope:0.0} mmHg/s at {Mm(LastValueMmHg)}, below the band of {target}, with the valve closed and the pump at {meanPump * 100:0}% for {windowText}");
                }
                if (slope < MinRiseMmHgPerSecond)
                {
                    return PumpFailed();
                }
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
                    $"pump at {meanPump * 100:0}% for {windowText} with the valve closed but pressure not rising ({Mm(LastValueMmHg)}, {slope:+0.0;-0.0} mmHg/s, target {target})");
        }

        private double Slope()
        {
            // Least-squares slope of pressure against time over the window, mmHg/s.
            var t0 = _window[0].At;
            double n = _window.Count, st = 0, sp = 0, stt = 0, stp = 0;
            foreach (var s in _window)
            {
                var t = (s.At - t0).TotalSeconds;
                st += t; sp += s.P; stt += t * t; stp += t * s.P;
            }
            var den = n * stt - st * st;
            return den <= 0 ? 0 : (n * stp - st * sp) / den;
        }

        private SafetyFault Fault(FaultKind kind, DateTimeOffset now, string reason)
            => new(kind, Cuff.Id, now, LastValueMmHg, $"{Cuff.Id}: {reason}");

        private static string Mm(double mmHg) => mmHg.ToString("0.#", CultureInfo.InvariantCulture) + " mmHg";

        private static string Ms(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

        private readonly record struct Sample(DateTimeOffset At, double P, double Pump, double Valve);
    }
}
