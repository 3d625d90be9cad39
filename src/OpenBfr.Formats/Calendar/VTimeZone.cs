using System.Globalization;

namespace OpenBfr.Formats.Calendar;

/// <summary>
/// Builds a VTIMEZONE for an IANA zone from the system's tz database: one observance per UTC
/// offset change around the events' dates (no RRULE, so past rule changes stay exact).
/// </summary>
internal static class VTimeZone
{
    /// <summary>The zone from the system's tz database.</summary>
    /// <exception cref="ArgumentException">the zone is not there.</exception>
    public static TimeZoneInfo Find(string timeZoneId)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"time zone \"{timeZoneId}\" is not in the tz database here; use an IANA name such as Europe/Amsterdam", nameof(timeZoneId), ex);
        }
    }

    /// <summary>
    /// The instant a local time with TZID means, read as RFC 5545 3.3.5 says: a time that occurs
    /// twice (clocks going back) is its first occurrence; a time skipped by clocks going forward
    /// uses the UTC offset in force before the gap.
    /// </summary>
    public static DateTimeOffset ToInstant(TimeZoneInfo zone, DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsAmbiguousTime(local))
        {
            offset = zone.GetAmbiguousTimeOffsets(local).Max(); // the larger offset is the earlier instant
        }
        else if (zone.IsInvalidTime(local))
        {
            var before = local;
            do
            {
                before = before.AddMinutes(-30);
            }
            while (zone.IsInvalidTime(before) || zone.IsAmbiguousTime(before));
            offset = zone.GetUtcOffset(before);
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }
        return new DateTimeOffset(local, offset);
    }

    public static IEnumerable<string> Lines(string timeZoneId, DateTime firstLocal, DateTime lastLocal)
    {
        var zone = Find(timeZoneId);
        // From a year before the first event to a year after the last, so recurring edits nearby stay covered.
        var from = new DateTimeOffset(firstLocal.Year - 1, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(lastLocal.Year + 1, 12, 31, 0, 0, 0, TimeSpan.Zero);
        yield return "BEGIN:VTIMEZONE";
        yield return "TZID:" + timeZoneId;
        var offset = zone.GetUtcOffset(from);
        foreach (var line in Observance(zone, from, offset, offset))
        {
            yield return line;
        }
        for (var day = from; day < to; day = day.AddDays(1))
        {
            var next = day.AddDays(1);
            var nextOffset = zone.GetUtcOffset(next);
            if (nextOffset == offset)
            {
                continue;
            }
            // Binary search to the minute of the change.
            var lo = day;
            var hi = next;
            while (hi - lo > TimeSpan.FromMinutes(1))
            {
                var mid = lo + (hi - lo) / 2;
                mid = new DateTimeOffset(mid.Ticks - mid.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
                if (mid <= lo) break;
                if (zone.GetUtcOffset(mid) == offset) lo = mid; else hi = mid;
            }
            foreach (var line in Observance(zone, hi, offset, nextOffset))
            {
                yield return line;
            }
            offset = nextOffset;
        }
        yield return "END:VTIMEZONE";
    }

    private static string[] Observance(TimeZoneInfo zone, DateTimeOffset instantUtc, TimeSpan fromOffset, TimeSpan toOffset)
    {
        var kind = zone.IsDaylightSavingTime(instantUtc) ? "DAYLIGHT" : "STANDARD";
        // DTSTART is the onset in the local time that was in force before it (RFC 5545 3.6.5).
        var onset = (instantUtc + fromOffset).DateTime;
        return
        [
            "BEGIN:" + kind,
            "DTSTART:" + ICalendarWriter.FormatLocal(DateTime.SpecifyKind(onset, DateTimeKind.Unspecified)),
            "TZOFFSETFROM:" + Offset(fromOffset),
            "TZOFFSETTO:" + Offset(toOffset),
            "END:" + kind,
        ];
    }

    private static string Offset(TimeSpan offset)
        => (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
}
