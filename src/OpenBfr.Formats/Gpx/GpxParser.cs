using System.Xml.Linq;
using OpenBfr.Formats.Import;

namespace OpenBfr.Formats.Gpx;

/// <summary>
/// Reads a GPX 1.1 track as one activity: track points with time and elevation, distance by
/// haversine within each segment, heart rate from Garmin's TrackPointExtension when present.
/// Never returns a partial result: a bad value anywhere throws <see cref="MalformedFileException"/>.
/// </summary>
public static class GpxParser
{
    /// <summary>The GPX 1.1 namespace.</summary>
    public const string Namespace = "http://www.topografix.com/GPX/1/1";

    /// <summary>Below this speed an interval between points counts as stopped, not moving (0.5 m/s, a very slow walk is about 1 m/s).</summary>
    public const double MovingSpeedMetersPerSecond = 0.5;

    /// <summary>Reads a GPX file from disk.</summary>
    /// <exception cref="MalformedFileException">not well-formed XML, not GPX 1.1, or a missing or out-of-range value.</exception>
    /// <exception cref="ActivityFileRefusedException">not a regular file, or larger than <see cref="ActivityLimits.MaxFileBytes"/>.</exception>
    public static RunActivity Parse(string path)
    {
        var bytes = ActivityFile.ReadAllBytes(path);
        using var stream = new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
        return Parse(stream, Path.GetFileName(path));
    }

    /// <summary>Reads the tracks of a GPX 1.1 document as one activity.</summary>
    /// <exception cref="MalformedFileException">not well-formed XML, not GPX 1.1, no timed track points, or a bad value.</exception>
    public static RunActivity Parse(Stream stream, string fileName)
    {
        var file = new XmlActivityFile(fileName, "GPX");
        var root = file.Load(stream).Root!;
        if (root.Name.LocalName != "gpx")
        {
            throw file.Error(root, $"root element is <{root.Name.LocalName}>, expected <gpx>");
        }
        if (root.Name.NamespaceName != Namespace)
        {
            throw file.Error(root, $"namespace is \"{root.Name.NamespaceName}\", expected \"{Namespace}\" (GPX 1.1)");
        }
        var tracks = XmlActivityFile.Children(root, "trk").ToList();
        if (tracks.Count == 0)
        {
            throw file.Error(root, "no <trk> in the file (routes and waypoints are not activities)");
        }
        var sport = Sport(tracks.Select(t => file.Optional(t, "type")?.Value).ToList().FirstOrDefault(v => v is not null)); // every track's <type> checked

        double distance = 0, moving = 0, hrSum = 0;
        double? ascent = null;
        int records = 0, hrCount = 0;
        int? maxHr = null;
        DateTimeOffset? first = null, last = null;
        foreach (var segment in tracks.SelectMany(t => XmlActivityFile.Children(t, "trkseg")))
        {
            (double Lat, double Lon, DateTimeOffset? Time, double? Ele)? previous = null;
            foreach (var point in XmlActivityFile.Children(segment, "trkpt"))
            {
                records++;
                var latAttribute = point.Attribute("lat") ?? throw file.Error(point, "<trkpt> has no lat attribute");
                var lonAttribute = point.Attribute("lon") ?? throw file.Error(point, "<trkpt> has no lon attribute");
                var lat = file.Number(latAttribute, latAttribute.Value, "trkpt lat", -90, 90);
                var lon = file.Number(lonAttribute, lonAttribute.Value, "trkpt lon", -180, 180);
                DateTimeOffset? time = file.Optional(point, "time") is { } t ? file.Time(t, t.Value, "<trkpt><time>") : null;
                double? ele = file.Optional(point, "ele") is { } e ? file.Number(e, e.Value, "<ele>", -500, 9_000) : null;
                if (HeartRateElement(file, point) is { } hrElement)
                {
                    var hr = (int)file.Number(hrElement, hrElement.Value, "heart rate <hr>", 20, 260);
                    hrSum += hr;
                    hrCount++;
                    maxHr = Math.Max(maxHr ?? 0, hr);
                }
                if (time is { } now)
                {
                    if (last is { } before && now < before)
                    {
                        throw file.Error(point, $"track point time {now:O} is before the previous point's {before:O}");
                    }
                    first ??= now;
                    last = now;
                }
                if (previous is { } p)
                {
                    var step = Geo.HaversineMeters(p.Lat, p.Lon, lat, lon);
                    distance += step;
                    if (p.Time is { } t0 && time is { } t1 && t1 > t0)
                    {
                        var seconds = (t1 - t0).TotalSeconds;
                        if (step / seconds >= MovingSpeedMetersPerSecond)
                        {
                            moving += seconds;
                        }
                    }
                    if (p.Ele is { } e0 && ele is { } e1)
                    {
                        ascent = (ascent ?? 0) + Math.Max(0, e1 - e0);
                    }
                }
                previous = (lat, lon, time, ele);
            }
        }
        if (records == 0)
        {
            throw file.Error(root, "the tracks have no <trkpt>");
        }
        if (first is not { } start || last is not { } end)
        {
            throw file.Error(root, $"none of the {records} track points has a <time>: the run cannot be placed in time");
        }
        int? averageHr = hrCount > 0 ? (int)Math.Round(hrSum / hrCount) : null;
        if (ActivityLimits.TotalsProblem(distance, (end - start).TotalSeconds, moving, averageHr, maxHr, ascent) is { } problem)
        {
            throw file.Error(root, $"the track: {problem}");
        }
        return new RunActivity(fileName, ActivityFileFormat.Gpx, start, sport, distance, end - start, TimeSpan.FromSeconds(moving),
            averageHr, maxHr, ascent, [], records, records);
    }

    /// <summary>The point's heart rate element (Garmin's TrackPointExtension &lt;hr&gt;, allowed once there), anywhere in its extensions; refused when there are two.</summary>
    private static XElement? HeartRateElement(XmlActivityFile file, XElement point)
    {
        XElement? found = null;
        foreach (var element in point.Descendants())
        {
            if (element.Name.LocalName != "hr")
            {
                continue;
            }
            if (found is not null)
            {
                throw file.Repeated(point, found, element);
            }
            found = element;
        }
        return found;
    }

    private static ActivitySport Sport(string? type) => type?.Trim().ToLowerInvariant() switch
    {
        "running" or "run" or "trail_running" => ActivitySport.Running,
        "walking" or "walk" => ActivitySport.Walking,
        "hiking" or "hike" => ActivitySport.Hiking,
        "cycling" or "biking" or "ride" => ActivitySport.Cycling,
        "swimming" or "swim" => ActivitySport.Swimming,
        _ => ActivitySport.Other,
    };
}
