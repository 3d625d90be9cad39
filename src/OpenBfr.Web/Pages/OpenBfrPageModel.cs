using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Pages;

/// <summary>Shared by the pages: the signed-in viewer and field errors from the features.</summary>
public abstract class OpenBfrPageModel : PageModel
{
    /// <summary>The signed-in viewer (pages outside /Account require sign-in).</summary>
    protected Viewer Me => Viewer.From(User) ?? throw new InvalidOperationException("page reached without a signed-in user");

    /// <summary>Adds the error beside its field (and to the summary).</summary>
    protected void AddError(InputException e) => ModelState.AddModelError(e.Field, e.Message);

    /// <summary>A message shown once after a redirect.</summary>
    [Microsoft.AspNetCore.Mvc.TempData]
    public string? Flash { get; set; }
}
