using OpenBfr.Core.Limbs;
using OpenBfr.Core.Protocols;
using OpenBfr.Data.Revisions;

namespace OpenBfr.Data.Prescriptions;

/// <summary>
/// A prescription as the core computed it (pressures already through the safety limits), with
/// the LOP it came from. Retired rather than deleted, so history keeps what was prescribed. A
/// correction of its LOP recomputes its pressures (the earlier ones kept as a <see cref="RecordRevision"/>).
/// </summary>
public sealed class PrescriptionRecord : IVersionedRecord
{
    public Guid Id { get; set; }

    public Guid AthleteId { get; set; }

    public Guid LopRecordId { get; set; }

    public Limb Limb { get; set; }

    public BodyPosition Position { get; set; }

    public Modality Modality { get; set; }

    /// <summary>Protocol name from the core's catalog ("strength-lower").</summary>
    public string ProtocolName { get; set; } = "";

    public double TargetPercent { get; set; }

    /// <summary>The LOP the pressures were computed from (the low end for an estimate), mmHg.</summary>
    public double ReferenceLopMmHg { get; set; }

    public double LowMmHg { get; set; }

    public double HighMmHg { get; set; }

    public double TargetMmHg { get; set; }

    public bool Conservative { get; set; }

    /// <summary>Planned sessions per week, for compliance (1–14).</summary>
    public int SessionsPerWeek { get; set; }

    /// <summary>The core's notes, as a JSON array of strings.</summary>
    public string NotesJson { get; set; } = "[]";

    /// <summary>The sources behind the numbers, as a JSON array of strings.</summary>
    public string SourcesJson { get; set; } = "[]";

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedByUserId { get; set; } = "";

    /// <summary>When it was replaced or withdrawn; null while current.</summary>
    public DateTimeOffset? RetiredAt { get; set; }

    /// <summary>Why it was retired when that was not a newer prescription replacing it (its LOP withdrawn or corrected out of use); schema version 9.</summary>
    public string? RetiredReason { get; set; }

    /// <summary>When a correction of its LOP last recomputed it; null when never.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Who made that correction; null when never.</summary>
    public string? UpdatedByUserId { get; set; }

    /// <summary>1 as prescribed, one more each time a LOP correction recomputes it (schema version 9).</summary>
    public int Version { get; set; } = 1;
}
