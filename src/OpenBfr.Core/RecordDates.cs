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
}
