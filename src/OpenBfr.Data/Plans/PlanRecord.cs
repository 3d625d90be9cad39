namespace OpenBfr.Data.Plans;

/// <summary>A generated plan: the inputs it was built from and the planner's output, both JSON. Plans are immutable; a new one supersedes.</summary>
public sealed class PlanRecord
{
    public Guid Id { get; set; }

    public Guid AthleteId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedByUserId { get; set; } = "";

    public DateOnly StartDate { get; set; }

    /// <value>1–104 weeks.</value>
    public int Weeks { get; set; }

    /// <summary>The runner profile and options the plan was generated from.</summary>
    public string InputsJson { get; set; } = "{}";

    /// <summary>The generated plan.</summary>
    public string PlanJson { get; set; } = "{}";
}
