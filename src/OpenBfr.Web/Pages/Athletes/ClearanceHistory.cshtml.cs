using Microsoft.AspNetCore.Mvc;
using OpenBfr.Data.Athletes;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Revisions;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>Every version of one clearance, newest first, also after it was revoked. Read like the clearances themselves (the athlete too; audited the same way).</summary>
public sealed class ClearanceHistoryModel(AthleteDirectory directory, RevisionHistory history) : OpenBfrPageModel
{
    public Athlete Athlete { get; private set; } = new();

    public RevisionHistoryDto<ClearanceDto> History { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, Guid clearanceId)
    {
        if (await directory.OpenIfVisibleAsync(Me, id, "clearance.revisions.read") is not { } opened)
        {
            return NotFound();
        }
        Athlete = opened;
        if (await history.ClearanceAsync(id, clearanceId) is not { } h)
        {
            return NotFound();
        }
        History = h;
        return Page();
    }
}
