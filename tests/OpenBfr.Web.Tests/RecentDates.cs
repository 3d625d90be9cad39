using System.Globalization;

namespace OpenBfr.Web.Tests;

/// <summary>
/// Days counted back from today on the real clock (the one the app runs on in these tests). A
/// clearance dated 12 months back or more no longer counts and cannot be recorded (PAR-Q+), so a
/// test that records one on a fixed date would start failing a year later. Today is read once per
/// test run, so every date a run writes and asserts agrees even across midnight.
/// </summary>
internal static class RecentDates
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

    /// <summary>The day <paramref name="days"/> days before today.</summary>
    public static DateOnly DaysAgo(int days) => Today.AddDays(-days);

    /// <summary>That day as the API writes it ("yyyy-MM-dd").</summary>
    public static string Text(int daysAgo) => DaysAgo(daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
