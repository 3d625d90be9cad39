using System.Xml.Linq;
using OpenBfr.Formats.Import;

namespace OpenBfr.Formats.Tcx;

/// <summary>
/// Reads Garmin Training Center XML (TCX v2): each &lt;Activity&gt; with its laps (start,
/// TotalTimeSeconds, DistanceMeters, heart rate) and track points. Never returns a partial
/// result: a bad value anywhere throws <see cref="MalformedFileException"/> with its line.
/// </summary>
public static class TcxParser
{
    /// <summary>The TCX v2 namespace.</summary>
    public const string Namespace = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2";

    /// <summary>Reads a TCX file from disk.</summary>
    /// <exception cref="MalformedFileException">not well-formed XML, not TCX, or a missing or out-of-range value.</exception>
    /// <exception cref="ActivityFileRefusedException">not a regular file, or larger than <see cref="ActivityLimits.MaxFileBytes"/>.</exception>
    public static IReadOnlyList<RunActivity> Parse(string path)
    {
        var bytes = ActivityFile.ReadAllBytes(path);
        using var stream = new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
        return Parse(stream, Path.GetFileName(path));
    }

    /// <summary>Reads every activity of a TCX document.</summary>
    /// <exception cref="MalformedFileException">not well-formed XML, not TCX, or a missing or out-of-range value.</exception>
    public static IReadOnlyList<RunActivity> Parse(Stream stream, string fileName)
    {
        var file = new XmlActivityFile(fileName, "TCX");
        var root = file.Load(stream).Root!;
        if (root.Name.LocalName != "TrainingCenterDatabase")
        {
            throw file.Error(root, $"root element is <{root.Name.LocalName}>, expected <TrainingCenterDatabase>");
        }
        if (root.Name.NamespaceName != Namespace)
        {
            throw file.Error(root, $"namespace is \"{root.Name.NamespaceName}\", expected \"{Namespace}\"");
        }
        var activities = file.Optional(root, "Activities") is { } list ? XmlActivityFile.Children(list, "Activity").ToList() : [];
        if (activities.Count == 0)
        {
            throw file.Error(root, "no <Activities>/<Activity> in the file");
        }
        return activities.Select(a => ReadActivity(file, a)).ToList();
    }

    private static RunActivity ReadActivity(XmlActivityFile file, XElement activity)
    {
        var sport = (string?)activity.Attribute("Sport") switch
        {
            "Running" => ActivitySport.Running,
            "Biking" => ActivitySport.Cycling,
            _ => ActivitySport.Other,
        };
        var id = file.Required(activity, "Id");
        var start = file.Time(id, id.Value, "<Id>");
        var laps = new List<ActivityLap>();
        DateTimeOffset? lastPoint = null; // points must come in time order, so the last read is the latest
        var records = 0;
        var positions = 0;
        double? ascent = null;
        double? lastAltitude = null;
        double hrWeighted = 0, hrSeconds = 0;
        int? maxHr = null;
        foreach (var lap in XmlActivityFile.Children(activity, "Lap"))
        {
            if (laps.Count >= ActivityLimits.MaxLaps)
            {
                throw file.Error(lap, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"<Lap> number {ActivityLimits.MaxLaps + 1:N0} of this <Activity>: an activity may have at most {ActivityLimits.MaxLaps:N0} laps"));
            }
            var startAttribute = lap.Attribute("StartTime") ?? throw file.Error(lap, "<Lap> has no StartTime attribute");
            var lapStart = file.Time(startAttribute, startAttribute.Value, "Lap StartTime");
            var total = file.Required(lap, "TotalTimeSeconds");
            var seconds = file.Number(total, total.Value, "<TotalTimeSeconds>", 0, 7 * 86_400);
            var distanceElement = file.Required(lap, "DistanceMeters");
            var distance = file.Number(distanceElement, distanceElement.Value, "<DistanceMeters>", 0, 1_000_000);
            var avg = HeartRate(file, lap, "AverageHeartRateBpm");
            var max = HeartRate(file, lap, "MaximumHeartRateBpm");
            DateTimeOffset? lapLast = null;
            foreach (var track in XmlActivityFile.Children(lap, "Track"))
            {
                foreach (var point in XmlActivityFile.Children(track, "Trackpoint"))
                {
                    records++;
                    var time = file.Required(point, "Time");
                    var pointTime = file.Time(time, time.Value, "<Trackpoint><Time>");
                    if (lastPoint is { } before && pointTime < before)
                    {
                        throw file.Error(time, $"track point time {pointTime:O} is before the previous point's {before:O}");
                    }
                    lastPoint = lapLast = pointTime;
                    if (file.Optional(point, "Position") is { } position)
                    {
                        var lat = file.Required(position, "LatitudeDegrees");
                        var lon = file.Required(position, "LongitudeDegrees");
                        file.Number(lat, lat.Value, "<LatitudeDegrees>", -90, 90);
                        file.Number(lon, lon.Value, "<LongitudeDegrees>", -180, 180);
                        positions++;
                    }
                    if (file.Optional(point, "AltitudeMeters") is { } altitude)
                    {
                        var a = file.Number(altitude, altitude.Value, "<AltitudeMeters>", -500, 9_000);
                        if (lastAltitude is { } previous && a > previous)
                        {
                            ascent = (ascent ?? 0) + a - previous;
                        }
                        ascent ??= 0;
                        lastAltitude = a;
                    }
                    if (HeartRate(file, point, "HeartRateBpm") is { } hr)
                    {
                        maxHr = Math.Max(maxHr ?? 0, hr);
                    }
                }
            }
            if (avg is { } a2)
            {
                hrWeighted += a2 * seconds;
                hrSeconds += seconds;
            }
            if (max is { } m)
            {
                maxHr = Math.Max(maxHr ?? 0, m);
            }
            var lapElapsed = lapLast is { } ll && ll > lapStart ? ll - lapStart : TimeSpan.FromSeconds(seconds);
            laps.Add(new ActivityLap(lapStart, distance, lapElapsed, TimeSpan.FromSeconds(seconds), avg, max));
        }
        if (laps.Count == 0)
        {
            throw file.Error(activity, "<Activity> has no <Lap>");
        }
        var moving = TimeSpan.FromSeconds(laps.Sum(l => l.MovingTime.TotalSeconds));
        var lastLap = laps[^1];
        var end = lastPoint is { } p && p > lastLap.StartTime + lastLap.MovingTime ? p : lastLap.StartTime + lastLap.MovingTime;
        var elapsed = end - start;
        if (elapsed < moving)
        {
            elapsed = moving;
        }
        int? average = hrSeconds > 0 ? (int)Math.Round(hrWeighted / hrSeconds) : null;
        if (ActivityLimits.TotalsProblem(laps.Sum(l => l.DistanceMeters), elapsed.TotalSeconds, moving.TotalSeconds, average, maxHr, ascent) is { } problem)
        {
            throw file.Error(activity, $"<Activity> starting {start:O}: {problem}");
        }
        return new RunActivity(file.FileName, ActivityFileFormat.Tcx, start, sport, laps.Sum(l => l.DistanceMeters), elapsed, moving,
            average, maxHr, ascent, laps, records, positions);
    }

    private static int? HeartRate(XmlActivityFile file, XElement parent, string name)
    {
        if (file.Optional(parent, name) is not { } element)
        {
            return null;
        }
        var value = file.Required(element, "Value");
        return (int)file.Number(value, value.Value, $"<{name}><Value>", 20, 260);
    }
}
