using System.Text;
using OpenBfr.Formats.Tcx;

namespace OpenBfr.Formats.Tests.Tcx;

public class TcxParserTests
{
    internal const string TwoLapRun = """
        <?xml version="1.0" encoding="UTF-8"?>
        <TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
          <Activities>
            <Activity Sport="Running">
              <Id>2026-03-14T07:30:00Z</Id>
              <Lap StartTime="2026-03-14T07:30:00Z">
                <TotalTimeSeconds>300.0</TotalTimeSeconds>
                <DistanceMeters>1000.0</DistanceMeters>
                <AverageHeartRateBpm><Value>140</Value></AverageHeartRateBpm>
                <MaximumHeartRateBpm><Value>150</Value></MaximumHeartRateBpm>
                <Intensity>Active</Intensity>
                <TriggerMethod>Distance</TriggerMethod>
                <Track>
                  <Trackpoint><Time>2026-03-14T07:30:00Z</Time><Position><LatitudeDegrees>52.37</LatitudeDegrees><LongitudeDegrees>4.89</LongitudeDegrees></Position><AltitudeMeters>2.0</AltitudeMeters><DistanceMeters>0</DistanceMeters><HeartRateBpm><Value>120</Value></HeartRateBpm></Trackpoint>
                  <Trackpoint><Time>2026-03-14T07:35:00Z</Time><Position><LatitudeDegrees>52.379</LatitudeDegrees><LongitudeDegrees>4.89</LongitudeDegrees></Position><AltitudeMeters>7.0</AltitudeMeters><DistanceMeters>1000</DistanceMeters><HeartRateBpm><Value>150</Value></HeartRateBpm></Trackpoint>
                </Track>
              </Lap>
              <Lap StartTime="2026-03-14T07:36:00Z">
                <TotalTimeSeconds>600.0</TotalTimeSeconds>
                <DistanceMeters>2000.0</DistanceMeters>
                <AverageHeartRateBpm><Value>155</Value></AverageHeartRateBpm>
                <MaximumHeartRateBpm><Value>168</Value></MaximumHeartRateBpm>
                <Track>
                  <Trackpoint><Time>2026-03-14T07:36:00Z</Time><AltitudeMeters>6.0</AltitudeMeters></Trackpoint>
                  <Trackpoint><Time>2026-03-14T07:46:00Z</Time><AltitudeMeters>9.5</AltitudeMeters></Trackpoint>
                </Track>
              </Lap>
            </Activity>
          </Activities>
        </TrainingCenterDatabase>
        """;

    private static IReadOnlyList<RunActivity> Parse(string xml, string name = "run.tcx")
        => TcxParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), name);

    [Fact]
    public void Parse_TwoLapRun_SumsLapsAndWeightsHeartRateByLapTime()
    {
        var run = Parse(TwoLapRun).Single();

        run.Format.ShouldBe(ActivityFileFormat.Tcx);
        run.Sport.ShouldBe(ActivitySport.Running);
        run.StartTime.ShouldBe(new DateTimeOffset(2026, 3, 14, 7, 30, 0, TimeSpan.Zero));
        run.TotalDistanceMeters.ShouldBe(3000);
        run.MovingTime.ShouldBe(TimeSpan.FromMinutes(15));
        run.ElapsedTime.ShouldBe(TimeSpan.FromMinutes(16)); // a 1 min pause between the laps
        run.AverageHeartRate.ShouldBe(150); // (140×300 + 155×600) / 900
        run.MaxHeartRate.ShouldBe(168);
        run.TotalAscentMeters.ShouldBe(8.5); // +5, −1, +3.5
        run.Laps.Count.ShouldBe(2);
        run.RecordCount.ShouldBe(4);
        run.PositionCount.ShouldBe(2);
    }

    [Fact]
    public void Parse_NotWellFormed_NamesLineAndColumn()
    {
        var ex = Should.Throw<MalformedFileException>(() => Parse(TwoLapRun.Replace("</Id>", "</Idx>"), "bad.tcx"));
        ex.Message.ShouldStartWith("bad.tcx: not a valid TCX file: at line 5, column");
    }

    [Fact]
    public void Parse_Dtd_IsProhibited()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
            <TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">&lol2;</TrainingCenterDatabase>
            """;
        Should.Throw<MalformedFileException>(() => Parse(xml, "dtd.tcx")).Message.ShouldContain("DTD");
    }

    [Fact]
    public void Parse_WrongRoot_SaysWhatItExpected()
    {
        Should.Throw<MalformedFileException>(() => Parse("<gpx xmlns=\"http://www.topografix.com/GPX/1/1\"/>", "x.tcx"))
            .Message.ShouldBe("x.tcx: not a valid TCX file: at line 1, column 2: root element is <gpx>, expected <TrainingCenterDatabase>");
    }

    [Fact]
    public void Parse_MissingTotalTime_NamesTheLap()
    {
        var xml = TwoLapRun.Replace("<TotalTimeSeconds>600.0</TotalTimeSeconds>", "");
        Should.Throw<MalformedFileException>(() => Parse(xml)).Message.ShouldContain("line 18, column 8: <Lap> has no <TotalTimeSeconds>");
    }

    [Fact]
    public void Parse_NotANumber_QuotesTheValue()
    {
        var xml = TwoLapRun.Replace("<DistanceMeters>2000.0</DistanceMeters>", "<DistanceMeters>2 km</DistanceMeters>");
        Should.Throw<MalformedFileException>(() => Parse(xml)).Message.ShouldContain("<DistanceMeters> is \"2 km\", expected a number");
    }

    [Fact]
    public void Parse_HeartRateOutOfRange_SaysTheRange()
    {
        var xml = TwoLapRun.Replace("<Value>168</Value>", "<Value>400</Value>");
        Should.Throw<MalformedFileException>(() => Parse(xml)).Message.ShouldContain("<MaximumHeartRateBpm><Value> must be 20–260, was 400");
    }

    [Fact]
    public void Parse_SecondActivityBroken_ReturnsNothing()
    {
        var second = TwoLapRun[TwoLapRun.IndexOf("<Activity ", StringComparison.Ordinal)..(TwoLapRun.IndexOf("</Activity>", StringComparison.Ordinal) + 11)]
            .Replace("2026-03-14T07:30:00Z</Id>", "yesterday</Id>");
        var xml = TwoLapRun.Replace("</Activities>", second + "</Activities>");
        Should.Throw<MalformedFileException>(() => Parse(xml)).Message.ShouldContain("<Id> is \"yesterday\", expected an ISO 8601 date-time");
    }

    [Theory]
    [InlineData("<Lap StartTime=\"2026-03-14T07:36:00Z\">", "<Lap StartTime=\"9999-12-31T23:59:59Z\">", "line 18, column 12: Lap StartTime must be 1989-12-31T00:00:00Z–2126-02-06T06:28:14Z, was 9999-12-31T23:59:59Z")]
    [InlineData("<Id>2026-03-14T07:30:00Z</Id>", "<Id>0001-01-01T00:00:00Z</Id>", "line 5, column 8: <Id> must be 1989-12-31T00:00:00Z–2126-02-06T06:28:14Z, was 0001-01-01T00:00:00Z")]
    public void Parse_TimeOutsideTheFitDateRange_NamesTheFieldValueAndRange(string from, string to, string expected)
    {
        // A lap in 9999 overflowed DateTimeOffset (ArgumentOutOfRangeException) when its time was added.
        Should.Throw<MalformedFileException>(() => Parse(TwoLapRun.Replace(from, to), "far.tcx"))
            .Message.ShouldBe("far.tcx: not a valid TCX file: at " + expected);
    }

    [Fact]
    public void Parse_TrackpointTimeGoingBackwards_IsRejected()
    {
        var xml = TwoLapRun.Replace("<Time>2026-03-14T07:46:00Z</Time>", "<Time>2026-03-14T07:31:00Z</Time>");
        Should.Throw<MalformedFileException>(() => Parse(xml)).Message
            .ShouldContain("line 25, column 24: track point time 2026-03-14T07:31:00.0000000+00:00 is before the previous point's 2026-03-14T07:36:00.0000000+00:00");
    }

    [Fact]
    public void Parse_LapsSumToMoreThan1000Km_NamesTheTotalAndTheRange()
    {
        // Each lap is within its 0–1000 km, but the sum is not a run the load model accepts.
        var xml = TwoLapRun.Replace("<DistanceMeters>1000.0</DistanceMeters>", "<DistanceMeters>600000</DistanceMeters>")
            .Replace("<DistanceMeters>2000.0</DistanceMeters>", "<DistanceMeters>600000</DistanceMeters>");
        Should.Throw<MalformedFileException>(() => Parse(xml)).Message
            .ShouldContain("line 4, column 6: <Activity> starting 2026-03-14T07:30:00.0000000+00:00: total distance must be 0–1000000 m, was 1200000");
    }

    [Fact]
    public void Parse_DeepNesting_IsRefusedNamingTheDepth()
    {
        // XDocument.Load is quadratic in depth: 100 000 levels (0.7 MB) took 14 s before the limit.
        var nest = string.Concat(Enumerable.Repeat("<x>", 1000)) + string.Concat(Enumerable.Repeat("</x>", 1000));
        var xml = TwoLapRun.Replace("<Intensity>Active</Intensity>", nest);
        Should.Throw<MalformedFileException>(() => Parse(xml)).Message
            .ShouldContain("<x> is nested 65 levels deep, more than the 64 allowed (TCX files nest fewer than 12)");
    }

    /// <summary>The sample run with <paramref name="extra"/> more attributes on &lt;Activity&gt; (it has one, Sport).</summary>
    private static string WithActivityAttributes(int extra)
        => TwoLapRun.Replace("<Activity Sport=\"Running\">", "<Activity Sport=\"Running\"" + string.Concat(Enumerable.Range(0, extra).Select(i => $" a{i}=\"\"")) + ">");

    [Fact]
    public void Parse_ElementWithMoreAttributesThanAllowed_IsRefusedBeforeTheReaderTakesThemIn()
    {
        // XmlReader is quadratic in one element's attribute count: 26 MB of attributes on one element took 177 s and 1.9 GB.
        var refused = "line 4, column 6: <Activity> has more than the 256 attributes an element may have (TCX elements have a dozen at most)";

        Should.Throw<MalformedFileException>(() => Parse(WithActivityAttributes(256))).Message.ShouldEndWith(refused);
        var utf16 = new MemoryStream([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(WithActivityAttributes(256).Replace("UTF-8", "UTF-16"))]);
        Should.Throw<MalformedFileException>(() => TcxParser.Parse(utf16, "run.tcx")).Message.ShouldEndWith(refused);
        Parse(WithActivityAttributes(255)).ShouldHaveSingleItem().Laps.Count.ShouldBe(2);
    }

    [Fact]
    public void Parse_EqualsSignsOutsideStartTags_AreNotCountedAsAttributes()
    {
        var many = string.Concat(Enumerable.Repeat("a=b ", 300));
        var xml = TwoLapRun
            .Replace("<Intensity>Active</Intensity>", $"<!-- {many} --><Notes>{many}<![CDATA[<x {many}>]]></Notes><?pi {many}?><Extensions x=\"{many}\" y='{many}'/>")
            .Replace("<Id>", $"<!--<Id {many}>--><Id>");

        Parse(xml).ShouldHaveSingleItem().Laps.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("2026-03-14T07:30:00Z")]
    [InlineData("2026-03-14T08:30:00.5+01:00")]
    [InlineData("2026-03-14T07:30:00.123456789Z")]
    [InlineData("2026-03-14T07:30:00")]
    public void Parse_XsdDateTimeForms_AreRead(string id)
        => Parse(TwoLapRun.Replace("<Id>2026-03-14T07:30:00Z</Id>", $"<Id>{id}</Id>")).Single().StartTime
            .ShouldBe(new DateTimeOffset(2026, 3, 14, 7, 30, 0, TimeSpan.Zero), TimeSpan.FromSeconds(1));

    [Theory]
    [InlineData("<Id>2026-03-14T07:30:00Z</Id>", "<Id>2026-03-15T07:30:00Z</Id>", "<Id> \"2026-03-15T07:30:00Z\" appears again in <Activity> (first at line 5: \"2026-03-14T07:30:00Z\")")]
    [InlineData("<TotalTimeSeconds>300.0</TotalTimeSeconds>", "<TotalTimeSeconds>600.0</TotalTimeSeconds>", "<TotalTimeSeconds> \"600.0\" appears again in <Lap> (first at line 7: \"300.0\")")]
    [InlineData("<DistanceMeters>1000.0</DistanceMeters>", "<DistanceMeters>1.0</DistanceMeters>", "<DistanceMeters> \"1.0\" appears again in <Lap> (first at line 8: \"1000.0\")")]
    [InlineData("<MaximumHeartRateBpm><Value>150</Value></MaximumHeartRateBpm>", "<MaximumHeartRateBpm><Value>190</Value></MaximumHeartRateBpm>", "<MaximumHeartRateBpm> appears again in <Lap> (first at line 10)")]
    [InlineData("<Value>140</Value>", "<Value>145</Value>", "<Value> \"145\" appears again in <AverageHeartRateBpm> (first at line 9: \"140\")")]
    [InlineData("<Time>2026-03-14T07:30:00Z</Time>", "<Time>2026-03-14T07:30:01Z</Time>", "<Time> \"2026-03-14T07:30:01Z\" appears again in <Trackpoint> (first at line 14: \"2026-03-14T07:30:00Z\")")]
    [InlineData("<AltitudeMeters>2.0</AltitudeMeters>", "<AltitudeMeters>3.0</AltitudeMeters>", "<AltitudeMeters> \"3.0\" appears again in <Trackpoint> (first at line 14: \"2.0\")")]
    [InlineData("<HeartRateBpm><Value>120</Value></HeartRateBpm>", "<HeartRateBpm><Value>125</Value></HeartRateBpm>", "<HeartRateBpm> appears again in <Trackpoint> (first at line 14)")]
    [InlineData("<LatitudeDegrees>52.37</LatitudeDegrees>", "<LatitudeDegrees>52.38</LatitudeDegrees>", "<LatitudeDegrees> \"52.38\" appears again in <Position> (first at line 14: \"52.37\")")]
    [InlineData("</Activities>", "<Activities/>", "<Activities> \"\" appears again in <TrainingCenterDatabase> (first at line 3)")]
    public void Parse_SingleValueElementTwice_RefusedNamingItItsLineAndThatItMayAppearOnce(string element, string again, string expected)
    {
        // TCX v2 (TrainingCenterDatabasev2.xsd) gives each of these maxOccurs 1; the first one silently won before.
        var xml = TwoLapRun[..(TwoLapRun.IndexOf(element, StringComparison.Ordinal) + element.Length)] + "\n" + again
            + TwoLapRun[(TwoLapRun.IndexOf(element, StringComparison.Ordinal) + element.Length)..];
        var line = xml[..xml.IndexOf("\n" + again, StringComparison.Ordinal)].Count(c => c == '\n') + 2;
        var name = again[1..again.IndexOfAny(['>', '/'])];

        var ex = Should.Throw<MalformedFileException>(() => Parse(xml, "twice.tcx"));

        ex.Message.ShouldStartWith($"twice.tcx: not a valid TCX file: at line {line}, column 2: ");
        ex.Problem.ShouldStartWith(expected + ": ");
        ex.Problem.ShouldEndWith($"the TCX schema allows one <{name}> per <{expected.Split('<')[2].Split('>')[0]}>, and which one the device meant is unknown");
    }

    [Fact]
    public void Parse_DuplicateInTheSecondActivity_RefusesTheWholeFile()
    {
        var second = TwoLapRun[TwoLapRun.IndexOf("<Activity ", StringComparison.Ordinal)..(TwoLapRun.IndexOf("</Activity>", StringComparison.Ordinal) + 11)]
            .Replace("<Id>2026-03-14T07:30:00Z</Id>", "<Id>2026-03-15T07:30:00Z</Id><Id>2026-03-16T07:30:00Z</Id>");
        var xml = TwoLapRun.Replace("</Activities>", second + "</Activities>");

        Should.Throw<MalformedFileException>(() => Parse(xml)).Problem.ShouldStartWith("<Id> \"2026-03-16T07:30:00Z\" appears again in <Activity>");
    }

    [Fact]
    public void Parse_TwoTracksInALap_AreBothRead()
    {
        // Lap and Track are maxOccurs="unbounded" in TCX v2: repeating them is not a duplicate.
        var at = TwoLapRun.IndexOf("<Track>", StringComparison.Ordinal);
        var xml = TwoLapRun[..at] + "<Track><Trackpoint><Time>2026-03-14T07:30:00Z</Time></Trackpoint></Track>" + TwoLapRun[at..];

        Parse(xml).Single().RecordCount.ShouldBe(5);
    }
}
