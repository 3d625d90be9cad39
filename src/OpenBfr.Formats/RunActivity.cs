namespace OpenBfr.Formats;

/// <summary>The file format an activity was imported from.</summary>
public enum ActivityFileFormat
{
    Fit,
    Tcx,
    Gpx,
}

/// <summary>The sport of an activity, as far as the training-load model cares.</summary>
public enum ActivitySport
{
    Running,
    Walking,
    Hiking,
    Cycling,
    Swimming,
    Training,

    /// <summary>Several sessions of different sports in one file.</summary>
    Multisport,
    Other,
}

/// <summary>One lap of an activity.</summary>
/// <param name="StartTime">UTC start of the lap.</param>
/// <param name="DistanceMeters">metres, ≥ 0.</param>
/// <param name="ElapsedTime">wall time from lap start to lap end.</param>
/// <param name="MovingTime">timer time (pauses excluded).</param>
/// <param name="AverageHeartRate">bpm, when recorded.</param>
/// <param name="MaxHeartRate">bpm, when recorded.</param>
public sealed record ActivityLap(DateTimeOffset StartTime, double DistanceMeters, TimeSpan ElapsedTime, TimeSpan MovingTime,
    int? AverageHeartRate, int? MaxHeartRate);

/// <summary>
/// A run (or other activity) imported from a FIT, TCX or GPX file: the summary the training
/// load and the planner need. A parser returns a whole <see cref="RunActivity"/> or throws
/// <see cref="MalformedFileException"/>; never a half result.
/// </summary>
/// <param name="SourceFile">the file name it was read from.</param>
/// <param name="Format">FIT, TCX or GPX.</param>
/// <param name="StartTime">UTC start.</param>
/// <param name="Sport">the sport.</param>
/// <param name="TotalDistanceMeters">metres, ≥ 0 (GPX: haversine over the track points).</param>
/// <param name="ElapsedTime">wall time from start to end, pauses included.</param>
/// <param name="MovingTime">timer time, pauses excluded (equal to elapsed when the file does not say).</param>
/// <param name="AverageHeartRate">bpm, when recorded.</param>
/// <param name="MaxHeartRate">bpm, when recorded.</param>
/// <param name="TotalAscentMeters">metres climbed, when known.</param>
/// <param name="Laps">laps in order (empty when the file has none).</param>
/// <param name="RecordCount">track points / record messages.</param>
/// <param name="PositionCount">records that carry a position.</param>
public sealed record RunActivity(
    string SourceFile,
    ActivityFileFormat Format,
    DateTimeOffset StartTime,
    ActivitySport Sport,
    double TotalDistanceMeters,
    TimeSpan ElapsedTime,
    TimeSpan MovingTime,
    int? AverageHeartRate,
    int? MaxHeartRate,
    double? TotalAscentMeters,
    IReadOnlyList<ActivityLap> Laps,
    int RecordCount,
    int PositionCount)
{
    /// <summary>UTC end: start plus elapsed time.</summary>
    public DateTimeOffset EndTime => StartTime + ElapsedTime;

    /// <summary>Average moving speed in m/s, or null when there was no moving time.</summary>
    public double? AverageSpeedMetersPerSecond => MovingTime > TimeSpan.Zero ? TotalDistanceMeters / MovingTime.TotalSeconds : null;
}
