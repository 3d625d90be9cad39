using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Units;

namespace OpenBfr.Data.Lop;

/// <summary>A stored limb occlusion pressure; <see cref="ToDomain"/> turns it back into the core's validated record.</summary>
public sealed class LopRecord
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

    /// <summary>A row from a core record.</summary>
    public static LopRecord From(LimbOcclusionPressure lop, Guid athleteId, string recordedBy, string? note = null) => new()
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
    };
}
