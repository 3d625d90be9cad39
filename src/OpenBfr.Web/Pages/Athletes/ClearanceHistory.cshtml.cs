using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Revisions;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>Every version of one clearance, newest first, also after it was revoked. Read like the clearances themselves (the athlete too; audited the same way).</summary>
public sealed class ClearanceHistoryModel(AthleteDirectory directory, RevisionHistory history) : RevisionHistoryPageModel<ClearanceDto>(directory)
{
    public async Task<IActionResult> OnGetAsync(Guid id, Guid clearanceId)
    {
        if (!await OpenHistoryAsync(id, "clearance.revisions.read", () => history.ClearanceAsync(id, clearanceId)))
        {
            return NotFound();
        }
        return Page();
    }
}
