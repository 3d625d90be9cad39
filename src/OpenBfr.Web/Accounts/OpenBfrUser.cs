using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Data;

namespace OpenBfr.Web.Accounts;

/// <summary>A person who signs in: an admin, a clinician (physical therapist or coach) or an athlete.</summary>
public sealed class OpenBfrUser : IdentityUser
{
    /// <summary>Name shown in the app; never logged.</summary>
    public string DisplayName { get; set; } = "";
}

/// <summary>The three roles (DESIGN.md section 6).</summary>
public static class Roles
{
    /// <summary>Manages accounts; sees no athlete records.</summary>
    public const string Admin = "admin";

    /// <summary>Sees and manages the athletes linked to them.</summary>
    public const string Clinician = "clinician";

    /// <summary>Sees only their own records.</summary>
    public const string Athlete = "athlete";

    public static IReadOnlyList<string> All { get; } = [Admin, Clinician, Athlete];
}

/// <summary>
/// The ASP.NET Core Identity tables. Like the records, they are created by the hand-written
/// migrations in OpenBfr.Data (schema version 1); this context only maps onto them.
/// </summary>
public sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options) : IdentityDbContext<OpenBfrUser>(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder builder) => TimestampConventions.Apply(builder);
}

/// <summary>Who is asking: the signed-in user's id and roles, read from the cookie's claims.</summary>
public sealed record Viewer(string UserId, bool IsAdmin, bool IsClinician, bool IsAthlete)
{
    /// <summary>The viewer of a signed-in principal, or null when anonymous.</summary>
    public static Viewer? From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        return id is null
            ? null
            : new Viewer(id, principal.IsInRole(Roles.Admin), principal.IsInRole(Roles.Clinician), principal.IsInRole(Roles.Athlete));
    }
}
