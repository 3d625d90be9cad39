namespace OpenBfr.Cuff.Lop;

/// <summary>Which pulse statistic a model table or a step's estimate is about.</summary>
internal enum PulseStatistic
{
    /// <summary>Beat-lag autocovariance of the band-passed record (<see cref="PulseAnalysis.BandPass(IReadOnlyList{double}, double, double)"/>), mmHg².</summary>
    BeatLag,

    /// <summary>Beat-lag autocovariance of the record's burst series (<see cref="PulseAnalysis.BurstSeries"/>), mmHg⁴.</summary>
    Burst,
}

/// <summary>
/// A physiologic model of the oscillometric envelope (after Babbs 2012, BioMed Eng OnLine 11:56):
/// the pulse power the finder would measure at cuff pressure P for a limb of occlusion pressure L,
/// diastolic pressure D and pulse pressure PP. The artery under the cuff sees the transmural
/// pressure Pa(t) − τ·P with τ = (D + PP + K) / L (flow stops at L); its volume follows a collapse
/// law (tanh of width W, fully collapsed K below zero); the cuff turns that volume into pressure
/// through a bladder that stiffens with pressure. The same record analysis as for real records
/// (band-pass, beat-lag autocovariance) is run on a synthetic beat train, so the model and the
/// measurement share every filter. Unlike a fixed envelope template, it moves with blood pressure
/// (the diastolic / pulse-pressure ratio sets where the envelope peaks and how its flank falls)
/// and with heart rate (the filter's effect), which the fit then finds.
/// <para>
/// Limitation to keep in mind: the artery law's constants (W, K), the arterial waveform and the
/// beat-to-beat variation are the simulator's own, so the simulator cannot test a mismatch in
/// them. A real cuff would fit them against Doppler LOPs, as any oscillometric device is calibrated.
/// </para>
/// </summary>
internal sealed class EnvelopeModel
{
    /// <summary>Pulse pressures the fit considers, mmHg.</summary>
    internal static readonly double[] PulsePressures = [30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80];

    private const double OffsetFromMmHg = -90, OffsetStepMmHg = 1;

    // The synthetic train: long enough that its strongest beats stand for the population of beats
    // (near the LOP only they open the artery), cut into windows the length of a record to learn
    // how much a record's value scatters from beat sampling alone.
    private const int Beats = 120, WindowBeats = 8;

    // Beat-to-beat variation of the synthetic train (RR 4%, pulse pressure 5%: resting values).
    private const double RrVariation = 0.04, PulsePressureVariation = 0.05;

    // Models are cached by heart period in 1% bins (a fit rebuilds when the beat moves by more).
    private const double BeatBinShare = 0.01;
    // Lazy: measurements running side by side (tests, a clinic's cuffs) that need the same model wait for one build instead of each making it.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Bin, double RateHz), Lazy<EnvelopeModel>> Cache = new();

    private readonly double[][][] _power;
    private readonly double[][][] _scatter;

    private EnvelopeModel(double[][][] power, double[][][] scatter, double beatSeconds)
    {
        _power = power;
        _scatter = scatter;
        BeatSeconds = beatSeconds;
    }

    /// <summary>The beat period the model was built for, s.</summary>
    public double BeatSeconds { get; }

    /// <summary>The model for a heart period (nearest 1% bin) and sample rate, built once and shared (it is immutable).</summary>
    public static EnvelopeModel For(double beatSeconds, double rateHz)
    {
        var bin = (int)Math.Round(Math.Log(beatSeconds) / Math.Log(1 + BeatBinShare));
        return Cache.GetOrAdd((bin, Math.Round(rateHz, 1)), key => new Lazy<EnvelopeModel>(() => Build(Math.Pow(1 + BeatBinShare, key.Bin), key.RateHz))).Value;
    }

    /// <summary>Builds the model's tables for one heart period and sample rate (a few tenths of a second: use <see cref="For"/>).</summary>
    public static EnvelopeModel Build(double beatSeconds, double rateHz)
    {
        // A fixed pseudo-random beat train: deterministic, so the same records give the same fit.
        var random = new Random(20120556);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var rr = new double[Beats];
        var pp = new double[Beats];
        for (var b = 0; b < Beats; b++)
        {
            rr[b] = beatSeconds * (1 + RrVariation * Math.Clamp(Gauss(), -3, 3));
            pp[b] = 1 + PulsePressureVariation * Math.Clamp(Gauss(), -3, 3);
        }
        var n = (int)(rr.Sum() * rateHz);
        var phase = new double[n];
        var beatOf = new int[n];
        var windowStarts = new List<int> { 0 };
        {
            var b = 0;
            var start = 0.0;
            for (var i = 0; i < n; i++)
            {
                var t = i / rateHz;
                while (b < Beats - 1 && t >= start + rr[b])
                {
                    start += rr[b];
                    b++;
                    if (b % WindowBeats == 0) windowStarts.Add(i);
                }
                beatOf[i] = b;
                phase[i] = Math.Min(1, (t - start) / rr[b]);
            }
        }
        if (windowStarts[^1] < n - 1) windowStarts.Add(n);
        var wave = phase.Select(ArteryLaw.Waveform).ToArray();

        var power = new[] { new double[PulsePressures.Length][], new double[PulsePressures.Length][] };
        var scatter = new[] { new double[PulsePressures.Length][], new double[PulsePressures.Length][] };
        var samples = new double[n];
        var arterial = new double[n];
        var windows = new PulseAnalysis.PairedBeatPower(rateHz);
        var burstValues = new List<double>(windowStarts.Count);
        var lagValues = new List<double>(windowStarts.Count);
        for (var k = 0; k < PulsePressures.Length; k++)
        {
            var pulse = PulsePressures[k];
            var count = (int)((pulse * (1 + 3 * PulsePressureVariation) + ArteryLaw.CollapseMmHg + 2 - OffsetFromMmHg) / OffsetStepMmHg) + 1;
            var row = new double[count];
            var spread = new double[count];
            var classic = new double[count];
            var classicSpread = new double[count];
            for (var i = 0; i < n; i++) arterial[i] = pulse * pp[beatOf[i]] * wave[i];
            for (var j = 0; j < count; j++)
            {
                // Offset o = τ·P − D: the cuff's squeeze above diastole, in arterial mmHg.
                var offset = OffsetFromMmHg + j * OffsetStepMmHg;
                for (var i = 0; i < n; i++) samples[i] = ArteryLaw.Volume(arterial[i] - offset);
                // Each statistic on record-length windows of the train: their mean is what a record
                // measures on average, their spread how much it varies with the beats it caught.
                burstValues.Clear();
                lagValues.Clear();
                for (var w = 0; w + 1 < windowStarts.Count; w++)
                {
                    var (burst, lag) = windows.Of(samples.AsSpan(windowStarts[w], windowStarts[w + 1] - windowStarts[w]), beatSeconds);
                    burstValues.Add(burst);
                    lagValues.Add(lag);
                }
                (row[j], spread[j]) = Windowed(burstValues);
                (classic[j], classicSpread[j]) = Windowed(lagValues);
            }
            power[(int)PulseStatistic.Burst][k] = row;
            scatter[(int)PulseStatistic.Burst][k] = spread;
            power[(int)PulseStatistic.BeatLag][k] = classic;
            scatter[(int)PulseStatistic.BeatLag][k] = classicSpread;
        }
        return new EnvelopeModel(power, scatter, beatSeconds);
    }

    // The table holds the windows' median, what a typical record measures: near the LOP a record's
    // value is skewed (most catch few opening beats, a few catch many), so fitting the mean with
    // Gaussian weights set values low (bench: largest success error 14.5 → 12.2 mmHg, mean signed
    // error −1.9 → −1.4, more seated and standing legs measured). The spread is about the mean.
    private static (double Typical, double RelativeVariance) Windowed(List<double> values)
    {
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Count - 1);
        var sorted = values.Order().ToList();
        var median = 0.5 * (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]);
        return mean > 0 ? (Math.Max(0, median), variance / (mean * mean)) : (0, 0);
    }

    /// <summary>
    /// Relative variance (variance / power²) of one record's burst power from beat sampling alone,
    /// for a record of <paramref name="beats"/> beats at cuff pressure <paramref name="cuffMmHg"/>:
    /// near the LOP only the strongest beats open the artery, so a short record's value scatters
    /// widely even without noise.
    /// </summary>
    public double Scatter(PulseStatistic statistic, double cuffMmHg, double beats, double lopMmHg, double diastolicMmHg, int pulseIndex)
        => Lookup(_scatter[(int)statistic][pulseIndex], Offset(cuffMmHg, lopMmHg, diastolicMmHg, pulseIndex)) * WindowBeats / Math.Max(1, beats);

    private static double Offset(double cuffMmHg, double lopMmHg, double diastolicMmHg, int pulseIndex)
        => Transmission(lopMmHg, diastolicMmHg, pulseIndex) * cuffMmHg - diastolicMmHg;

    /// <summary>τ = (D + PP + K) / L: how much of the cuff's pressure reaches the artery.</summary>
    internal static double Transmission(double lopMmHg, double diastolicMmHg, int pulseIndex)
        => (diastolicMmHg + PulsePressures[pulseIndex] + ArteryLaw.CollapseMmHg) / lopMmHg;

    /// <summary>
    /// <see cref="Power(PulseStatistic, double, double, double, double, int)"/> at every level of <paramref name="levelsMmHg"/>
    /// with its gain factor, into <paramref name="into"/>: the same values, with τ worked out once for all of them (the fit's inner loop).
    /// </summary>
    internal void Powers(PulseStatistic statistic, ReadOnlySpan<double> levelsMmHg, ReadOnlySpan<double> gainFactors, double lopMmHg, double diastolicMmHg, int pulseIndex, Span<double> into)
    {
        var row = _power[(int)statistic][pulseIndex];
        var transmission = Transmission(lopMmHg, diastolicMmHg, pulseIndex);
        for (var i = 0; i < levelsMmHg.Length; i++) into[i] = Lookup(row, transmission * levelsMmHg[i] - diastolicMmHg) * gainFactors[i];
    }

    private static double Lookup(double[] row, double offset)
    {
        var position = (offset - OffsetFromMmHg) / OffsetStepMmHg;
        if (position <= 0) return row[0];
        if (position >= row.Length - 1) return row[^1];
        var i = (int)position;
        var f = position - i;
        return row[i] + (row[i + 1] - row[i]) * f;
    }

    /// <summary>
    /// Model pulse power at cuff pressure <paramref name="cuffMmHg"/> (arbitrary units: the fit scales it),
    /// for LOP <paramref name="lopMmHg"/>, diastolic <paramref name="diastolicMmHg"/> and pulse pressure index
    /// <paramref name="pulseIndex"/> into <see cref="PulsePressures"/>.
    /// </summary>
    public double Power(PulseStatistic statistic, double cuffMmHg, double lopMmHg, double diastolicMmHg, int pulseIndex)
        => Power(statistic, cuffMmHg, GainFactor(statistic, cuffMmHg), lopMmHg, diastolicMmHg, pulseIndex);

    /// <summary>How the bladder's gain at a pressure scales a statistic (beat-lag power goes with the square of the pulse's size, burst power with its 4th power).</summary>
    internal static double GainFactor(PulseStatistic statistic, double cuffMmHg)
    {
        var g = Gain(cuffMmHg);
        return statistic == PulseStatistic.Burst ? g * g * g * g : g * g;
    }

    /// <summary>As <see cref="Power(PulseStatistic, double, double, double, int)"/> with <see cref="GainFactor"/> at that pressure given.</summary>
    public double Power(PulseStatistic statistic, double cuffMmHg, double gainFactor, double lopMmHg, double diastolicMmHg, int pulseIndex)
        => Lookup(_power[(int)statistic][pulseIndex], Offset(cuffMmHg, lopMmHg, diastolicMmHg, pulseIndex)) * gainFactor;

    /// <summary>
    /// Pressure change per volume change of a thigh cuff's bladder at a pressure, relative: air
    /// compressed isothermally in a shell whose compliance falls as 1/(1 + P/50 mmHg).
    /// </summary>
    internal static double Gain(double cuffMmHg)
    {
        const double atmosphere = 760, slackMl = 150, complianceMlPerMmHg = 3, stiffeningMmHg = 50;
        var p = Math.Max(0, cuffMmHg);
        var compression = (atmosphere + p) / atmosphere;
        var air = slackMl + complianceMlPerMmHg * stiffeningMmHg * Math.Log(1 + p / stiffeningMmHg);
        var capacitance = complianceMlPerMmHg / (1 + p / stiffeningMmHg) * compression + air / atmosphere;
        return compression / capacitance;
    }
}
