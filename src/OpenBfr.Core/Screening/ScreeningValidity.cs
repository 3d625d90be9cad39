using System.Globalization;

namespace OpenBfr.Core.Screening;

/// <summary>
/// How long a screening and a clinician's clearance count: 12 months from the day they were done
/// (<see cref="Sources.ParqPlus"/>). The one place the rule lives; callers pass today from their
/// injected clock (there is no wall clock in Core).
/// </summary>
/// <remarks>
/// "Valid for a maximum of 12 months from the date it is completed" is read with calendar months
/// (<see cref="DateOnly.AddMonths"/>): done on <c>d</c>, it expires on <c>d.AddMonths(12)</c> and counts
/// on every day before that one. Done 2025-01-10: valid through 2026-01-09, expired from 2026-01-10.
/// Done 2025-02-28: expired from 2026-02-28. Done on 29 February 2024: <c>AddMonths</c> gives
/// 2025-02-28, so it is valid through 2025-02-27 (never longer than 12 months).
/// </remarks>
public static class ScreeningValidity
{
    /// <summary>Months a screening or a clearance counts.</summary>
    /// <value>12.</value>
    public const int ValidMonths = 12; // Sources.ParqPlus: "valid for a maximum of 12 months from the date it is completed"

    /// <summary>Where <see cref="ValidMonths"/> comes from.</summary>
    public const string Source = Sources.ParqPlus;

    /// <summary>The short name of the rule, as messages show it.</summary>
    public const string Rule = "valid 12 months: PAR-Q+";

    /// <summary>The first day on which something done on <paramref name="doneOn"/> no longer counts.</summary>
    public static DateOnly ExpiresOn(DateOnly doneOn) => doneOn.AddMonths(ValidMonths);

    /// <summary>True when something done on <paramref name="doneOn"/> no longer counts on <paramref name="today"/> (today is its expiry day or later).</summary>
    public static bool IsExpired(DateOnly doneOn, DateOnly today) => today >= ExpiresOn(doneOn);

    /// <summary>What the person sees for an expired clearance of one finding.</summary>
    public static string ClearanceExpired(string finding, string clinician, DateOnly clearedOn)
        => $"clearance of {finding} by {clinician} on {Day(clearedOn)} expired on {Day(ExpiresOn(clearedOn))} ({Rule}): a clinician must clear it again";

    /// <summary>What the person sees for an expired screening.</summary>
    public static string ScreeningExpired(DateOnly screenedOn)
        => $"the screening of {Day(screenedOn)} expired on {Day(ExpiresOn(screenedOn))} ({Rule}): screen again before BFR is prescribed or run";

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
