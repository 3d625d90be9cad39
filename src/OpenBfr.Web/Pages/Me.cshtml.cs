using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Athletes;

namespace OpenBfr.Web.Pages;

public sealed class MeModel(AthleteDirectory directory) : OpenBfrPageModel
{
    public async Task<IActionResult> OnGetAsync()
        => await directory.OwnAsync(Me.UserId) is { } own ? Redirect($"/Athletes/{own.Id}") : Page();
}
