using Microsoft.AspNetCore.Mvc;
using OpenBfr.Data.Athletes;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Revisions;
using OpenBfr.Web.Strength;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>Asks before deleting one recorded strength or hop result (one limb's row), then deletes it.</summary>
public sealed class StrengthTestDeleteModel(AthleteDirectory directory, StrengthService strength, RevisionHistory history) : OpenBfrPageModel
{
    public Athlete Athlete { get; private set; } = new();

    public StrengthTestDto Test { get; private set; } = null!;

    /// <summary>Why the viewer may not delete this test, or null.</summary>
    public string? NotChangeable { get; private set; }

    /// <summary>The version shown on the confirm page (a hidden field): a row that changed since is not deleted.</summary>
    [BindProperty]
    public int? Version { get; set; }

    /// <summary>Why nothing was deleted because the row changed meanwhile; the page then shows the current values and asks again.</summary>
    public string? Conflict { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid testId)
    {
        if (!await LoadAsync(id, testId, "strength.read"))
        {
            return NotFound();
        }
        Version = Test.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid testId)
    {
        if (!await LoadAsync(id, testId, "strength.delete"))
        {
            return await StrengthTestEditModel.DeletedMeanwhileAsync(this, history, Athlete, testId, "deleted again") ?? NotFound();
        }
        if (!ModelState.IsValid)
        {
            // A version that did not bind, or held a control character (taken out before binding when a NUL): nothing is deleted.
            Version = Test.Version;
            return Page();
        }
        if (Version is null)
        {
            ModelState.AddModelError("", "the form did not say which version of the test it deletes; nothing was deleted: check the values shown and confirm again");
            Version = Test.Version;
            return Page();
        }
        try
        {
            await strength.DeleteAsync(Me, id, testId, Version);
            Flash = "Strength test deleted.";
            return Redirect($"/Athletes/{id}#strength");
        }
        catch (ConflictException e)
        {
            Conflict = e.Message;
            if (await strength.FindAsync(id, testId) is not { } now)
            {
                return NotFound();
            }
            Test = StrengthService.ToDto(now);
            NotChangeable = StrengthService.WhyNotChangeable(Me, now);
            Version = now.Version;
            return Page();
        }
        catch (ForbiddenException e)
        {
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        catch (NotVisibleException)
        {
            return NotFound();
        }
    }

    private async Task<bool> LoadAsync(Guid id, Guid testId, string action)
    {
        if (await directory.OpenIfVisibleAsync(Me, id, action) is not { } opened)
        {
            return false;
        }
        Athlete = opened;
        if (await strength.FindAsync(id, testId) is not { } row)
        {
            return false;
        }
        Test = StrengthService.ToDto(row);
        NotChangeable = StrengthService.WhyNotChangeable(Me, row);
        return true;
    }
}
