using Microsoft.EntityFrameworkCore;
using OpenBfr.Data;
using OpenBfr.Data.Sessions;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Sessions;

/// <summary>A session in a history list.</summary>
public sealed record SessionSummaryDto(Guid Id, string ProtocolName, bool Simulated, DateTimeOffset StartedAt, DateTimeOffset? EndedAt,
    string State, string? EndReason, double DurationSeconds, int Events, bool SymptomReported);

/// <summary>One event of a session.</summary>
public sealed record SessionEventDto(int Seq, DateTimeOffset At, string Kind, string? Cuff, string? Detail);

/// <summary>One telemetry sample; <see cref="Id"/> is its row id (grows in write order within a session).</summary>
public sealed record TelemetryDto(string Cuff, long T, double P, double Target, long Id);

/// <summary>
/// A session with its events and (part of) its telemetry. <see cref="Cursor"/> is just past the
/// newest event and telemetry row given: a live page watches from there (SessionHub.WatchFrom).
/// </summary>
public sealed record SessionDetailDto(SessionSummaryDto Session, Guid AthleteId, IReadOnlyList<LiveCuff> Cuffs, IReadOnlyList<SessionEventDto> Events,
    IReadOnlyList<TelemetryDto> Telemetry, int TelemetryCount, LiveStatus? Status, LiveCursor Cursor);

/// <summary>Reads sessions, deriving running / interrupted from the live registry and the heartbeat.</summary>
public sealed class SessionQueries(IDbContextFactory<OpenBfrDbContext> contexts, LiveSessions live, TimeProvider time)
{
    public async Task<SessionRecord?> HeaderAsync(Guid sessionId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct);
    }

    public async Task<List<SessionSummaryDto>> ListAsync(Guid athleteId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sessions = await db.Sessions.AsNoTracking().Where(s => s.AthleteId == athleteId).OrderByDescending(s => s.StartedAt).Take(200).ToListAsync(ct);
        var ids = sessions.Select(s => s.Id).ToList();
        var counts = await db.SessionEvents.Where(e => ids.Contains(e.SessionId)).GroupBy(e => e.SessionId)
            .Select(g => new { g.Key, Count = g.Count(), Symptoms = g.Count(e => e.Kind == "symptom") }).ToListAsync(ct);
        return sessions.Select(s =>
        {
            var c = counts.FirstOrDefault(x => x.Key == s.Id);
            return Summary(s, c?.Count ?? 0, (c?.Symptoms ?? 0) > 0);
        }).ToList();
    }

    public async Task<SessionDetailDto?> DetailAsync(Guid sessionId, double? telemetrySeconds = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var s = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(x => x.Id == sessionId, ct);
        if (s is null)
        {
            return null;
        }
        var events = await db.SessionEvents.AsNoTracking().Where(e => e.SessionId == sessionId).OrderBy(e => e.Seq).ToListAsync(ct);
        var count = await db.TelemetrySamples.CountAsync(t => t.SessionId == sessionId, ct);
        var q = db.TelemetrySamples.AsNoTracking().Where(t => t.SessionId == sessionId);
        if (telemetrySeconds is { } seconds)
        {
            var last = await q.OrderByDescending(t => t.At).Select(t => (DateTimeOffset?)t.At).FirstOrDefaultAsync(ct);
            if (last is { } l)
            {
                var from = l - TimeSpan.FromSeconds(seconds);
                q = q.Where(t => t.At >= from);
            }
        }
        var telemetry = await q.OrderBy(t => t.At).ThenBy(t => t.Id).Take(20_000)
            .Select(t => new { t.Id, t.CuffId, t.At, t.PressureMmHg, t.TargetMmHg }).ToListAsync(ct);
        var running = live.Find(sessionId);
        IReadOnlyList<LiveCuff> cuffs = running?.Run.Cuffs ?? CuffsFromEvents(events);
        return new SessionDetailDto(
            Summary(s, events.Count, events.Any(e => e.Kind == "symptom")),
            s.AthleteId,
            cuffs,
            events.Select(e => new SessionEventDto(e.Seq, e.At, e.Kind, e.CuffId, e.Detail)).ToList(),
            telemetry.Select(t => new TelemetryDto(t.CuffId, t.At.ToUnixTimeMilliseconds(), t.PressureMmHg, t.TargetMmHg, t.Id)).ToList(),
            count,
            running?.Run.Status,
            // Each list was read by one query and a session's rows commit in seq and id order, so
            // the reader has every row up to here (within the time window asked) and none after.
            LiveCursor.After(events.Select(e => e.Seq), telemetry.Select(t => t.Id)));
    }

    /// <summary>A session's summary (its state now), or null when there is no such session.</summary>
    public async Task<SessionSummaryDto?> SummaryAsync(Guid sessionId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var s = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(x => x.Id == sessionId, ct);
        if (s is null)
        {
            return null;
        }
        var events = await db.SessionEvents.CountAsync(e => e.SessionId == sessionId, ct);
        var symptom = await db.SessionEvents.AnyAsync(e => e.SessionId == sessionId && e.Kind == "symptom", ct);
        return Summary(s, events, symptom);
    }

    /// <summary>The cuffs of a finished session, from its "cuff" events (written at start).</summary>
    private static List<LiveCuff> CuffsFromEvents(IEnumerable<SessionEvent> events)
        => events.Where(e => e.Kind == "cuff" && e.Detail is not null)
            .Select(e => System.Text.Json.JsonSerializer.Deserialize<LiveCuff>(e.Detail!, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)))
            .OfType<LiveCuff>().ToList();

    private SessionSummaryDto Summary(SessionRecord s, int events, bool symptom)
    {
        var state = s.StateAt(time.GetUtcNow(), live.IsRunningHere(s.Id), live.ProcessStartedAt);
        var end = s.EndedAt ?? (state == SessionState.Running ? time.GetUtcNow() : s.LastHeartbeatAt);
        return new SessionSummaryDto(s.Id, s.ProtocolName, s.Simulated, s.StartedAt, s.EndedAt, state.ToString().ToLowerInvariant(), s.EndReason,
            Math.Round((end - s.StartedAt).TotalSeconds, 1), events, symptom);
    }
}

/// <summary>Checks of session commands' arguments.</summary>
public static class SessionCommands
{
    /// <summary>The symptoms the stop buttons offer (DESIGN.md section 3: deflate now).</summary>
    public static IReadOnlyList<string> Symptoms { get; } = ["pain", "numbness", "tingling", "dizziness", "skin-colour-change"];

    /// <exception cref="InputException">unknown symptom, or pain without a 0–10 score.</exception>
    public static void ValidateSymptom(string? kind, int? pain)
    {
        if (kind is null || !Symptoms.Contains(kind))
        {
            throw new InputException("kind", $"kind must be one of {string.Join(", ", Symptoms)}; was '{ControlCharacters.Shown(kind ?? "")}'");
        }
        if (kind == "pain" && pain is not (>= 0 and <= 10))
        {
            throw new InputException("pain", $"pain must be 0–10, was {(pain?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing")}");
        }
    }
}
