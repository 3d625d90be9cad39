using System.Globalization;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;

namespace OpenBfr.Core.Prescriptions;

/// <summary>Turns a LOP, limb and modality into a prescription within the hard limits.</summary>
public static class Prescriber
{
    /// <summary>Prescribes.</summary>
    /// <exception cref="LopNotUsableException">the LOP is for another limb or position, or too old.</exception>
    /// <exception cref="ArgumentOutOfRangeException">the requested percent is outside the modality's range for the limb.</exception>
    /// <exception cref="ArgumentException">the protocol does not match the modality or limb, the modality has no protocol for the limb (param "limb"),
    /// or the protocol is not done in the request's position (param "position": a LOP is valid only in its own position).</exception>
    /// <exception cref="SafetyLimitExceededException">a resulting pressure would break a hard limit.</exception>
    public static Prescription Prescribe(PrescriptionRequest request)
    {
        Guard.NotNull(request);
        var lop = request.Lop;
        Guard.Defined(request.Modality, "modality");
        LopValidity.EnsureUsable(lop, request.Limb, request.Position, request.Now, request.Validity);

        var kind = request.Limb.Kind();
        var protocol = request.Protocol ?? ProtocolCatalog.For(request.Modality, kind);
        if (request.Protocol is null && protocol.LimbKind is { } defaultLimb && defaultLimb != kind)
        {
            // Aerobic, walk-interval, cycling and sprint-recovery BFR put the cuffs on the legs (DESIGN.md section 3).
            throw new ArgumentException(
                $"{Describe(request.Modality)} BFR is done with cuffs on the {defaultLimb.ToString().ToLowerInvariant()}s; there is no {Describe(request.Modality)} protocol for the {request.Limb.ToKebab()}", "limb");
        }
        if (protocol.Modality != request.Modality)
        {
            throw new ArgumentException($"protocol {protocol.Name} is for {protocol.Modality}, not {request.Modality}", "protocol");
        }
        if (protocol.LimbKind is { } protocolLimb && protocolLimb != kind)
        {
            throw new ArgumentException($"protocol {protocol.Name} is for the {protocolLimb.ToString().ToLowerInvariant()}s, not the {request.Limb.ToKebab()}", "protocol");
        }

        // After EnsureUsable, so the request's position is the LOP's own.
        EnsureDoneIn(protocol, lop.Position, kind);

        var range = PressureRange.For(request.Modality, kind);
        var notes = new List<string>();
        var conservative = request.NeedsClearance || lop.Method == LopMethod.Estimated;
        double target;
        if (request.Percent is { } percent)
        {
            Guard.InRange(percent, range.LowPercent, range.HighPercent, $"% LOP for {Describe(request.Modality)} on the {kind.ToString().ToLowerInvariant()}", "percent");
            target = percent;
            if (conservative && percent > range.LowPercent)
            {
                target = range.LowPercent;
                notes.Add($"requested {Fmt(percent)}% lowered to {Fmt(range.LowPercent)}%: {ConservativeReason(request)}");
            }
        }
        else
        {
            target = conservative ? range.LowPercent : range.DefaultPercent;
        }

        var reference = lop.PrescribingReference;
        if (lop.Method == LopMethod.Estimated)
        {
            notes.Add($"LOP is estimated ({lop.Value} ± {lop.Uncertainty}); pressures use its low end, {reference}, and the low end of the range. Measure LOP with Doppler or the automatic cuff when you can.");
        }
        else if (lop.Method == LopMethod.Automatic && lop.Uncertainty > Pressure.Zero)
        {
            notes.Add($"LOP measured automatically ({lop.Value} ± {lop.Uncertainty}); pressures use its low end, {reference}.");
        }
        if (request.NeedsClearance)
        {
            notes.Add("screening needs clearance: use only after a clinician has recorded clearance; pressure kept at the low end of the range");
        }

        // A very high LOP (up to 400 mmHg is accepted) can put the band above the 300 mmHg cap:
        // the band is cut at the ceiling rather than refused, and the note says so.
        var ceiling = SafetyLimits.Ceiling(lop.Value);
        Pressure AtPercent(double percent) => Pressure.Min(reference.Percent(percent).RoundedToWholeMmHg(), ceiling);
        if (reference.Percent(range.HighPercent) > ceiling)
        {
            notes.Add($"the range is cut at {ceiling}, the hard limit for this LOP");
        }
        var low = SafetyLimits.CheckTarget(AtPercent(range.LowPercent), lop.Value);
        var high = SafetyLimits.CheckTarget(AtPercent(range.HighPercent), lop.Value);
        var working = SafetyLimits.CheckTarget(AtPercent(target), lop.Value);
        SafetyLimits.CheckInflation(protocol.MaxContinuousInflation, protocol.InflationKind);

        var sources = new List<string> { range.Source };
        sources.AddRange(protocol.Sources.Where(s => !range.Source.Contains(s, StringComparison.Ordinal)));
        return new Prescription(
            request.Limb, request.Modality, lop, reference,
            range.LowPercent, range.HighPercent, target,
            low, high, working, conservative, protocol, notes, sources);
    }

    /// <summary>
    /// The one place the rule lives that a LOP sets pressures only for exercise in the position it was
    /// measured in (DESIGN.md section 3; Hughes et al. 2018: leg LOP supine/seated/standing 187/204/242 mmHg,
    /// so 80% of a standing LOP is above a typical supine LOP: full occlusion in a passive session lying down).
    /// </summary>
    /// <remarks>Called with the LOP's position, which the request's matches (checked by <see cref="LopValidity"/> first).</remarks>
    private static void EnsureDoneIn(Protocol protocol, BodyPosition position, LimbKind kind)
    {
        if (protocol.IsDoneIn(position))
        {
            return;
        }
        var at = position.ToString().ToLowerInvariant();
        // Protocols a LOP measured here can set instead, for the same limb kind.
        var others = ProtocolCatalog.All.Where(p => p.IsDoneIn(position) && (p.LimbKind ?? kind) == kind).Select(p => p.Name).ToList();
        throw new ArgumentException(
            $"{protocol.Name} is done {protocol.PositionsText}; this LOP was measured {at}, and a LOP is valid only in the position it was measured in ({Sources.Hughes2018}): " +
            $"measure a {protocol.PositionsText} LOP" +
            (others.Count > 0 ? $", or choose a protocol done {at} ({string.Join(", ", others)})" : ""),
            "position");
    }

    /// <summary>Words for the modality as used in messages ("resistance", "walk intervals").</summary>
    public static string Describe(Modality modality) => modality switch
    {
        Modality.WalkIntervals => "walk intervals",
        Modality.SprintRecovery => "sprint recovery",
        _ => modality.ToString().ToLowerInvariant(),
    };

    private static string ConservativeReason(PrescriptionRequest request)
        => request.Lop.Method == LopMethod.Estimated ? "the LOP is estimated" : "screening needs clearance";

    private static string Fmt(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
