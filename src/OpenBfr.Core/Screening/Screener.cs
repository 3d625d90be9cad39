using OpenBfr.Core.Limbs;

namespace OpenBfr.Core.Screening;

/// <summary>Evaluates screening answers against the questionnaire: per limb, the worst finding decides.</summary>
public static class Screener
{
    /// <summary>Evaluates the answers.</summary>
    /// <param name="answers">the answers, with any clinician's clearance.</param>
    /// <param name="questionnaire">default: <see cref="Questionnaire.Default"/>.</param>
    /// <param name="today">the caller's today (from its injected clock): a clearance dated 12 months or more
    /// before it has expired (<see cref="ScreeningValidity"/>) and clears nothing. Required when the answers carry a clearance.</param>
    /// <exception cref="ArgumentException">an item unanswered, an unknown item answered, a limb-specific item
    /// answered yes without limbs, a clearance naming an item that is not a NeedsClearance item, or a clearance without <paramref name="today"/>.</exception>
    public static ScreeningResult Evaluate(ScreeningAnswers answers, Questionnaire? questionnaire = null, DateOnly? today = null)
    {
        Guard.NotNull(answers);
        var q = questionnaire ?? Questionnaire.Default;
        Validate(answers, q);
        if (answers.Clearance is not null && today is null)
        {
            // No path may skip the expiry: a clearance is judged against a given today or not at all.
            throw new ArgumentException($"today is required to evaluate a clinician's clearance ({ScreeningValidity.Rule})", nameof(today));
        }
        var expired = answers.Clearance is { } given && given.IsExpired(today!.Value);
        var valid = expired ? null : answers.Clearance;

        // First pass: which items' own conditions hold (ignoring "requires other risk factor").
        var holds = q.Items.ToDictionary(i => i.Id, i => ConditionHolds(i, answers));
        var reasons = new List<ScreeningReason>();
        foreach (var item in q.Items)
        {
            if (!holds[item.Id] || item.Class == ScreeningClass.RiskFactor) continue;
            if (item.Condition.RequiresOtherRiskFactor
                && !q.Items.Any(other => other.Id != item.Id && other.RiskFactor && holds[other.Id]))
            {
                continue;
            }
            var limbs = item.IsLimbSpecific ? answers.Answers[item.Id].Limbs : LimbExtensions.All;
            IReadOnlyList<Limb> cleared = item.Class == ScreeningClass.NeedsClearance && valid is { } c
                ? limbs.Where(l => c.Covers(item.Id, l)).ToList()
                : [];
            reasons.Add(new ScreeningReason(item.Id, Finding(item, answers), item.Class, limbs, cleared, item.Sources));
        }

        var perLimb = LimbExtensions.All.Select(limb => ForLimb(limb, reasons, valid)).ToList();
        return new ScreeningResult(perLimb, reasons, answers.Clearance, q.Version, expired);
    }

    private static LimbScreening ForLimb(Limb limb, List<ScreeningReason> reasons, ClinicianClearance? clearance)
    {
        var mine = reasons.Where(r => r.Limbs.Contains(limb)).ToList();
        var ids = mine.Select(r => r.ItemId).ToList();
        if (mine.Any(r => r.Class is ScreeningClass.NotEligible or ScreeningClass.NotEligibleOnAffectedLimb))
        {
            return new LimbScreening(limb, Eligibility.NotEligible, false, ids);
        }
        var needing = mine.Where(r => r.Class == ScreeningClass.NeedsClearance).ToList();
        if (needing.Count == 0) return new LimbScreening(limb, Eligibility.Eligible, false, ids);
        var allCleared = clearance is not null && needing.All(r => clearance.Covers(r.ItemId, limb));
        return allCleared
            ? new LimbScreening(limb, Eligibility.Eligible, true, ids)
            : new LimbScreening(limb, Eligibility.NeedsClearance, false, ids);
    }

    private static bool ConditionHolds(ScreeningItem item, ScreeningAnswers a)
    {
        var c = item.Condition;
        return c.Type switch
        {
            ConditionType.BloodPressure =>
                InBand(a.SystolicMmHg, c.SystolicFrom, c.SystolicBelow) || InBand(a.DiastolicMmHg, c.DiastolicFrom, c.DiastolicBelow),
            ConditionType.Age => a.AgeYears >= c.AgeFrom,
            _ => a.Answers[item.Id].Yes,
        };
    }

    private static bool InBand(int value, int? from, int? below) => from is { } f && value >= f && (below is not { } b || value < b);

    private static string Finding(ScreeningItem item, ScreeningAnswers a) => item.Condition.Type switch
    {
        ConditionType.BloodPressure => $"{item.Finding} (given {a.SystolicMmHg}/{a.DiastolicMmHg} mmHg)",
        ConditionType.Age => $"{item.Finding} (age {a.AgeYears})",
        _ => item.Finding,
    };

    private static void Validate(ScreeningAnswers answers, Questionnaire q)
    {
        var unknown = answers.Answers.Keys.Where(k => !q.Items.Any(i => i.Id == k && i.IsYesNo)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"answers: '{unknown[0]}' is not a yes/no screening item; items are {string.Join(", ", q.YesNoItems.Select(i => i.Id))}", nameof(answers));
        }
        var missing = q.YesNoItems.Where(i => !answers.Answers.ContainsKey(i.Id)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"answers: {string.Join(", ", missing.Select(i => $"'{i.Id}'"))} not answered; every item must be answered (an unanswered item is never taken as no)", nameof(answers));
        }
        foreach (var item in q.YesNoItems)
        {
            var answer = answers.Answers[item.Id];
            if (item.IsLimbSpecific && answer.Yes && answer.Limbs.Count == 0)
            {
                throw new ArgumentException($"answers: '{item.Id}' is yes but names no limb; give the affected limbs (left-arm, right-arm, left-leg, right-leg)", nameof(answers));
            }
        }
        if (answers.Clearance is { } clearance)
        {
            if (string.IsNullOrWhiteSpace(clearance.Clinician))
            {
                throw new ArgumentException("clearance: the clinician's name is required", nameof(answers));
            }
            foreach (var id in clearance.ItemIds)
            {
                var item = q.Items.FirstOrDefault(i => i.Id == id)
                    ?? throw new ArgumentException($"clearance: '{id}' is not a screening item", nameof(answers));
                if (item.Class != ScreeningClass.NeedsClearance)
                {
                    throw new ArgumentException($"clearance: '{id}' is {item.Class}; only NeedsClearance findings can be cleared", nameof(answers));
                }
            }
        }
    }
}
