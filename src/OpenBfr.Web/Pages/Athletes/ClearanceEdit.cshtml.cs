using Microsoft.AspNetCore.Mvc;
using OpenBfr.Core.Screening;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Screening;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Revisions;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>
/// A clinician corrects a clearance's note or date (only the one who signed it), or revokes it
/// (any clinician of the athlete) after a confirm step. Clinicians only (WebSetup's page conventions).
/// </summary>
public sealed class ClearanceEditModel(AthleteDirectory directory, ScreeningService screening, RevisionHistory history) : OpenBfrPageModel
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

    /// <summary>The version the page showed (a hidden field in both forms): a clearance that changed since is neither corrected nor revoked.</summary>
    [BindProperty]
    public int? Version { get; set; }

    /// <summary>Why nothing was saved because the clearance changed meanwhile; the page then shows the current values.</summary>
    public string? Conflict { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid clearanceId, bool revoke = false)
    {
        if (!await LoadAsync(id, clearanceId, "screening.read"))
        {
            return NotFound();
        }
        ConfirmRevoke = revoke;
        Note = Clearance.Note;
        ClearedOn = Clearance.ClearedOn;
        Version = Clearance.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid clearanceId)
    {
        if (!await LoadAsync(id, clearanceId, "screening.clearance.update"))
        {
            return await RevokedMeanwhileAsync(clearanceId, "corrected") ?? NotFound();
        }
        if (MissingVersion("corrects"))
        {
            return Page();
        }
        try
        {
            RefuseUnboundFields();
            await screening.UpdateClearanceAsync(Me, id, clearanceId, new UpdateClearanceRequest(Note ?? "", ClearedOn), Version);
            Flash = "Clearance corrected.";
            return Redirect($"/Athletes/{id}#screening");
        }
        catch (ConflictException e)
        {
            // The typed note and date stay in the form; the page shows what is stored now and names its version.
            return await ConflictAsync(id, clearanceId, e);
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
            return await RevokedMeanwhileAsync(clearanceId, "revoked") ?? NotFound();
        }
        ConfirmRevoke = true;
        if (!ModelState.IsValid)
        {
            // A version that did not bind, or held a control character (taken out before binding when a NUL): nothing is revoked.
            Version = Clearance.Version;
            return Page();
        }
        if (MissingVersion("revokes"))
        {
            return Page();
        }
        try
        {
            await screening.RevokeClearanceAsync(Me, id, clearanceId, Version);
            Flash = "Clearance revoked: the finding needs clearance again.";
            return Redirect($"/Athletes/{id}#screening");
        }
        catch (ConflictException e)
        {
            return await ConflictAsync(id, clearanceId, e);
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

    /// <summary>A clearance revoked while this page was open: says so (who, when) and shows its history; null when there is no such clearance.</summary>
    private async Task<IActionResult?> RevokedMeanwhileAsync(Guid clearanceId, string verb)
    {
        if (Athlete.Id == Guid.Empty || await history.ClearanceAsync(Athlete.Id, clearanceId) is not { Removed: true } h)
        {
            return null;
        }
        var last = h.Versions[0];
        Flash = $"Not {verb}: this clearance was revoked by {last.EndedBy} at {last.EndedAt:yyyy-MM-dd HH:mm} UTC while the page was open. Its versions are below.";
        return Redirect($"/Athletes/{Athlete.Id}/Clearances/{clearanceId}/History");
    }

    private bool MissingVersion(string verb)
    {
        if (Version is not null)
        {
            return false;
        }
        ModelState.AddModelError("", $"the form did not say which version of the clearance it {verb}; nothing was saved: check the values shown and try again");
        Version = Clearance.Version;
        return true;
    }

    private async Task<IActionResult> ConflictAsync(Guid id, Guid clearanceId, ConflictException e)
    {
        Conflict = e.Message;
        if (await screening.FindClearanceAsync(id, clearanceId) is not { } now)
        {
            return NotFound();
        }
        Clearance = now;
        NotEditable = ScreeningService.WhyNotEditable(Me, now);
        Version = now.Version;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, Guid clearanceId, string action)
    {
        if (await directory.OpenIfVisibleAsync(Me, id, action) is not { } opened)
        {
            return false;
        }
        Athlete = opened;
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
