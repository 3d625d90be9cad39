namespace OpenBfr.Core.Limbs;

/// <summary>
/// A cuff as worn: its bladder width and the kind of limb it is made for. The LOP depends on
/// both (wider cuffs occlude at lower pressure), so a LOP belongs to one cuff description.
/// </summary>
public sealed record CuffDescription
{
    /// <summary>Narrowest cuff width accepted, cm.</summary>
    public const double MinWidthCm = 2;

    /// <summary>Widest cuff width accepted, cm.</summary>
    public const double MaxWidthCm = 30;

    /// <summary>Below this width a leg cuff counts as narrow (Spitz et al. 2024).</summary>
    public const double NarrowLegCuffBelowCm = 10;

    public CuffDescription(double widthCm, LimbKind limbKind)
    {
        WidthCm = Guard.InRange(widthCm, MinWidthCm, MaxWidthCm, "cm");
        LimbKind = Guard.Defined(limbKind);
    }

    /// <summary>Bladder width.</summary>
    /// <value>2–30 cm.</value>
    public double WidthCm { get; }

    public LimbKind LimbKind { get; }

    /// <summary>A typical 11.5 cm nylon leg cuff (as in Swain 2025's devices).</summary>
    public static CuffDescription StandardLeg { get; } = new(11.5, LimbKind.Leg);

    /// <summary>A typical 5 cm arm cuff.</summary>
    public static CuffDescription StandardArm { get; } = new(5, LimbKind.Arm);
}
