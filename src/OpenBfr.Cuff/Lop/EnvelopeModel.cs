namespace OpenBfr.Cuff.Lop;

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
    private const int Beats = 14;

    // Beat-to-beat variation of the synthetic train (RR 4%, pulse pressure 5%: resting values).
    private const double RrVariation = 0.04, PulsePressureVariation = 0.05;

    private readonly double[][] _power;

    private EnvelopeModel(double[][] power, double beatSeconds)
    {
        _power = power;
        BeatSeconds = beatSeconds;
    }

    /// <summary>The beat period the model was built for, s.</summary>
    public double BeatSeconds { get; }

    /// <summary>Builds the model's power tables for one heart period and sample rate (about 20 ms).</summary>
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
        {
            var b = 0;
            var start = 0.0;
            for (var i = 0; i < n; i++)
            {
                var t = i / rateHz;
                while (b < Beats - 1 && t >= start + rr[b]) { start += rr[b]; b++; }
                beatOf[i] = b;
                phase[i] = Math.Min(1, (t - start) / rr[b]);
            }
        }
        var wave = phase.Select(ArteryLaw.Waveform).ToArray();

        var power = new double[PulsePressures.Length][];
        var samples = new double[n];
        for (var k = 0; k < PulsePressures.Length; k++)
        {
            var pulse = PulsePressures[k];
            var count = (int)((pulse + ArteryLaw.CollapseMmHg + 10 - OffsetFromMmHg) / OffsetStepMmHg) + 1;
            var row = new double[count];
            for (var j = 0; j < count; j++)
            {
                // Offset o = τ·P − D: the cuff's squeeze above diastole, in arterial mmHg.
                var offset = OffsetFromMmHg + j * OffsetStepMmHg;
                for (var i = 0; i < n; i++) samples[i] = ArteryLaw.Volume(pulse * pp[beatOf[i]] * wave[i] - offset);
                var x = PulseAnalysis.BandPass(samples, rateHz);
                row[j] = Math.Max(0, PulseAnalysis.BeatPower(x, rateHz, beatSeconds));
            }
            power[k] = row;
        }
        return new EnvelopeModel(power, beatSeconds);
    }

    /// <summary>
    /// Model pulse power at cuff pressure <paramref name="cuffMmHg"/> (arbitrary units: the fit scales it),
    /// for LOP <paramref name="lopMmHg"/>, diastolic <paramref name="diastolicMmHg"/> and pulse pressure index
    /// <paramref name="pulseIndex"/> into <see cref="PulsePressures"/>.
    /// </summary>
    public double Power(double cuffMmHg, double lopMmHg, double diastolicMmHg, int pulseIndex)
    {
        var g = Gain(cuffMmHg);
        return Power(cuffMmHg, g * g, lopMmHg, diastolicMmHg, pulseIndex);
    }

    /// <summary>As <see cref="Power(double, double, double, int)"/> with the squared gain at that pressure given (<see cref="Gain"/>).</summary>
    public double Power(double cuffMmHg, double gainSquared, double lopMmHg, double diastolicMmHg, int pulseIndex)
    {
        var pulse = PulsePressures[pulseIndex];
        var transmission = (diastolicMmHg + pulse + ArteryLaw.CollapseMmHg) / lopMmHg;
        var offset = transmission * cuffMmHg - diastolicMmHg;
        var row = _power[pulseIndex];
        var position = (offset - OffsetFromMmHg) / OffsetStepMmHg;
        double p;
        if (position <= 0) p = row[0];
        else if (position >= row.Length - 1) p = row[^1];
        else
        {
            var i = (int)position;
            var f = position - i;
            p = row[i] + (row[i + 1] - row[i]) * f;
        }
        return p * gainSquared;
    }

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
