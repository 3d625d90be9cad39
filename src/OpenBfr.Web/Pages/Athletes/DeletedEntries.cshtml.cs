using Microsoft.AspNetCore.Mvc;
using OpenBfr.Data.Athletes;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Revisions;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>The strength tests deleted from an athlete's record and the clearances revoked, so they can still be looked up. Read like the record (and audited the same way).</summary>
public sealed class DeletedEntriesModel(AthleteDirectory directory, RevisionHistory history) : OpenBfrPageModel
{
    public Athlete Athlete { get; private set; } = new();

    public DeletedRecordsDto Deleted { get; private set; } = new([], []);

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (await directory.OpenIfVisibleAsync(Me, id, "deleted-records.read") is not { } opened)
        {
            return NotFound();
        }
        Athlete = opened;
        Deleted = await history.DeletedAsync(id);
        return Page();
    }
}
