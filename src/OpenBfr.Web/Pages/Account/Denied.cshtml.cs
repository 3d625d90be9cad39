namespace OpenBfr.Web.Pages.Account;

public sealed class DeniedModel : OpenBfrPageModel
{
    public void OnGet()
    {
    }
}
