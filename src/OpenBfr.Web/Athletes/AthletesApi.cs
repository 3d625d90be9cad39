using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using OpenBfr.Data.Athletes;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Api;
using OpenBfr.Web.Dashboard;

namespace OpenBfr.Web.Athletes;

/// <summary>An athlete's profile.</summary>
public sealed record AthleteDto(Guid Id, string DisplayName, int? BirthYear, string? Sex, string? Injury, bool HasAccount)
{
    public static AthleteDto From(Athlete a) => new(a.Id, a.DisplayName, a.BirthYear, a.Sex?.ToString().ToLowerInvariant(), a.Injury, a.UserId is not null);
}

/// <summary>Share one's record with a clinician, found by the clinician's account e-mail.</summary>
public sealed record LinkClinicianRequest(string ClinicianEmail);

public static class AthletesApi
{
    public static void MapAthletesApi(this RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/athletes").RequireAuthorization().WithTags("athletes");
        g.MapGet("/", async Task<Ok<List<AthleteDto>>> (ClaimsPrincipal user, AthleteDirectory directory) =>
            TypedResults.Ok((await directory.VisibleAsync(user.Viewer())).Select(AthleteDto.From).ToList()));

        g.MapPost("/", async Task<Created<AthleteDto>> (NewAthlete body, ClaimsPrincipal user, AthleteDirectory directory) =>
        {
            var a = await directory.CreateAsync(user.Viewer(), body);
            return TypedResults.Created($"/api/v1/athletes/{a.Id}", AthleteDto.From(a));
        }).RequireAuthorization(Roles.Clinician);

        g.MapGet("/{id:guid}", async Task<Ok<AthleteDto>> (Guid id, ClaimsPrincipal user, AthleteDirectory directory) =>
            TypedResults.Ok(AthleteDto.From(await directory.OpenAsync(user.Viewer(), id, "athlete.read"))));

        g.MapPost("/{id:guid}/clinicians", async Task<Results<NoContent, ValidationProblem>> (Guid id, LinkClinicianRequest body, ClaimsPrincipal user,
            AthleteDirectory directory, UserManager<OpenBfrUser> users) =>
        {
            var clinician = string.IsNullOrWhiteSpace(body.ClinicianEmail) ? null : await users.FindByEmailAsync(body.ClinicianEmail.Trim());
            if (clinician is null || !await users.IsInRoleAsync(clinician, Roles.Clinician))
            {
                return ApiExtensions.Invalid("clinicianEmail", "clinicianEmail must be the e-mail of a clinician's OpenBFR account");
            }
            await directory.LinkClinicianAsync(user.Viewer(), id, clinician.Id);
            return TypedResults.NoContent();
        }).RequireAuthorization(Roles.Athlete);

        v1.MapGet("/dashboard", async Task<Ok<List<DashboardRow>>> (ClaimsPrincipal user, DashboardService dashboard) =>
            TypedResults.Ok(await dashboard.RowsAsync(user.Viewer()))).RequireAuthorization(Roles.Clinician).WithTags("athletes");
    }
}
