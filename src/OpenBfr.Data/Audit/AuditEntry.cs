namespace OpenBfr.Data.Audit;

/// <summary>
/// One audited action: who read or changed which athlete's record. Append-only; holds ids,
/// never names or clinical values.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public string ActorUserId { get; set; } = "";

    /// <summary>What was done, e.g. "athlete.read", "lop.create", "session.start".</summary>
    public string Action { get; set; } = "";

    public Guid? AthleteId { get; set; }

    /// <summary>A short, non-identifying detail (a record id, a page name).</summary>
    public string? Detail { get; set; }
}
