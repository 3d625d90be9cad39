using OpenBfr.Core.Limbs;
using OpenBfr.Data.Revisions;

namespace OpenBfr.Data.Screening;

/// <summary>
/// A clinician's clearance of one NeedsClearance screening item, on one limb or on all, for one
/// screening. A later screening starts uncleared: health changed, so a clinician looks again.
/// The core's <c>ClinicianClearance</c> is built from these rows.
/// </summary>
public sealed class ScreeningClearanceRecord : IVersionedRecord
{
    public Guid Id { get; set; }

    public Guid AthleteId { get; set; }

    /// <summary>The screening the clearance belongs to.</summary>
    public Guid ScreeningId { get; set; }

    /// <summary>The questionnaire item id ("recent-surgery").</summary>
    public string ItemId { get; set; } = "";

    /// <summary>The limb cleared; null for every limb the item touches.</summary>
    public Limb? Limb { get; set; }

    public string ClinicianUserId { get; set; } = "";

    /// <summary>The clinician's display name when they cleared (history stays readable if the account changes).</summary>
    public string ClinicianName { get; set; } = "";

    public DateOnly ClearedOn { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>The clinician's conditions or remarks.</summary>
    public string? Note { get; set; }

    /// <summary>When the clearance was last corrected (note or date); null when never. A revocation deletes the row and leaves an audit entry.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Who last corrected it; null when never.</summary>
    public string? UpdatedByUserId { get; set; }

    /// <summary>
    /// 1 as recorded, one more with each correction (schema version 6; rows from before start at 1).
    /// The optimistic-concurrency token: a correction or revocation made from an older version is
    /// refused, and each earlier version is kept as a <see cref="Revisions.RecordRevision"/>.
    /// </summary>
    public int Version { get; set; } = 1;
}
