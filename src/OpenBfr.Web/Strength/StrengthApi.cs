using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenBfr.Web.Api;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Revisions;

namespace OpenBfr.Web.Strength;

/// <summary>An exercise a test can use.</summary>
public sealed record StrengthExerciseDto(string Name, string Title, string Measure, string Limbs, bool Unilateral);

public static class StrengthApi
{
    public static void MapStrengthApi(this RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/athletes/{athleteId:guid}").RequireAuthorization().WithTags("strength");
        g.MapGet("/strength-tests", async Task<Ok<List<StrengthTestDto>>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, StrengthService strength) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "strength.read");
            return TypedResults.Ok((await strength.ListAsync(athleteId)).Select(StrengthService.ToDto).ToList());
        });
        g.MapPost("/strength-tests", async Task<Created<List<StrengthTestDto>>> (Guid athleteId, RecordStrengthTestRequest body, ClaimsPrincipal user, AthleteDirectory directory, StrengthService strength) =>
        {
            var athlete = await directory.OpenAsync(user.Viewer(), athleteId, "strength.create");
            var rows = await strength.RecordAsync(user.Viewer(), athlete, body);
            return TypedResults.Created($"/api/v1/athletes/{athleteId}/strength-tests", rows.Select(StrengthService.ToDto).ToList());
        });
        // One row, with its version as the ETag (for If-Match on PUT and DELETE).
        g.MapGet("/strength-tests/{testId:guid}", async Task<Ok<StrengthTestDto>> (Guid athleteId, Guid testId, ClaimsPrincipal user, HttpResponse response,
            AthleteDirectory directory, StrengthService strength) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "strength.read");
            var row = await strength.FindAsync(athleteId, testId) ?? throw new NotVisibleException();
            response.Headers.ETag = RecordVersions.ETag(row.Version);
            return TypedResults.Ok(StrengthService.ToDto(row));
        });
        // Every version of a test, newest first, also after it was deleted; read like the tests themselves.
        g.MapGet("/strength-tests/{testId:guid}/revisions", async Task<Ok<RevisionHistoryDto<StrengthTestDto>>> (Guid athleteId, Guid testId, ClaimsPrincipal user,
            AthleteDirectory directory, RevisionHistory history) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "strength.revisions.read");
            return TypedResults.Ok(await history.StrengthTestAsync(athleteId, testId) ?? throw new NotVisibleException());
        });
        // Corrections: whoever may record a test may correct or delete it (an athlete only their own
        // entries: StrengthService.WhyNotChangeable); one limb's row per id, as the list gives them.
        // If-Match names the version read (409 when the row moved on); without it the current version is changed.
        g.MapPut("/strength-tests/{testId:guid}", async Task<Ok<List<StrengthTestDto>>> (Guid athleteId, Guid testId, UpdateStrengthTestRequest body, ClaimsPrincipal user,
            HttpRequest request, HttpResponse response, AthleteDirectory directory, StrengthService strength) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "strength.update");
            var expected = RecordVersions.IfMatch(request);
            var rows = await strength.UpdateAsync(user.Viewer(), athleteId, testId, body, expected);
            response.Headers.ETag = RecordVersions.ETag(rows[0].Version);
            return TypedResults.Ok(rows.Select(StrengthService.ToDto).ToList());
        });
        g.MapDelete("/strength-tests/{testId:guid}", async Task<NoContent> (Guid athleteId, Guid testId, ClaimsPrincipal user, HttpRequest request, AthleteDirectory directory,
            StrengthService strength) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "strength.delete");
            var expected = RecordVersions.IfMatch(request);
            await strength.DeleteAsync(user.Viewer(), athleteId, testId, expected);
            return TypedResults.NoContent();
        });
        // The tests deleted from the record and the clearances revoked, with their last versions.
        g.MapGet("/deleted-records", async Task<Ok<DeletedRecordsDto>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, RevisionHistory history) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "deleted-records.read");
            return TypedResults.Ok(await history.DeletedAsync(athleteId));
        });
        g.MapGet("/progress/strength", async Task<Ok<StrengthProgressDto>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, StrengthService strength) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "progress.read");
            return TypedResults.Ok(await strength.ProgressAsync(athleteId));
        });
        v1.MapGet("/strength-exercises", () => TypedResults.Ok(StrengthExercises.All
                .Select(e => new StrengthExerciseDto(e.Name, e.Title, e.Measure switch { TestMeasure.Load => "1RM kg", TestMeasure.HopDistance => "hop cm", _ => "hop s" }, e.Kind == Core.Limbs.LimbKind.Leg ? "legs" : "arms", e.Unilateral))
                .ToList()))
            .RequireAuthorization().WithTags("strength");
    }
}
