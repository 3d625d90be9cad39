using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Lop;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Revisions;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>Every version of one LOP record, newest first, also after it was withdrawn, and the prescriptions made from it. Read like the LOPs themselves (and audited the same way).</summary>
public sealed class LopHistoryModel(AthleteDirectory directory, RevisionHistory history, LopService lops) : RevisionHistoryPageModel<LopDto>(directory)
{
    /// <summary>Why it was withdrawn, as given; null when it was not, or no reason was given.</summary>
    public string? WithdrawalReason { get; private set; }

    /// <summary>The prescriptions ever made from it, current and retired (with why), newest first.</summary>
    public List<PrescriptionDto> Prescriptions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, Guid lopId)
    {
        if (!await OpenHistoryAsync(id, "lop.revisions.read", () => history.LopAsync(id, lopId)))
        {
            return NotFound();
        }
        WithdrawalReason = (await lops.FindAsync(id, lopId))?.WithdrawalReason;
        Prescriptions = (await lops.PrescriptionsFromAsync(id, lopId)).Select(PrescriptionDto.From).ToList();
        return Page();
    }
}
