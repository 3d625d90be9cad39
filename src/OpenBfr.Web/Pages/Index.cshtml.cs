using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Pages;

public sealed class IndexModel : OpenBfrPageModel
{
    public IActionResult OnGet()
    {
        var viewer = Viewer.From(User);
        if (viewer is null)
        {
            return Page();
        }
        if (viewer.IsClinician)
        {
            return Redirect("/Clinician");
        }
        if (viewer.IsAthlete)
        {
            return Redirect("/Me");
        }
        return Redirect("/Admin/Users");
    }
}
