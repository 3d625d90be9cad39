using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Data;
using OpenBfr.Data.Revisions;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Revisions;

/// <summary>
/// A record's version as an HTTP entity tag and back. The tag is the row's version number in
/// quotes ("3"); an edit or delete may name it in If-Match and is refused with 409 when the row
/// has moved on. Without If-Match the API changes the current version (kept for clients written
/// before version tags; the pages always send the version they showed).
/// </summary>
public static class RecordVersions
{
    /// <summary>The header an edit names the version it read in.</summary>
    public const string IfMatchHeader = "If-Match";

    /// <summary>The ETag of a version.</summary>
    public static string ETag(int version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>
    /// The version an If-Match header names; null when the header is absent or "*" (any current
    /// version). A weak tag (W/"3") is read as the same version: nothing here serves weak tags, and
    /// a proxy that weakened one still means the version it came from.
    /// </summary>
    /// <exception cref="InputException">the header is not one ETag as GET returns it.</exception>
    public static int? IfMatch(HttpRequest request)
    {
        var values = request.Headers.IfMatch;
        if (values.Count == 0)
        {
            return null;
        }
        var raw = string.Join(", ", values.Select(v => v ?? "")).Trim();
        if (raw == "*")
        {
            return null;
        }
        var tags = raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tag = tags.Length == 1 ? tags[0] : throw new InputException(IfMatchHeader, $"If-Match must hold one ETag, the one GET returned (e.g. \"3\"), was '{raw}'");
        if (tag.StartsWith("W/", StringComparison.Ordinal))
        {
            tag = tag[2..];
        }
        if (tag.Length < 3 || tag[0] != '"' || tag[^1] != '"'
            || !int.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            throw new InputException(IfMatchHeader, $"If-Match must be the ETag GET returned, a version number of 1 or more in quotes (e.g. \"3\"), was '{raw}'");
        }
        return version;
    }

    /// <summary>
    /// Keeps <paramref name="row"/> as it stands (before the change) in the history, and moves a
    /// corrected row to its next version; saved with the change, in its transaction.
    /// </summary>
    public static void Keep<T>(OpenBfrDbContext db, RevisedRecordKind kind, T row, RevisionChange change, string userId, DateTimeOffset now) where T : IVersionedRecord
    {
        db.RecordRevisions.Add(new RecordRevision
        {
            AthleteId = row.AthleteId, RecordKind = kind, RecordId = row.Id, Version = row.Version, Change = change,
            SnapshotJson = RevisionSnapshot.Write(row), ChangedByUserId = userId, ChangedAt = now,
        });
        if (change == RevisionChange.Corrected)
        {
            row.Version++;
        }
    }

    /// <summary>The latest removal (deletion, revocation or withdrawal) of a record, or null.</summary>
    public static Task<RecordRevision?> RemovalAsync(OpenBfrDbContext db, Guid athleteId, RevisedRecordKind kind, Guid recordId, CancellationToken ct)
        => db.RecordRevisions.AsNoTracking()
            .Where(r => r.AthleteId == athleteId && r.RecordKind == kind && r.RecordId == recordId && r.Change != RevisionChange.Corrected)
            .OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct);
}

/// <summary>Builds the 409 of an edit or delete made from a version that is no longer current.</summary>
public sealed class VersionConflicts(UserNames names)
{
    /// <summary>The problem's title.</summary>
    public const string Title = "The record changed since you read it";

    /// <summary>
    /// The record is at <paramref name="current"/>, not the <paramref name="seen"/> the editor read:
    /// says who changed it last and when, and carries the current values.
    /// </summary>
    /// <param name="what">"strength test", "clearance", "LOP record".</param>
    public async Task<ConflictException> ChangedAsync(string what, int seen, int current, DateTimeOffset? changedAt, string? changedByUserId, object currentValues,
        CancellationToken ct = default)
    {
        var by = changedByUserId is null ? null : await names.NameAsync(changedByUserId, ct);
        var who = by is null || changedAt is null ? "changed" : $"changed by {by} at {Utc(changedAt.Value)}";
        var message = current > seen
            ? $"this {what} was {who} after you read version {seen}; it is now version {current}. Nothing was saved: check its current values and apply your change again"
            : $"this {what} is at version {current}, not version {seen}. Nothing was saved: read it again and apply your change to version {current}";
        return new ConflictException(Title, message, new Dictionary<string, object?>
        {
            ["currentVersion"] = current, ["changedAt"] = changedAt, ["changedBy"] = by, ["changedByUserId"] = changedByUserId, ["current"] = currentValues,
        });
    }

    /// <summary>
    /// The record was deleted, revoked or withdrawn after the editor read <paramref name="seen"/>
    /// (null: the editor named no version, and a withdrawn record, which stays, cannot be changed).
    /// </summary>
    public async Task<ConflictException> RemovedAsync(string what, int? seen, RecordRevision removal, CancellationToken ct = default)
    {
        var by = await names.NameAsync(removal.ChangedByUserId, ct);
        var verb = removal.Change switch { RevisionChange.Revoked => "revoked", RevisionChange.Withdrawn => "withdrawn", _ => "deleted" };
        var when = seen is { } v ? $" after you read version {v}" : "";
        return new ConflictException(Title, $"this {what} was {verb} by {by} at {Utc(removal.ChangedAt)}{when}. Nothing was saved; its history keeps every version",
            new Dictionary<string, object?> { ["currentVersion"] = null, ["changedAt"] = removal.ChangedAt, ["changedBy"] = by, ["changedByUserId"] = removal.ChangedByUserId, ["change"] = verb });
    }

    /// <summary>Refuses (409) when the editor read <paramref name="expectedVersion"/> and the row is no longer at it; <paramref name="currentValues"/> only then.</summary>
    public async Task CheckAsync(string what, IVersionedRecord row, int? expectedVersion, Func<object> currentValues, CancellationToken ct)
    {
        if (expectedVersion is { } seen && seen != row.Version)
        {
            throw await ChangedAsync(what, seen, row.Version, row.UpdatedAt, row.UpdatedByUserId, currentValues(), ct);
        }
    }

    /// <summary>A missing record: a 409 saying who removed it when the caller named a version they read, else not found.</summary>
    public async Task<Exception> GoneAsync(OpenBfrDbContext db, string what, RevisedRecordKind kind, Guid athleteId, Guid recordId, int? expectedVersion, CancellationToken ct)
        => expectedVersion is { } seen && await RecordVersions.RemovalAsync(db, athleteId, kind, recordId, ct) is { } removal
            ? await RemovedAsync(what, seen, removal, ct)
            : new NotVisibleException();

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
