using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenBfr.Data.Screening;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Api;
using OpenBfr.Web.Athletes;

namespace OpenBfr.Web.Screening;

/// <summary>A stored screening with its per-limb outcomes.</summary>
public sealed record ScreeningDto(Guid Id, DateTimeOffset TakenAt, string Overall, IReadOnlyDictionary<string, LimbOutcome> Limbs, bool Cleared, string? ClearanceNote)
{
    public static ScreeningDto From(ScreeningRecord r) => new(r.Id, r.TakenAt, r.Overall, ScreeningService.Limbs(r), r.ClearedAt is not null, r.ClearanceNote);
}

/// <summary>A clinician's record of medical clearance.</summary>
public sealed record ClearanceRequest(string Note);

public static class ScreeningApi
{
    public static void MapScreeningApi(this RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/athletes/{athleteId:guid}/screening").RequireAuthorization().WithTags("screening");
        g.MapGet("/", async Task<Results<Ok<ScreeningDto>, NoContent>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, ScreeningService screening) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "screening.read");
            return await screening.LatestAsync(athleteId) is { } r ? TypedResults.Ok(ScreeningDto.From(r)) : TypedResults.NoContent();
        });
        g.MapPost("/clearance", async Task<NoContent> (Guid athleteId, ClearanceRequest body, ClaimsPrincipal user, AthleteDirectory directory, ScreeningService screening) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "screening.clear");
            await screening.RecordClearanceAsync(user.Viewer(), athleteId, body.Note);
            return TypedResults.NoContent();
        }).RequireAuthorization(Roles.Clinician);
    }
}
