namespace OpenBfr.Data.Screening;

/// <summary>
/// One completed screening questionnaire: the answers as given and the outcome per limb as
/// computed then (both JSON, so a later change of the questionnaire never rewrites history).
/// </summary>
public sealed class ScreeningRecord
{
    public Guid Id { get; set; }

    public Guid AthleteId { get; set; }

    public DateTimeOffset TakenAt { get; set; }

    /// <summary>The answers, as a JSON object of question id to answer.</summary>
    public string AnswersJson { get; set; } = "{}";

    /// <summary>The outcome per limb with the reasons, as JSON.</summary>
    public string OutcomeJson { get; set; } = "{}";

    /// <summary>The most restrictive outcome over all limbs: Eligible, NeedsClearance or NotEligible.</summary>
    public string Overall { get; set; } = "";

    public string RecordedByUserId { get; set; } = "";

    /// <summary>The clinician who recorded medical clearance for a NeedsClearance outcome.</summary>
    public string? ClearedByUserId { get; set; }

    public DateTimeOffset? ClearedAt { get; set; }

    public string? ClearanceNote { get; set; }
}
