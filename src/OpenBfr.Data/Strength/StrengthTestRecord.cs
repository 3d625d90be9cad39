using OpenBfr.Core.Limbs;
using OpenBfr.Data.Revisions;

namespace OpenBfr.Data.Strength;

/// <summary>
/// One limb's result in a strength or hop test on one day: a load lifted for a number of
/// repetitions (the 1RM is estimated from it), a measured 1RM, a single-leg hop distance, or
/// a 6 m timed hop time.
/// The two limbs of a test are two rows on the same day and exercise; the limb symmetry index
/// pairs the involved row with the uninvolved one.
/// </summary>
public sealed class StrengthTestRecord : IVersionedRecord
{
    public Guid Id { get; set; }

    public Guid AthleteId { get; set; }

    public DateOnly TestedOn { get; set; }

    /// <summary>Kebab-case exercise name ("leg-press", "single-leg-hop").</summary>
    public string Exercise { get; set; } = "";

    /// <summary>The limb tested; null for a two-legged (bilateral) lift.</summary>
    public Limb? Limb { get; set; }

    /// <summary>True for the injured or operated limb (the numerator of the limb symmetry index).</summary>
    public bool Involved { get; set; }

    /// <summary>Load lifted, kg (0–1000), with <see cref="Reps"/>.</summary>
    public double? LoadKg { get; set; }

    /// <summary>Repetitions to failure with <see cref="LoadKg"/>, 1–12.</summary>
    public int? Reps { get; set; }

    /// <summary>A directly measured one-repetition maximum, kg; preferred over the estimate.</summary>
    public double? MeasuredOneRepMaxKg { get; set; }

    /// <summary>Hop distance, cm, for hop tests.</summary>
    public double? HopDistanceCm { get; set; }

    /// <summary>Hop time, seconds, for the 6 m timed hop (lower is better; schema version 8).</summary>
    public double? HopTimeSeconds { get; set; }

    /// <summary>Pain during or after the test, 0–10.</summary>
    public int? PainScore { get; set; }

    /// <summary>A clinician's decision on the next rehab stage at this test: true cleared, false withheld, null not assessed.</summary>
    public bool? StageClearance { get; set; }

    public string RecordedByUserId { get; set; } = "";

    public DateTimeOffset RecordedAt { get; set; }

    public string? Note { get; set; }

    /// <summary>When the row was last corrected (edited); null when never. Deletions leave an audit entry instead.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Who last corrected the row; null when never.</summary>
    public string? UpdatedByUserId { get; set; }

    /// <summary>
    /// 1 as recorded, one more with each correction (schema version 6; rows from before start at 1).
    /// The optimistic-concurrency token: a correction or deletion made from an older version is
    /// refused, and each earlier version is kept as a <see cref="Revisions.RecordRevision"/>.
    /// </summary>
    public int Version { get; set; } = 1;
}
