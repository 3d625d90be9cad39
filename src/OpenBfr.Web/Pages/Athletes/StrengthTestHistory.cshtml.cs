using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Revisions;
using OpenBfr.Web.Strength;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>Every version of one strength or hop result, newest first, also after it was deleted. Read like the tests themselves (and audited the same way).</summary>
public sealed class StrengthTestHistoryModel(AthleteDirectory directory, RevisionHistory history) : RevisionHistoryPageModel<StrengthTestDto>(directory)
{
    public async Task<IActionResult> OnGetAsync(Guid id, Guid testId)
    {
        if (!await OpenHistoryAsync(id, "strength.revisions.read", () => history.StrengthTestAsync(id, testId)))
        {
            return NotFound();
        }
        return Page();
    }
}
