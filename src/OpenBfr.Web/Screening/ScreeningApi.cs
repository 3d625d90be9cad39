using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using OpenBfr.Data.Screening;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Api;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Revisions;

namespace OpenBfr.Web.Screening;

/// <summary>
/// The latest screening with its per-limb outcomes after the clinician's clearances.
/// <see cref="Overall"/> is after clearances; <see cref="ScreenedOverall"/> as screened.
/// <see cref="Cleared"/> is true when a NeedsClearance screening has nothing left pending.
/// A screening counts 12 months (PAR-Q+): from <see cref="ExpiresOn"/> it is <see cref="Expired"/> and gates nothing until the athlete is screened again.
/// </summary>
/// <param name="ExpiresOn">the first day the screening no longer counts: the day of <paramref name="TakenAt"/> (UTC) plus 12 calendar months.</param>
/// <param name="Expired">the screening has expired today: BFR is neither prescribed nor run until a new one.</param>
/// <param name="ExpiryNotices">what has expired, naming the dates: the screening, or each clearance whose finding is pending again; empty when nothing has.</param>
public sealed record ScreeningDto(Guid Id, DateTimeOffset TakenAt, string Overall, string ScreenedOverall, IReadOnlyDictionary<string, LimbOutcome> Limbs, bool Cleared,
    string? ClearanceNote, IReadOnlyList<ClearanceDto> Clearances, IReadOnlyList<PendingClearanceDto> Pending, DateOnly ExpiresOn, bool Expired,
    IReadOnlyList<string> ExpiryNotices)
{
    public static ScreeningDto From(CurrentScreening s) => new(s.Record.Id, s.Record.TakenAt, s.Overall, s.Record.Overall, s.Limbs,
        s.Record.Overall == ScreeningOutcomes.NeedsClearance && s.Overall != ScreeningOutcomes.NeedsClearance,
        s.Record.ClearanceNote ?? (s.Clearances.Count == 0 ? null : string.Join("; ", s.Clearances.Select(c => $"{c.ItemId} ({c.Limb ?? "all limbs"}): {c.Clinician}, {c.ClearedOn:yyyy-MM-dd}{(c.Note is null ? "" : " – " + c.Note)}"))),
        s.Clearances, s.Pending, s.ExpiresOn, s.Expired,
        s.ExpiredMessage is { } expired ? [expired] : s.ExpiredClearances());
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
            return await screening.CurrentAsync(athleteId) is { } s ? TypedResults.Ok(ScreeningDto.From(s)) : TypedResults.NoContent();
        });
        // Clears every pending finding on all its limbs (one clearance per item).
        g.MapPost("/clearance", async Task<NoContent> (Guid athleteId, ClearanceRequest body, ClaimsPrincipal user, AthleteDirectory directory, ScreeningService screening,
            UserManager<OpenBfrUser> users) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "screening.clear");
            await screening.RecordClearanceAsync(user.Viewer(), await NameAsync(users, user), athleteId, body.Note);
            return TypedResults.NoContent();
        }).RequireAuthorization(Roles.Clinician);
        g.MapGet("/clearances", async Task<Ok<ClearancesDto>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, ScreeningService screening) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "screening.read");
            var s = await screening.CurrentAsync(athleteId);
            return TypedResults.Ok(new ClearancesDto(s?.Clearances ?? [], s?.Pending ?? [], s?.PerItem ?? false));
        });
        g.MapPost("/clearances", async Task<Created<ClearanceDto>> (Guid athleteId, ItemClearanceRequest body, ClaimsPrincipal user, AthleteDirectory directory,
            ScreeningService screening, UserManager<OpenBfrUser> users) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "screening.clear");
            var c = await screening.RecordItemClearanceAsync(user.Viewer(), await NameAsync(users, user), athleteId, body);
            return TypedResults.Created($"/api/v1/athletes/{athleteId}/screening/clearances", c);
        }).RequireAuthorization(Roles.Clinician);
        // One clearance (of any of the athlete's screenings), with its version as the ETag.
        g.MapGet("/clearances/{clearanceId:guid}", async Task<Ok<ClearanceDto>> (Guid athleteId, Guid clearanceId, ClaimsPrincipal user, HttpResponse response,
            AthleteDirectory directory, ScreeningService screening, TimeProvider time) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "screening.read");
            var row = await screening.FindClearanceAsync(athleteId, clearanceId) ?? throw new NotVisibleException();
            response.Headers.ETag = RecordVersions.ETag(row.Version);
            return TypedResults.Ok(ScreeningService.ToDto(row, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)));
        });
        // Every version of a clearance, newest first, also after it was revoked; read like the clearances themselves.
        g.MapGet("/clearances/{clearanceId:guid}/revisions", async Task<Ok<RevisionHistoryDto<ClearanceDto>>> (Guid athleteId, Guid clearanceId, ClaimsPrincipal user,
            AthleteDirectory directory, RevisionHistory history) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "clearance.revisions.read");
            return TypedResults.Ok(await history.ClearanceAsync(athleteId, clearanceId) ?? throw new NotVisibleException());
        });
        // Corrections: the signing clinician corrects the note or date; any clinician of the athlete revokes.
        // If-Match names the version read (409 when the clearance moved on); without it the current version is changed.
        g.MapPut("/clearances/{clearanceId:guid}", async Task<Ok<ClearanceDto>> (Guid athleteId, Guid clearanceId, UpdateClearanceRequest body, ClaimsPrincipal user,
            HttpRequest request, HttpResponse response, AthleteDirectory directory, ScreeningService screening) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "screening.clearance.update");
            var expected = RecordVersions.IfMatch(request);
            var updated = await screening.UpdateClearanceAsync(user.Viewer(), athleteId, clearanceId, body, expected);
            response.Headers.ETag = RecordVersions.ETag(updated.Version);
            return TypedResults.Ok(updated);
        }).RequireAuthorization(Roles.Clinician);
        g.MapDelete("/clearances/{clearanceId:guid}", async Task<NoContent> (Guid athleteId, Guid clearanceId, ClaimsPrincipal user, HttpRequest request, AthleteDirectory directory,
            ScreeningService screening) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "screening.clearance.revoke");
            var expected = RecordVersions.IfMatch(request);
            await screening.RevokeClearanceAsync(user.Viewer(), athleteId, clearanceId, expected);
            return TypedResults.NoContent();
        }).RequireAuthorization(Roles.Clinician);
    }

    /// <summary>The signed-in clinician's display name, as a clearance records it.</summary>
    public static async Task<string> NameAsync(UserManager<OpenBfrUser> users, ClaimsPrincipal user)
        => await users.GetUserAsync(user) is { } u && !string.IsNullOrWhiteSpace(u.DisplayName) ? u.DisplayName : "clinician";
}

/// <summary>The latest screening's clearances and what still needs one; <paramref name="PerItem"/> false for a screening recorded before per-item clearance.</summary>
public sealed record ClearancesDto(IReadOnlyList<ClearanceDto> Clearances, IReadOnlyList<PendingClearanceDto> Pending, bool PerItem);
