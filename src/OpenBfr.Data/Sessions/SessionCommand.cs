using Microsoft.EntityFrameworkCore;
using OpenBfr.Data.Schema;

namespace OpenBfr.Data.Sessions;

/// <summary>
/// A stop or symptom report for a live session that runs on another web node (schema version 4).
/// The node that took the request writes it; the node running the session polls for its own
/// pending commands, applies them (the cuffs deflate at once) and marks them applied. Rows are
/// kept: they are the record of who asked what, where, and when it took effect.
/// </summary>
public sealed class SessionCommand
{
    public long Id { get; set; }

    public Guid SessionId { get; set; }

    /// <summary>The node running the session when the command was written (<see cref="SessionRecord.NodeId"/>).</summary>
    public string TargetNodeId { get; set; } = "";

    /// <summary>One of <see cref="SessionCommandKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The symptom reported ("pain", "numbness", …), for a symptom command.</summary>
    public string? Symptom { get; set; }

    /// <summary>Pain 0–10, for a pain report.</summary>
    public int? Pain { get; set; }

    public string RequestedByUserId { get; set; } = "";

    /// <summary>The node that took the request.</summary>
    public string RequestedOnNodeId { get; set; } = "";

    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>When the running node applied it (null while pending).</summary>
    public DateTimeOffset? AppliedAt { get; set; }

    /// <summary>What applying it did, in words ("deflated", "recorded", "the session had already ended").</summary>
    public string? Outcome { get; set; }
}

/// <summary>The kinds of <see cref="SessionCommand"/>.</summary>
public static class SessionCommandKinds
{
    public const string Stop = "stop";
    public const string Symptom = "symptom";
}

/// <summary>
/// The shared queue of <see cref="SessionCommand"/>s in the database. On PostgreSQL a new command
/// also wakes its node at once (NOTIFY on <see cref="NotifyChannel"/> with the node's id); the
/// table stays the record and the fallback that the node polls.
/// </summary>
public sealed class SessionCommandQueue(IDbContextFactory<OpenBfrDbContext> contexts, DatabaseSettings settings)
{
    /// <summary>The PostgreSQL LISTEN/NOTIFY channel; the payload is the target node's id.</summary>
    public const string NotifyChannel = "openbfr_session_commands";

    /// <summary>Writes a new command (and on PostgreSQL notifies its node); returns it with its id.</summary>
    public async Task<SessionCommand> EnqueueAsync(SessionCommand command, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.SessionCommands.Add(command);
        await db.SaveChangesAsync(ct);
        if (settings.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({NotifyChannel}, {command.TargetNodeId})", ct);
        }
        return command;
    }

    /// <summary>
    /// On PostgreSQL, listens for new commands addressed to <paramref name="nodeId"/> and calls
    /// <paramref name="wake"/> for each until cancelled (throws when the connection fails: the
    /// caller retries). On SQLite returns at once: polling alone serves.
    /// </summary>
    public async Task ListenAsync(string nodeId, Action wake, CancellationToken ct)
    {
        if (settings.Provider != DatabaseProvider.Postgres)
        {
            return;
        }
        await using var connection = new Npgsql.NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        connection.Notification += (_, e) =>
        {
            if (e.Payload == nodeId)
            {
                wake();
            }
        };
        await using (var listen = new Npgsql.NpgsqlCommand($"LISTEN {NotifyChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }
        // Something may have been written before LISTEN took effect: let the caller look once.
        wake();
        while (!ct.IsCancellationRequested)
        {
            await connection.WaitAsync(ct);
        }
    }

    /// <summary>The commands waiting for <paramref name="nodeId"/>, oldest first.</summary>
    public async Task<List<SessionCommand>> PendingForAsync(string nodeId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.SessionCommands.AsNoTracking().Where(c => c.TargetNodeId == nodeId && c.AppliedAt == null).OrderBy(c => c.Id).ToListAsync(ct);
    }

    /// <summary>Marks a command applied (once: a second call changes nothing).</summary>
    /// <returns>true when this call marked it.</returns>
    public async Task<bool> MarkAppliedAsync(long id, DateTimeOffset at, string outcome, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.SessionCommands.Where(c => c.Id == id && c.AppliedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.AppliedAt, at).SetProperty(c => c.Outcome, outcome), ct) == 1;
    }

    /// <summary>One command of a session, or null.</summary>
    public async Task<SessionCommand?> FindAsync(Guid sessionId, long id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.SessionCommands.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id && c.SessionId == sessionId, ct);
    }
}
