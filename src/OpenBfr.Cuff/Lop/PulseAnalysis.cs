namespace OpenBfr.Cuff.Lop;

/// <summary>
/// Finds the pulsatile (oscillometric) part of a cuff-pressure record held at one level:
/// linear detrend, zero-phase band-pass (0.6–6 Hz, where the arterial pulse and its first
/// harmonics live), then the power that repeats with the heart beat — the autocovariance at one
/// beat period — so uncorrelated sensor noise drops out instead of being counted as pulse.
/// Coloured noise does not quite: what remains of it is its own autocovariance at the beat's lag
/// (for the simulator's sway after this band-pass, −0.27 to +0.06 of its variance at lags
/// 0.4–1.4 s, most negative at fast heart rates; measured on pulse-free standing records).
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
        var n = samplesMmHg.Count;
        var x = new double[n];
        double mt = (n - 1) / 2.0, mx = 0;
        for (var i = 0; i < n; i++) mx += samplesMmHg[i];
        mx /= Math.Max(1, n);
        double sxy = 0, sxx = 0;
        for (var i = 0; i < n; i++) { sxy += (i - mt) * (samplesMmHg[i] - mx); sxx += (i - mt) * (i - mt); }
        var b = sxx > 0 ? sxy / sxx : 0;
        for (var i = 0; i < n; i++) x[i] = samplesMmHg[i] - mx - b * (i - mt);
        return x;
    }

    /// <summary>Autocovariance of a zero-mean signal at a lag (unbiased).</summary>
    public static double AutoCovariance(double[] x, int lag)
    {
        if (lag >= x.Length - 1) return 0;
        double s = 0;
        for (var i = 0; i + lag < x.Length; i++) s += x[i] * x[i + lag];
        return s / (x.Length - lag);
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
        for (var lag = min; lag <= max; lag++)
        {
            var c = AutoCovariance(x, lag);
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
    public static double BeatPower(double[] x, double rateHz, double beatSeconds)
    {
        var lo = Math.Max(1, (int)Math.Round(beatSeconds * 0.96 * rateHz));
        var hi = Math.Max(lo, (int)Math.Round(beatSeconds * 1.04 * rateHz));
        double sum = 0;
        for (var lag = lo; lag <= hi; lag++) sum += AutoCovariance(x, lag);
        return sum / (hi - lo + 1);
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
    /// autocovariance (<see cref="BeatPower"/> on this series, mmHg⁴) keeps them. Noise that does
    /// not repeat with the beat adds nothing to it on average but its own autocovariance at the lag
    /// and the removed mean's share (on the simulator's pulse-free standing records, −0.005 to −0.02
    /// of the series' variance in 7.5 s records, −0.03 to −0.07 in 2.5 s ones).
    /// </summary>
    public static double[] BurstSeries(IReadOnlyList<double> samplesMmHg, double rateHz)
    {
        var y = BandPass(samplesMmHg, rateHz, BurstLowHz, BurstHighHz);
        var n = y.Length;
        var half = Math.Max(0, (int)Math.Round(BurstSmoothSeconds * rateHz / 2));
        var e = new double[n];
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
        return e;
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
        for (var k = 1; k <= max; k++)
        {
            var r = AutoCovariance(x, k) / v;
            sum += 2 * r * r;
        }
        return sum / rateHz;
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
            var n = x.Length;
            for (var k = 0; k < n; k++)
            {
                var i = forward ? k : n - 1 - k;
                var xi = x[i];
                var y = _b0 * xi + _b1 * x1 + _b2 * x2 - _a1 * y1 - _a2 * y2;
                x2 = x1; x1 = xi; y2 = y1; y1 = y;
                x[i] = y;
            }
        }
    }
}
