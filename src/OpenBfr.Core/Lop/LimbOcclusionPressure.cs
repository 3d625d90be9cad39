using OpenBfr.Core.Limbs;
using OpenBfr.Core.Units;

namespace OpenBfr.Core.Lop;

/// <summary>How a LOP was obtained.</summary>
public enum LopMethod
{
    /// <summary>Manual, hand-held Doppler: the reference method (Loenneke et al. 2012 protocol).</summary>
    Doppler,

    /// <summary>Measured automatically through the cuff (oscillometric).</summary>
    Automatic,

    /// <summary>Estimated from an equation: the last resort, always with its uncertainty.</summary>
    Estimated,
}

/// <summary>
/// A limb occlusion pressure: the lowest cuff pressure that stops arterial flow past the cuff,
/// for that cuff, limb and body position, at the time it was measured.
/// </summary>
public sealed record LimbOcclusionPressure
{
    /// <summary>Lowest LOP accepted as an input (DESIGN.md section 3).</summary>
    public static readonly Pressure MinAccepted = Pressure.FromMmHg(50);

    /// <summary>Highest LOP accepted as an input (DESIGN.md section 3).</summary>
    public static readonly Pressure MaxAccepted = Pressure.FromMmHg(400);

    /// <exception cref="ArgumentOutOfRangeException">value outside 50–400 mmHg, or negative uncertainty.</exception>
    public LimbOcclusionPressure(
        Pressure value,
        Limb limb,
        BodyPosition position,
        CuffDescription cuff,
        LopMethod method,
        DateTimeOffset measuredAt,
        Pressure? uncertainty = null)
    {
        Guard.InRange(value.MmHg, MinAccepted.MmHg, MaxAccepted.MmHg, "mmHg", "lop");
        Value = value;
        Limb = Guard.Defined(limb);
        Position = Guard.Defined(position);
        Cuff = Guard.NotNull(cuff);
        if (cuff.LimbKind != limb.Kind())
        {
            throw new ArgumentException($"cuff is a {cuff.LimbKind} cuff but the limb is {limb.ToKebab()}", nameof(cuff));
        }
        Method = Guard.Defined(method);
        MeasuredAt = measuredAt;
        if (uncertainty is { } u)
        {
            Guard.InRange(u.MmHg, 0, 100, "mmHg", "uncertainty");
        }
        Uncertainty = uncertainty ?? Pressure.Zero;
        if (method == LopMethod.Estimated && Uncertainty == Pressure.Zero)
        {
            throw new ArgumentException("an estimated LOP must carry its uncertainty", nameof(uncertainty));
        }
    }

    public Pressure Value { get; }

    public Limb Limb { get; }

    public BodyPosition Position { get; }

    public CuffDescription Cuff { get; }

    public LopMethod Method { get; }

    public DateTimeOffset MeasuredAt { get; }

    /// <summary>± one standard error (estimate) or the method's known error; zero when unknown.</summary>
    public Pressure Uncertainty { get; }

    /// <summary>
    /// The LOP a prescription may be computed from: the low end of the range for an estimate
    /// (DESIGN.md section 3: "a prescription from an estimate uses the low end of the range"),
    /// and the same for an automatic measurement that reports its uncertainty (the cuff's
    /// interval, up to ±10 mmHg): an uncertain LOP must never push the pressure up.
    /// </summary>
    public Pressure PrescribingReference => Method is LopMethod.Estimated or LopMethod.Automatic ? Value - Uncertainty : Value;
}
