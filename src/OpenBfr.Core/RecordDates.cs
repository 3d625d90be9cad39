namespace OpenBfr.Core;

/// <summary>
/// How far from today the days people type may lie, so a slip (year 1, year 9999) is refused
/// naming the field instead of stored or overflowing the calendar: the same bounds in the web app
/// and the CLI.
/// </summary>
public static class RecordDates
{
    /// <summary>Years before today that a record's day may lie (a strength test, a LOP, a clearance, an injury); older is a typing error, not a record.</summary>
    public const int MaxAgeYears = 20;

    /// <summary>Years from today, either way, that a plan may start or a goal race lie (an injury may lie this far ahead: a planned operation).</summary>
    public const int MaxYearsAhead = 5;

    /// <summary>The earliest day a record may carry: <see cref="MaxAgeYears"/> before <paramref name="today"/>.</summary>
    public static DateOnly EarliestRecord(DateOnly today) => today.AddYears(-MaxAgeYears);

    /// <summary>The days a plan may start or a goal race lie: <see cref="MaxYearsAhead"/> either side of <paramref name="today"/>.</summary>
    public static (DateOnly From, DateOnly To) PlanWindow(DateOnly today) => (today.AddYears(-MaxYearsAhead), today.AddYears(MaxYearsAhead));

    /// <summary>The days an injury (or a planned operation) may lie: from <see cref="EarliestRecord"/> to <see cref="MaxYearsAhead"/> ahead.</summary>
    public static (DateOnly From, DateOnly To) InjuryWindow(DateOnly today) => (EarliestRecord(today), today.AddYears(MaxYearsAhead));
}
