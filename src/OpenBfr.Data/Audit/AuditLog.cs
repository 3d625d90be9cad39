using Microsoft.EntityFrameworkCore;

namespace OpenBfr.Data.Audit;

/// <summary>Appends audit entries. Holds no personal data: ids and action names only.</summary>
public sealed class AuditLog(IDbContextFactory<OpenBfrDbContext> contexts, TimeProvider time)
{
    /// <summary>Records that <paramref name="actorUserId"/> did <paramref name="action"/> on <paramref name="athleteId"/>'s record.</summary>
    public async Task WriteAsync(string actorUserId, string action, Guid? athleteId, string? detail = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.AuditLog.Add(new AuditEntry { At = time.GetUtcNow(), ActorUserId = actorUserId, Action = action, AthleteId = athleteId, Detail = detail });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>As <see cref="WriteAsync"/> once for each athlete, in one transaction (a page that reads many records at once).</summary>
    public async Task WriteManyAsync(string actorUserId, string action, IEnumerable<Guid> athleteIds, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var at = time.GetUtcNow();
        db.AuditLog.AddRange(athleteIds.Select(id => new AuditEntry { At = at, ActorUserId = actorUserId, Action = action, AthleteId = id }));
        await db.SaveChangesAsync(ct);
    }
}
