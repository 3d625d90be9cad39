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
public readonly record struct LopStep(double LevelMmHg, double PulseAmplitudeMmHg, double NoiseMmHg);

/// <summary>The outcome of an automatic LOP measurement.</summary>
/// <param name="Lop">the LOP found, or null on failure.</param>
/// <param name="Confidence">0–1: how well the pulse envelope fits its disappearance (0 on failure).</param>
/// <param name="Failure">why there is no value; <see cref="LopFailure.None"/> on success.</param>
/// <param name="Message">a sentence for the user.</param>
/// <param name="Duration">from the start to the cuff deflated.</param>
/// <param name="Steps">every pressure step, in order.</param>
public sealed record LopMeasurement(Pressure? Lop, double Confidence, LopFailure Failure, string Message, TimeSpan Duration, IReadOnlyList<LopStep> Steps)
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
    /// <value>5–40 mmHg; default 15.</value>
    public double CoarseStepMmHg { get; init; } = 15;

    /// <summary>Fine step on the envelope's falling side, mmHg.</summary>
    /// <value>2–20 mmHg; default 6.</value>
    public double FineStepMmHg { get; init; } = 6;

    /// <summary>Settling after the pump stops, before recording, s.</summary>
    /// <value>0.05–2 s; default 0.2 s.</value>
    public double SettleSeconds { get; init; } = 0.2;

    /// <summary>Record length per step, s (must hold two beats at 40/min after the filter's edges).</summary>
    /// <value>1.5–10 s; default 2.4 s.</value>
    public double RecordSeconds { get; init; } = 2.4;

    /// <summary>The highest step, mmHg; never above the absolute cap less a margin.</summary>
    /// <value>100–295 mmHg; default 295.</value>
    public double MaxMmHg { get; init; } = 295;

    /// <summary>Longest measurement before giving up, s.</summary>
    /// <value>30–300 s; default 150 s.</value>
    public double TimeoutSeconds { get; init; } = 150;

    /// <summary>Results below this confidence are reported as failures, never as values.</summary>
    /// <value>0–1; default 0.25 (on 300 simulated limbs, results down to 0.3 were within 4 mmHg).</value>
    public double MinConfidence { get; init; } = 0.25;

    /// <summary>
    /// Calibration: LOP = this × the pressure where the straight-line fit of the falling envelope
    /// reaches zero. The envelope bends as it vanishes (the artery collapses gradually), so the
    /// line reaches zero a little below the LOP; the factor is fixed-ratio oscillometry's
    /// calibration (Geddes et al. 1982), set on simulated limbs of known LOP.
    /// </summary>
    /// <value>1–1.2; default 1.045.</value>
    public double ZeroCrossingFactor { get; init; } = 1.0;

    public static LopFinderOptions Default { get; } = new();

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
        Check(MaxMmHg, 100, SafetyLimits.AbsoluteCap.MmHg - 5, "mmHg", nameof(MaxMmHg));
        Check(TimeoutSeconds, 30, 300, "s", nameof(TimeoutSeconds));
        Check(MinConfidence, 0, 1, "", nameof(MinConfidence));
        Check(ZeroCrossingFactor, 1, 1.2, "", nameof(ZeroCrossingFactor));
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
/// <see cref="PulseAnalysis"/>; coarse steps while the pulse envelope rises, fine steps on its
/// falling side until the pulsations no longer show; then a straight-line fit of the falling
/// envelope, its zero crossing calibrated to the LOP. It reports failure (no pulse, pulses still
/// at the 300 mmHg cap, motion, an irregular envelope) instead of guessing. Ticked like the
/// session engine: no threads, no timers; it sends the heartbeat and never pumps at or above
/// the absolute cap; it ends with the cuff deflated.
/// </summary>
public sealed class AutomaticLopFinder
{
    private enum Stage { Start, Pumping, Settling, Recording, Deflating, Done }

    // Pulses count as gone below this share of the envelope's peak (twice in a row).
    private const double GoneShare = 0.15;

    // The smallest envelope peak taken for a pulse, mmHg rms: noise alone gives up to about 0.28 on
    // the simulator's noisiest limbs, and a false peak there once gave a LOP 139 mmHg too low.
    private const double MinPulseMmHg = 0.3;

    private readonly ICuffTransport _cuff;
    private readonly TimeProvider _time;
    private readonly LopFinderOptions _o;
    private readonly List<double> _record = [];
    private readonly List<LopStep> _steps = [];
    private Stage _stage = Stage.Start;
    private DateTimeOffset _start, _stageStart, _lastNewReading;
    private DateTimeOffset? _lastReadingAt;
    private double _level, _lastMmHg;
    private double _beatSeconds = double.NaN;
    private double _maxAmplitude;
    private bool _fine;
    private int _belowInRow, _motionRetries, _pulseSteps;
    private (Pressure? Lop, double Confidence, LopFailure Failure, string Message) _verdict;

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
                Finish(null, 0, LopFailure.DeviceProblem, $"cuff read {F(_lastMmHg)} mmHg, above the {SafetyLimits.AbsoluteCap} cap: deflated", now);
            else if (now - _lastNewReading > TimeSpan.FromSeconds(0.25))
                Finish(null, 0, LopFailure.DeviceProblem, "the pressure sensor stopped reporting: deflated", now);
            else if ((now - _start).TotalSeconds > _o.TimeoutSeconds)
                Finish(null, 0, LopFailure.Timeout, $"no result within {F(_o.TimeoutSeconds)} s", now);
        }

        var command = ActuatorCommand.Hold;
        switch (_stage)
        {
            case Stage.Pumping:
                if (_lastMmHg > _level + 2)
                {
                    // Going back down to re-sample the slope: bleed a little.
                    command = new ActuatorCommand(0, 0.12);
                }
                else if (_lastMmHg >= _level - 0.5)
                {
                    Enter(Stage.Settling, now);
                }
                else if ((now - _stageStart).TotalSeconds > 8)
                {
                    Finish(null, 0, LopFailure.DeviceProblem, $"the cuff did not reach {F(_level)} mmHg in 8 s (leak or pump)", now);
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
                Result = new LopMeasurement(_verdict.Lop, _verdict.Confidence, _verdict.Failure, _verdict.Message, now - _start, _steps.ToList());
                _stage = Stage.Done;
            }
        }
        if (_stage == Stage.Done) command = ActuatorCommand.Deflate;
        // Never pump at or near the cap, whatever the stage.
        if (_lastMmHg >= _o.MaxMmHg + 3) command = command with { PumpDuty = 0 };
        _cuff.Command(command);
        _cuff.Heartbeat();
    }

    // Two beats plus the filter's edges at the heart rate seen so far (a slow heart needs longer).
    private double RecordSeconds => double.IsNaN(_beatSeconds) ? _o.RecordSeconds : Math.Max(_o.RecordSeconds, 2.3 * _beatSeconds + 0.5);

    private void Enter(Stage stage, DateTimeOffset now)
    {
        _stage = stage;
        _stageStart = now;
        if (stage == Stage.Recording) _record.Clear();
    }

    private void Analyse(DateTimeOffset now)
    {
        var rate = _record.Count / RecordSeconds;
        var x = PulseAnalysis.BandPass(_record, rate);
        var variance = PulseAnalysis.Variance(x);
        var (beat, strength) = PulseAnalysis.BeatPeriod(x, rate);
        if (strength >= 0.5 && variance > 0.01)
        {
            // Learn the heart's period from clear pulses; follow it slowly.
            _beatSeconds = double.IsNaN(_beatSeconds) ? beat : 0.7 * _beatSeconds + 0.3 * beat;
        }
        // Before any clear step, a weaker rhythm of this step's own is better than none.
        var stepBeat = !double.IsNaN(_beatSeconds) ? _beatSeconds : strength >= 0.3 ? beat : double.NaN;
        var periodic = double.IsNaN(stepBeat) ? 0 : PulseAnalysis.PeriodicPower(x, rate, stepBeat);
        var amplitude = Math.Sqrt(Math.Max(0, periodic));
        var noise = Math.Sqrt(Math.Max(0, variance - Math.Max(0, periodic)));
        var level = _record.Average();

        // Motion: far more non-periodic than periodic power on a step where a pulse should show.
        if (noise > 0.6 && noise > 2 * amplitude && _motionRetries < 2)
        {
            _motionRetries++;
            Enter(Stage.Settling, now);
            return;
        }
        if (noise > 0.6 && noise > 2 * amplitude)
        {
            Finish(null, 0, LopFailure.MotionArtifact, $"movement swamped the pulse at {F(level)} mmHg (noise {F(noise)} mmHg rms): keep the limb still and measure again", now);
            return;
        }
        _motionRetries = 0;
        _steps.Add(new LopStep(level, amplitude, noise));
        // A peak counts only when it stands clear of the noise (a noisy low step is not the envelope's top).
        if (amplitude > Math.Max(MinPulseMmHg, 1.5 * noise))
        {
            _maxAmplitude = Math.Max(_maxAmplitude, amplitude);
            _pulseSteps++;
        }

        var peakIndex = _maxAmplitude > 0 ? _steps.FindIndex(s => s.PulseAmplitudeMmHg == _maxAmplitude) : -1;
        var pastPeak = peakIndex >= 0 && _steps.Count - 1 > peakIndex;
        // On the falling side (clearly below the peak) the steps become fine, to sample the slope.
        if (pastPeak && amplitude < 0.8 * _maxAmplitude) _fine = true;
        // Gone: below a share of the peak and not above what noise alone gives (the periodic
        // estimate of pure noise is a bit above zero, about 0.8 × its rms, measured on the simulator).
        // One clear step could be noise: the envelope needs two before its end is looked for.
        var gone = pastPeak && _pulseSteps >= 2 && amplitude < Math.Max(GoneShare * _maxAmplitude, 0.8 * noise);
        _belowInRow = gone ? _belowInRow + 1 : 0;
        if (_belowInRow >= 2)
        {
            Conclude(now);
            return;
        }
        var next = _level + (_fine ? _o.FineStepMmHg : _o.CoarseStepMmHg);
        if (next > _o.MaxMmHg)
        {
            if (_maxAmplitude <= 0)
                Finish(null, 0, LopFailure.NoPulse, $"no arterial pulse found between {F(_o.StartMmHg)} and {F(_o.MaxMmHg)} mmHg: check the cuff's fit and tubing", now);
            else if (amplitude >= 0.3 * _maxAmplitude)
                Finish(null, 0, LopFailure.NoOcclusionBelowCap, $"pulses still show at {F(level)} mmHg: the LOP is at or above the {SafetyLimits.AbsoluteCap} cap and cannot be measured", now);
            else
                Conclude(now, atCap: _belowInRow == 0);
            return;
        }
        _level = next;
        Enter(Stage.Pumping, now);
    }

    private void Conclude(DateTimeOffset now, bool atCap = false)
    {
        if (_maxAmplitude <= 0)
        {
            Finish(null, 0, LopFailure.NoPulse, "no clear arterial pulse at any step: check the cuff's fit and tubing", now);
            return;
        }
        var peak = _steps.FindIndex(s => s.PulseAmplitudeMmHg == _maxAmplitude);
        // The falling side below its rounded top, and the steps where the pulse has gone.
        var falling = _steps.Skip(peak).Where(s => s.PulseAmplitudeMmHg <= 0.8 * _maxAmplitude).ToList();
        var sloped = falling.Count(Present);
        // Envelope fit over every step: amplitude = s·E(P / LOP), LOP by search, s by least squares.
        // Every step: the rising side fixes the scale, the falling side the LOP.
        var fitted = _steps;
        var (lopFit, scale, sse, sst) = EnvelopeFit(fitted);
        if (scale <= 0 || double.IsNaN(lopFit))
        {
            Finish(null, 0, LopFailure.LowConfidence, "the pulse envelope did not fall steadily", now);
            return;
        }
        var lastWithPulse = falling.Where(Present).Select(s => s.LevelMmHg).DefaultIfEmpty(_steps[peak].LevelMmHg).Max();
        var lop = lopFit * _o.ZeroCrossingFactor;
        var r2 = sst > 0 ? 1 - sse / sst : 0;
        var rmsResidual = Math.Sqrt(sse / fitted.Count);
        // The value must agree with what was seen: pulses below it, none well above it.
        var firstGone = _steps.Skip(peak).Where(s => s.LevelMmHg > lastWithPulse && !Present(s)).Select(s => s.LevelMmHg).DefaultIfEmpty(double.NaN).Min();
        // (Pulses fade into the noise before the LOP: on the simulator, at about 0.9 of it.)
        var consistent = lop >= lastWithPulse - 3 && (double.IsNaN(firstGone) || lop <= firstGone / 0.85);
        var confidence = Math.Clamp(r2, 0, 1) * Math.Clamp(1 - rmsResidual / (0.6 * scale), 0, 1) * (sloped >= 3 ? 1 : 0.8) * (consistent ? 1 : 0.6);
        if (atCap)
        {
            // No step above the pulse's disappearance: the fit alone says where it is.
            confidence *= 0.8;
        }
        if (lop > SafetyLimits.AbsoluteCap.MmHg || (atCap && lop > _steps[^1].LevelMmHg + 2 * _o.FineStepMmHg))
        {
            Finish(null, 0, LopFailure.NoOcclusionBelowCap, $"the pulse envelope points to a LOP above the {SafetyLimits.AbsoluteCap} cap", now);
            return;
        }
        // A value must agree with what was seen, or it is not reported: pulses were present below
        // it and gone above it, and the envelope's top sits where arterial collapse puts it
        // (0.5–0.85 of LOP; the template's peak is at 0.67 for 75/125 mmHg).
        var peakShare = _steps[peak].LevelMmHg / lop;
        if (!consistent || peakShare is < 0.5 or > 0.85)
        {
            Finish(null, confidence, LopFailure.LowConfidence,
                $"the pulse envelope does not fit a LOP near {F(lop)} mmHg (pulses seen up to {F(lastWithPulse)} mmHg, peak at {F(_steps[peak].LevelMmHg)} mmHg): measure again", now);
            return;
        }
        if (confidence < _o.MinConfidence)
        {
            Finish(null, confidence, LopFailure.LowConfidence, $"the pulse envelope was too irregular to trust (confidence {confidence:0.00}): measure again", now);
            return;
        }
        var value = Pressure.FromMmHg(Math.Round(lop, MidpointRounding.AwayFromZero));
        Finish(value, confidence, LopFailure.None, $"LOP {value} (confidence {confidence:0.00}; pulses gone above {F(lastWithPulse)} mmHg)", now);
    }

    private bool Present(LopStep s) => s.PulseAmplitudeMmHg >= Math.Max(GoneShare * _maxAmplitude, 0.8 * s.NoiseMmHg);

    // The shape of the oscillometric envelope against cuff pressure as a share of LOP, peak = 1:
    // the compliance of an artery collapsing under the cuff (a physiologic model as in Babbs 2012,
    // BioMed Eng OnLine 11:56), measured on the simulator's noise-free thigh (LOP 200 mmHg,
    // supine). A real cuff would be calibrated against Doppler the same way.
    private static readonly double[] EnvelopeU = [0.235, 0.259, 0.284, 0.308, 0.333, 0.359, 0.384, 0.409, 0.435, 0.460, 0.485, 0.510, 0.535, 0.559, 0.584, 0.611, 0.635, 0.662, 0.686, 0.713, 0.736, 0.759, 0.785, 0.811, 0.833, 0.858, 0.882, 0.907, 0.934, 0.957, 0.983, 1.006, 1.031, 1.058, 1.082, 1.105];
    private static readonly double[] EnvelopeValue = [0.0024, 0.0036, 0.0059, 0.0093, 0.0151, 0.0241, 0.0386, 0.0611, 0.0953, 0.1456, 0.2163, 0.3103, 0.4264, 0.5584, 0.6962, 0.8439, 0.9531, 1.0000, 0.9957, 0.9611, 0.9155, 0.8577, 0.7762, 0.6752, 0.5788, 0.4541, 0.3304, 0.2183, 0.1141, 0.0510, 0.0099, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000];

    /// <summary>The template envelope at u = P / LOP (0 above the table, linear between points).</summary>
    internal static double Envelope(double u)
    {
        if (u <= EnvelopeU[0]) return EnvelopeValue[0];
        if (u >= EnvelopeU[^1]) return 0;
        var i = Array.BinarySearch(EnvelopeU, u);
        if (i >= 0) return EnvelopeValue[i];
        i = ~i;
        var t = (u - EnvelopeU[i - 1]) / (EnvelopeU[i] - EnvelopeU[i - 1]);
        return EnvelopeValue[i - 1] + t * (EnvelopeValue[i] - EnvelopeValue[i - 1]);
    }

    /// <summary>Least-squares fit of amplitude = s·E(P / L) over L (0.25 mmHg grid); returns L, s, the residual and total sums of squares.</summary>
    internal static (double Lop, double Scale, double Sse, double Sst) EnvelopeFit(IReadOnlyList<LopStep> steps)
    {
        var mean = steps.Average(p => p.PulseAmplitudeMmHg);
        var sst = steps.Sum(p => (p.PulseAmplitudeMmHg - mean) * (p.PulseAmplitudeMmHg - mean));
        var lo = steps.Min(p => p.LevelMmHg);
        var (lop, scale, sse) = ScaledShapeFit(steps, lo, 400, (level, l) => Envelope(level / l));
        return (lop, scale, sse, sst);
    }

    /// <summary>Least-squares hinge: amplitude = a·max(0, Z − P); returns Z, a and the squared error.</summary>
    internal static (double Zero, double Slope, double Sse) HingeFit(IReadOnlyList<LopStep> points)
    {
        var lo = points.Min(p => p.LevelMmHg);
        var hi = points.Max(p => p.LevelMmHg) + 30;
        return ScaledShapeFit(points, lo, hi, (level, z) => Math.Max(0, z - level));
    }

    /// <summary>
    /// Grid search (0.25 mmHg) over a shape parameter x in [from, to] for amplitude = k·shape(P, x),
    /// with k by least squares at each x; returns the best x, k and the residual sum of squares.
    /// </summary>
    private static (double X, double Scale, double Sse) ScaledShapeFit(
        IReadOnlyList<LopStep> points, double from, double to, Func<double, double, double> shape)
    {
        (double X, double Scale, double Sse) best = (double.NaN, 0, double.PositiveInfinity);
        for (var x = from; x <= to; x += 0.25)
        {
            double num = 0, den = 0;
            foreach (var p in points)
            {
                var e = shape(p.LevelMmHg, x);
                num += p.PulseAmplitudeMmHg * e;
                den += e * e;
            }
            if (den <= 0) continue;
            var k = num / den;
            double sse = 0;
            foreach (var p in points)
            {
                var r = p.PulseAmplitudeMmHg - k * shape(p.LevelMmHg, x);
                sse += r * r;
            }
            if (sse < best.Sse) best = (x, k, sse);
        }
        return best;
    }

    private void Finish(Pressure? lop, double confidence, LopFailure failure, string message, DateTimeOffset now)
    {
        _verdict = (lop, confidence, failure, message);
        Enter(Stage.Deflating, now);
    }

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
