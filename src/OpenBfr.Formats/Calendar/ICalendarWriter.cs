using System.Globalization;
using System.Text;

namespace OpenBfr.Formats.Calendar;

/// <summary>Calendar-level properties.</summary>
/// <param name="ProductId">PRODID.</param>
/// <param name="Method">METHOD (PUBLISH for a feed or a file to import).</param>
/// <param name="Name">X-WR-CALNAME shown by most clients, or null.</param>
public sealed record CalendarOptions(string ProductId = "-//OpenBFR//OpenBFR training plan//EN", string Method = "PUBLISH", string? Name = null);

/// <summary>
/// Writes iCalendar (RFC 5545): CRLF line ends, lines folded at 75 octets without splitting a
/// UTF-8 character, TEXT escaped, VCALENDAR with PRODID/VERSION/CALSCALE/METHOD, VEVENTs with
/// DTSTAMP from the injected clock, all-day, UTC and zoned times (with VTIMEZONE), SEQUENCE and
/// an optional display alarm.
/// </summary>
public sealed class ICalendarWriter(TimeProvider clock)
{
    /// <summary>Longest line in octets, CRLF excluded (RFC 5545 3.1).</summary>
    public const int MaxLineOctets = 75;

    /// <summary>The calendar as text.</summary>
    /// <exception cref="ArgumentException">an event with an empty UID or summary, a non-positive duration, a UID used twice, an unknown time zone, or a METHOD that is not an iana-token.</exception>
    public string Write(IEnumerable<CalendarEvent> events, CalendarOptions? options = null)
    {
        options ??= new CalendarOptions();
        if (options.Method.Length == 0 || options.Method.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
        {
            // METHOD is written as it is, so anything else (a line break, a ';') would break or add lines.
            throw new ArgumentException($"METHOD must be an iana-token (ASCII letters, digits and '-', RFC 5545 3.7.2), such as PUBLISH, was \"{options.Method}\"", nameof(options));
        }
        var list = events.ToList();
        Validate(list);
        var stamp = FormatUtc(clock.GetUtcNow());
        var sb = new StringBuilder();
        Line(sb, "BEGIN:VCALENDAR");
        Line(sb, "PRODID:" + EscapeText(options.ProductId));
        Line(sb, "VERSION:2.0");
        Line(sb, "CALSCALE:GREGORIAN");
        Line(sb, "METHOD:" + options.Method);
        if (options.Name is { } name)
        {
            Line(sb, "X-WR-CALNAME:" + EscapeText(name));
        }
        foreach (var zone in list.Select(e => e.Timing).OfType<ZonedTiming>().GroupBy(z => z.TimeZoneId, StringComparer.Ordinal))
        {
            var starts = zone.Select(z => z.LocalStart).ToList();
            foreach (var line in VTimeZone.Lines(zone.Key, starts.Min(), starts.Max()))
            {
                Line(sb, line);
            }
        }
        foreach (var e in list)
        {
            Line(sb, "BEGIN:VEVENT");
            Line(sb, "UID:" + EscapeText(e.Uid)); // UID's value type is TEXT (RFC 5545 3.8.4.7), escaped like any other
            Line(sb, "DTSTAMP:" + stamp);
            switch (e.Timing)
            {
                case AllDayTiming a:
                    Line(sb, "DTSTART;VALUE=DATE:" + a.Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
                    Line(sb, "DTEND;VALUE=DATE:" + a.Date.AddDays(a.Days).ToString("yyyyMMdd", CultureInfo.InvariantCulture));
                    Line(sb, "TRANSP:TRANSPARENT");
                    break;
                case UtcTiming u:
                    Line(sb, "DTSTART:" + FormatUtc(u.Start));
                    Line(sb, "DTEND:" + FormatUtc(u.Start + u.Duration));
                    break;
                case ZonedTiming z:
                    var zone = VTimeZone.Find(z.TimeZoneId);
                    var start = VTimeZone.ToInstant(zone, z.LocalStart);
                    Line(sb, ZonedTime("DTSTART", zone, z.TimeZoneId, start));
                    Line(sb, ZonedTime("DTEND", zone, z.TimeZoneId, start + z.Duration));
                    break;
            }
            Line(sb, "SUMMARY:" + EscapeText(e.Summary));
            if (e.Description is { Length: > 0 } description)
            {
                Line(sb, "DESCRIPTION:" + EscapeText(description));
            }
            if (e.Location is { Length: > 0 } location)
            {
                Line(sb, "LOCATION:" + EscapeText(location));
            }
            if (e.Categories.Count > 0)
            {
                Line(sb, "CATEGORIES:" + string.Join(",", e.Categories.Select(EscapeText)));
            }
            Line(sb, "SEQUENCE:" + e.Sequence.ToString(CultureInfo.InvariantCulture));
            if (e.Alarm is { } alarm)
            {
                Line(sb, "BEGIN:VALARM");
                Line(sb, "ACTION:DISPLAY");
                Line(sb, "DESCRIPTION:" + EscapeText(alarm.Message));
                Line(sb, "TRIGGER:" + FormatDuration(-alarm.Before));
                Line(sb, "END:VALARM");
            }
            Line(sb, "END:VEVENT");
        }
        Line(sb, "END:VCALENDAR");
        return sb.ToString();
    }

    /// <summary>Writes the calendar as UTF-8 (no byte-order mark).</summary>
    public void WriteTo(Stream stream, IEnumerable<CalendarEvent> events, CalendarOptions? options = null)
    {
        var bytes = new UTF8Encoding(false).GetBytes(Write(events, options));
        stream.Write(bytes);
    }

    /// <summary>Escapes TEXT (RFC 5545 3.3.11): backslash, semicolon, comma and newlines; other control characters are dropped.</summary>
    public static string EscapeText(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case ';': sb.Append("\\;"); break;
                case ',': sb.Append("\\,"); break;
                case '\r':
                    sb.Append("\\n");
                    if (i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }
                    break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append(c); break;
                default:
                    if (!char.IsControl(c))
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Folds one content line into CRLF-terminated physical lines of at most 75 octets, never inside a UTF-8 sequence (RFC 5545 3.1).</summary>
    public static string Fold(string line)
    {
        var sb = new StringBuilder();
        Line(sb, line);
        return sb.ToString();
    }

    /// <summary>An RFC 5545 duration ("-PT15M", "P1DT2H").</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        var sb = new StringBuilder();
        if (duration < TimeSpan.Zero)
        {
            sb.Append('-');
            duration = duration.Negate();
        }
        sb.Append('P');
        if (duration.Days > 0)
        {
            sb.Append(duration.Days.ToString(CultureInfo.InvariantCulture)).Append('D');
        }
        if (duration.Hours > 0 || duration.Minutes > 0 || duration.Seconds > 0 || duration == TimeSpan.Zero)
        {
            sb.Append('T');
            if (duration.Hours > 0) sb.Append(duration.Hours.ToString(CultureInfo.InvariantCulture)).Append('H');
            if (duration.Minutes > 0) sb.Append(duration.Minutes.ToString(CultureInfo.InvariantCulture)).Append('M');
            if (duration.Seconds > 0 || duration == TimeSpan.Zero) sb.Append(duration.Seconds.ToString(CultureInfo.InvariantCulture)).Append('S');
        }
        return sb.ToString();
    }

    private static void Validate(List<CalendarEvent> events)
    {
        var uids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (string.IsNullOrWhiteSpace(e.Uid) || e.Uid.Any(char.IsControl))
            {
                throw new ArgumentException($"event \"{e.Summary}\": UID must be non-empty without control characters, was \"{e.Uid}\"", nameof(events));
            }
            if (!uids.Add(e.Uid))
            {
                throw new ArgumentException($"UID {e.Uid} is used by more than one event; each event needs its own", nameof(events));
            }
            if (string.IsNullOrWhiteSpace(e.Summary))
            {
                throw new ArgumentException($"event {e.Uid}: summary must not be empty", nameof(events));
            }
            if (e.Sequence < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(events), e.Sequence, $"event {e.Uid}: sequence must be ≥ 0, was {e.Sequence}");
            }
            var duration = e.Timing switch
            {
                AllDayTiming a => TimeSpan.FromDays(a.Days),
                UtcTiming u => u.Duration,
                ZonedTiming z => z.Duration,
                _ => TimeSpan.Zero,
            };
            if (duration <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(events), duration, $"event {e.Uid}: duration must be positive, was {duration}");
            }
            if (e.Alarm is { } alarm && (alarm.Before < TimeSpan.Zero || string.IsNullOrWhiteSpace(alarm.Message)))
            {
                throw new ArgumentException($"event {e.Uid}: an alarm needs a message and a time ≥ 0 before the start, was {alarm.Before} \"{alarm.Message}\"", nameof(events));
            }
        }
    }

    /// <summary>
    /// DTSTART or DTEND of a zoned event, in the zone when the local time is unambiguous, else in UTC.
    /// The end is the start plus the duration in real time (adding it to the wall-clock start made a
    /// 60-minute session on the night clocks go back end 2 hours later). A local time that occurs
    /// twice (clocks going back) or not at all (clocks going forward) is read differently by
    /// clients (RFC 5545 3.3.5 says first occurrence / offset before the gap; ical.js takes the
    /// second occurrence), so such a time is written in UTC, the instant RFC 5545 gives it (a start
    /// given in a gap is written as the wall time it becomes); a UTC time with a zoned one is
    /// allowed (RFC 5545 3.8.2.2).
    /// </summary>
    private static string ZonedTime(string name, TimeZoneInfo zone, string timeZoneId, DateTimeOffset instant)
    {
        var wall = DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(instant.UtcDateTime, zone), DateTimeKind.Unspecified);
        return zone.IsAmbiguousTime(wall) || zone.IsInvalidTime(wall)
            ? $"{name}:{FormatUtc(instant)}"
            : $"{name};TZID={timeZoneId}:{FormatLocal(wall)}";
    }

    private static string FormatUtc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    internal static string FormatLocal(DateTime time) => time.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder sb, string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var start = 0;
        var limit = MaxLineOctets;
        while (bytes.Length - start > limit)
        {
            var end = start + limit;
            while ((bytes[end] & 0xC0) == 0x80)
            {
                end--; // never start the next line with a UTF-8 continuation byte
            }
            sb.Append(Encoding.UTF8.GetString(bytes, start, end - start)).Append("\r\n ");
            start = end;
            limit = MaxLineOctets - 1; // the leading space counts
        }
        sb.Append(Encoding.UTF8.GetString(bytes, start, bytes.Length - start)).Append("\r\n");
    }
}
