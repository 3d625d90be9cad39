using Microsoft.AspNetCore.Mvc;
using OpenBfr.Data.Athletes;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Revisions;
using OpenBfr.Web.Strength;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>Every version of one strength or hop result, newest first, also after it was deleted. Read like the tests themselves (and audited the same way).</summary>
public sealed class StrengthTestHistoryModel(AthleteDirectory directory, RevisionHistory history) : OpenBfrPageModel
{
    public Athlete Athlete { get; private set; } = new();

    public RevisionHistoryDto<StrengthTestDto> History { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, Guid testId)
    {
        if (await directory.OpenIfVisibleAsync(Me, id, "strength.revisions.read") is not { } opened)
        {
            return NotFound();
        }
        Athlete = opened;
        if (await history.StrengthTestAsync(id, testId) is not { } h)
        {
            return NotFound();
        }
        History = h;
        return Page();
    }
}
