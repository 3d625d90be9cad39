using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace OpenBfr.Web.Accounts;

/// <summary>
/// Self-registered clinicians wait for an admin: until approved they hold no role (so they see no
/// athlete and cannot be linked to one), only a claim saying which role they asked for. Approval
/// removes the claim and grants the clinician role.
/// </summary>
public sealed class ClinicianApproval(UserManager<OpenBfrUser> users, ILogger<ClinicianApproval> logger)
{
    /// <summary>Claim type of the role a self-registered account waits for.</summary>
    public const string PendingRoleClaim = "openbfr:pending-role";

    /// <summary>Marks a new account as waiting for approval as a clinician.</summary>
    public async Task RequestAsync(OpenBfrUser user)
        => await users.AddClaimAsync(user, new Claim(PendingRoleClaim, Roles.Clinician));

    /// <summary>The role the account waits for, or null.</summary>
    public async Task<string?> PendingRoleAsync(OpenBfrUser user)
        => (await users.GetClaimsAsync(user)).FirstOrDefault(c => c.Type == PendingRoleClaim)?.Value;

    /// <summary>Grants the clinician role to an account waiting for it.</summary>
    /// <returns>false when the account is not waiting for approval.</returns>
    public async Task<bool> ApproveAsync(OpenBfrUser user, string approvedByUserId)
    {
        var pending = (await users.GetClaimsAsync(user)).FirstOrDefault(c => c.Type == PendingRoleClaim);
        if (pending is null)
        {
            return false;
        }
        await users.AddToRoleAsync(user, Roles.Clinician);
        await users.RemoveClaimAsync(user, pending);
        await users.UpdateSecurityStampAsync(user);
        logger.LogInformation("Clinician account {UserId} approved by {AdminId}", user.Id, approvedByUserId);
        return true;
    }
}
