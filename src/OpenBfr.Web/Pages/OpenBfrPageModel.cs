using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBfr.Data.Athletes;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Pages;

/// <summary>Shared by the pages: the signed-in viewer and field errors from the features.</summary>
public abstract class OpenBfrPageModel : PageModel
{
    /// <summary>The signed-in viewer (pages outside /Account require sign-in).</summary>
    protected Viewer Me => Viewer.From(User) ?? throw new InvalidOperationException("page reached without a signed-in user");

    /// <summary>
    /// The athlete, opened for <paramref name="action"/> by the signed-in viewer (checked and
    /// audited by <see cref="AthleteDirectory.OpenAsync"/>); null when the viewer may not see them,
    /// which a page answers with 404 (or its own refusal), never saying the athlete exists.
    /// </summary>
    protected async Task<Athlete?> VisibleAthleteAsync(AthleteDirectory directory, Guid id, string action)
    {
        try
        {
            return await directory.OpenAsync(Me, id, action);
        }
        catch (NotVisibleException)
        {
            return null;
        }
    }

    /// <summary>Adds the error beside its field (and to the summary).</summary>
    protected void AddError(InputException e) => ModelState.AddModelError(e.Field, e.Message);

    /// <summary>A message shown once after a redirect.</summary>
    [Microsoft.AspNetCore.Mvc.TempData]
    public string? Flash { get; set; }
}
