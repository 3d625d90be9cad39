using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Sessions;

namespace OpenBfr.Web.Pages.Sessions;

/// <summary>The live session page (and, once over, the session's record).</summary>
public sealed class LiveModel(SessionQueries queries, AthleteDirectory directory) : OpenBfrPageModel
{
    public SessionDetailDto Detail { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var header = await queries.HeaderAsync(id);
        if (header is null)
        {
            return NotFound();
        }
        if (await directory.OpenIfVisibleAsync(Me, header.AthleteId, "session.read") is null)
        {
            return NotFound();
        }
        Detail = (await queries.DetailAsync(id, telemetrySeconds: 120))!;
        return Page();
    }
}
