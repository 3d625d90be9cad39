namespace OpenBfr.Core.Limbs;

/// <summary>A limb that can carry a cuff.</summary>
public enum Limb
{
    LeftArm,
    RightArm,
    LeftLeg,
    RightLeg,
}

/// <summary>Upper (arm) or lower (leg) limb: prescriptions and LOP estimates differ by it.</summary>
public enum LimbKind
{
    Arm,
    Leg,
}

/// <summary>Body position during a LOP measurement or exercise. A LOP is valid only for its own position.</summary>
public enum BodyPosition
{
    Supine,
    Seated,
    Standing,
}

public static class LimbExtensions
{
    public static LimbKind Kind(this Limb limb) => limb is Limb.LeftArm or Limb.RightArm ? LimbKind.Arm : LimbKind.Leg;

    public static bool IsLeg(this Limb limb) => limb.Kind() == LimbKind.Leg;

    /// <summary>The same limb on the other side (the uninvolved side for a limb symmetry index).</summary>
    public static Limb Opposite(this Limb limb) => limb switch
    {
        Limb.LeftArm => Limb.RightArm,
        Limb.RightArm => Limb.LeftArm,
        Limb.LeftLeg => Limb.RightLeg,
        _ => Limb.LeftLeg,
    };

    /// <summary>Kebab-case name used on the command line and in JSON ("left-leg").</summary>
    public static string ToKebab(this Limb limb) => limb switch
    {
        Limb.LeftArm => "left-arm",
        Limb.RightArm => "right-arm",
        Limb.LeftLeg => "left-leg",
        _ => "right-leg",
    };

    /// <summary>Parses "left-leg", "LeftLeg" or "left_leg".</summary>
    public static bool TryParseLimb(string? text, out Limb limb)
    {
        limb = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var key = text.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        // Enum.TryParse also takes numbers ("0" would be LeftArm): only names are limbs.
        if (key.Length == 0 || !char.IsLetter(key[0]) || key.Contains(',')) return false;
        return Enum.TryParse(key, ignoreCase: true, out limb) && Enum.IsDefined(limb);
    }

    public static IReadOnlyList<Limb> All { get; } = [Limb.LeftArm, Limb.RightArm, Limb.LeftLeg, Limb.RightLeg];
}
