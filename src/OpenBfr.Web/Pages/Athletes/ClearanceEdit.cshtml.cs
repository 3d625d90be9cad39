using Microsoft.AspNetCore.Mvc;
using OpenBfr.Core.Screening;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Screening;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>
/// A clinician corrects a clearance's note or date (only the one who signed it), or revokes it
/// (any clinician of the athlete) after a confirm step. Clinicians only (WebSetup's page conventions).
/// </summary>
public sealed class ClearanceEditModel(AthleteDirectory directory, ScreeningService screening) : OpenBfrPageModel
{
    public Athlete Athlete { get; private set; } = new();

    public ScreeningClearanceRecord Clearance { get; private set; } = null!;

    /// <summary>The finding in words.</summary>
    public string Finding { get; private set; } = "";

    /// <summary>Why the viewer may not correct it (they may still revoke it), or null.</summary>
    public string? NotEditable { get; private set; }

    /// <summary>True on the revoke confirmation (?revoke=1).</summary>
    public bool ConfirmRevoke { get; private set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public DateOnly? ClearedOn { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid clearanceId, bool revoke = false)
    {
        if (!await LoadAsync(id, clearanceId, "screening.read"))
        {
            return NotFound();
        }
        ConfirmRevoke = revoke;
        Note = Clearance.Note;
        ClearedOn = Clearance.ClearedOn;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid clearanceId)
    {
        if (!await LoadAsync(id, clearanceId, "screening.clearance.update"))
        {
            return NotFound();
        }
        try
        {
            await screening.UpdateClearanceAsync(Me, id, clearanceId, new UpdateClearanceRequest(Note ?? "", ClearedOn));
            Flash = "Clearance corrected.";
            return Redirect($"/Athletes/{id}#screening");
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

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, Guid clearanceId)
    {
        if (!await LoadAsync(id, clearanceId, "screening.clearance.revoke"))
        {
            return NotFound();
        }
        try
        {
            await screening.RevokeClearanceAsync(Me, id, clearanceId);
            Flash = "Clearance revoked: the finding needs clearance again.";
            return Redirect($"/Athletes/{id}#screening");
        }
        catch (InputException e)
        {
            AddError(e);
            ConfirmRevoke = true;
            return Page();
        }
        catch (NotVisibleException)
        {
            return NotFound();
        }
    }

    private async Task<bool> LoadAsync(Guid id, Guid clearanceId, string action)
    {
        try
        {
            Athlete = await directory.OpenAsync(Me, id, action);
        }
        catch (NotVisibleException)
        {
            return false;
        }
        if (await screening.FindClearanceAsync(id, clearanceId) is not { } c)
        {
            return false;
        }
        Clearance = c;
        Finding = Questionnaire.Default.Items.FirstOrDefault(i => i.Id == c.ItemId)?.Finding ?? c.ItemId;
        NotEditable = ScreeningService.WhyNotEditable(Me, c);
        return true;
    }
}
