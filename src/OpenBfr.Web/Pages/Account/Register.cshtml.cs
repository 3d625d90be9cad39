using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Athletes;

namespace OpenBfr.Web.Pages.Account;

/// <summary>Self-registration as an athlete (who may later share their record with a clinician) or as a clinician.</summary>
public sealed class RegisterModel(UserManager<OpenBfrUser> users, SignInManager<OpenBfrUser> signIn, AthleteDirectory directory) : OpenBfrPageModel
{
    [BindProperty]
    public AccountInput Input { get; set; } = new();

    [BindProperty]
    public string Role { get; set; } = "athlete";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Role is not (Roles.Athlete or Roles.Clinician))
        {
            ModelState.AddModelError(nameof(Role), "Role must be athlete or clinician");
            return Page();
        }
        var user = await AccountInput.CreateAsync(users, Input, Role, ModelState);
        if (user is null)
        {
            return Page();
        }
        if (Role == Roles.Athlete)
        {
            await directory.CreateForAccountAsync(user.Id, new NewAthlete(user.DisplayName, null, null, null));
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return Redirect("/");
    }
}
