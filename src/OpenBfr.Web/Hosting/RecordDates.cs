namespace OpenBfr.Web.Hosting;

/// <summary>How far back a recorded measurement may be dated (strength tests, LOPs, clearances).</summary>
public static class RecordDates
{
    /// <summary>Years before today that a record's day may lie; older is a typing error (year 1 was accepted once), not a record.</summary>
    public const int MaxAgeYears = 20;
}
