using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Units;
using OpenBfr.Data.Revisions;

namespace OpenBfr.Data.Lop;

/// <summary>
/// A stored limb occlusion pressure; <see cref="ToDomain"/> turns it back into the core's validated record.
/// A mistyped record is corrected (each earlier version kept as a <see cref="RecordRevision"/>) or
/// withdrawn: a withdrawn row stays, for the history and the prescriptions made from it, but never
/// sets a pressure again.
/// </summary>
public sealed class LopRecord : IVersionedRecord
{
    public Guid Id { get; set; }

    public Guid AthleteId { get; set; }

    public Limb Limb { get; set; }

    public BodyPosition Position { get; set; }

    /// <summary>Bladder width of the cuff it was measured with, cm (2–30).</summary>
    public double CuffWidthCm { get; set; }

    public LopMethod Method { get; set; }

    /// <summary>The LOP, mmHg (50–400).</summary>
    public double ValueMmHg { get; set; }

    /// <summary>± uncertainty, mmHg; the SEE for an estimate, 0 when unknown.</summary>
    public double UncertaintyMmHg { get; set; }

    public DateTimeOffset MeasuredAt { get; set; }

    public string RecordedByUserId { get; set; } = "";

    public string? Note { get; set; }

    /// <summary>When it was recorded (schema version 9; rows from before take their <see cref="MeasuredAt"/>).</summary>
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>When the row was last corrected; null when never.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Who last corrected the row; null when never.</summary>
    public string? UpdatedByUserId { get; set; }

    /// <summary>1 as recorded, one more with each correction; the optimistic-concurrency token (schema version 9).</summary>
    public int Version { get; set; } = 1;

    /// <summary>When it was withdrawn; null while it stands. A withdrawn record feeds no prescription and no session.</summary>
    public DateTimeOffset? WithdrawnAt { get; set; }

    /// <summary>Who withdrew it; null while it stands.</summary>
    public string? WithdrawnByUserId { get; set; }

    /// <summary>Why it was withdrawn, in the words of whoever did (≤ 200 characters); null when none was given.</summary>
    public string? WithdrawalReason { get; set; }

    /// <summary>The core record, validated again (a row edited by hand cannot slip past the limits).</summary>
    /// <exception cref="ArgumentOutOfRangeException">a stored value is outside its allowed range.</exception>
    public LimbOcclusionPressure ToDomain() => new(
        Pressure.FromMmHg(ValueMmHg),
        Limb,
        Position,
        new CuffDescription(CuffWidthCm, Limb.Kind()),
        Method,
        MeasuredAt,
        UncertaintyMmHg > 0 ? Pressure.FromMmHg(UncertaintyMmHg) : null);

    /// <summary>A row from a core record, recorded at <paramref name="recordedAt"/> (default: when it was measured).</summary>
    public static LopRecord From(LimbOcclusionPressure lop, Guid athleteId, string recordedBy, string? note = null, DateTimeOffset? recordedAt = null) => new()
    {
        Id = Guid.NewGuid(),
        AthleteId = athleteId,
        Limb = lop.Limb,
        Position = lop.Position,
        CuffWidthCm = lop.Cuff.WidthCm,
        Method = lop.Method,
        ValueMmHg = lop.Value.MmHg,
        UncertaintyMmHg = lop.Uncertainty.MmHg,
        MeasuredAt = lop.MeasuredAt,
        RecordedByUserId = recordedBy,
        Note = note,
        RecordedAt = recordedAt ?? lop.MeasuredAt,
    };
}
