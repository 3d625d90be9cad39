using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Pages.Account;

public sealed class LoginModel(SignInManager<OpenBfrUser> signIn) : OpenBfrPageModel
{
    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password) || !ModelState.IsValid)
        {
            // An empty field binds as null (a 500 on Email.Trim() once); the model state already says which is required,
            // or which holds a control character (FormControlCharacters: a NUL is taken out before binding, so the rest would sign in).
            return Page();
        }
        // Lockout after repeated failures is on (5 tries, 15 min; see WebSetup).
        var result = await signIn.PasswordSignInAsync(Email.Trim(), Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }
        ModelState.AddModelError("", result.IsLockedOut
            ? "This account is locked after too many failed sign-ins. Try again in 15 minutes."
            : "E-mail or password is wrong.");
        return Page();
    }
}
