using Microsoft.EntityFrameworkCore;

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

/// <summary>The shared queue of <see cref="SessionCommand"/>s in the database.</summary>
public sealed class SessionCommandQueue(IDbContextFactory<OpenBfrDbContext> contexts)
{
    /// <summary>Writes a new command; returns it with its id.</summary>
    public async Task<SessionCommand> EnqueueAsync(SessionCommand command, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.SessionCommands.Add(command);
        await db.SaveChangesAsync(ct);
        return command;
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
