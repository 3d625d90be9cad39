using System.Globalization;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Screening;

namespace OpenBfr.Web.Screening;

/// <summary>
/// Screening answers as stored with a screening, readable by a person and by the app: item id →
/// "yes" / "no" / "yes: left-leg right-leg"; "age" → years; "bloodPressure" → "systolic/diastolic".
/// Reading them back lets clearances recorded later be applied through the core's screener.
/// </summary>
public static class ScreeningAnswerText
{
    public const string AgeKey = "age";
    public const string BloodPressureKey = "bloodPressure";

    /// <summary>The stored form of a questionnaire's answers.</summary>
    public static Dictionary<string, string> Write(ScreeningAnswers answers, Questionnaire? questionnaire = null)
    {
        var q = questionnaire ?? Questionnaire.Default;
        var raw = new Dictionary<string, string>();
        foreach (var item in q.YesNoItems)
        {
            var a = answers.Answers.TryGetValue(item.Id, out var given) ? given : ItemAnswer.No;
            raw[item.Id] = !a.Yes ? "no" : item.IsLimbSpecific ? "yes: " + string.Join(' ', a.Limbs.Select(l => l.ToKebab())) : "yes";
        }
        raw[AgeKey] = answers.AgeYears.ToString(CultureInfo.InvariantCulture);
        raw[BloodPressureKey] = string.Create(CultureInfo.InvariantCulture, $"{answers.SystolicMmHg}/{answers.DiastolicMmHg}");
        return raw;
    }

    /// <summary>The answers back, or null when the stored text does not answer every item of <paramref name="questionnaire"/> (an older or hand-made record).</summary>
    public static ScreeningAnswers? TryRead(IReadOnlyDictionary<string, string> raw, Questionnaire? questionnaire = null)
    {
        var q = questionnaire ?? Questionnaire.Default;
        if (!raw.TryGetValue(AgeKey, out var ageText) || !int.TryParse(ageText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var age)
            || !raw.TryGetValue(BloodPressureKey, out var bp) || bp.Split('/') is not [var sysText, var diaText]
            || !int.TryParse(sysText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var systolic)
            || !int.TryParse(diaText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var diastolic))
        {
            return null;
        }
        var answers = new Dictionary<string, ItemAnswer>();
        foreach (var item in q.YesNoItems)
        {
            if (!raw.TryGetValue(item.Id, out var text))
            {
                return null;
            }
            text = text.Trim();
            if (text == "no")
            {
                answers[item.Id] = ItemAnswer.No;
            }
            else if (text == "yes")
            {
                answers[item.Id] = item.IsLimbSpecific ? ItemAnswer.OnLimbs(LimbExtensions.All) : ItemAnswer.YesAnswer;
            }
            else if (text.StartsWith("yes:", StringComparison.Ordinal))
            {
                var names = text[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var limbs = new List<Limb>();
                foreach (var name in names)
                {
                    if (name is "all" or "limbs")
                    {
                        limbs.AddRange(LimbExtensions.All);
                    }
                    else if (LimbExtensions.TryParseLimb(name, out var limb))
                    {
                        limbs.Add(limb);
                    }
                    else
                    {
                        return null;
                    }
                }
                answers[item.Id] = item.IsLimbSpecific ? ItemAnswer.OnLimbs(limbs.Count == 0 ? LimbExtensions.All : limbs) : ItemAnswer.YesAnswer;
            }
            else
            {
                return null;
            }
        }
        try
        {
            return new ScreeningAnswers(age, systolic, diastolic, answers);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // values no screening could have stored: not readable item by item
        }
    }
}
