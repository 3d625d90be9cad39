using OpenBfr.Core.Limbs;

namespace OpenBfr.Core.Screening;

/// <summary>Whether a limb may carry a BFR cuff.</summary>
public enum Eligibility
{
    Eligible,

    /// <summary>A clinician must record clearance first; then conservative pressure.</summary>
    NeedsClearance,

    NotEligible,
}

/// <summary>One finding behind a result: the item, what it means, the limbs it touches, the limbs a clinician cleared it for, and its sources.</summary>
public sealed record ScreeningReason(string ItemId, string Finding, ScreeningClass Class, IReadOnlyList<Limb> Limbs, IReadOnlyList<Limb> ClearedLimbs, IReadOnlyList<string> Sources);

/// <summary>The result for one limb.</summary>
/// <param name="Limb">the limb.</param>
/// <param name="Eligibility">Eligible, NeedsClearance or NotEligible.</param>
/// <param name="ClearedByClinician">NeedsClearance findings were cleared: eligible at conservative pressure.</param>
/// <param name="ReasonIds">the items behind the result (including cleared ones).</param>
public sealed record LimbScreening(Limb Limb, Eligibility Eligibility, bool ClearedByClinician, IReadOnlyList<string> ReasonIds)
{
    /// <summary>Prescriptions for this limb use the low end of the range (cleared by a clinician).</summary>
    public bool ConservativePressure => Eligibility == Eligibility.Eligible && ClearedByClinician;

    /// <summary>A cuff may be used on this limb now.</summary>
    public bool MayTrain => Eligibility == Eligibility.Eligible;
}

/// <summary>The outcome of screening: a result per limb, and the findings with their sources.</summary>
public sealed record ScreeningResult(IReadOnlyList<LimbScreening> Limbs, IReadOnlyList<ScreeningReason> Reasons, ClinicianClearance? Clearance, int QuestionnaireVersion)
{
    /// <summary>The result for <paramref name="limb"/>.</summary>
    public LimbScreening For(Limb limb) => Limbs.Single(l => l.Limb == limb);
}
