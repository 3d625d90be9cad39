using Microsoft.AspNetCore.Mvc;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Lop;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Lop;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Revisions;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>Asks before withdrawing a LOP record (saying which prescriptions stop), then withdraws it.</summary>
public sealed class LopWithdrawModel(AthleteDirectory directory, LopService lops, RevisionHistory history, TimeProvider time) : OpenBfrPageModel
{
    public Athlete Athlete { get; private set; } = new();

    public LopDto Lop { get; private set; } = null!;

    /// <summary>Why the viewer may not withdraw it, or null.</summary>
    public string? NotWithdrawable { get; private set; }

    /// <summary>The current prescriptions made from it: withdrawing retires them.</summary>
    public List<PrescriptionDto> Current { get; private set; } = [];

    /// <summary>The version shown on the confirm page (a hidden field): a record corrected since is not withdrawn unseen.</summary>
    [BindProperty]
    public int? Version { get; set; }

    /// <summary>Why, in the words of whoever withdraws it (≤ 200 characters, optional).</summary>
    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>Why nothing was withdrawn because the record changed meanwhile; the page then shows it as stored and asks again.</summary>
    public string? Conflict { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid lopId)
    {
        if (await LoadAsync(id, lopId, "lop.read") is null)
        {
            return NotFound();
        }
        if (Lop.WithdrawnAt is not null)
        {
            return Redirect($"/Athletes/{id}/Lop/{lopId}/History");
        }
        Version = Lop.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid lopId)
    {
        if (await LoadAsync(id, lopId, "lop.withdraw") is not { } row)
        {
            return NotFound();
        }
        if (await LopEditModel.WithdrawnMeanwhileAsync(this, history, row, "withdrawn again") is { } gone)
        {
            return gone;
        }
        if (Version is null)
        {
            ModelState.AddModelError("", "the form did not say which version of the LOP it withdraws; nothing was withdrawn: check the values shown and confirm again");
            Version = Lop.Version;
            return Page();
        }
        try
        {
            RefuseUnboundFields();
            var change = await lops.WithdrawAsync(Me, id, lopId, Reason, Version);
            Flash = "LOP withdrawn: it sets no pressure from now on." + LopEditModel.Followed(change.Prescriptions);
            return Redirect($"/Athletes/{id}#lop");
        }
        catch (ConflictException e)
        {
            Conflict = e.Message;
            if (await LoadAsync(id, lopId, "lop.read") is null)
            {
                return NotFound();
            }
            Version = Lop.Version;
        }
        catch (InputException e)
        {
            AddError(e);
        }
        catch (ForbiddenException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        return Page();
    }

    /// <summary>The record as stored now, with the page's view of it filled in; null when not found or not visible.</summary>
    private async Task<LopRecord?> LoadAsync(Guid id, Guid lopId, string action)
    {
        if (await LopEditModel.OpenAsync(directory, lops, Me, id, lopId, action) is not { } open)
        {
            return null;
        }
        Athlete = open.Athlete;
        Lop = LopDto.From(open.Row, time.GetUtcNow());
        Current = open.Made.Where(p => p.RetiredAt is null).Select(PrescriptionDto.From).ToList();
        NotWithdrawable = LopService.WhyNotWithdrawable(Me, open.Row);
        return open.Row;
    }
}
