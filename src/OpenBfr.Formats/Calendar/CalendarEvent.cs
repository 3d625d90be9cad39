using System.Security.Cryptography;
using System.Text;

namespace OpenBfr.Formats.Calendar;

/// <summary>When an event happens.</summary>
public abstract record CalendarTiming;

/// <summary>All-day event(s) from <paramref name="Date"/> for <paramref name="Days"/> days (VALUE=DATE).</summary>
public sealed record AllDayTiming(DateOnly Date, int Days = 1) : CalendarTiming;

/// <summary>A timed event at a UTC instant.</summary>
public sealed record UtcTiming(DateTimeOffset Start, TimeSpan Duration) : CalendarTiming;

/// <summary>A timed event at a local wall-clock time in an IANA time zone ("Europe/Amsterdam"); written with TZID and a VTIMEZONE.</summary>
public sealed record ZonedTiming(DateTime LocalStart, TimeSpan Duration, string TimeZoneId) : CalendarTiming;

/// <summary>A reminder before the event (VALARM, ACTION:DISPLAY).</summary>
/// <param name="Before">how long before the start, ≥ 0.</param>
/// <param name="Message">what the reminder says.</param>
public sealed record CalendarAlarm(TimeSpan Before, string Message);

/// <summary>
/// One calendar entry in neutral form: the planner maps its sessions to these and the
/// iCalendar writer turns them into VEVENTs.
/// </summary>
/// <param name="Uid">globally unique and stable across exports (see <see cref="CalendarUid"/>), so a re-import updates instead of duplicating.</param>
/// <param name="Summary">the title.</param>
/// <param name="Timing">all-day, UTC or zoned.</param>
public sealed record CalendarEvent(string Uid, string Summary, CalendarTiming Timing)
{
    /// <summary>Longer text; newlines, commas and semicolons are escaped on output.</summary>
    public string? Description { get; init; }

    public string? Location { get; init; }

    /// <summary>Revision number; raise it when the event changes so clients take the update (RFC 5545 3.8.7.4).</summary>
    public int Sequence { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];

    public CalendarAlarm? Alarm { get; init; }
}

/// <summary>Stable event UIDs: the same plan, date and session kind always give the same UID.</summary>
public static class CalendarUid
{
    /// <summary>Domain part of generated UIDs.</summary>
    public const string Domain = "openbfr";

    /// <summary>
    /// A UID from what identifies the session: the plan or athlete (<paramref name="scope"/>),
    /// the date, the kind of session, and an ordinal for several of one kind on one day.
    /// </summary>
    /// <exception cref="ArgumentException">scope or kind empty.</exception>
    public static string For(string scope, DateOnly date, string kind, int ordinal = 0)
    {
        if (string.IsNullOrWhiteSpace(scope) || string.IsNullOrWhiteSpace(kind))
        {
            throw new ArgumentException($"scope and kind must not be empty, were \"{scope}\" and \"{kind}\"", nameof(scope));
        }
        var key = $"{scope}|{date:yyyy-MM-dd}|{kind}|{ordinal}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
        return $"{date:yyyyMMdd}-{hash}@{Domain}";
    }
}
