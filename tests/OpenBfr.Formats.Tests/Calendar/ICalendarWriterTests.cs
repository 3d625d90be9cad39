using System.Text;
using OpenBfr.Core.Time;
using OpenBfr.Formats.Calendar;
using OpenBfr.Formats.Tests.Support;

namespace OpenBfr.Formats.Tests.Calendar;

public class ICalendarWriterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static ICalendarWriter Writer() => new(new ManualTimeProvider(Now));

    private const string Tricky = "Cuffs 70% LOP; 4 sets, 30-15-15-15\nRest 30 s; back\\slash — Übung für die Waden, 足首 🦵";

    private static List<CalendarEvent> SampleEvents() =>
    [
        new(CalendarUid.For("plan-42", new DateOnly(2026, 12, 7), "strength-bfr"), "BFR strength, lower limb", new AllDayTiming(new DateOnly(2026, 12, 7)))
        {
            Description = Tricky,
            Categories = ["BFR", "strength"],
        },
        new(CalendarUid.For("plan-42", new DateOnly(2026, 12, 8), "recovery-walk"), "BFR recovery walk, 15 min", new UtcTiming(new DateTimeOffset(2026, 12, 8, 17, 30, 0, TimeSpan.Zero), TimeSpan.FromMinutes(20)))
        {
            Location = "Vondelpark, Amsterdam",
            Sequence = 2,
            Alarm = new CalendarAlarm(TimeSpan.FromMinutes(15), "Put the cuffs on; LOP measured seated?"),
        },
        new(CalendarUid.For("plan-42", new DateOnly(2027, 7, 1), "strength-bfr"), "Summer session (CEST)", new ZonedTiming(new DateTime(2027, 7, 1, 9, 0, 0), TimeSpan.FromMinutes(45), "Europe/Amsterdam"))
        {
            Alarm = new CalendarAlarm(TimeSpan.FromHours(1.5), "In 90 minutes"),
        },
        new(CalendarUid.For("plan-42", new DateOnly(2027, 1, 15), "strength-bfr"), "Winter session (EST)", new ZonedTiming(new DateTime(2027, 1, 15, 18, 15, 0), TimeSpan.FromMinutes(45), "America/New_York")),
    ];

    [Fact]
    public void Write_Calendar_HasRequiredPropertiesCrlfAndStampFromClock()
    {
        var text = Writer().Write(SampleEvents(), new CalendarOptions(Name: "OpenBFR plan"));

        text.ShouldStartWith("BEGIN:VCALENDAR\r\nPRODID:-//OpenBFR//OpenBFR training plan//EN\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
        text.ShouldEndWith("END:VCALENDAR\r\n");
        text.Replace("\r\n", "").ShouldNotContain("\n");
        text.ShouldContain("DTSTAMP:20261122T080000Z\r\n");
        text.ShouldContain("DTSTART;VALUE=DATE:20261207\r\nDTEND;VALUE=DATE:20261208\r\n");
        text.ShouldContain("DTSTART;TZID=Europe/Amsterdam:20270701T090000\r\n");
        text.ShouldContain("TRIGGER:-PT1H30M\r\n");
    }

    [Fact]
    public void Write_EveryPhysicalLine_IsAtMost75OctetsAndValidUtf8()
    {
        var longText = string.Concat(Enumerable.Repeat("äöü€𝄞 BFR, ", 40));
        var events = new List<CalendarEvent> { new("x@openbfr", "long", new AllDayTiming(new DateOnly(2026, 1, 1))) { Description = longText } };
        var text = Writer().Write(events);

        foreach (var line in text.Split("\r\n"))
        {
            Encoding.UTF8.GetByteCount(line).ShouldBeLessThanOrEqualTo(75, line);
            line.ShouldNotContain('\uFFFD');
        }
        // Unfolding (RFC 5545 3.1: remove CRLF followed by one space) restores the escaped text.
        text.Replace("\r\n ", "").ShouldContain("DESCRIPTION:" + ICalendarWriter.EscapeText(longText) + "\r\n");
    }

    [Theory]
    [InlineData("a;b,c\\d", "a\\;b\\,c\\\\d")]
    [InlineData("line1\r\nline2\nline3\rline4", "line1\\nline2\\nline3\\nline4")]
    [InlineData("bell\u0007tab\tend", "belltab\tend")]
    public void EscapeText_SpecialCharacters_AreEscaped(string raw, string escaped)
        => ICalendarWriter.EscapeText(raw).ShouldBe(escaped);

    [Fact]
    public void Fold_MultiByteCharacterAtTheLimit_IsNotSplit()
    {
        // 74 ASCII octets then a 3-octet "€": the € would straddle octet 75, so it moves to the next line whole.
        var line = new string('a', 74) + "€b";
        var folded = ICalendarWriter.Fold(line);
        folded.ShouldBe(new string('a', 74) + "\r\n €b\r\n");
    }

    [Theory]
    [InlineData(-15 * 60, "-PT15M")]
    [InlineData(90 * 60, "PT1H30M")]
    [InlineData(86_400 + 5, "P1DT5S")]
    [InlineData(86_400, "P1D")]
    [InlineData(0, "PT0S")]
    public void FormatDuration_Values_FollowRfc5545(int seconds, string expected)
        => ICalendarWriter.FormatDuration(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);

    [Fact]
    public void CalendarUid_SameInputs_SameUidAndDifferentInputsDiffer()
    {
        var a = CalendarUid.For("athlete-7", new DateOnly(2026, 12, 7), "strength-bfr");
        a.ShouldBe(CalendarUid.For("athlete-7", new DateOnly(2026, 12, 7), "strength-bfr"));
        a.ShouldNotBe(CalendarUid.For("athlete-7", new DateOnly(2026, 12, 8), "strength-bfr"));
        a.ShouldNotBe(CalendarUid.For("athlete-7", new DateOnly(2026, 12, 7), "recovery-walk"));
        a.ShouldNotBe(CalendarUid.For("athlete-7", new DateOnly(2026, 12, 7), "strength-bfr", 1));
        a.ShouldStartWith("20261207-");
        a.ShouldEndWith("@openbfr");
    }

    [Fact]
    public void Write_ReExportLater_SameUidsNewStamp()
    {
        var clock = new ManualTimeProvider(Now);
        var writer = new ICalendarWriter(clock);
        var first = writer.Write(SampleEvents());
        clock.Advance(TimeSpan.FromDays(3));
        var second = writer.Write(SampleEvents());

        Uids(second).ShouldBe(Uids(first));
        second.ShouldContain("DTSTAMP:20261125T080000Z");

        static List<string> Uids(string text) => [.. text.Split("\r\n").Where(l => l.StartsWith("UID:", StringComparison.Ordinal))];
    }

    [Fact]
    public void Write_DuplicateUid_Throws()
    {
        var e = new CalendarEvent("same@openbfr", "x", new AllDayTiming(new DateOnly(2026, 1, 1)));
        Should.Throw<ArgumentException>(() => Writer().Write([e, e with { Summary = "y" }])).Message.ShouldContain("UID same@openbfr is used by more than one event");
    }

    [Fact]
    public void Write_UnknownTimeZone_SaysWhatToUse()
    {
        var e = new CalendarEvent("tz@openbfr", "x", new ZonedTiming(new DateTime(2026, 1, 1, 9, 0, 0), TimeSpan.FromHours(1), "Mars/Olympus_Mons"));
        Should.Throw<ArgumentException>(() => Writer().Write([e])).Message.ShouldContain("time zone \"Mars/Olympus_Mons\" is not in the tz database");
    }

    [Fact]
    public void Write_ParsedByIcalJs_RoundTripsEveryField()
    {
        var dir = NodePeer.ScratchDirectory("ical");
        var path = Path.Combine(dir, "plan.ics");
        using (var stream = File.Create(path))
        {
            Writer().WriteTo(stream, SampleEvents(), new CalendarOptions(Name: "OpenBFR plan"));
        }

        var parsed = NodePeer.Run("ical-parse.mjs", path)[0];

        parsed.GetProperty("ok").GetBoolean().ShouldBeTrue(parsed.ToString());
        parsed.GetProperty("version").GetString().ShouldBe("2.0");
        parsed.GetProperty("calscale").GetString().ShouldBe("GREGORIAN");
        parsed.GetProperty("method").GetString().ShouldBe("PUBLISH");
        parsed.GetProperty("prodid").GetString().ShouldBe("-//OpenBFR//OpenBFR training plan//EN");
        var events = parsed.GetProperty("events").EnumerateArray().ToList();
        var expected = SampleEvents();
        events.Count.ShouldBe(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            events[i].GetProperty("uid").GetString().ShouldBe(expected[i].Uid);
            events[i].GetProperty("summary").GetString().ShouldBe(expected[i].Summary);
            events[i].GetProperty("sequence").GetInt32().ShouldBe(expected[i].Sequence);
            events[i].GetProperty("dtstamp").GetString().ShouldBe("2026-11-22T08:00:00Z");
        }
        // Description with semicolons, commas, a newline, a backslash, umlauts, CJK and an emoji survives.
        events[0].GetProperty("description").GetString().ShouldBe(Tricky);
        events[0].GetProperty("start").GetProperty("isDate").GetBoolean().ShouldBeTrue();
        events[0].GetProperty("start").GetProperty("text").GetString().ShouldBe("2026-12-07");
        events[0].GetProperty("end").GetProperty("text").GetString().ShouldBe("2026-12-08");
        events[0].GetProperty("categories").EnumerateArray().Select(c => c.GetString()).ShouldBe(["BFR", "strength"]);
        events[1].GetProperty("location").GetString().ShouldBe("Vondelpark, Amsterdam");
        events[1].GetProperty("start").GetProperty("utc").GetString().ShouldBe("2026-12-08T17:30:00.000Z");
        events[1].GetProperty("end").GetProperty("utc").GetString().ShouldBe("2026-12-08T17:50:00.000Z");
        var alarm = events[1].GetProperty("alarms")[0];
        alarm.GetProperty("action").GetString().ShouldBe("DISPLAY");
        alarm.GetProperty("triggerSeconds").GetInt32().ShouldBe(-15 * 60);
        alarm.GetProperty("description").GetString().ShouldBe("Put the cuffs on; LOP measured seated?");
        // Zoned times resolve through our VTIMEZONEs: 09:00 CEST = 07:00Z; 18:15 EST = 23:15Z.
        events[2].GetProperty("start").GetProperty("tzid").GetString().ShouldBe("Europe/Amsterdam");
        events[2].GetProperty("start").GetProperty("utc").GetString().ShouldBe("2027-07-01T07:00:00.000Z");
        events[2].GetProperty("alarms")[0].GetProperty("triggerSeconds").GetInt32().ShouldBe(-90 * 60);
        events[3].GetProperty("start").GetProperty("utc").GetString().ShouldBe("2027-01-15T23:15:00.000Z");
        parsed.GetProperty("timezones").EnumerateArray().Select(t => t.GetString()).ShouldBe(["Europe/Amsterdam", "America/New_York"]);
    }

    [Fact]
    public void Write_UidWithTextSpecials_EscapedAsTextAndParsedBackWhole()
    {
        // UID is TEXT (RFC 5545 3.8.4.7): a caller's UID with a comma, semicolon or backslash is escaped like a summary.
        const string uid = @"run,2026-12-07;left\right@example.org";
        var dir = NodePeer.ScratchDirectory("ical-uid");
        var path = Path.Combine(dir, "uid.ics");
        var text = Writer().Write([new CalendarEvent(uid, "x", new AllDayTiming(new DateOnly(2026, 12, 7)))]);
        File.WriteAllText(path, text);

        text.Split("\r\n").ShouldContain(@"UID:run\,2026-12-07\;left\\right@example.org");
        var parsed = NodePeer.Run("ical-parse.mjs", path)[0];
        parsed.GetProperty("ok").GetBoolean().ShouldBeTrue(parsed.ToString());
        parsed.GetProperty("events")[0].GetProperty("uid").GetString().ShouldBe(uid);
    }

    [Theory]
    [InlineData("PUBLISH\r\nX-INJECTED:1")]
    [InlineData("REQUEST;X=1")]
    [InlineData("")]
    public void Write_MethodNotAnIanaToken_Throws(string method)
    {
        var e = new CalendarEvent("m@openbfr", "x", new AllDayTiming(new DateOnly(2026, 1, 1)));

        Should.Throw<ArgumentException>(() => Writer().Write([e], new CalendarOptions(Method: method)))
            .Message.ShouldStartWith($"METHOD must be an iana-token (ASCII letters, digits and '-', RFC 5545 3.7.2), such as PUBLISH, was \"{method}\"");
    }
    // Europe/Amsterdam 2027: clocks go forward 28 March 02:00 CET -> 03:00 CEST, back 31 October 03:00 CEST -> 02:00 CET.
    [Theory]
    [InlineData("2027-03-28T01:30:00", 60, "DTEND;TZID=Europe/Amsterdam:20270328T033000", "2027-03-28T00:30:00.000Z", "2027-03-28T01:30:00.000Z")]
    [InlineData("2027-10-31T01:30:00", 60, "DTEND:20271031T003000Z", "2027-10-30T23:30:00.000Z", "2027-10-31T00:30:00.000Z")]
    [InlineData("2027-10-31T00:30:00", 240, "DTEND;TZID=Europe/Amsterdam:20271031T033000", "2027-10-30T22:30:00.000Z", "2027-10-31T02:30:00.000Z")]
    [InlineData("2027-10-30T23:30:00", 45, "DTEND;TZID=Europe/Amsterdam:20271031T001500", "2027-10-30T21:30:00.000Z", "2027-10-30T22:15:00.000Z")]
    public void Write_ZonedEventAcrossAClockChange_EndsAfterItsDurationInRealTime(string localStart, int minutes, string dtend, string startUtc, string endUtc)
    {
        var start = DateTime.Parse(localStart, System.Globalization.CultureInfo.InvariantCulture);
        var e = new CalendarEvent("dst@openbfr", "Across the clock change", new ZonedTiming(start, TimeSpan.FromMinutes(minutes), "Europe/Amsterdam"));
        var dir = NodePeer.ScratchDirectory("ical-dst");
        var path = Path.Combine(dir, $"dst-{start:yyyyMMddHHmm}-{minutes}.ics");
        var text = Writer().Write([e]);
        File.WriteAllText(path, text);

        text.Split("\r\n").ShouldContain(dtend);
        var parsed = NodePeer.Run("ical-parse.mjs", path)[0];
        parsed.GetProperty("ok").GetBoolean().ShouldBeTrue(parsed.ToString());
        var ev = parsed.GetProperty("events")[0];
        ev.GetProperty("start").GetProperty("utc").GetString().ShouldBe(startUtc);
        ev.GetProperty("end").GetProperty("utc").GetString().ShouldBe(endUtc);
    }

    [Fact]
    public void Write_ZonedTimesInTheRepeatedHour_AreWrittenInUtcSoNoClientReadsTheOtherOccurrence()
    {
        // 02:30 on the night clocks go back happens twice. RFC 5545 3.3.5 reads it as the first
        // (02:30 CEST = 00:30 UTC), ical.js as the second, so such times go out in UTC.
        var e = new CalendarEvent("dst2@openbfr", "In the repeated hour", new ZonedTiming(new DateTime(2027, 10, 31, 2, 30, 0), TimeSpan.FromMinutes(60), "Europe/Amsterdam"));

        var lines = Writer().Write([e]).Split("\r\n");

        lines.ShouldContain("DTSTART:20271031T003000Z");
        lines.ShouldContain("DTEND:20271031T013000Z");
    }

    [Fact]
    public void Write_ZonedStartSkippedByTheClock_IsTheInstantRfc5545GivesIt()
    {
        // 02:30 on the night clocks go forward does not exist; RFC 5545 3.3.5 reads it with the offset
        // before the gap (+01:00): 01:30 UTC, which the zone calls 03:30 CEST.
        var e = new CalendarEvent("dst3@openbfr", "Skipped by the clock", new ZonedTiming(new DateTime(2027, 3, 28, 2, 30, 0), TimeSpan.FromMinutes(30), "Europe/Amsterdam"));

        var lines = Writer().Write([e]).Split("\r\n");

        lines.ShouldContain("DTSTART;TZID=Europe/Amsterdam:20270328T033000");
        lines.ShouldContain("DTEND;TZID=Europe/Amsterdam:20270328T040000");
    }
}
