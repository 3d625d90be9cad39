using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Pages.Admin;

public sealed class UsersModel(UserManager<OpenBfrUser> users, TimeProvider time) : OpenBfrPageModel
{
    public List<UserDto> Users { get; private set; } = [];

    public async Task OnGetAsync()
    {
        foreach (var u in await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync())
        {
            Users.Add(new UserDto(u.Id, u.Email, u.DisplayName, (await users.GetRolesAsync(u)).Order().ToList(), u.LockoutEnd is { } end && end > time.GetUtcNow()));
        }
    }

    public async Task<IActionResult> OnPostLockAsync(string id, bool locked)
    {
        var target = await users.FindByIdAsync(id);
        if (target is not null && target.Id != Me.UserId)
        {
            await users.SetLockoutEndDateAsync(target, locked ? DateTimeOffset.MaxValue : null);
            Flash = locked ? "Account locked." : "Account unlocked.";
        }
        return RedirectToPage();
    }
}
