using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Units;

namespace OpenBfr.Core.Prescriptions;

/// <summary>What to prescribe from.</summary>
/// <param name="Lop">the limb's LOP, valid for the exercise position.</param>
/// <param name="Limb">the limb the cuff is on.</param>
/// <param name="Modality">what kind of BFR.</param>
/// <param name="Position">the exercise position; must match the LOP's.</param>
/// <param name="Now">the time of prescribing, to check the LOP's age.</param>
/// <param name="Percent">requested target, % LOP; null for the modality's default.</param>
/// <param name="NeedsClearance">screening said the limb needs clearance: prescribe conservatively.</param>
/// <param name="Protocol">a specific protocol; null for the modality's default.</param>
/// <param name="Validity">how old a LOP may be; null for the default (7 days).</param>
public sealed record PrescriptionRequest(
    LimbOcclusionPressure Lop,
    Limb Limb,
    Modality Modality,
    BodyPosition Position,
    DateTimeOffset Now,
    double? Percent = null,
    bool NeedsClearance = false,
    Protocol? Protocol = null,
    LopValidityOptions? Validity = null);

/// <summary>
/// A BFR prescription for one limb: the working pressure band and target, the protocol, and
/// why. Every pressure in it has passed the hard safety limits.
/// </summary>
public sealed record Prescription(
    Limb Limb,
    Modality Modality,
    LimbOcclusionPressure Lop,
    Pressure ReferenceLop,
    double LowPercent,
    double HighPercent,
    double TargetPercent,
    Pressure Low,
    Pressure High,
    Pressure Target,
    bool Conservative,
    Protocol Protocol,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Sources)
{
    /// <summary>The highest pressure allowed during this prescription (its high end), the supervisor's ceiling.</summary>
    public Pressure Ceiling => High;
}
