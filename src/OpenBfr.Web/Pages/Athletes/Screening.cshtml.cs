using Microsoft.AspNetCore.Mvc;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Screening;
using OpenBfr.Data.Athletes;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>The core's screening questionnaire (data, with sources), evaluated per limb by the core's <see cref="Screener"/>.</summary>
public sealed class ScreeningModel(AthleteDirectory directory, ScreeningService screening, TimeProvider time) : OpenBfrPageModel
{
    public Athlete Athlete { get; private set; } = new();

    public Questionnaire Questionnaire => Questionnaire.Default;

    public int? DefaultAge { get; private set; }

    /// <summary>The latest screening, to show when it was done and whether it has expired; null when none (or after a refused post).</summary>
    public CurrentScreening? Latest { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (await directory.OpenIfVisibleAsync(Me, id, "screening.read") is not { } opened)
        {
            return NotFound();
        }
        Athlete = opened;
        DefaultAge = Athlete.BirthYear is { } y ? time.GetUtcNow().Year - y : null;
        Latest = await screening.CurrentAsync(id);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, int? ageYears, int? systolicMmHg, int? diastolicMmHg)
    {
        if (await directory.OpenIfVisibleAsync(Me, id, "screening.create") is not { } opened)
        {
            return NotFound();
        }
        Athlete = opened;
        var answers = new Dictionary<string, ItemAnswer>();
        foreach (var item in Questionnaire.YesNoItems)
        {
            var answer = Request.Form[$"q-{item.Id}"].ToString();
            if (answer is not ("" or "yes" or "no"))
            {
                // Anything but yes was read as no: a screening answer is never guessed.
                ModelState.AddModelError($"q-{item.Id}", $"q-{item.Id} must be yes or no, was '{(answer.Length <= 60 ? answer : answer[..60] + "…")}'");
            }
            var yes = answer == "yes";
            if (item.IsLimbSpecific)
            {
                // Limbs ticked with a yes say "on these limbs only"; a yes without limbs is every limb.
                var limbs = LimbExtensions.All.Where(l => Request.Form[$"q-{item.Id}-{l.ToKebab()}"] == "on").ToList();
                if (answer is "" or "no" && limbs.Count > 0)
                {
                    // A no with limbs ticked was stored as a finding on those limbs: safe, but not what the form said. Asked, not guessed.
                    var ticked = string.Join(", ", limbs.Select(l => l.ToKebab()));
                    ModelState.AddModelError($"q-{item.Id}",
                        $"q-{item.Id} ({item.Finding}) was answered '{(answer.Length == 0 ? "(none)" : answer)}' with limbs ticked ({ticked}): answer yes for a finding on those limbs only, or no with no limb ticked");
                }
                answers[item.Id] = yes && limbs.Count == 0 ? ItemAnswer.OnLimbs(LimbExtensions.All) : ItemAnswer.OnLimbs(limbs);
            }
            else
            {
                answers[item.Id] = yes ? ItemAnswer.YesAnswer : ItemAnswer.No;
            }
        }
        ScreeningResult result;
        Dictionary<string, string> raw;
        if (!ModelState.IsValid)
        {
            // A value that did not bind (age 'abc' read as 0): UnboundFormFields named it beside the field.
            return Page();
        }
        try
        {
            // Left out or empty, each was read as 0 and refused as "was 0". The ranges are the core's (ScreeningAnswers).
            var given = new ScreeningAnswers(
                InputException.Required(ageYears, "ageYears", $"{ScreeningAnswers.MinAgeYears}–{ScreeningAnswers.MaxAgeYears} years"),
                InputException.Required(systolicMmHg, "systolicMmHg", $"{ScreeningAnswers.MinSystolicMmHg}–{ScreeningAnswers.MaxSystolicMmHg} mmHg"),
                InputException.Required(diastolicMmHg, "diastolicMmHg", $"{ScreeningAnswers.MinDiastolicMmHg}–{ScreeningAnswers.MaxDiastolicMmHg} mmHg"), answers);
            result = Screener.Evaluate(given, Questionnaire, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
            // Stored so that clearances recorded later can be applied through the core's screener.
            raw = ScreeningAnswerText.Write(given, Questionnaire);
        }
        catch (ArgumentException e)
        {
            // The core names its own parameters (age, systolic); the form's fields are ageYears and systolicMmHg.
            AddError(InputException.From(e, e.ParamName switch { "age" => "ageYears", "systolic" => "systolicMmHg", "diastolic" => "diastolicMmHg", var p => p }));
            return Page();
        }
        catch (InputException e)
        {
            AddError(e);
            return Page();
        }
        var findings = result.Reasons.ToDictionary(r => r.ItemId, r => r.Finding);
        var outcomes = result.Limbs.ToDictionary(l => l.Limb, l => new LimbOutcome(l.Eligibility.ToString(), l.ReasonIds.Select(r => findings.GetValueOrDefault(r, r)).ToList()));
        await screening.SaveAsync(Me, id, raw, outcomes);
        Flash = "Screening saved.";
        return Redirect($"/Athletes/{id}#screening");
    }
}
