using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Pages.Account;

/// <summary>Where a self-registered clinician waits; once an admin has approved, it refreshes the sign-in and goes on.</summary>
public sealed class PendingModel(UserManager<OpenBfrUser> users, SignInManager<OpenBfrUser> signIn, ClinicianApproval approval) : OpenBfrPageModel
{
    public async Task<IActionResult> OnGetAsync()
    {
        if (Viewer.From(User) is not { } viewer || await users.FindByIdAsync(viewer.UserId) is not { } user)
        {
            return Redirect("/Account/Login");
        }
        if (await approval.PendingRoleAsync(user) is not null)
        {
            return Page();
        }
        // Approved (or never waiting): take the roles now held into the cookie.
        await signIn.RefreshSignInAsync(user);
        return Redirect("/");
    }
}
