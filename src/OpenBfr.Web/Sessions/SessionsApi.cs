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
    /// <summary>The longest telemetry window a session's detail returns, s (a day; the rows are capped at 20,000 anyway).</summary>
    public const int MaxTelemetrySeconds = 86_400;

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
            // NaN, infinities and windows beyond a TimeSpan overflowed in the query (a 500).
            if (seconds is { } window && window is not (>= 0 and <= MaxTelemetrySeconds))
            {
                throw new InputException("seconds", $"seconds must be 0–{MaxTelemetrySeconds} (the last seconds of telemetry to return), was {window}");
            }
            return TypedResults.Ok((await queries.DetailAsync(sessionId, seconds))!);
        });
        // Stop and symptom work on any node: applied before the answer here (204), or relayed to
        // the node running the session (202, Location: the command, to see when it was applied).
        g.MapPost("/stop", async Task<Results<NoContent, Accepted<SessionCommandDto>, ProblemHttpResult>> (Guid sessionId, ClaimsPrincipal user, AthleteDirectory directory, SessionQueries queries, SessionControl control) =>
        {
            await OpenAsync(sessionId, user, directory, queries, "session.stop");
            return Answer(await control.StopAsync(user.Viewer(), sessionId));
        });
        g.MapPost("/symptom", async Task<Results<NoContent, Accepted<SessionCommandDto>, ProblemHttpResult>> (Guid sessionId, SymptomRequest body, ClaimsPrincipal user, AthleteDirectory directory, SessionQueries queries, SessionControl control) =>
        {
            SessionCommands.ValidateSymptom(body.Kind, body.Pain);
            await OpenAsync(sessionId, user, directory, queries, "session.symptom");
            return Answer(await control.SymptomAsync(user.Viewer(), sessionId, body.Kind, body.Pain));
        });
        g.MapGet("/commands/{commandId:long}", async Task<Results<Ok<SessionCommandDto>, NotFound>> (Guid sessionId, long commandId, ClaimsPrincipal user, AthleteDirectory directory, SessionQueries queries, SessionControl control) =>
        {
            await OpenAsync(sessionId, user, directory, queries, "session.command.read");
            return await control.FindAsync(sessionId, commandId) is { } dto ? TypedResults.Ok(dto) : TypedResults.NotFound();
        });
    }

    private static Results<NoContent, Accepted<SessionCommandDto>, ProblemHttpResult> Answer(SessionCommandResult result) => result switch
    {
        SessionCommandResult.AppliedHere => TypedResults.NoContent(),
        SessionCommandResult.Relayed r => TypedResults.Accepted($"/api/v1/sessions/{r.Command.SessionId}/commands/{r.Command.Id}", r.Command),
        SessionCommandResult.NotRunning n => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The session is not running",
            detail: $"the session is {n.State}: no server runs it any more, so there is nothing to stop or report to"),
        _ => throw new InvalidOperationException("unknown result " + result),
    };

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
        }).RequireAuthorization().WithTags("sessions").ProducesProblem(StatusCodes.Status409Conflict);
}
