using Microsoft.AspNetCore.Mvc;
using OpenBfr.Core.Limbs;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Strength;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Revisions;
using OpenBfr.Web.Strength;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>The correction form's fields (one limb's result and the test's shared fields), as posted.</summary>
public sealed class StrengthTestForm
{
    public string Exercise { get; set; } = "";

    public DateOnly? TestedOn { get; set; }

    /// <summary>A limb in kebab case, or "both".</summary>
    public string? Limb { get; set; }

    public bool Involved { get; set; }

    public double? LoadKg { get; set; }

    public int? Reps { get; set; }

    public double? OneRepMaxKg { get; set; }

    public double? HopDistanceCm { get; set; }

    /// <summary>The 6 m timed hop's time, s.</summary>
    public double? HopTimeSeconds { get; set; }

    public int? PainScore { get; set; }

    /// <summary>"cleared", "withheld" or empty (not assessed).</summary>
    public string? StageClearance { get; set; }

    public string? Note { get; set; }

    /// <summary>The form filled with a stored row.</summary>
    public static StrengthTestForm From(StrengthTestRecord r) => new()
    {
        Exercise = r.Exercise, TestedOn = r.TestedOn, Limb = r.Limb?.ToKebab() ?? "both", Involved = r.Involved, LoadKg = r.LoadKg, Reps = r.Reps,
        OneRepMaxKg = r.MeasuredOneRepMaxKg, HopDistanceCm = r.HopDistanceCm, HopTimeSeconds = r.HopTimeSeconds, PainScore = r.PainScore,
        StageClearance = r.StageClearance switch { true => "cleared", false => "withheld", _ => "" }, Note = r.Note,
    };

    /// <summary>
    /// The API's correction request from the form, every measurement field as posted: the form
    /// posts only the fields of the exercise's kind, and the service refuses one of another kind
    /// (naming it), so nothing is dropped silently. A two-legged lift has no involved side, so the tick is moot there.
    /// </summary>
    public UpdateStrengthTestRequest ToRequest()
    {
        var bilateral = string.Equals(Limb, "both", StringComparison.OrdinalIgnoreCase);
        return new UpdateStrengthTestRequest(Exercise, TestedOn, Limb, Involved && !bilateral, LoadKg, Reps, OneRepMaxKg, HopDistanceCm, PainScore,
            StageClearance switch { "cleared" => true, "withheld" => false, _ => null }, Note, HopTimeSeconds);
    }
}

/// <summary>Corrects one recorded strength or hop result (one limb's row); the other side of its test takes the shared fields.</summary>
public sealed class StrengthTestEditModel(AthleteDirectory directory, StrengthService strength, RevisionHistory history) : OpenBfrPageModel
{
    public Athlete Athlete { get; private set; } = new();

    public StrengthTestDto Test { get; private set; } = null!;

    /// <summary>Why the viewer may not change this test, or null.</summary>
    public string? NotChangeable { get; private set; }

    [BindProperty]
    public StrengthTestForm Form { get; set; } = new();

    /// <summary>The version the form was filled from (a hidden field): a correction of a row that moved on since is refused, never applied over it.</summary>
    [BindProperty]
    public int? Version { get; set; }

    /// <summary>Why nothing was saved because the row changed meanwhile (who, when); the page then shows the current values.</summary>
    public string? Conflict { get; private set; }

    /// <summary>
    /// The kind of test the form is for ("load", "hop-distance", "hop-time", "check-in"): the
    /// exercise in the form (as stored, or as posted when the page comes back with an error), or
    /// the stored test's when the posted name is not an exercise.
    /// </summary>
    public string Measure { get; private set; } = "load";

    public async Task<IActionResult> OnGetAsync(Guid id, Guid testId)
    {
        if (await LoadAsync(id, testId, "strength.read") is not { } row)
        {
            return NotFound();
        }
        Form = StrengthTestForm.From(row);
        Version = row.Version;
        Measure = StrengthResultFields.MeasureOf(row.Exercise) ?? Measure;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid testId)
    {
        if (await LoadAsync(id, testId, "strength.update") is null)
        {
            return await DeletedMeanwhileAsync(this, history, Athlete, testId, "corrected") ?? NotFound();
        }
        Measure = StrengthResultFields.MeasureOf(Form.Exercise) ?? StrengthResultFields.MeasureOf(Test.Exercise) ?? Measure;
        if (Version is null)
        {
            ModelState.AddModelError("", "the form did not say which version of the test it corrects; nothing was saved: open the test again and re-apply your correction");
            Version = Test.Version;
            return Page();
        }
        try
        {
            RefuseUnboundFields();
            await strength.UpdateAsync(Me, id, testId, Form.ToRequest(), Version);
            Flash = "Strength test corrected.";
            return Redirect($"/Athletes/{id}#strength");
        }
        catch (ConflictException e)
        {
            // The typed correction stays in the form; the summary and the notice show what is stored now,
            // and the form now names that version, so saving again applies the correction to it.
            Conflict = e.Message;
            if (await strength.FindAsync(id, testId) is not { } now)
            {
                return NotFound();
            }
            Test = StrengthService.ToDto(now);
            NotChangeable = StrengthService.WhyNotChangeable(Me, now);
            Version = now.Version;
        }
        catch (InputException e)
        {
            AddError(e);
        }
        catch (ForbiddenException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        catch (NotVisibleException)
        {
            return NotFound();
        }
        return Page();
    }

    /// <summary>
    /// A test deleted while someone had its Edit or Delete page open: says so (who, when) and shows its
    /// history, where the deleted values stay; null when there is no such test on a record the viewer may see.
    /// </summary>
    internal static async Task<IActionResult?> DeletedMeanwhileAsync(OpenBfrPageModel page, RevisionHistory history, Athlete athlete, Guid testId, string verb)
    {
        if (athlete.Id == Guid.Empty || await history.StrengthTestAsync(athlete.Id, testId) is not { Removed: true } h)
        {
            return null;
        }
        var last = h.Versions[0];
        page.Flash = $"Not {verb}: this result was deleted by {last.EndedBy} at {last.EndedAt:yyyy-MM-dd HH:mm} UTC while the page was open. Its versions are below.";
        return new RedirectResult($"/Athletes/{athlete.Id}/StrengthTests/{testId}/History");
    }

    private async Task<StrengthTestRecord?> LoadAsync(Guid id, Guid testId, string action)
    {
        if (await directory.OpenIfVisibleAsync(Me, id, action) is not { } opened)
        {
            return null;
        }
        Athlete = opened;
        var row = await strength.FindAsync(id, testId);
        if (row is not null)
        {
            Test = StrengthService.ToDto(row);
            NotChangeable = StrengthService.WhyNotChangeable(Me, row);
        }
        return row;
    }
}
