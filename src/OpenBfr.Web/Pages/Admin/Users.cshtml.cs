using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Pages.Admin;

public sealed class UsersModel(UserManager<OpenBfrUser> users, ClinicianApproval approval, TimeProvider time) : OpenBfrPageModel
{
    public List<UserDto> Users { get; private set; } = [];

    /// <summary>The signed-in admin's own account id: their row has no Lock button (locking oneself is refused).</summary>
    public string MyUserId => Me.UserId;

    public async Task OnGetAsync() => Users = await UserDto.ListAsync(users, approval, time);

    public async Task<IActionResult> OnPostApproveAsync(string id)
    {
        if (await users.FindByIdAsync(id) is { } target && await approval.ApproveAsync(target, Me.UserId))
        {
            Flash = "Clinician approved.";
        }
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostLockAsync(string id, bool locked)
    {
        if (!ModelState.IsValid)
        {
            // "locked=abc" bound as false and unlocked the account.
            Flash = "Nothing changed: " + string.Join("; ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage));
            return RedirectToPage();
        }
        var target = await users.FindByIdAsync(id);
        if (target is not null && target.Id == Me.UserId)
        {
            // The page shows no Lock button on one's own row; a post anyway changes nothing and says why.
            Flash = "Nothing changed: an admin cannot lock their own account.";
        }
        else if (target is not null)
        {
            await users.SetLockoutEndDateAsync(target, locked ? DateTimeOffset.MaxValue : null);
            Flash = locked ? "Account locked." : "Account unlocked.";
        }
        return RedirectToPage();
    }
}
