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
/// <param name="Limbs">per limb.</param>
/// <param name="Reasons">the findings.</param>
/// <param name="Clearance">the clearance given with the answers, also when it has expired.</param>
/// <param name="QuestionnaireVersion">the questionnaire's version.</param>
/// <param name="ClearanceExpired">the clearance was 12 months old or more on the day evaluated (<see cref="ScreeningValidity"/>): it cleared nothing.</param>
public sealed record ScreeningResult(IReadOnlyList<LimbScreening> Limbs, IReadOnlyList<ScreeningReason> Reasons, ClinicianClearance? Clearance, int QuestionnaireVersion,
    bool ClearanceExpired = false)
{
    /// <summary>The result for <paramref name="limb"/>.</summary>
    public LimbScreening For(Limb limb) => Limbs.Single(l => l.Limb == limb);

    /// <summary>One line per finding an expired clearance had covered on <paramref name="limb"/> (every limb when null), naming the dates; empty when none.</summary>
    public IReadOnlyList<string> ExpiredClearances(Limb? limb = null)
        => ClearanceExpired && Clearance is { } c
            ? Reasons.Where(r => r.Class == ScreeningClass.NeedsClearance && r.Limbs.Any(l => (limb is null || l == limb) && c.Covers(r.ItemId, l)))
                .Select(r => ScreeningValidity.ClearanceExpired(r.Finding, c.Clinician, c.ClearedOn)).ToList()
            : [];
}
