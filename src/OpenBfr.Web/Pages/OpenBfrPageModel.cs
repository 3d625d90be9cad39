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

    /// <summary>
    /// Whether this request is the refused post of the form whose handler is <paramref name="handler"/>
    /// ("Lop" for <c>asp-page-handler="Lop"</c>, "" for a page's only form): a post that saves redirects,
    /// so a page rendered for a post shows an error, and its form should show what was typed.
    /// </summary>
    public bool IsRefusedPost(string handler)
        => HttpMethods.IsPost(Request.Method) && Request.HasFormContentType
           && string.Equals(RouteData.Values["handler"]?.ToString() ?? Request.Query["handler"].ToString(), handler, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// What the refused post of the form <paramref name="handler"/> held in <paramref name="field"/>, to
    /// show it again instead of the field's default; null on a GET, for another form's post, or when
    /// the field was not posted (an unticked box).
    /// </summary>
    public string? Posted(string handler, string field)
        => IsRefusedPost(handler) && Request.Form.TryGetValue(field, out var v) ? v.ToString() : null;

    /// <summary>Whether a select's option or a box shows as chosen: as posted in a refused post of <paramref name="handler"/>, else <paramref name="byDefault"/>.</summary>
    public bool PostedOr(string handler, string field, string value, bool byDefault)
        => IsRefusedPost(handler) ? Request.Form[field].Contains(value, StringComparer.Ordinal) : byDefault;

    /// <summary>A message shown once after a redirect.</summary>
    [Microsoft.AspNetCore.Mvc.TempData]
    public string? Flash { get; set; }
}
