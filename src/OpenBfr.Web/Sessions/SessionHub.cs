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
public sealed class SessionHub(SessionControl control, SessionQueries queries, AthleteDirectory directory, SessionFeedRelay feeds, TimeProvider time) : Hub
{
    /// <summary>
    /// A page's back-fill must reach it within this: on the node running the session it is sent
    /// while that session's writes wait (LiveSessions.JoinAsync), so a stalled connection is
    /// dropped instead (its page reconnects and asks again) rather than holding the log back.
    /// </summary>
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(5);

    public static string Group(Guid sessionId) => "session:" + sessionId.ToString("N");

    /// <summary>
    /// Starts receiving a session's updates, wherever it runs: from the node running it directly,
    /// or relayed from the database by this node (<see cref="SessionFeedRelay"/>) when another runs it.
    /// Rows written after the answer's <see cref="SessionDetailDto.Cursor"/> come as messages
    /// (possibly before the answer itself), so the answer plus the messages are the whole log once.
    /// </summary>
    /// <returns>the session as stored so far (recent telemetry included), to draw before live data arrives.</returns>
    public async Task<SessionDetailDto> Watch(Guid sessionId)
    {
        var (header, detail) = await OpenAsync(sessionId, "session.watch");
        await JoinAsync(header, detail.Cursor);
        return detail;
    }

    /// <summary>
    /// Starts receiving a session's updates from where the page is: every event after seq
    /// <paramref name="afterSeq"/> and telemetry row after id <paramref name="afterTelemetryId"/>
    /// (what it missed since it rendered, or while disconnected) comes first, then the live ones,
    /// each stream in log order and once; the end comes as "ended" when the session is over.
    /// Same access check as <see cref="Watch"/>.
    /// </summary>
    /// <param name="sessionId">the session.</param>
    /// <param name="afterSeq">last event seq the page shows, ≥ 0 (0: none).</param>
    /// <param name="afterTelemetryId">last telemetry row id the page shows, ≥ 0 (0: none).</param>
    /// <returns>the session's summary (its state) once joined.</returns>
    public async Task<SessionSummaryDto> WatchFrom(Guid sessionId, int afterSeq, long afterTelemetryId)
    {
        if (afterSeq < 0)
        {
            throw new HubException($"afterSeq must be 0 or more, was {afterSeq}");
        }
        if (afterTelemetryId < 0)
        {
            throw new HubException($"afterTelemetryId must be 0 or more, was {afterTelemetryId}");
        }
        var (header, _) = await OpenAsync(sessionId, "session.watch", detail: false);
        await JoinAsync(header, new LiveCursor(afterSeq, afterTelemetryId));
        return (await queries.SummaryAsync(sessionId))!;
    }

    private async Task JoinAsync(Data.Sessions.SessionRecord header, LiveCursor from)
    {
        using var limit = new CancellationTokenSource(JoinTimeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, Context.ConnectionAborted);
        try
        {
            await feeds.WatchAsync(Context.ConnectionId, header, from, either.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            Context.Abort();
            throw new HubException($"the rows after your cursor did not reach you within {JoinTimeout.TotalSeconds:0} s; reconnect and watch again");
        }
    }

    /// <summary>Stops receiving a session's updates (closing the connection does too).</summary>
    public async Task Unwatch(Guid sessionId)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(sessionId));
        await feeds.LeaveAsync(Context.ConnectionId, sessionId);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await feeds.LeaveAsync(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Stops the session wherever it runs.</summary>
    /// <returns>true when applied here or relayed to the node running it; false when it is not running.</returns>
    public async Task<bool> Stop(Guid sessionId)
    {
        await OpenAsync(sessionId, "session.stop", detail: false);
        return await control.StopAsync(Viewer.From(Context.User!)!, sessionId) is not SessionCommandResult.NotRunning;
    }

    /// <summary>Reports a symptom: "pain" (with a 0–10 score), "numbness", "tingling", "dizziness" or "skin-colour-change".</summary>
    /// <returns>true when applied here or relayed to the node running it; false when it is not running.</returns>
    public async Task<bool> Symptom(Guid sessionId, string kind, int? pain)
    {
        try
        {
            SessionCommands.ValidateSymptom(kind, pain);
        }
        catch (InputException e)
        {
            throw new HubException(e.Message);
        }
        await OpenAsync(sessionId, "session.symptom", detail: false);
        return await control.SymptomAsync(Viewer.From(Context.User!)!, sessionId, kind, pain) is not SessionCommandResult.NotRunning;
    }

    private async Task<(Data.Sessions.SessionRecord Header, SessionDetailDto Detail)> OpenAsync(Guid sessionId, string action, bool detail = true)
    {
        var viewer = Viewer.From(Context.User!) ?? throw new HubException("sign in first");
        var header = await queries.HeaderAsync(sessionId) ?? throw new HubException("not found");
        _ = await directory.OpenIfVisibleAsync(viewer, header.AthleteId, action) ?? throw new HubException("not found");
        return (header, detail ? (await queries.DetailAsync(sessionId, telemetrySeconds: 120))! : null!);
    }
}
