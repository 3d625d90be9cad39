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
        // No role yet: a self-registered clinician waiting for approval.
        return Redirect(viewer.IsAdmin ? "/Admin/Users" : "/Account/Pending");
    }
}
