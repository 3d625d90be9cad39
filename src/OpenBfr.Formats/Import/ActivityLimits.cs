using System.Globalization;
using OpenBfr.Formats.Fit;

namespace OpenBfr.Formats.Import;

/// <summary>
/// The ranges FIT, TCX and GPX imports hold an activity's times and totals to, so that a value
/// out of range is refused naming the field, the value and the range, instead of overflowing a
/// time or reaching the training-load model (which takes 0–1000 km per session).
/// </summary>
public static class ActivityLimits
{
    /// <summary>Earliest time a file may hold: the FIT epoch, 1989-12-31T00:00:00Z, so the three formats accept the same dates.</summary>
    public static readonly DateTimeOffset EarliestTime = FitTime.Epoch;

    /// <summary>Latest time a file may hold: the last valid FIT date_time (epoch + 0xFFFFFFFE s, 2126-02-06T06:28:14Z).</summary>
    public static readonly DateTimeOffset LatestTime = FitTime.ToDateTimeOffset(0xFFFF_FFFE);

    /// <summary>Longest lap or activity, elapsed or moving: 7 days, in seconds.</summary>
    public const double MaxDurationSeconds = 7 * 86_400;

    /// <summary>Longest lap or activity distance, 1000 km, in metres.</summary>
    public const double MaxDistanceMeters = 1_000_000;

    /// <summary>
    /// Largest activity file an import reads: 128 MiB (134 217 728 bytes). The largest real files are TCX:
    /// a 24-hour run recorded every second with position, altitude, distance, heart rate and Garmin's
    /// speed/cadence extension, indented as Garmin Connect exports it, takes about 700 bytes a point, so
    /// 86 400 points make about 61 MB; the same run is about 29 MB as GPX (330 bytes a point) and about
    /// 3 MB as FIT (some 35 bytes a record). The limit is twice the largest of those, and keeps an XML
    /// parse (a few times the file in memory) bounded.
    /// </summary>
    public const long MaxFileBytes = 128L * 1024 * 1024;

    /// <summary>
    /// Most laps an activity may have: 65 534, as many as FIT's session.num_laps (a uint16, 0xFFFF meaning none) can
    /// count; a lap every 100 m of a 1000 km activity is 10 000. Each lap is kept, so a file of empty lap messages
    /// (one byte each in FIT) is refused here instead of taking gigabytes.
    /// </summary>
    public const int MaxLaps = 65_534;

    /// <summary>Lowest and highest heart rate a file may hold, bpm.</summary>
    public const int MinHeartRate = 20, MaxHeartRate = 260;

    /// <summary>The first total outside its range as "field must be min–max unit, was value"; null when all are in range.</summary>
    /// <param name="distanceMeters">total distance.</param>
    /// <param name="elapsedSeconds">wall time, pauses included.</param>
    /// <param name="movingSeconds">timer time.</param>
    /// <param name="averageHeartRate">bpm, or null.</param>
    /// <param name="maxHeartRate">bpm, or null.</param>
    /// <param name="ascentMeters">metres climbed (at most the distance travelled), or null.</param>
    public static string? TotalsProblem(double distanceMeters, double elapsedSeconds, double movingSeconds, double? averageHeartRate, double? maxHeartRate,
        double? ascentMeters)
        => RangeProblem("total distance", distanceMeters, 0, MaxDistanceMeters, "m")
           ?? RangeProblem("elapsed time", elapsedSeconds, 0, MaxDurationSeconds, "s")
           ?? RangeProblem("moving time", movingSeconds, 0, MaxDurationSeconds, "s")
           ?? (averageHeartRate is { } average ? RangeProblem("average heart rate", average, MinHeartRate, MaxHeartRate, "bpm") : null)
           ?? (maxHeartRate is { } max ? RangeProblem("maximum heart rate", max, MinHeartRate, MaxHeartRate, "bpm") : null)
           ?? (ascentMeters is { } ascent ? RangeProblem("total ascent", ascent, 0, MaxDistanceMeters, "m") : null);

    /// <summary>"what must be min–max unit, was value" when <paramref name="value"/> is outside the range or not a number; else null.</summary>
    public static string? RangeProblem(string what, double value, double min, double max, string unit)
        => value >= min && value <= max ? null
            : $"{what} must be {Text(min)}–{Text(max)} {unit}, was {Text(value)}";

    /// <summary>"what must be earliest–latest, was time" when <paramref name="time"/> is outside the range; else null.</summary>
    public static string? TimeProblem(string what, DateTimeOffset time)
        => time >= EarliestTime && time <= LatestTime ? null
            : $"{what} must be {EarliestTime:yyyy-MM-dd'T'HH:mm:ss'Z'}–{LatestTime:yyyy-MM-dd'T'HH:mm:ss'Z'}, was {time.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'}";

    private static string Text(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
