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
public sealed record UserDto(string Id, string? Email, string DisplayName, IReadOnlyList<string> Roles, bool LockedOut);

/// <summary>Lock or unlock an account.</summary>
public sealed record LockRequest(bool Locked);

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
        admin.MapGet("/users", async Task<Ok<List<UserDto>>> (UserManager<OpenBfrUser> users, TimeProvider time) =>
        {
            var list = await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync();
            var result = new List<UserDto>();
            foreach (var u in list)
            {
                var roles = await users.GetRolesAsync(u);
                result.Add(new UserDto(u.Id, u.Email, u.DisplayName, roles.Order().ToList(), u.LockoutEnd is { } end && end > time.GetUtcNow()));
            }
            return TypedResults.Ok(result);
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
            await users.SetLockoutEndDateAsync(target, body.Locked ? DateTimeOffset.MaxValue : null);
            return TypedResults.NoContent();
        });
    }
}
