using OpenBfr.Cli.Infrastructure;
using OpenBfr.Core.Protocols;

namespace OpenBfr.Cli.Commands;

/// <summary>A protocol on the wire (JSON) and its text rendering.</summary>
public sealed record ProtocolDto(
    string Name,
    string Title,
    string Modality,
    string? LimbKind,
    IReadOnlyList<string> Positions,
    string Load,
    string Frequency,
    double MaxInflationSeconds,
    double DeflationBetweenExercisesSeconds,
    double TotalDurationSeconds,
    IReadOnlyList<ProtocolExerciseDto> Exercises,
    IReadOnlyList<string> Sources)
{
    public static ProtocolDto From(Protocol p) => new(
        p.Name,
        p.Title,
        CliOptions.Kebab(p.Modality),
        p.LimbKind is { } k ? CliOptions.Kebab(k) : null,
        p.Positions.Select(CliOptions.Kebab).ToList(),
        p.Load,
        p.Frequency,
        p.MaxContinuousInflation.TotalSeconds,
        p.DeflationBetweenExercises.TotalSeconds,
        p.TotalDuration.TotalSeconds,
        p.Exercises.Select(ProtocolExerciseDto.From).ToList(),
        p.Sources);

    /// <summary>Several lines: title, dose, exercises, limits, sources.</summary>
    public static string Describe(Protocol p)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"{p.Name}: {p.Title}");
        sb.AppendLine($"  modality: {CliOptions.Kebab(p.Modality)}; limb: {(p.LimbKind is { } k ? CliOptions.Kebab(k) : "arm or leg")}; position: {p.PositionsText}");
        sb.AppendLine($"  load: {p.Load}");
        sb.AppendLine($"  frequency: {p.Frequency}");
        foreach (var e in p.Exercises)
        {
            sb.AppendLine($"  - {e.Name} ({e.Description}): {Steps(e)}");
        }
        sb.AppendLine($"  longest continuous inflation: {Text.Duration(p.MaxContinuousInflation)}" +
            (p.Exercises.Count > 1 ? $"; cuffs deflated {Text.Duration(p.DeflationBetweenExercises)} between exercises" : ""));
        sb.AppendLine($"  total: {Text.Duration(p.TotalDuration)}");
        foreach (var s in p.Sources) sb.AppendLine($"  source: {s}");
        return sb.ToString();
    }

    /// <summary>"30-15-15-15 reps (2 s/rep), 3 x 30 s rest cuff on" or "5 x 3 min cuff on, 4 x 1 min rest cuff on".</summary>
    public static string Steps(ProtocolExercise e)
    {
        var parts = new List<string>();
        var sets = e.Steps.Where(s => s.Kind == StepKind.Set).ToList();
        if (sets.Count > 0)
        {
            parts.Add($"{sets.Count} sets of {string.Join("-", sets.Select(s => s.Reps))} reps ({Text.N(sets[0].SecondsPerRep)} s/rep)");
        }
        foreach (var group in e.Steps.Where(s => s.Kind != StepKind.Set).GroupBy(s => (s.Kind, s.Duration, s.CuffInflated)))
        {
            var (kind, duration, inflated) = group.Key;
            var what = kind == StepKind.Rest ? " rest" : "";
            parts.Add($"{group.Count()} x {Text.Duration(duration)}{what} cuff {(inflated ? "on" : "off")}");
        }
        return string.Join(", ", parts);
    }
}

/// <summary>One exercise of a protocol on the wire.</summary>
public sealed record ProtocolExerciseDto(string Name, string Description, int Sets, IReadOnlyList<int> Reps, double MaxInflationSeconds, IReadOnlyList<ProtocolStepDto> Steps)
{
    public static ProtocolExerciseDto From(ProtocolExercise e) => new(
        e.Name,
        e.Description,
        e.Steps.Count(s => s.Kind == StepKind.Set),
        e.Steps.Where(s => s.Kind == StepKind.Set).Select(s => s.Reps).ToList(),
        e.LongestContinuousInflation.TotalSeconds,
        e.Steps.Select(s => new ProtocolStepDto(CliOptions.Kebab(s.Kind), s.Reps == 0 ? null : s.Reps, s.Duration.TotalSeconds, s.CuffInflated)).ToList());
}

/// <summary>One step on the wire.</summary>
public sealed record ProtocolStepDto(string Kind, int? Reps, double DurationSeconds, bool CuffInflated);
