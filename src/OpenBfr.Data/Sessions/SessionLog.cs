using Microsoft.EntityFrameworkCore;

namespace OpenBfr.Data.Sessions;

/// <summary>
/// Writes a session as it happens: each <see cref="AppendAsync"/> commits its events, samples
/// and heartbeat in one transaction, so a crash loses nothing that was already appended, and
/// nothing is ever updated or deleted except the header's heartbeat and end.
/// </summary>
public sealed class SessionLog(IDbContextFactory<OpenBfrDbContext> contexts)
{
    /// <summary>
    /// PostgreSQL LISTEN/NOTIFY channel: each append and the end notify it, at commit, with the
    /// session's id ("N" format). Only a wake-up for watchers on other web nodes; they read the
    /// rows themselves, so a lost notification costs one poll.
    /// </summary>
    public const string AppendedChannel = "openbfr_session_appended";

    private static bool IsPostgres(OpenBfrDbContext db) => db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>Stores a new session header.</summary>
    public async Task StartAsync(SessionRecord session, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        session.LastHeartbeatAt = session.StartedAt;
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Appends events and samples and moves the heartbeat (and the live status, when given), in one
    /// transaction; on PostgreSQL it also notifies <see cref="AppendedChannel"/> at commit.
    /// </summary>
    public async Task AppendAsync(Guid sessionId, IReadOnlyCollection<SessionEvent> events, IReadOnlyCollection<TelemetrySample> samples,
        DateTimeOffset heartbeat, CancellationToken ct = default, string? liveStatusJson = null)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var e in events)
        {
            e.SessionId = sessionId;
        }
        foreach (var s in samples)
        {
            s.SessionId = sessionId;
        }
        db.SessionEvents.AddRange(events);
        db.TelemetrySamples.AddRange(samples);
        await db.SaveChangesAsync(ct);
        if (liveStatusJson is null)
        {
            await db.Sessions.Where(s => s.Id == sessionId)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastHeartbeatAt, heartbeat), ct);
        }
        else
        {
            await db.Sessions.Where(s => s.Id == sessionId)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastHeartbeatAt, heartbeat).SetProperty(s => s.LiveStatusJson, liveStatusJson), ct);
        }
        if (IsPostgres(db))
        {
            // Delivered at commit, so a listener never looks before the rows are visible.
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({AppendedChannel}, {sessionId.ToString("N")})", ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Marks the session ended (once: a second call changes nothing).</summary>
    /// <returns>true when this call ended it.</returns>
    public async Task<bool> EndAsync(Guid sessionId, DateTimeOffset at, string reason, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var changed = await db.Sessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, at).SetProperty(s => s.EndReason, reason).SetProperty(s => s.LastHeartbeatAt, at), ct);
        if (changed == 1 && IsPostgres(db))
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({AppendedChannel}, {sessionId.ToString("N")})", ct);
        }
        return changed == 1;
    }

    /// <summary>The events of a session in order.</summary>
    public async Task<List<SessionEvent>> EventsAsync(Guid sessionId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.SessionEvents.AsNoTracking().Where(e => e.SessionId == sessionId).OrderBy(e => e.Seq).ToListAsync(ct);
    }

    /// <summary>The telemetry of a session in time order, optionally only samples after <paramref name="after"/>.</summary>
    public async Task<List<TelemetrySample>> TelemetryAsync(Guid sessionId, DateTimeOffset? after = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var q = db.TelemetrySamples.AsNoTracking().Where(t => t.SessionId == sessionId);
        if (after is { } a)
        {
            q = q.Where(t => t.At > a);
        }
        return await q.OrderBy(t => t.At).ThenBy(t => t.Id).ToListAsync(ct);
    }

    /// <summary>Events with <see cref="SessionEvent.Seq"/> above <paramref name="afterSeq"/>, in order.</summary>
    public async Task<List<SessionEvent>> EventsAfterAsync(Guid sessionId, int afterSeq, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.SessionEvents.AsNoTracking().Where(e => e.SessionId == sessionId && e.Seq > afterSeq).OrderBy(e => e.Seq).ToListAsync(ct);
    }

    /// <summary>
    /// Telemetry rows with an id above <paramref name="afterId"/>, in id (= write) order, at most
    /// <paramref name="max"/>. Ids of one session grow in commit order because its appends are
    /// serialised by the node running it (a later append cannot commit a smaller id).
    /// </summary>
    public async Task<List<TelemetrySample>> TelemetryAfterIdAsync(Guid sessionId, long afterId, int max, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.TelemetrySamples.AsNoTracking().Where(t => t.SessionId == sessionId && t.Id > afterId).OrderBy(t => t.Id).Take(max).ToListAsync(ct);
    }

    /// <summary>The newest event seq and telemetry id of a session (0 when none): where a watcher that joins now starts.</summary>
    public async Task<(int Seq, long TelemetryId)> PositionAsync(Guid sessionId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var seq = await db.SessionEvents.Where(e => e.SessionId == sessionId).MaxAsync(e => (int?)e.Seq, ct) ?? 0;
        var id = await db.TelemetrySamples.Where(t => t.SessionId == sessionId).MaxAsync(t => (long?)t.Id, ct) ?? 0;
        return (seq, id);
    }
}
