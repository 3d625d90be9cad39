using System.Collections.Concurrent;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Planning.Profile;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Safety;

namespace OpenBfr.Core.Planning;

/// <summary>
/// Turns a planned BFR session into a <see cref="SessionPrescription"/>: the % LOP band from
/// <see cref="PressureRange"/>, and mmHg through <see cref="Prescriber"/> (and so the hard limits)
/// for each limb whose recorded LOP is valid, for the exercise position, on the session's day.
/// </summary>
internal sealed class SessionPrescriber(RunnerProfile profile, bool needsClearance)
{
    private static readonly ConcurrentDictionary<string, Protocol> Subsets = new(StringComparer.Ordinal);

    /// <summary>The strength-lower protocol cut down to <paramref name="exercises"/> (the seed's exercises, in the catalog's order).</summary>
    public static Protocol StrengthSubset(IReadOnlyList<string> exercises)
    {
        var full = ProtocolCatalog.StrengthLower;
        var key = string.Join(",", exercises);
        if (exercises.Count == 0 || full.Exercises.All(e => exercises.Contains(e.Name))) return full;
        return Subsets.GetOrAdd(key, _ => new Protocol(full.Name, full.Title, full.Modality, full.LimbKind, full.Positions,
            full.Exercises.Where(e => exercises.Contains(e.Name)).ToList(), full.DeflationBetweenExercises, full.Load, full.Frequency, full.Sources));
    }

    public SessionPrescription Prescribe(Protocol protocol, IReadOnlyList<Limb> limbs, DateOnly date)
    {
        // The first of the protocol's positions the athlete has a LOP for, else its usual one (whose LOP the notes then ask for).
        var position = protocol.PositionFor(profile.Lops.Select(l => l.Position));
        var kind = protocol.LimbKind ?? LimbKind.Leg;
        var range = PressureRange.For(protocol.Modality, kind);
        var conservative = needsClearance;
        var target = conservative ? range.LowPercent : range.DefaultPercent;
        var now = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var pressures = new List<LimbPressure>();
        var notes = new List<string>();
        var missing = new List<Limb>();
        foreach (var limb in limbs)
        {
            var lop = profile.Lops
                .Where(l => l.Limb == limb && l.Position == position && LopValidity.Problem(l, limb, position, now) is null)
                .OrderByDescending(l => l.MeasuredAt)
                .FirstOrDefault();
            if (lop is null)
            {
                missing.Add(limb);
                continue;
            }
            try
            {
                var p = Prescriber.Prescribe(new PrescriptionRequest(lop, limb, protocol.Modality, position, now,
                    NeedsClearance: needsClearance, Protocol: protocol));
                pressures.Add(new LimbPressure(limb, p.Low, p.High, p.Target, lop.Method, DateOnly.FromDateTime(lop.MeasuredAt.UtcDateTime)));
                foreach (var note in p.Notes.Where(n => !notes.Contains(n))) notes.Add(note);
            }
            catch (Exception e) when (e is LopNotUsableException or SafetyLimitExceededException or ArgumentException)
            {
                missing.Add(limb);
                notes.Add($"{limb.ToKebab()}: {e.Message}");
            }
        }
        if (missing.Count > 0)
        {
            notes.Add($"measure {position.ToString().ToLowerInvariant()} LOP on the {string.Join(" and ", missing.Select(l => l.ToKebab()))} before the session: a LOP is valid {LopValidityOptions.DefaultMaxAge.TotalDays:0} days and only in its position ({Sources.Hughes2018})");
        }
        if (needsClearance)
        {
            notes.Add("post-operative: low end of the range, and only with a clinician's recorded clearance");
        }
        var legCuffs = profile.Cuffs.Count(c => c.LimbKind == kind);
        if (legCuffs == 0) notes.Add($"no {kind.ToString().ToLowerInvariant()} cuff listed in the profile");
        else if (legCuffs == 1 && limbs.Count > 1) notes.Add("one cuff owned: train one leg at a time");

        var sources = new List<string> { range.Source };
        sources.AddRange(protocol.Sources.Where(s => !range.Source.Contains(s, StringComparison.Ordinal)));
        return new SessionPrescription(protocol.Name, protocol.Title, protocol.Modality, position,
            protocol.Exercises.Select(e => e.Name).ToList(), limbs, range.LowPercent, range.HighPercent, target, conservative,
            pressures, Dose(protocol), protocol.TotalDuration, notes, sources);
    }

    private string Dose(Protocol protocol)
    {
        if (protocol.Modality != Modality.Resistance) return protocol.Load;
        var kg = profile.OneRepMaxes
            .Where(r => protocol.Exercises.Any(e => r.Exercise.Replace(" ", "-", StringComparison.Ordinal).Equals(e.Name, StringComparison.OrdinalIgnoreCase)))
            .Select(r => $"{r.Exercise} {r.Kilograms * 0.2:0}–{r.Kilograms * 0.3:0} kg")
            .ToList();
        return kg.Count == 0 ? protocol.Load : $"{protocol.Load} ({string.Join(", ", kg)})";
    }

    /// <summary>Heavy strength without BFR, in words, with kilograms when a 1RM is known (~80% 1RM; seed "Blood Flow Restriction for Runners").</summary>
    public string HeavyLoad(bool lighter)
    {
        var sets = lighter ? "2 sets" : "3–4 sets";
        var kg = profile.OneRepMaxes.Select(r => $"{r.Exercise} {r.Kilograms * 0.8:0}–{r.Kilograms * 0.85:0} kg").ToList();
        var text = $"{sets} of 4–6 reps at 80–85% 1RM: squat or split squat, Romanian deadlift, single-leg calf raise";
        return kg.Count == 0 ? text : $"{text} ({string.Join(", ", kg)})";
    }
}
