using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Data;
using OpenBfr.Formats.Fit;
using OpenBfr.Web.Api;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Prescriptions;

namespace OpenBfr.Web.Training;

/// <summary>One imported activity.</summary>
public sealed record ActivityDto(Guid Id, DateTimeOffset StartedAt, string Sport, double DistanceKm, double DurationMinutes, double? AverageHeartRate, string Source);

public static class TrainingApi
{
    public static void MapTrainingApi(this RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/athletes/{athleteId:guid}").RequireAuthorization().WithTags("training");
        g.MapGet("/activities", async Task<Ok<List<ActivityDto>>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, IDbContextFactory<OpenBfrDbContext> contexts) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "activity.read");
            await using var db = await contexts.CreateDbContextAsync();
            var list = await db.Activities.AsNoTracking().Where(a => a.AthleteId == athleteId).OrderByDescending(a => a.StartedAt).Take(500).ToListAsync();
            return TypedResults.Ok(list.Select(a => new ActivityDto(a.Id, a.StartedAt, a.Sport, Math.Round(a.DistanceMeters / 1000, 2), Math.Round(a.DurationSeconds / 60, 1), a.AverageHeartRate, a.SourceFormat)).ToList());
        });
        // The file is the request body (FIT, TCX or GPX); fileName names it and decides nothing.
        g.MapPost("/activities", async Task<Ok<ImportResult>> (Guid athleteId, string fileName, HttpRequest request, ClaimsPrincipal user, AthleteDirectory directory, TrainingService training) =>
        {
            var athlete = await directory.OpenAsync(user.Viewer(), athleteId, "activity.import");
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            return TypedResults.Ok(await training.ImportAsync(athlete, fileName, buffer.ToArray()));
        });
        g.MapGet("/load", async Task<Ok<Core.Planning.Load.HistoryLoad>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, TrainingService training) =>
            TypedResults.Ok(await training.LoadAsync(await directory.OpenAsync(user.Viewer(), athleteId, "load.read"))));
        g.MapGet("/plan", async Task<Results<Ok<PlanView>, NoContent>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, TrainingService training) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "plan.read");
            return await training.LatestPlanAsync(athleteId) is { } p ? TypedResults.Ok(p) : TypedResults.NoContent();
        });
        g.MapPost("/plan", async Task<Created<PlanView>> (Guid athleteId, PlanRequestForm body, ClaimsPrincipal user, AthleteDirectory directory, TrainingService training) =>
        {
            var athlete = await directory.OpenAsync(user.Viewer(), athleteId, "plan.create");
            await training.CreatePlanAsync(user.Viewer(), athlete, body);
            return TypedResults.Created($"/api/v1/athletes/{athleteId}/plan", (await training.LatestPlanAsync(athleteId))!);
        });
        // The latest plan's settings and what changed after it was generated (tests, LOPs); 204 without a plan.
        g.MapGet("/plan/status", async Task<Results<Ok<PlanStatus>, NoContent>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, TrainingService training) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "plan.read");
            return await training.PlanStatusAsync(athleteId) is { } s ? TypedResults.Ok(s) : TypedResults.NoContent();
        });
        // The latest plan generated again with the same settings, so what changed since takes effect.
        g.MapPost("/plan/regenerate", async Task<Created<PlanView>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, TrainingService training) =>
        {
            var athlete = await directory.OpenAsync(user.Viewer(), athleteId, "plan.create");
            await training.RegeneratePlanAsync(user.Viewer(), athlete);
            return TypedResults.Created($"/api/v1/athletes/{athleteId}/plan", (await training.LatestPlanAsync(athleteId))!);
        });
        g.MapGet("/export/prescriptions/{prescriptionId:guid}/workout.fit", async Task<FileContentHttpResult> (Guid athleteId, Guid prescriptionId, ClaimsPrincipal user,
            AthleteDirectory directory, PrescriptionService prescriptions, TimeProvider time) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "export.fit-workout");
            var record = (await prescriptions.ListAsync(athleteId, includeRetired: true)).FirstOrDefault(p => p.Id == prescriptionId)
                ?? throw new InputException("prescriptionId", "prescriptionId must be one of this athlete's prescriptions");
            var rx = await prescriptions.RecomputeAsync(record);
            return TypedResults.File(FitWorkoutWriter.Write(rx, time.GetUtcNow()), "application/vnd.ant.fit", $"openbfr-{record.ProtocolName}.fit");
        });
        g.MapGet("/export/calendar-url", async Task<Ok<CalendarUrlDto>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, HttpRequest request) =>
        {
            var athlete = await directory.OpenAsync(user.Viewer(), athleteId, "calendar.read");
            return TypedResults.Ok(new CalendarUrlDto($"{request.Scheme}://{request.Host}/api/v1/calendar/{athlete.CalendarToken}.ics"));
        });

        // The private feed: no sign-in (calendar apps cannot), the secret token is the key.
        v1.MapGet("/calendar/{token}.ics", async Task<Results<ContentHttpResult, NotFound>> (string token, IDbContextFactory<OpenBfrDbContext> contexts, TrainingService training) =>
        {
            if (token.Length < 32)
            {
                return TypedResults.NotFound();
            }
            await using var db = await contexts.CreateDbContextAsync();
            var athlete = await db.Athletes.AsNoTracking().SingleOrDefaultAsync(a => a.CalendarToken == token);
            return athlete is null ? TypedResults.NotFound() : TypedResults.Text((await training.CalendarAsync(athlete))!, "text/calendar; charset=utf-8");
        }).AllowAnonymous().WithTags("exports");
    }
}

/// <summary>The athlete's private calendar feed URL (keep it secret: whoever has it sees the plan).</summary>
public sealed record CalendarUrlDto(string Url);
