using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenBfr.Data.Revisions;

/// <summary>The kinds of clinical record whose earlier versions are kept.</summary>
public enum RevisedRecordKind
{
    /// <summary>A <see cref="Strength.StrengthTestRecord"/> (one limb's result of a strength or hop test, or a check-in).</summary>
    StrengthTest,

    /// <summary>A <see cref="Screening.ScreeningClearanceRecord"/> (a clinician's clearance of one screening item).</summary>
    Clearance,

    /// <summary>A <see cref="Lop.LopRecord"/> (a limb occlusion pressure; schema version 9).</summary>
    Lop,

    /// <summary>A <see cref="Prescriptions.PrescriptionRecord"/> whose pressures a LOP correction recomputed (schema version 9).</summary>
    Prescription,
}

/// <summary>What ended a version of a record.</summary>
public enum RevisionChange
{
    /// <summary>A correction replaced it with the next version.</summary>
    Corrected,

    /// <summary>The record was deleted (a strength test).</summary>
    Deleted,

    /// <summary>The clearance was revoked (its row deleted).</summary>
    Revoked,

    /// <summary>The LOP record was withdrawn: its row stays (marked withdrawn) but it no longer sets any pressure.</summary>
    Withdrawn,
}

/// <summary>
/// One earlier version of a strength test, a clearance, a LOP record or a prescription: the whole row as it stood before a
/// correction, deletion or revocation replaced or removed it, who did that and when. Written in the
/// same transaction as the change; never updated or deleted afterwards (only with the athlete).
/// This is the clinical record of what was recorded before; the audit log keeps ids only.
/// </summary>
public sealed class RecordRevision
{
    public long Id { get; set; }

    public Guid AthleteId { get; set; }

    public RevisedRecordKind RecordKind { get; set; }

    /// <summary>The id of the strength test or clearance (it may no longer exist).</summary>
    public Guid RecordId { get; set; }

    /// <summary>The version the snapshot holds (1 for the row as first recorded); the row's next version, if any, is one higher.</summary>
    public int Version { get; set; }

    public RevisionChange Change { get; set; }

    /// <summary>The whole row of that version as JSON (<see cref="RevisionSnapshot"/>).</summary>
    public string SnapshotJson { get; set; } = "";

    /// <summary>Who corrected, deleted or revoked it.</summary>
    public string ChangedByUserId { get; set; } = "";

    /// <summary>When that version ended.</summary>
    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>
/// A row as JSON and back: web casing, enums by name (readable in the database, safe against
/// reordering, like the tables' own enum columns), dates and times in ISO 8601.
/// </summary>
/// <summary>A row whose earlier versions <see cref="RecordRevision"/> keeps: who it is, its version, who changed it last.</summary>
public interface IVersionedRecord
{
    Guid Id { get; }

    Guid AthleteId { get; }

    /// <summary>1 as recorded, one more per correction; the concurrency token.</summary>
    int Version { get; set; }

    DateTimeOffset? UpdatedAt { get; }

    string? UpdatedByUserId { get; }
}

public static class RevisionSnapshot
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The row as JSON.</summary>
    public static string Write<T>(T row) => JsonSerializer.Serialize(row, Json);

    /// <summary>A row read back from <see cref="Write{T}"/>.</summary>
    /// <exception cref="JsonException">the text is not a snapshot of <typeparamref name="T"/>.</exception>
    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Json) ?? throw new JsonException($"an empty {typeof(T).Name} snapshot");
}
