using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Sessions;

/// <summary>
/// The live-session page's channel: it joins one session's group after an access check, gets
/// samples, status, events and the end, and sends stop and symptom, which deflate at once.
/// </summary>
[Authorize]
public sealed class SessionHub(LiveSessions live, SessionQueries queries, AthleteDirectory directory) : Hub
{
    public static string Group(Guid sessionId) => "session:" + sessionId.ToString("N");

    /// <summary>Starts receiving a session's updates.</summary>
    /// <returns>the session as stored so far (recent telemetry included), to draw before live data arrives.</returns>
    public async Task<SessionDetailDto> Watch(Guid sessionId)
    {
        var detail = await OpenAsync(sessionId, "session.watch");
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(sessionId));
        return detail;
    }

    public async Task<bool> Stop(Guid sessionId)
    {
        await OpenAsync(sessionId, "session.stop", detail: false);
        return await live.StopAsync(sessionId, "stopped by the user");
    }

    /// <summary>Reports a symptom: "pain" (with a 0–10 score), "numbness", "tingling", "dizziness" or "skin-colour".</summary>
    public async Task<bool> Symptom(Guid sessionId, string kind, int? pain)
    {
        SessionCommands.ValidateSymptom(kind, pain);
        await OpenAsync(sessionId, "session.symptom", detail: false);
        return await live.SymptomAsync(sessionId, kind, pain);
    }

    private async Task<SessionDetailDto> OpenAsync(Guid sessionId, string action, bool detail = true)
    {
        var viewer = Viewer.From(Context.User!) ?? throw new HubException("sign in first");
        var header = await queries.HeaderAsync(sessionId) ?? throw new HubException("not found");
        try
        {
            await directory.OpenAsync(viewer, header.AthleteId, action);
        }
        catch (NotVisibleException)
        {
            throw new HubException("not found");
        }
        return detail ? (await queries.DetailAsync(sessionId, telemetrySeconds: 120))! : null!;
    }
}
