namespace OpenBfr.Core.Planning.Profile;

// The profile as written in a YAML or JSON file: every scalar is text so that the parser, not the
// deserializer, reports a bad value with its field name and what is allowed. The CLI (or the web
// app) fills these from the file; Core does no I/O.

/// <summary>A runner profile as read from a file, before validation. Property names are the file's keys (camelCase).</summary>
public sealed class RunnerProfileDocument
{
    public string? Name { get; set; }
    public string? Age { get; set; }
    public string? Sex { get; set; }
    public string? WeeklyKm { get; set; }
    public GoalRaceDocument? Goal { get; set; }
    public List<string>? AvailableDays { get; set; }
    public List<string>? KeyWorkoutDays { get; set; }
    public string? LongRunDay { get; set; }
    public string? MaxHeartRate { get; set; }
    public InjuryDocument? Injury { get; set; }
    public List<CuffDocument>? Cuffs { get; set; }
    public List<LopDocument>? Lops { get; set; }
    public List<RehabTestDocument>? Tests { get; set; }
    public List<OneRepMaxDocument>? OneRepMax { get; set; }
}

/// <summary>The goal race as written.</summary>
public sealed class GoalRaceDocument
{
    public string? Distance { get; set; }
    public string? Date { get; set; }
    public string? Name { get; set; }
}

/// <summary>The injury or operation as written.</summary>
public sealed class InjuryDocument
{
    public string? Kind { get; set; }
    public string? Date { get; set; }
    public string? Side { get; set; }
}

/// <summary>An owned cuff as written.</summary>
public sealed class CuffDocument
{
    public string? Limb { get; set; }
    public string? WidthCm { get; set; }
}

/// <summary>A recorded LOP as written.</summary>
public sealed class LopDocument
{
    public string? Limb { get; set; }
    public string? MmHg { get; set; }
    public string? Position { get; set; }
    public string? Method { get; set; }
    public string? Measured { get; set; }
    public string? UncertaintyMmHg { get; set; }
    public string? CuffWidthCm { get; set; }
}

/// <summary>A rehab test as written.</summary>
public sealed class RehabTestDocument
{
    public string? Date { get; set; }
    public string? Pain { get; set; }
    public string? StrengthLsi { get; set; }
    public string? HopLsi { get; set; }
    public string? Clearance { get; set; }
}

/// <summary>A 1RM as written.</summary>
public sealed class OneRepMaxDocument
{
    public string? Exercise { get; set; }
    public string? Kg { get; set; }
}
