using Microsoft.EntityFrameworkCore;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Revisions;

/// <summary>
/// Display names of accounts, for the people who read a record's history and conflicts (never for
/// the logs or the audit log, which keep ids). Identity's context is scoped; the features are
/// singletons, so each look-up opens its own scope.
/// </summary>
public sealed class UserNames(IServiceScopeFactory scopes)
{
    /// <summary>What a history shows for an id with no account (deleted since, or never an account).</summary>
    public const string Unknown = "an account that no longer exists";

    /// <summary>The display name of each id (<see cref="Unknown"/> when there is none).</summary>
    public async Task<IReadOnlyDictionary<string, string>> LookUpAsync(IEnumerable<string> userIds, CancellationToken ct = default)
    {
        var ids = userIds.Where(i => !string.IsNullOrEmpty(i)).Distinct(StringComparer.Ordinal).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return names;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        var found = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync(ct);
        foreach (var id in ids)
        {
            var u = found.FirstOrDefault(f => f.Id == id);
            names[id] = u is null ? Unknown : !string.IsNullOrWhiteSpace(u.DisplayName) ? u.DisplayName : u.Email ?? Unknown;
        }
        return names;
    }

    /// <summary>One account's display name.</summary>
    public async Task<string> NameAsync(string userId, CancellationToken ct = default)
        => (await LookUpAsync([userId], ct)).GetValueOrDefault(userId, Unknown);
}
