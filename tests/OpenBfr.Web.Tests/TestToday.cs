using System.Globalization;

namespace OpenBfr.Web.Tests;

/// <summary>
/// The day the web tests run on. On the real clock unless the environment variable
/// <c>OPENBFR_TEST_DAYS_AHEAD</c> (a whole number of days, e.g. 3650) moves it: then every app a
/// <see cref="WebAppFactory"/> starts runs on <see cref="Clock"/>, the system clock that many days
/// ahead, and <see cref="RecentDates"/> counts from that day. That is how to find tests that only
/// pass until a certain date ("time bombs"):
/// <c>OPENBFR_TEST_DAYS_AHEAD=3650 dotnet test tests/OpenBfr.Web.Tests</c>.
/// </summary>
internal static class TestToday
{
    /// <summary>The environment variable that moves the tests' today.</summary>
    public const string DaysAheadVariable = "OPENBFR_TEST_DAYS_AHEAD";

    /// <summary>How far ahead of the real clock the run is: zero unless the environment variable says otherwise.</summary>
    public static TimeSpan Offset { get; } = ReadOffset();

    /// <summary>The clock the apps run on when <see cref="Offset"/> is not zero; the system clock otherwise.</summary>
    public static TimeProvider Clock { get; } = Offset == TimeSpan.Zero ? TimeProvider.System : new ShiftedClock(Offset);

    private static TimeSpan ReadOffset()
    {
        var text = Environment.GetEnvironmentVariable(DaysAheadVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return TimeSpan.Zero;
        }
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var days) && days is >= -36500 and <= 36500
            ? TimeSpan.FromDays(days)
            : throw new InvalidOperationException($"{DaysAheadVariable} must be a whole number of days from -36500 to 36500, was \"{text}\"");
    }

    /// <summary>
    /// The system clock moved by a fixed offset. Only the date and time of day move: timers and
    /// timestamps stay the system's, so the apps' background polls and timeouts keep their pace.
    /// </summary>
    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
