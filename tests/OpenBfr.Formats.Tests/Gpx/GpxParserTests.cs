using System.Text;
using OpenBfr.Formats.Gpx;

namespace OpenBfr.Formats.Tests.Gpx;

public class GpxParserTests
{
    // 0.001° of latitude on the IUGG mean-radius sphere: π × 6 371 008.8 m / 180 / 1000 = 111.19508 m.
    private const double MilliDegreeMeters = Math.PI * 6_371_008.8 / 180 / 1000;

    internal const string ThreePoints = """
        <?xml version="1.0" encoding="UTF-8"?>
        <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"
             xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
          <trk>
            <name>Morning run</name>
            <type>running</type>
            <trkseg>
              <trkpt lat="52.000" lon="4.900"><ele>10</ele><time>2026-04-01T06:00:00Z</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>130</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>
              <trkpt lat="52.001" lon="4.900"><ele>12</ele><time>2026-04-01T06:00:40Z</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>
              <trkpt lat="52.001" lon="4.900"><ele>11</ele><time>2026-04-01T06:01:40Z</time></trkpt>
              <trkpt lat="52.002" lon="4.900"><ele>15</ele><time>2026-04-01T06:02:20Z</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>151</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>
            </trkseg>
          </trk>
        </gpx>
        """;

    private static RunActivity Parse(string xml, string name = "run.gpx") => GpxParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), name);

    [Fact]
    public void Haversine_OneDegreeOfLatitude_IsPiROver180()
    {
        Geo.HaversineMeters(0, 10, 1, 10).ShouldBe(Math.PI * Geo.EarthRadiusMeters / 180, 1e-6);
        Geo.HaversineMeters(0, 0, 0, 180).ShouldBe(Math.PI * Geo.EarthRadiusMeters, 1e-6);
    }

    [Fact]
    public void Parse_ThreePointRun_DistanceByHaversineAndMovingTimeExcludesTheStop()
    {
        var run = Parse(ThreePoints);

        run.Format.ShouldBe(ActivityFileFormat.Gpx);
        run.Sport.ShouldBe(ActivitySport.Running);
        run.StartTime.ShouldBe(new DateTimeOffset(2026, 4, 1, 6, 0, 0, TimeSpan.Zero));
        run.TotalDistanceMeters.ShouldBe(2 * MilliDegreeMeters, 1e-6);
        run.ElapsedTime.ShouldBe(TimeSpan.FromSeconds(140));
        run.MovingTime.ShouldBe(TimeSpan.FromSeconds(80)); // the 60 s standing still is not moving
        run.AverageHeartRate.ShouldBe(140); // (130 + 140 + 151) / 3 = 140.3
        run.MaxHeartRate.ShouldBe(151);
        run.TotalAscentMeters.ShouldBe(6); // +2, −1, +4
        run.RecordCount.ShouldBe(4);
    }

    [Fact]
    public void Parse_NoTimes_SaysTheRunCannotBePlaced()
    {
        var xml = System.Text.RegularExpressions.Regex.Replace(ThreePoints, "<time>[^<]*</time>", "");
        Should.Throw<MalformedFileException>(() => Parse(xml, "notime.gpx")).Message.ShouldContain("none of the 4 track points has a <time>");
    }

    [Fact]
    public void Parse_LatitudeOutOfRange_NamesLineAndRange()
    {
        var xml = ThreePoints.Replace("lat=\"52.001\" lon=\"4.900\"><ele>12", "lat=\"95.5\" lon=\"4.900\"><ele>12");
        var ex = Should.Throw<MalformedFileException>(() => Parse(xml, "lat.gpx"));
        ex.Message.ShouldStartWith("lat.gpx: not a valid GPX file: at line 9, column");
        ex.Message.ShouldContain("trkpt lat must be -90–90, was 95.5");
    }

    [Fact]
    public void Parse_TimeGoingBackwards_IsRejected()
    {
        var xml = ThreePoints.Replace("06:02:20Z", "05:59:00Z");
        Should.Throw<MalformedFileException>(() => Parse(xml)).Message.ShouldContain("is before the previous point's");
    }

    [Fact]
    public void Parse_Gpx10Namespace_IsRejectedNamingTheVersion()
    {
        var xml = ThreePoints.Replace("http://www.topografix.com/GPX/1/1", "http://www.topografix.com/GPX/1/0");
        Should.Throw<MalformedFileException>(() => Parse(xml)).Message.ShouldContain("expected \"http://www.topografix.com/GPX/1/1\" (GPX 1.1)");
    }

    [Fact]
    public void Parse_ExternalEntity_IsNotResolved()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&xxe;</name></trk></gpx>
            """;
        var ex = Should.Throw<MalformedFileException>(() => Parse(xml, "xxe.gpx"));
        ex.Message.ShouldContain("DTD");
        ex.Message.ShouldStartWith("xxe.gpx: not a valid GPX file: For security reasons DTD is prohibited"); // not "at line 0, column 0"
    }

    [Fact]
    public void Parse_TrackLongerThan1000Km_NamesTheTotalAndTheRange()
    {
        // A mistyped latitude 10° away: 2 × 1112 km of track, which the load model would refuse later without naming the file.
        var xml = ThreePoints.Replace("lat=\"52.001\" lon=\"4.900\"><ele>12", "lat=\"62.001\" lon=\"4.900\"><ele>12");
        Should.Throw<MalformedFileException>(() => Parse(xml, "far.gpx")).Message
            .ShouldStartWith("far.gpx: not a valid GPX file: at line 2, column 2: the track: total distance must be 0–1000000 m, was 22");
    }

    [Fact]
    public void Parse_TimeBeforeTheFitEpoch_NamesTheFieldAndRange()
    {
        var xml = ThreePoints.Replace("2026-04-01T06:00:00Z", "1800-04-01T06:00:00Z");
        Should.Throw<MalformedFileException>(() => Parse(xml)).Message
            .ShouldContain("line 8, column 53: <trkpt><time> must be 1989-12-31T00:00:00Z–2126-02-06T06:28:14Z, was 1800-04-01T06:00:00Z");
    }

    [Theory]
    [InlineData("06:00:00")]
    [InlineData("04/01/2026 06:00")]
    [InlineData("2026-04-01 06:00:00Z")]
    public void Parse_TimeNotAnXsdDateTime_IsRefusedNotGuessed(string time)
    {
        // DateTimeOffset.TryParse took "06:00:00" as that time today (the wall clock) and "04/01/2026" as 1 April or 4 January by culture.
        var xml = ThreePoints.Replace("2026-04-01T06:00:00Z", time);
        Should.Throw<MalformedFileException>(() => Parse(xml)).Message
            .ShouldContain($"line 8, column 53: <trkpt><time> is \"{time}\", expected an ISO 8601 date-time such as 2026-03-14T07:30:00Z");
    }

    [Theory]
    [InlineData("<time>2026-04-01T06:00:00Z</time>", "<time>2026-04-01T06:00:05Z</time>", "<time> \"2026-04-01T06:00:05Z\" appears again in <trkpt> (first at line 8: \"2026-04-01T06:00:00Z\")", "time", "trkpt")]
    [InlineData("<ele>10</ele>", "<ele>11</ele>", "<ele> \"11\" appears again in <trkpt> (first at line 8: \"10\")", "ele", "trkpt")]
    [InlineData("<type>running</type>", "<type>cycling</type>", "<type> \"cycling\" appears again in <trk> (first at line 6: \"running\")", "type", "trk")]
    [InlineData("<gpxtpx:hr>130</gpxtpx:hr>", "<gpxtpx:hr>135</gpxtpx:hr>", "<hr> \"135\" appears again in <trkpt> (first at line 8: \"130\")", "hr", "trkpt")]
    public void Parse_SingleValueElementTwice_RefusedNamingItItsLineAndThatItMayAppearOnce(string element, string again, string expected, string name, string parent)
    {
        // GPX 1.1 (gpx.xsd) gives <ele>, <time> and <type> maxOccurs 1, Garmin's TrackPointExtension <hr> too; the first one silently won before.
        var at = ThreePoints.IndexOf(element, StringComparison.Ordinal) + element.Length;
        var xml = ThreePoints[..at] + "\n" + again + ThreePoints[at..];

        var ex = Should.Throw<MalformedFileException>(() => Parse(xml, "twice.gpx"));

        ex.Message.ShouldStartWith($"twice.gpx: not a valid GPX file: at line {ThreePoints[..at].Count(c => c == '\n') + 2}, column ");
        ex.Problem.ShouldBe($"{expected}: the GPX schema allows one <{name}> per <{parent}>, and which one the device meant is unknown");
    }

    [Fact]
    public void Parse_TwoTracksEachWithAType_AreBothRead()
    {
        // trk and trkseg are maxOccurs="unbounded" in GPX 1.1: repeating them is not a duplicate.
        var track = ThreePoints[ThreePoints.IndexOf("<trk>", StringComparison.Ordinal)..(ThreePoints.IndexOf("</trk>", StringComparison.Ordinal) + 6)];
        var later = track.Replace("2026-04-01T06:0", "2026-04-01T07:0", StringComparison.Ordinal);

        Parse(ThreePoints.Replace("</trk>", "</trk>" + later, StringComparison.Ordinal)).RecordCount.ShouldBe(8);
    }
}
