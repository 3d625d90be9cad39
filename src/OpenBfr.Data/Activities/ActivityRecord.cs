namespace OpenBfr.Data.Activities;

/// <summary>An imported run (or other activity) summarised from a FIT, TCX or GPX file.</summary>
public sealed class ActivityRecord
{
    public Guid Id { get; set; }

    public Guid AthleteId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>"running", "cycling", "walking", …</summary>
    public string Sport { get; set; } = "running";

    public double DistanceMeters { get; set; }

    public double DurationSeconds { get; set; }

    public double? AverageHeartRate { get; set; }

    /// <summary>Session RPE 0–10 when known (Foster et al. 2001).</summary>
    public double? Rpe { get; set; }

    /// <summary>"fit", "tcx", "gpx" or "manual".</summary>
    public string SourceFormat { get; set; } = "";

    public string SourceFileName { get; set; } = "";

    /// <summary>SHA-256 of the file (hex), so importing the same file twice adds nothing.</summary>
    public string ContentSha256 { get; set; } = "";

    public DateTimeOffset ImportedAt { get; set; }
}
