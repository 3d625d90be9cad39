using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace OpenBfr.Web.Accounts;

/// <summary>The fields of a new account.</summary>
public sealed class AccountInput
{
    [Required, StringLength(100, MinimumLength = 1)]
    public string DisplayName { get; set; } = "";

    [Required, EmailAddress, StringLength(200)]
    public string Email { get; set; } = "";

    [Required, StringLength(200, MinimumLength = 10)]
    public string Password { get; set; } = "";

    /// <summary>Creates the account in <paramref name="role"/> (none when null); on failure adds Identity's reasons to the model state and returns null.</summary>
    public static async Task<OpenBfrUser?> CreateAsync(UserManager<OpenBfrUser> users, AccountInput input, string? role, ModelStateDictionary modelState)
    {
        if (!modelState.IsValid)
        {
            return null;
        }
        var user = new OpenBfrUser { UserName = input.Email.Trim(), Email = input.Email.Trim(), DisplayName = input.DisplayName.Trim() };
        var result = await users.CreateAsync(user, input.Password);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors)
            {
                modelState.AddModelError(e.Code.Contains("Password", StringComparison.Ordinal) ? "Input.Password" : "Input.Email", e.Description);
            }
            return null;
        }
        if (role is not null)
        {
            await users.AddToRoleAsync(user, role);
        }
        return user;
    }
}
