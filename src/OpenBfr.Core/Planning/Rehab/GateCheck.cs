using System.Globalization;
using OpenBfr.Core.Planning.Profile;

namespace OpenBfr.Core.Planning.Rehab;

/// <summary>Whether an athlete meets a stage's gate on a given day, from the time since injury and the recorded tests.</summary>
public static class GateCheck
{
    /// <summary>The gate's criteria that are not met on <paramref name="date"/>, in words; empty when the gate is met.</summary>
    public static IReadOnlyList<string> Missing(StageGate gate, RunnerProfile profile, DateOnly date)
    {
        var injury = profile.Injury ?? throw new ArgumentException("the profile has no injury", nameof(profile));
        var missing = new List<string>();
        var days = date.DayNumber - injury.Date.DayNumber;
        if (gate.MinDaysSinceInjury is { } minDays && days < minDays)
        {
            missing.Add($"{minDays} days since {(RehabPathways.For(injury.Kind).PostOperative ? "the operation" : "onset")} (day {days}; reached {injury.Date.AddDays(minDays):yyyy-MM-dd})");
        }
        if (gate.PainBelow is { } painBelow)
        {
            var test = profile.LatestTest(date, t => t.PainScore is not null);
            if (test is null) missing.Add($"pain < {painBelow}/10 (no pain score recorded)");
            else if (test.PainScore >= painBelow) missing.Add($"pain < {painBelow}/10 (was {test.PainScore}/10 on {test.Date:yyyy-MM-dd})");
        }
        if (gate.MinStrengthLsiPercent is { } minLsi)
        {
            var op = gate.LsiStrictlyAbove ? ">" : "≥";
            var test = profile.LatestTest(date, t => t.StrengthLsiPercent is not null);
            if (test is null)
            {
                missing.Add($"strength LSI {op} {Fmt(minLsi)}% (no LSI recorded)");
            }
            else
            {
                var lsi = test.StrengthLsiPercent!.Value;
                var ok = gate.LsiStrictlyAbove ? lsi > minLsi : lsi >= minLsi;
                if (!ok) missing.Add($"strength LSI {op} {Fmt(minLsi)}% (was {Fmt(lsi)}% on {test.Date:yyyy-MM-dd})");
            }
        }
        if (gate.MinHopLsiPercent is { } minHop)
        {
            // Only once a hop test is recorded (see StageGate.MinHopLsiPercent); then the latest must reach the floor.
            var test = profile.LatestTest(date, t => t.HopLsiPercent is not null);
            if (test is not null && test.HopLsiPercent!.Value < minHop)
            {
                missing.Add($"hop LSI ≥ {Fmt(minHop)}% (was {Fmt(test.HopLsiPercent.Value)}% on {test.Date:yyyy-MM-dd})");
            }
        }
        if (gate.ClinicianClearance)
        {
            // A clearance counts only if recorded once the stage's time criterion was reached (a
            // week-one clearance does not clear a return to running), and no later test withheld it.
            var earliest = injury.Date.AddDays(gate.MinDaysSinceInjury ?? 0);
            var latest = profile.LatestTest(date, t => t.ClinicianClearance is not null);
            if (latest is null || latest.ClinicianClearance != true || latest.Date < earliest)
            {
                missing.Add(latest?.ClinicianClearance == false
                    ? $"clinician clearance (withheld on {latest.Date:yyyy-MM-dd})"
                    : earliest > injury.Date
                        ? $"clinician clearance recorded on or after {earliest:yyyy-MM-dd}"
                        : "clinician clearance (none recorded)");
            }
        }
        return missing;
    }

    /// <summary>True when every criterion of the gate is met on the date.</summary>
    public static bool IsMet(StageGate gate, RunnerProfile profile, DateOnly date) => Missing(gate, profile, date).Count == 0;

    /// <summary>
    /// The furthest stage whose gate, and every earlier stage's gate, is met on <paramref name="date"/>;
    /// -1 when even the entry gate is not met. Stages are entered in order: a later gate met early does not skip one.
    /// </summary>
    public static int CurrentStage(RehabPathway pathway, RunnerProfile profile, DateOnly date)
    {
        var stage = -1;
        for (var i = 0; i < pathway.Stages.Count; i++)
        {
            if (!IsMet(pathway.Stages[i].Gate, profile, date)) break;
            stage = i;
        }
        return stage;
    }

    private static string Fmt(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
