using Microsoft.EntityFrameworkCore;

namespace OpenBfr.Data.Sessions;

/// <summary>
/// Writes a session as it happens: each <see cref="AppendAsync"/> commits its events, samples
/// and heartbeat in one transaction, so a crash loses nothing that was already appended, and
/// nothing is ever updated or deleted except the header's heartbeat and end.
/// </summary>
public sealed class SessionLog(IDbContextFactory<OpenBfrDbContext> contexts)
{
    /// <summary>Stores a new session header.</summary>
    public async Task StartAsync(SessionRecord session, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        session.LastHeartbeatAt = session.StartedAt;
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Appends events and samples and moves the heartbeat, in one transaction.</summary>
    public async Task AppendAsync(Guid sessionId, IReadOnlyCollection<SessionEvent> events, IReadOnlyCollection<TelemetrySample> samples,
        DateTimeOffset heartbeat, CancellationToken ct = default)
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
        await db.Sessions.Where(s => s.Id == sessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastHeartbeatAt, heartbeat), ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Marks the session ended (once: a second call changes nothing).</summary>
    /// <returns>true when this call ended it.</returns>
    public async Task<bool> EndAsync(Guid sessionId, DateTimeOffset at, string reason, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var changed = await db.Sessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, at).SetProperty(s => s.EndReason, reason).SetProperty(s => s.LastHeartbeatAt, at), ct);
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
}
