using OpenBfr.Core.Limbs;
using OpenBfr.Core.Protocols;

namespace OpenBfr.Data.Prescriptions;

/// <summary>
/// A prescription as the core computed it (pressures already through the safety limits), with
/// the LOP it came from. Retired rather than deleted, so history keeps what was prescribed.
/// </summary>
public sealed class PrescriptionRecord
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
}
