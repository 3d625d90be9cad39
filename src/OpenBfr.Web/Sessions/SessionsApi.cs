using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenBfr.Web.Api;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Sessions;

/// <summary>Report a symptom: "pain" (with 0–10), "numbness", "tingling", "dizziness" or "skin-colour".</summary>
public sealed record SymptomRequest(string Kind, int? Pain);

public static class SessionsApi
{
    public static void MapSessionsApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/athletes/{athleteId:guid}/sessions", async Task<Ok<List<SessionSummaryDto>>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, SessionQueries queries) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "session.list");
            return TypedResults.Ok(await queries.ListAsync(athleteId));
        }).RequireAuthorization().WithTags("sessions");

        var g = v1.MapGroup("/sessions/{sessionId:guid}").RequireAuthorization().WithTags("sessions");
        g.MapGet("/", async Task<Ok<SessionDetailDto>> (Guid sessionId, ClaimsPrincipal user, AthleteDirectory directory, SessionQueries queries, double? seconds) =>
        {
            await OpenAsync(sessionId, user, directory, queries, "session.read");
            return TypedResults.Ok((await queries.DetailAsync(sessionId, seconds))!);
        });
        g.MapPost("/stop", async Task<Results<NoContent, Conflict<string>>> (Guid sessionId, ClaimsPrincipal user, AthleteDirectory directory, SessionQueries queries, LiveSessions live) =>
        {
            await OpenAsync(sessionId, user, directory, queries, "session.stop");
            return await live.StopAsync(sessionId, "stopped by the user") ? TypedResults.NoContent() : TypedResults.Conflict("the session is not running on this server");
        });
        g.MapPost("/symptom", async Task<Results<NoContent, Conflict<string>>> (Guid sessionId, SymptomRequest body, ClaimsPrincipal user, AthleteDirectory directory, SessionQueries queries, LiveSessions live) =>
        {
            SessionCommands.ValidateSymptom(body.Kind, body.Pain);
            await OpenAsync(sessionId, user, directory, queries, "session.symptom");
            return await live.SymptomAsync(sessionId, body.Kind, body.Pain) ? TypedResults.NoContent() : TypedResults.Conflict("the session is not running on this server");
        });
    }

    private static async Task OpenAsync(Guid sessionId, ClaimsPrincipal user, AthleteDirectory directory, SessionQueries queries, string action)
    {
        var header = await queries.HeaderAsync(sessionId) ?? throw new NotVisibleException();
        await directory.OpenAsync(user.Viewer(), header.AthleteId, action);
    }
}

public static class SessionStartApi
{
    public static void MapSessionStartApi(this RouteGroupBuilder v1)
        => v1.MapPost("/athletes/{athleteId:guid}/sessions", async Task<Created<SessionSummaryDto>> (Guid athleteId, StartSessionRequest body, ClaimsPrincipal user,
            AthleteDirectory directory, SessionStarter starter, SessionQueries queries) =>
        {
            var athlete = await directory.OpenAsync(user.Viewer(), athleteId, "session.start");
            var id = await starter.StartAsync(user.Viewer(), athlete, body);
            return TypedResults.Created($"/api/v1/sessions/{id}", (await queries.DetailAsync(id, 0))!.Session);
        }).RequireAuthorization().WithTags("sessions");
}
