using OpenBfr.Core.Limbs;

namespace OpenBfr.Core.Screening;

/// <summary>The answer to one yes/no item; for a limb-specific item, the limbs affected (none = no).</summary>
public sealed record ItemAnswer
{
    private ItemAnswer(bool yes, IReadOnlyList<Limb> limbs)
    {
        Yes = yes;
        Limbs = limbs;
    }

    public static ItemAnswer No { get; } = new(false, []);

    public static ItemAnswer YesAnswer { get; } = new(true, []);

    /// <summary>Yes, on these limbs (limb-specific items); an empty list means no.</summary>
    public static ItemAnswer OnLimbs(IEnumerable<Limb> limbs)
    {
        var list = limbs.Distinct().Order().ToList();
        return list.Count == 0 ? No : new(true, list);
    }

    public bool Yes { get; }

    /// <summary>The limbs affected (limb-specific items only).</summary>
    public IReadOnlyList<Limb> Limbs { get; }
}

/// <summary>A clinician's recorded clearance of NeedsClearance findings.</summary>
/// <param name="Clinician">who cleared (name and role).</param>
/// <param name="ClearedOn">when.</param>
/// <param name="ItemIds">the NeedsClearance items the clinician reviewed and cleared; a finding not listed stays uncleared.</param>
/// <param name="Limbs">the limbs cleared; null for all limbs.</param>
/// <param name="Note">the clinician's conditions or remarks.</param>
public sealed record ClinicianClearance(string Clinician, DateOnly ClearedOn, IReadOnlyList<string> ItemIds, IReadOnlyList<Limb>? Limbs = null, string? Note = null)
{
    /// <summary>True when the clearance covers <paramref name="itemId"/> on <paramref name="limb"/> (whatever its date: see <see cref="IsExpired"/>).</summary>
    public bool Covers(string itemId, Limb limb) => ItemIds.Contains(itemId) && (Limbs is null || Limbs.Contains(limb));

    /// <summary>The first day the clearance no longer counts: 12 months after <see cref="ClearedOn"/> (<see cref="ScreeningValidity"/>).</summary>
    public DateOnly ExpiresOn => ScreeningValidity.ExpiresOn(ClearedOn);

    /// <summary>True when the clearance no longer counts on <paramref name="today"/>.</summary>
    public bool IsExpired(DateOnly today) => ScreeningValidity.IsExpired(ClearedOn, today);
}

/// <summary>Everything screening needs: age, resting blood pressure, one answer per yes/no item, and any clearance.</summary>
public sealed record ScreeningAnswers
{
    /// <summary>Ages screening accepts, years.</summary>
    public const int MinAgeYears = 10, MaxAgeYears = 110;

    /// <summary>Resting systolic pressures screening accepts, mmHg.</summary>
    public const int MinSystolicMmHg = 70, MaxSystolicMmHg = 260;

    /// <summary>Resting diastolic pressures screening accepts, mmHg.</summary>
    public const int MinDiastolicMmHg = 40, MaxDiastolicMmHg = 160;

    /// <exception cref="ArgumentOutOfRangeException">age or blood pressure outside the accepted range.</exception>
    public ScreeningAnswers(int ageYears, int systolicMmHg, int diastolicMmHg, IReadOnlyDictionary<string, ItemAnswer> answers, ClinicianClearance? clearance = null)
    {
        AgeYears = Guard.InRange(ageYears, MinAgeYears, MaxAgeYears, "years", "age");
        SystolicMmHg = Guard.InRange(systolicMmHg, MinSystolicMmHg, MaxSystolicMmHg, "mmHg", "systolic");
        DiastolicMmHg = Guard.InRange(diastolicMmHg, MinDiastolicMmHg, MaxDiastolicMmHg, "mmHg", "diastolic");
        if (diastolicMmHg >= systolicMmHg)
        {
            throw new ArgumentOutOfRangeException("diastolic", diastolicMmHg, $"diastolic must be below systolic ({systolicMmHg} mmHg), was {diastolicMmHg}");
        }
        Answers = Guard.NotNull(answers);
        Clearance = clearance;
    }

    /// <value>10–110 years.</value>
    public int AgeYears { get; }

    /// <value>70–260 mmHg, resting.</value>
    public int SystolicMmHg { get; }

    /// <value>40–160 mmHg, resting, below systolic.</value>
    public int DiastolicMmHg { get; }

    /// <summary>Answers by item id.</summary>
    public IReadOnlyDictionary<string, ItemAnswer> Answers { get; }

    public ClinicianClearance? Clearance { get; }
}
