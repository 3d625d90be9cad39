using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Pages;

public sealed class SetupModel(UserManager<OpenBfrUser> users, SignInManager<OpenBfrUser> signIn) : OpenBfrPageModel
{
    [BindProperty]
    public AccountInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync()
        => (await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0 ? Redirect("/") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            return Redirect("/");
        }
        var user = await AccountInput.CreateAsync(users, Input, Roles.Admin, ModelState);
        if (user is null)
        {
            return Page();
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return Redirect("/Admin/Users");
    }
}
