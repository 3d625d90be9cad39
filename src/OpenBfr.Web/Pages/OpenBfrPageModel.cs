using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Pages;

/// <summary>Shared by the pages: the signed-in viewer and field errors from the features.</summary>
public abstract class OpenBfrPageModel : PageModel
{
    /// <summary>The signed-in viewer (pages outside /Account require sign-in).</summary>
    protected Viewer Me => Viewer.From(User) ?? throw new InvalidOperationException("page reached without a signed-in user");

    /// <summary>Adds the error beside its field (and to the summary), once.</summary>
    protected void AddError(InputException e)
    {
        if (!(ModelState.TryGetValue(e.Field, out var entry) && entry.Errors.Any(x => x.ErrorMessage == e.Message)))
        {
            ModelState.AddModelError(e.Field, e.Message);
        }
    }

    /// <summary>
    /// Refuses a form with a value that did not bind (its field would otherwise be saved as 0, empty
    /// or today); <see cref="UnboundFormFields"/> has put the message, naming the field, the value and
    /// what is allowed, beside it. Call before saving, inside the handler's catch of <see cref="InputException"/>.
    /// </summary>
    /// <exception cref="InputException">the first such field.</exception>
    protected void RefuseUnboundFields()
    {
        if (ModelState.FirstOrDefault(e => e.Value?.ValidationState == Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid) is { Value: { } entry } invalid)
        {
            throw new InputException(invalid.Key, entry.Errors.FirstOrDefault()?.ErrorMessage ?? $"{invalid.Key} is not valid");
        }
    }

    /// <summary>A message shown once after a redirect.</summary>
    [Microsoft.AspNetCore.Mvc.TempData]
    public string? Flash { get; set; }
}
