using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Core.Lop;
using OpenBfr.Data;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Audit;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Athletes;

/// <summary>What a clinician enters for a new athlete.</summary>
/// <param name="DisplayName">1–100 characters; required (null is refused as "is required").</param>
/// <param name="BirthYear">1900 to this year, or null.</param>
/// <param name="Sex">"male", "female" or null.</param>
/// <param name="Injury">injury or surgery in words (≤ 200 characters), or null when uninjured.</param>
public sealed record NewAthlete(string? DisplayName, int? BirthYear, string? Sex, string? Injury);

/// <summary>
/// The only way to an athlete's record. An athlete sees their own; a clinician sees athletes
/// linked to them; nobody else sees any (admins manage accounts, not records). Every read by
/// someone other than the athlete is written to the audit log, and so is every refusal.
/// Invisible and missing records are not told apart.
/// </summary>
public sealed class AthleteDirectory(IDbContextFactory<OpenBfrDbContext> contexts, AuditLog audit, TimeProvider time)
{
    /// <summary>Opens an athlete's record for <paramref name="viewer"/>, auditing <paramref name="action"/> when the viewer is not the athlete.</summary>
    /// <exception cref="NotVisibleException">the viewer may not see it, or it does not exist.</exception>
    public async Task<Athlete> OpenAsync(Viewer viewer, Guid athleteId, string action, CancellationToken ct = default)
        => await OpenIfVisibleAsync(viewer, athleteId, action, ct) ?? throw new NotVisibleException();

    /// <summary>
    /// <see cref="OpenAsync"/> for a caller that answers a refusal itself (a page's 404, the hub's
    /// "not found"): null when the viewer may not see it or it does not exist, the refusal audited the same way.
    /// </summary>
    public async Task<Athlete?> OpenIfVisibleAsync(Viewer viewer, Guid athleteId, string action, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var athlete = await db.Athletes.AsNoTracking().SingleOrDefaultAsync(a => a.Id == athleteId, ct);
        if (athlete is not null && athlete.UserId == viewer.UserId)
        {
            return athlete;
        }
        if (athlete is not null && viewer.IsClinician && await IsLinkedAsync(db, athleteId, viewer.UserId, ct))
        {
            await audit.WriteAsync(viewer.UserId, action, athleteId, null, ct);
            return athlete;
        }
        await audit.WriteAsync(viewer.UserId, "denied:" + action, athlete is null ? null : athleteId, null, ct);
        return null;
    }

    /// <summary>The athletes the viewer may see: their own record, or a clinician's linked athletes.</summary>
    public async Task<List<Athlete>> VisibleAsync(Viewer viewer, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var linked = db.ClinicianLinks.Where(l => l.ClinicianUserId == viewer.UserId && l.EndedAt == null).Select(l => l.AthleteId);
        var list = await db.Athletes.AsNoTracking()
            .Where(a => a.UserId == viewer.UserId || (viewer.IsClinician && linked.Contains(a.Id)))
            .ToListAsync(ct);
        return list.OrderBy(a => a.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The athlete record of an athlete account, or null.</summary>
    public async Task<Athlete?> OwnAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Athletes.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId, ct);
    }

    /// <summary>A clinician adds an athlete (without an account of their own), linked to the clinician.</summary>
    /// <exception cref="InputException">a field is missing or out of range.</exception>
    public async Task<Athlete> CreateAsync(Viewer clinician, NewAthlete input, CancellationToken ct = default)
    {
        if (!clinician.IsClinician)
        {
            throw new NotVisibleException();
        }
        var athlete = Validate(input, userId: null);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Athletes.Add(athlete);
        db.ClinicianLinks.Add(new ClinicianLink { Id = Guid.NewGuid(), AthleteId = athlete.Id, ClinicianUserId = clinician.UserId, CreatedAt = athlete.CreatedAt });
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(clinician.UserId, "athlete.create", athlete.Id, null, ct);
        return athlete;
    }

    /// <summary>The record of a self-registered athlete.</summary>
    public async Task<Athlete> CreateForAccountAsync(string userId, NewAthlete input, CancellationToken ct = default)
    {
        var athlete = Validate(input, userId);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Athletes.Add(athlete);
        await db.SaveChangesAsync(ct);
        return athlete;
    }

    /// <summary>An athlete shares their record with a clinician (found by the clinician's account id).</summary>
    /// <returns>false when the link already existed.</returns>
    public async Task<bool> LinkClinicianAsync(Viewer athleteViewer, Guid athleteId, string clinicianUserId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var athlete = await db.Athletes.SingleOrDefaultAsync(a => a.Id == athleteId && a.UserId == athleteViewer.UserId, ct)
            ?? throw new NotVisibleException();
        if (await IsLinkedAsync(db, athlete.Id, clinicianUserId, ct))
        {
            return false;
        }
        db.ClinicianLinks.Add(new ClinicianLink { Id = Guid.NewGuid(), AthleteId = athlete.Id, ClinicianUserId = clinicianUserId, CreatedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(athleteViewer.UserId, "link.create", athlete.Id, null, ct);
        return true;
    }

    /// <summary>The clinicians an athlete's record is shared with (user ids).</summary>
    public async Task<List<string>> CliniciansOfAsync(Guid athleteId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ClinicianLinks.Where(l => l.AthleteId == athleteId && l.EndedAt == null).Select(l => l.ClinicianUserId).ToListAsync(ct);
    }

    /// <summary>A new secret for the private calendar feed; the old URL stops working.</summary>
    public async Task<string> RenewCalendarTokenAsync(Viewer viewer, Guid athleteId, CancellationToken ct = default)
    {
        await OpenAsync(viewer, athleteId, "calendar.renew", ct);
        var token = NewToken();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Athletes.Where(a => a.Id == athleteId).ExecuteUpdateAsync(u => u.SetProperty(a => a.CalendarToken, token), ct);
        return token;
    }

    /// <summary>A 160-bit random secret as hex.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    private static Task<bool> IsLinkedAsync(OpenBfrDbContext db, Guid athleteId, string clinicianUserId, CancellationToken ct)
        => db.ClinicianLinks.AnyAsync(l => l.AthleteId == athleteId && l.ClinicianUserId == clinicianUserId && l.EndedAt == null, ct);

    private Athlete Validate(NewAthlete input, string? userId)
    {
        // Left out (or an emptied form field), it was refused as "was 0" characters.
        var name = (input.DisplayName ?? throw new InputException("displayName", "displayName is required (1–100 characters)")).Trim();
        if (name.Length is < 1 or > 100)
        {
            throw new InputException("displayName", $"displayName must be 1–100 characters, was {name.Length}");
        }
        var thisYear = time.GetUtcNow().Year;
        if (input.BirthYear is { } year && (year < 1900 || year > thisYear))
        {
            throw new InputException("birthYear", $"birthYear must be 1900–{thisYear}, was {year}");
        }
        Sex? sex = null;
        if (!string.IsNullOrWhiteSpace(input.Sex))
        {
            sex = input.Sex.Trim().ToLowerInvariant() switch
            {
                "male" or "m" => Sex.Male,
                "female" or "f" => Sex.Female,
                _ => throw new InputException("sex", $"sex must be male or female (as the LOP estimate codes it), or empty; was '{input.Sex}'"),
            };
        }
        var injury = string.IsNullOrWhiteSpace(input.Injury) ? null : input.Injury.Trim();
        if (injury is { Length: > 200 })
        {
            throw new InputException("injury", $"injury must be at most 200 characters, was {injury.Length}");
        }
        return new Athlete
        {
            Id = Guid.NewGuid(),
            DisplayName = name,
            UserId = userId,
            BirthYear = input.BirthYear,
            Sex = sex,
            Injury = injury,
            CreatedAt = time.GetUtcNow(),
            CalendarToken = NewToken(),
        };
    }
}
