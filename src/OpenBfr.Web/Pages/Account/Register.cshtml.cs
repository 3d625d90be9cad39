using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Athletes;

namespace OpenBfr.Web.Pages.Account;

/// <summary>Self-registration as an athlete (who may later share their record with a clinician) or as a clinician (who waits for an admin's approval).</summary>
public sealed class RegisterModel(UserManager<OpenBfrUser> users, SignInManager<OpenBfrUser> signIn, AthleteDirectory directory, ClinicianApproval approval) : OpenBfrPageModel
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
        // A self-registered clinician gets no role until an admin approves (ClinicianApproval).
        var user = await AccountInput.CreateAsync(users, Input, Role == Roles.Clinician ? null : Role, ModelState);
        if (user is null)
        {
            return Page();
        }
        if (Role == Roles.Athlete)
        {
            await directory.CreateForAccountAsync(user.Id, new NewAthlete(user.DisplayName, null, null, null));
        }
        else
        {
            await approval.RequestAsync(user);
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return Redirect(Role == Roles.Clinician ? "/Account/Pending" : "/");
    }
}
