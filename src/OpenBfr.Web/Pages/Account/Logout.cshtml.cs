using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Pages.Account;

public sealed class LogoutModel(SignInManager<OpenBfrUser> signIn) : OpenBfrPageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return Redirect("/");
    }
}
