using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenBfr.Web.Tests;

/// <summary>
/// Dates for tests, counted from the run's today (<see cref="TestToday"/>: the real clock unless the
/// run is moved in time), the day the apps in these tests run on. The app judges dates against
/// today: a clearance dated 12 months back or more no longer counts (PAR-Q+), a plan must start
/// within 5 years of today, and so on; so a test that writes a fixed date starts failing some day.
/// Today is read once per test run, so every date a run writes and asserts agrees even across midnight.
/// </summary>
internal static partial class RecentDates
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(TestToday.Clock.GetUtcNow().UtcDateTime);

    /// <summary>The Monday the tests' written dates (plans from 2026-12-07, tests in November 2026) were written around.</summary>
    private static readonly DateOnly WrittenOn = new(2026, 11, 23);

    /// <summary>Whole weeks from <see cref="WrittenOn"/> to today (0 on the day they were written).</summary>
    private static readonly int WeeksSinceWritten = (int)Math.Floor((Today.DayNumber - WrittenOn.DayNumber) / 7.0);

    /// <summary>The day <paramref name="days"/> days before today.</summary>
    public static DateOnly DaysAgo(int days) => Today.AddDays(-days);

    /// <summary>The time <paramref name="hour"/>:00 UTC on the day <paramref name="days"/> days before today.</summary>
    public static DateTimeOffset DaysAgoAt(int days, int hour) => new(DaysAgo(days).ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    /// <summary>That day as the API writes it ("yyyy-MM-dd").</summary>
    public static string Text(int daysAgo) => DaysAgo(daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// A day as a test was written (around the week of 2026-11-23: a plan starting Monday 2026-12-07,
    /// a strength test on 2026-11-16), moved by whole weeks so that it stands to today as it stood
    /// to that week: the same weekday, the same days between the dates of one test, never more than
    /// six days further from today than when written. Unchanged in the week of 2026-11-23.
    /// </summary>
    public static DateOnly Moved(DateOnly written) => written.AddDays(7 * WeeksSinceWritten);

    /// <summary><see cref="Moved(DateOnly)"/> for a "yyyy-MM-dd" day, as the API reads and writes it.</summary>
    public static string Moved(string written)
        => Moved(DateOnly.ParseExact(written, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="text"/> with every "{moved:yyyy-MM-dd}" replaced by that day <see cref="Moved(string)"/>:
    /// for request bodies written in attributes ([InlineData]), which cannot call a method.
    /// </summary>
    public static string Fill(string text) => MovedPlaceholder().Replace(text, m => Moved(m.Groups[1].Value));

    [GeneratedRegex(@"\{moved:(\d{4}-\d{2}-\d{2})\}")]
    private static partial Regex MovedPlaceholder();
}
