using System.Runtime.InteropServices;

namespace OpenBfr.Cuff.Lop;

/// <summary>
/// Finds the pulsatile (oscillometric) part of a cuff-pressure record held at one level:
/// linear detrend, zero-phase band-pass (0.6–6 Hz, where the arterial pulse and its first
/// harmonics live), then the power that repeats with the heart beat — the autocovariance at one
/// beat period — so uncorrelated sensor noise drops out instead of being counted as pulse.
/// Coloured noise does not quite: what remains of it is its own autocovariance at the beat's lag
/// (for the simulator's sway after this band-pass, −0.27 to +0.06 of its variance at lags
/// 0.4–1.4 s, most negative at fast heart rates; measured on pulse-free standing records).
/// <para>
/// Speed without changing a bit: the envelope model runs these on tens of thousands of windows per
/// heart rate, so the loops read spans (not the list interface per sample), several lags'
/// autocovariances are summed in one pass and two filters run side by side; every sum still adds
/// the same terms in the same order as the plain loop, and .NET never fuses or reorders
/// floating-point operations, so every result is the same to the last bit (the tests pin seeded
/// results, and the cuff bench's rows did not move).
/// </para>
/// </summary>
public static class PulseAnalysis
{
    /// <summary>Band-pass corners, Hz: below the heart rate's floor (40/min) and above its 4th harmonic at rest.</summary>
    public const double LowCutHz = 0.6, HighCutHz = 6;

    /// <summary>Shortest and longest beat accepted: 180 and 40 beats/min.</summary>
    public const double MinBeatSeconds = 60.0 / 180, MaxBeatSeconds = 60.0 / 40;

    /// <summary>The record band-passed (detrended, zero-phase), with the filter's edges cut off.</summary>
    /// <param name="samplesMmHg">readings at a steady rate, mmHg.</param>
    /// <param name="rateHz">sample rate, Hz.</param>
    /// <param name="edgeSeconds">how much to drop at each end (filter transients).</param>
    public static double[] BandPass(IReadOnlyList<double> samplesMmHg, double rateHz, double edgeSeconds = 0.25)
        => BandPass(samplesMmHg, rateHz, LowCutHz, HighCutHz, edgeSeconds);

    /// <summary>The record band-passed between <paramref name="lowHz"/> and <paramref name="highHz"/> (detrended, zero-phase), with the filter's edges cut off.</summary>
    public static double[] BandPass(IReadOnlyList<double> samplesMmHg, double rateHz, double lowHz, double highHz, double edgeSeconds = 0.25)
    {
        var n = samplesMmHg.Count;
        // Linear detrend: creep and leak make a held cuff drift slowly.
        var x = Detrend(samplesMmHg);
        var hp = Biquad.HighPass(lowHz, rateHz);
        var lp = Biquad.LowPass(highHz, rateHz);
        FiltFilt(x, hp);
        FiltFilt(x, lp);
        var edge = (int)Math.Round(edgeSeconds * rateHz);
        return edge * 2 >= n ? x : x[edge..(n - edge)];
    }

    /// <summary>The record less its least-squares straight line (its mean and linear drift).</summary>
    public static double[] Detrend(IReadOnlyList<double> samplesMmHg)
    {
        var x = new double[samplesMmHg.Count];
        Detrend(TryGetSpan(samplesMmHg, out var span) ? span : [.. samplesMmHg], x);
        return x;
    }

    /// <summary>As <see cref="Detrend(IReadOnlyList{double})"/> (the same operations in the same order) into <paramref name="x"/>, as long as the record.</summary>
    internal static void Detrend(ReadOnlySpan<double> samplesMmHg, Span<double> x)
    {
        var n = samplesMmHg.Length;
        x = x[..n];
        double mt = (n - 1) / 2.0, mx = 0;
        for (var i = 0; i < n; i++) mx += samplesMmHg[i];
        mx /= Math.Max(1, n);
        double sxy = 0, sxx = 0;
        for (var i = 0; i < n; i++) { sxy += (i - mt) * (samplesMmHg[i] - mx); sxx += (i - mt) * (i - mt); }
        var b = sxx > 0 ? sxy / sxx : 0;
        for (var i = 0; i < n; i++) x[i] = samplesMmHg[i] - mx - b * (i - mt);
    }

    // The samples as a span when the list is an array, a list or an array segment (no copy).
    private static bool TryGetSpan(IReadOnlyList<double> samples, out ReadOnlySpan<double> span)
    {
        switch (samples)
        {
            case double[] array:
                span = array;
                return true;
            case List<double> list:
                span = CollectionsMarshal.AsSpan(list);
                return true;
            case ArraySegment<double> segment:
                span = segment.AsSpan();
                return true;
            default:
                span = default;
                return false;
        }
    }

    /// <summary>Autocovariance of a zero-mean signal at a lag (unbiased).</summary>
    public static double AutoCovariance(double[] x, int lag) => AutoCovariance((ReadOnlySpan<double>)x, lag);

    /// <summary>As <see cref="AutoCovariance(double[], int)"/>.</summary>
    internal static double AutoCovariance(ReadOnlySpan<double> x, int lag)
    {
        if (lag >= x.Length - 1) return 0;
        double s = 0;
        for (var i = 0; i + lag < x.Length; i++) s += x[i] * x[i + lag];
        return s / (x.Length - lag);
    }

    /// <summary>
    /// <see cref="AutoCovariance(ReadOnlySpan{double}, int)"/> at every lag from <paramref name="lo"/> (≥ 0) to
    /// <paramref name="lo"/> + <paramref name="into"/>.Length − 1, into <paramref name="into"/>: four lags per pass
    /// over the signal, each lag's products still summed in ascending order, so each value is the same to the bit.
    /// </summary>
    internal static void AutoCovariances(ReadOnlySpan<double> x, int lo, Span<double> into)
    {
        var n = x.Length;
        var k = 0;
        for (; k + 3 < into.Length; k += 4)
        {
            var lag = lo + k;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            var i = 0;
            // Where all four products exist, then each lag's own tail.
            for (; i + lag + 3 < n; i++)
            {
                var xi = x[i];
                s0 += xi * x[i + lag];
                s1 += xi * x[i + lag + 1];
                s2 += xi * x[i + lag + 2];
                s3 += xi * x[i + lag + 3];
            }
            for (var j = i; j + lag < n; j++) s0 += x[j] * x[j + lag];
            for (var j = i; j + lag + 1 < n; j++) s1 += x[j] * x[j + lag + 1];
            for (var j = i; j + lag + 2 < n; j++) s2 += x[j] * x[j + lag + 2];
            into[k] = lag >= n - 1 ? 0 : s0 / (n - lag);
            into[k + 1] = lag + 1 >= n - 1 ? 0 : s1 / (n - lag - 1);
            into[k + 2] = lag + 2 >= n - 1 ? 0 : s2 / (n - lag - 2);
            into[k + 3] = lag + 3 >= n - 1 ? 0 : s3 / (n - lag - 3);
        }
        for (; k < into.Length; k++) into[k] = AutoCovariance(x, lo + k);
    }

    /// <summary>Variance (mean square) of a zero-mean signal.</summary>
    public static double Variance(double[] x) => AutoCovariance(x, 0);

    /// <summary>The beat period where the autocovariance peaks between 40 and 180 beats/min, s; with its normalised strength (0–1).</summary>
    public static (double BeatSeconds, double Strength) BeatPeriod(double[] x, double rateHz)
    {
        var v = Variance(x);
        if (v <= 0) return (double.NaN, 0);
        var min = (int)Math.Ceiling(MinBeatSeconds * rateHz);
        var max = Math.Min((int)Math.Floor(MaxBeatSeconds * rateHz), x.Length / 2);
        double best = double.NegativeInfinity;
        var bestLag = -1;
        var covariances = max >= min ? new double[max - min + 1] : [];
        AutoCovariances(x, min, covariances);
        for (var lag = min; lag <= max; lag++)
        {
            var c = covariances[lag - min];
            // Prefer the first strong peak (the beat, not two beats).
            if (c > best) { best = c; bestLag = lag; }
        }
        if (bestLag < 0) return (double.NaN, 0);
        // A peak at two beats that is barely stronger than one at half the lag is the same rhythm.
        var half = bestLag / 2;
        if (half >= min)
        {
            var c = Enumerable.Range(Math.Max(min, half - 3), 7).Select(l => AutoCovariance(x, l)).Max();
            if (c > 0.8 * best) { best = c; bestLag = half; }
        }
        return (bestLag / rateHz, best / v);
    }

    /// <summary>
    /// Power of the part of the signal that repeats with the beat, mmHg²: the largest
    /// autocovariance within ±12% of one beat period (beat-to-beat variation moves the peak).
    /// Uncorrelated noise averages to zero here, so this can be slightly negative without a pulse.
    /// </summary>
    public static double PeriodicPower(double[] x, double rateHz, double beatSeconds)
    {
        var lo = (int)Math.Floor(beatSeconds * 0.88 * rateHz);
        var hi = (int)Math.Ceiling(beatSeconds * 1.12 * rateHz);
        double best = double.NegativeInfinity;
        for (var lag = Math.Max(1, lo); lag <= hi; lag++) best = Math.Max(best, AutoCovariance(x, lag));
        return double.IsNegativeInfinity(best) ? 0 : best;
    }

    /// <summary>
    /// Power of the part of the signal that repeats with a known beat, mmHg²: the mean
    /// autocovariance over lags within ±4% of the beat period. Unlike <see cref="PeriodicPower"/>
    /// (a maximum, biased upward by noise), white noise averages to zero here, so the estimate may
    /// be negative without a pulse; coloured noise leaves its autocovariance at the lag (see the
    /// class summary). Used once the beat is known.
    /// </summary>
    public static double BeatPower(double[] x, double rateHz, double beatSeconds) => BeatPower((ReadOnlySpan<double>)x, rateHz, beatSeconds);

    /// <summary>As <see cref="BeatPower(double[], double, double)"/>.</summary>
    internal static double BeatPower(ReadOnlySpan<double> x, double rateHz, double beatSeconds)
    {
        var lo = Math.Max(1, (int)Math.Round(beatSeconds * 0.96 * rateHz));
        var hi = Math.Max(lo, (int)Math.Round(beatSeconds * 1.04 * rateHz));
        var count = hi - lo + 1;
        Span<double> covariances = count <= 64 ? stackalloc double[count] : new double[count];
        AutoCovariances(x, lo, covariances);
        double sum = 0;
        for (var k = 0; k < count; k++) sum += covariances[k];
        return sum / count;
    }

    /// <summary>
    /// Band of the burst series, Hz: wide enough for the short systolic burst a nearly occluded
    /// artery lets through (60–150 ms), above most of the sway.
    /// </summary>
    public const double BurstLowHz = 1, BurstHighHz = 15;

    /// <summary>Smoothing of the burst series' energy, s (shorter than a systolic burst).</summary>
    public const double BurstSmoothSeconds = 0.05;

    /// <summary>
    /// The record's energy envelope: band-passed (<see cref="BurstLowHz"/>–<see cref="BurstHighHz"/>),
    /// squared, smoothed over <see cref="BurstSmoothSeconds"/>, its mean removed. Near the LOP each
    /// beat lets through a short burst whose high harmonics lose their phase from beat to beat
    /// (the heart period varies by a few percent), so the beat-lag autocovariance of the raw
    /// record misses them; the bursts' energy still repeats with the beat, and its beat-lag
    /// autocovariance (<see cref="BeatPower(double[], double, double)"/> on this series, mmHg⁴) keeps them. Noise that does
    /// not repeat with the beat adds nothing to it on average but its own autocovariance at the lag
    /// and the removed mean's share (on the simulator's pulse-free standing records, −0.005 to −0.02
    /// of the series' variance in 7.5 s records, −0.03 to −0.07 in 2.5 s ones).
    /// </summary>
    public static double[] BurstSeries(IReadOnlyList<double> samplesMmHg, double rateHz)
    {
        var y = BandPass(samplesMmHg, rateHz, BurstLowHz, BurstHighHz);
        var e = new double[y.Length];
        Energy(y, rateHz, e);
        return e;
    }

    // The burst series of a band-passed record y into e (as long as y).
    private static void Energy(ReadOnlySpan<double> y, double rateHz, Span<double> e)
    {
        var n = y.Length;
        var half = Math.Max(0, (int)Math.Round(BurstSmoothSeconds * rateHz / 2));
        double sum = 0;
        var lo = 0;
        var hi = -1;
        for (var i = 0; i < n; i++)
        {
            while (hi < Math.Min(n - 1, i + half)) { hi++; sum += y[hi] * y[hi]; }
            while (lo < i - half) { sum -= y[lo] * y[lo]; lo++; }
            e[i] = sum / (hi - lo + 1);
        }
        var mean = 0.0;
        for (var i = 0; i < n; i++) mean += e[i];
        mean /= Math.Max(1, n);
        for (var i = 0; i < n; i++) e[i] -= mean;
    }

    /// <summary>
    /// The series' correlation time, s: Σ ρ(k)² over lags within ±<paramref name="maxLagSeconds"/>
    /// (ρ the autocorrelation), times the sample interval. The variance of a lag-autocovariance
    /// estimate from T seconds of it is about this · variance² / T (Bartlett).
    /// </summary>
    public static double CorrelationSeconds(double[] x, double rateHz, double maxLagSeconds = 0.25)
    {
        var v = Variance(x);
        if (v <= 0) return 1 / rateHz;
        var sum = 1.0;
        var max = (int)Math.Round(maxLagSeconds * rateHz);
        var covariances = max >= 1 ? new double[max] : [];
        AutoCovariances(x, 1, covariances);
        for (var k = 1; k <= max; k++)
        {
            var r = covariances[k - 1] / v;
            sum += 2 * r * r;
        }
        return sum / rateHz;
    }

    /// <summary>
    /// Both beat powers of many records at one sample rate, with buffers and filters made once (the
    /// envelope model's windows): <see cref="BeatPower(double[], double, double)"/> of
    /// <see cref="BurstSeries"/> and of <see cref="BandPass(IReadOnlyList{double}, double, double)"/>, each value
    /// the same to the bit (the record is detrended once, and the two band-passes run side by side).
    /// Not thread-safe: one per thread.
    /// </summary>
    internal sealed class PairedBeatPower(double rateHz)
    {
        private readonly Biquad _burstHigh = Biquad.HighPass(BurstLowHz, rateHz), _burstLow = Biquad.LowPass(BurstHighHz, rateHz);
        private readonly Biquad _lagHigh = Biquad.HighPass(LowCutHz, rateHz), _lagLow = Biquad.LowPass(HighCutHz, rateHz);
        private readonly int _edge = (int)Math.Round(0.25 * rateHz);
        private double[] _burst = [], _lag = [], _energy = [];

        /// <summary>The beat-lag power of the record's burst series and of its band-passed record.</summary>
        public (double Burst, double BeatLag) Of(ReadOnlySpan<double> samplesMmHg, double beatSeconds)
        {
            var n = samplesMmHg.Length;
            if (_burst.Length < n) (_burst, _lag, _energy) = (new double[n], new double[n], new double[n]);
            var burst = _burst.AsSpan(0, n);
            var lag = _lag.AsSpan(0, n);
            Detrend(samplesMmHg, burst);
            burst.CopyTo(lag);
            Biquad.RunPair(_burstHigh, burst, _lagHigh, lag, forward: true);
            Biquad.RunPair(_burstHigh, burst, _lagHigh, lag, forward: false);
            Biquad.RunPair(_burstLow, burst, _lagLow, lag, forward: true);
            Biquad.RunPair(_burstLow, burst, _lagLow, lag, forward: false);
            if (_edge * 2 < n)
            {
                burst = burst[_edge..(n - _edge)];
                lag = lag[_edge..(n - _edge)];
            }
            var energy = _energy.AsSpan(0, burst.Length);
            Energy(burst, rateHz, energy);
            return (BeatPower(energy, rateHz, beatSeconds), BeatPower(lag, rateHz, beatSeconds));
        }
    }

    private static void FiltFilt(double[] x, Biquad f)
    {
        f.Run(x, forward: true);
        f.Run(x, forward: false);
    }

    /// <summary>A second-order Butterworth section (RBJ cookbook coefficients).</summary>
    private sealed class Biquad
    {
        private readonly double _b0, _b1, _b2, _a1, _a2;

        private Biquad(double b0, double b1, double b2, double a0, double a1, double a2)
        {
            _b0 = b0 / a0; _b1 = b1 / a0; _b2 = b2 / a0; _a1 = a1 / a0; _a2 = a2 / a0;
        }

        public static Biquad LowPass(double hz, double rateHz)
        {
            var w = 2 * Math.PI * hz / rateHz;
            var alpha = Math.Sin(w) / (2 * Math.Sqrt(0.5));
            var c = Math.Cos(w);
            return new((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
        }

        public static Biquad HighPass(double hz, double rateHz)
        {
            var w = 2 * Math.PI * hz / rateHz;
            var alpha = Math.Sin(w) / (2 * Math.Sqrt(0.5));
            var c = Math.Cos(w);
            return new((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
        }

        public void Run(double[] x, bool forward)
        {
            double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
            double b0 = _b0, b1 = _b1, b2 = _b2, a1 = _a1, a2 = _a2;
            var n = x.Length;
            if (forward)
            {
                for (var i = 0; i < n; i++)
                {
                    var xi = x[i];
                    var y = b0 * xi + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
                    x2 = x1; x1 = xi; y2 = y1; y1 = y;
                    x[i] = y;
                }
            }
            else
            {
                for (var i = n - 1; i >= 0; i--)
                {
                    var xi = x[i];
                    var y = b0 * xi + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
                    x2 = x1; x1 = xi; y2 = y1; y1 = y;
                    x[i] = y;
                }
            }
        }

        /// <summary>
        /// <paramref name="f"/> over <paramref name="x"/> and <paramref name="g"/> over <paramref name="u"/> (as long),
        /// in one loop: each result as <see cref="Run"/> gives it, the two recurrences overlapping in the processor.
        /// </summary>
        public static void RunPair(Biquad f, Span<double> x, Biquad g, Span<double> u, bool forward)
        {
            double x1 = 0, x2 = 0, y1 = 0, y2 = 0, fb0 = f._b0, fb1 = f._b1, fb2 = f._b2, fa1 = f._a1, fa2 = f._a2;
            double u1 = 0, u2 = 0, v1 = 0, v2 = 0, gb0 = g._b0, gb1 = g._b1, gb2 = g._b2, ga1 = g._a1, ga2 = g._a2;
            var n = x.Length;
            u = u[..n];
            for (var k = 0; k < n; k++)
            {
                var i = forward ? k : n - 1 - k;
                var xi = x[i];
                var y = fb0 * xi + fb1 * x1 + fb2 * x2 - fa1 * y1 - fa2 * y2;
                x2 = x1; x1 = xi; y2 = y1; y1 = y;
                x[i] = y;
                var ui = u[i];
                var v = gb0 * ui + gb1 * u1 + gb2 * u2 - ga1 * v1 - ga2 * v2;
                u2 = u1; u1 = ui; v2 = v1; v1 = v;
                u[i] = v;
            }
        }
    }
}
