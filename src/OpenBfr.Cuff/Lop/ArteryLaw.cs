namespace OpenBfr.Cuff.Lop;

/// <summary>
/// The artery under the cuff and the arterial waveform, shared by the simulator (which makes the
/// pulses) and the LOP finder's envelope model (which fits them), so the two cannot drift apart.
/// Volume follows the transmural pressure x = Pa − τ·P through (tanh(x/W) + tanh(K/W)) / (1 + tanh(K/W))
/// for x > −K, 0 below (fully collapsed) (Babbs 2012 form). Its compliance peaks at x = 0, so the
/// oscillometric envelope peaks with the cuff between diastolic and systolic (near mean arterial) and
/// falls to zero at τ·P = systolic + K, which is where the transmission τ puts the true LOP.
/// </summary>
internal static class ArteryLaw
{
    /// <summary>Collapse law width W, mmHg.</summary>
    internal const double WidthMmHg = 15;

    /// <summary>Fully collapsed K below zero transmural pressure, mmHg.</summary>
    internal const double CollapseMmHg = 10;

    // Arterial waveform: smooth systolic upstroke over 12% of the beat, exponential run-off, a dicrotic notch.
    private const double UpstrokeShare = 0.12;
    private const double RunOffShare = 0.28;

    // tanh(K/W), the law's offset: computed once (the envelope model evaluates the law millions of times per heart rate).
    private static readonly double CollapseOffset = Math.Tanh(CollapseMmHg / WidthMmHg);

    /// <summary>Artery volume (share of fully open) at a transmural pressure, mmHg.</summary>
    internal static double Volume(double transmuralMmHg)
    {
        if (transmuralMmHg <= -CollapseMmHg) return 0;
        var offset = CollapseOffset;
        return (Math.Tanh(transmuralMmHg / WidthMmHg) + offset) / (1 + offset);
    }

    /// <summary>Normalised arterial pressure over one beat (0 diastole, 1 systole): upstroke over 12%, exponential run-off, dicrotic notch.</summary>
    internal static double Waveform(double phase)
    {
        if (phase < UpstrokeShare)
        {
            var s = phase / UpstrokeShare;
            return s * s * (3 - 2 * s);
        }
        var end = Math.Exp(-(1 - UpstrokeShare) / RunOffShare);
        var w = (Math.Exp(-(phase - UpstrokeShare) / RunOffShare) - end) / (1 - end);
        var notch = (phase - 0.38) / 0.04;
        return w + 0.06 * Math.Exp(-notch * notch);
    }
}
