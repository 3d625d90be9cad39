using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Web.Api;
using OpenBfr.Web.Athletes;

namespace OpenBfr.Web.Accounts;

/// <summary>The signed-in user.</summary>
public sealed record MeDto(string UserId, string? Email, string DisplayName, IReadOnlyList<string> Roles, Guid? AthleteId);

/// <summary>An account as the admin sees it (no athlete data).</summary>
/// <param name="PendingRole">the role a self-registered account waits for an admin to approve ("clinician"), or null.</param>
public sealed record UserDto(string Id, string? Email, string DisplayName, IReadOnlyList<string> Roles, bool LockedOut, string? PendingRole = null)
{
    /// <summary>Every account, by e-mail.</summary>
    public static async Task<List<UserDto>> ListAsync(UserManager<OpenBfrUser> users, ClinicianApproval approval, TimeProvider time)
    {
        var result = new List<UserDto>();
        foreach (var u in await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync())
        {
            result.Add(new UserDto(u.Id, u.Email, u.DisplayName, (await users.GetRolesAsync(u)).Order().ToList(), u.LockoutEnd is { } end && end > time.GetUtcNow(),
                await approval.PendingRoleAsync(u)));
        }
        return result;
    }
}

/// <summary>Lock or unlock an account.</summary>
/// <param name="Locked">true locks, false unlocks; required (left out it was read as false and unlocked).</param>
public sealed record LockRequest(bool? Locked);

public static class AccountsApi
{
    public static void MapAccountsApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/me", async Task<Ok<MeDto>> (ClaimsPrincipal user, UserManager<OpenBfrUser> users, AthleteDirectory directory) =>
        {
            var viewer = user.Viewer();
            var u = await users.FindByIdAsync(viewer.UserId);
            var roles = u is null ? [] : await users.GetRolesAsync(u);
            var own = await directory.OwnAsync(viewer.UserId);
            return TypedResults.Ok(new MeDto(viewer.UserId, u?.Email, u?.DisplayName ?? "", roles.Order().ToList(), own?.Id));
        }).RequireAuthorization().WithTags("accounts");

        var admin = v1.MapGroup("/admin").RequireAuthorization(Roles.Admin).WithTags("admin");
        admin.MapGet("/users", async Task<Ok<List<UserDto>>> (UserManager<OpenBfrUser> users, ClinicianApproval approval, TimeProvider time) =>
            TypedResults.Ok(await UserDto.ListAsync(users, approval, time)));
        admin.MapPost("/users/{id}/approve", async Task<Results<NoContent, NotFound, ValidationProblem>> (string id, ClaimsPrincipal user, UserManager<OpenBfrUser> users, ClinicianApproval approval) =>
        {
            var target = await users.FindByIdAsync(id);
            if (target is null)
            {
                return TypedResults.NotFound();
            }
            return await approval.ApproveAsync(target, user.Viewer().UserId)
                ? TypedResults.NoContent()
                : ApiExtensions.Invalid("id", "this account is not waiting for approval (only self-registered clinicians are)");
        });
        admin.MapPost("/users/{id}/lock", async Task<Results<NoContent, NotFound, ValidationProblem>> (string id, LockRequest body, ClaimsPrincipal user, UserManager<OpenBfrUser> users) =>
        {
            var target = await users.FindByIdAsync(id);
            if (target is null)
            {
                return TypedResults.NotFound();
            }
            if (target.Id == user.Viewer().UserId)
            {
                return ApiExtensions.Invalid("id", "an admin cannot lock their own account");
            }
            if (body.Locked is not { } locked)
            {
                return ApiExtensions.Invalid("locked", "locked is required: true to lock the account, false to unlock it");
            }
            await users.SetLockoutEndDateAsync(target, locked ? DateTimeOffset.MaxValue : null);
            return TypedResults.NoContent();
        });
    }
}
