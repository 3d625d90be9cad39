using OpenBfr.Core.Lop;

namespace OpenBfr.Data.Athletes;

/// <summary>
/// A runner whose BFR training is recorded. The id is opaque (a random GUID) so that it can
/// appear in URLs without revealing anything about the athlete.
/// </summary>
public sealed class Athlete
{
    public Guid Id { get; set; }

    /// <summary>Name shown to the athlete and their clinicians; never logged, never in a URL.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>The account of the athlete themself, when they have one.</summary>
    public string? UserId { get; set; }

    /// <summary>Year of birth, for age-dependent rules and the LOP estimate.</summary>
    /// <value>1900–2100, or null when unknown.</value>
    public int? BirthYear { get; set; }

    /// <summary>As the LOP estimation equation codes it; null when not given.</summary>
    public Sex? Sex { get; set; }

    /// <summary>Free-text injury or surgery status ("Achilles tendinopathy, 3 weeks"), null when uninjured.</summary>
    public string? Injury { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Secret for the athlete's private iCalendar feed URL (schema version 2). Regenerating it
    /// revokes the old URL.
    /// </summary>
    public string CalendarToken { get; set; } = "";
}

/// <summary>A clinician (physical therapist or coach) assigned to an athlete, from <see cref="CreatedAt"/> until <see cref="EndedAt"/>.</summary>
public sealed class ClinicianLink
{
    public Guid Id { get; set; }

    public Guid AthleteId { get; set; }

    public string ClinicianUserId { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the link was ended; null while the clinician still looks after the athlete.</summary>
    public DateTimeOffset? EndedAt { get; set; }
}
