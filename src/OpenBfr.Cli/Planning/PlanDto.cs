using System.Globalization;
using System.Text;
using OpenBfr.Cli.Infrastructure;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Planning;
using OpenBfr.Core.Planning.Load;

namespace OpenBfr.Cli.Planning;

/// <summary>A plan on the wire (JSON) and as a table.</summary>
public sealed record PlanDto(string? Runner, DateOnly Start, DateOnly End, int Weeks, string? Pathway, IReadOnlyList<string> Warnings, PlannerOptions Options, IReadOnlyList<PlanWeekDto> Plan)
{
    public static PlanDto From(TrainingPlan plan) => new(plan.RunnerName, plan.Start, plan.End, plan.Weeks.Count, plan.Pathway, plan.Warnings, plan.Options,
        plan.Weeks.Select(w => new PlanWeekDto(w.Number, w.Start, CliOptions.Kebab(w.Phase), w.Label, w.Deload, w.RunKm, w.RehabStage, w.Notes,
            w.Sessions.Select(SessionDto.From).ToList())).ToList());

    /// <summary>The plan as a text table: a header per week, one line per session with its reason, then the week's notes.</summary>
    public string ToTable()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Plan{(Runner is null ? "" : " for " + Runner)}: {Start:yyyy-MM-dd} to {End:yyyy-MM-dd}, {Weeks} week{(Weeks == 1 ? "" : "s")}");
        sb.AppendLine(Pathway is null ? "" : $"; rehab pathway {Pathway}");
        foreach (var w in Warnings) sb.AppendLine($"! {w}");
        foreach (var week in Plan)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"Week {week.Number}  {week.Start:yyyy-MM-dd}  {week.Label}{(week.RunKm > 0 ? $"  {week.RunKm.ToString("0.#", CultureInfo.InvariantCulture)} km" : "")}");
            foreach (var s in week.Sessions)
            {
                var what = s.Title + (s.DistanceKm is { } km ? $" {km.ToString("0.#", CultureInfo.InvariantCulture)} km" : "");
                if (s.Bfr is { } b) what += $" [{b.Summary}]";
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {s.Date:ddd dd MMM}  {what,-58}  {s.Reason}");
            }
            foreach (var n in week.Notes) sb.AppendLine($"  - {n}");
        }
        return sb.ToString();
    }
}

public sealed record PlanWeekDto(int Number, DateOnly Start, string Phase, string Label, bool Deload, double RunKm, string? RehabStage,
    IReadOnlyList<string> Notes, IReadOnlyList<SessionDto> Sessions);

public sealed record SessionDto(DateOnly Date, string Day, int Order, string Kind, string Title, double? DistanceKm, string? Load, string Reason, BfrDto? Bfr)
{
    public static SessionDto From(PlannedSession s) => new(s.Date, s.Date.DayOfWeek.ToString(), s.Order, s.Kind.ToKebab(), s.Title, s.DistanceKm, s.Load, s.Reason,
        s.Bfr is { } b ? BfrDto.From(b) : null);
}

public sealed record BfrDto(string Protocol, string Title, string Modality, string Position, IReadOnlyList<string> Exercises, IReadOnlyList<string> Limbs,
    double LowPercentLop, double HighPercentLop, double TargetPercentLop, bool Conservative, IReadOnlyList<LimbPressureDto> Pressures,
    string Dose, double Minutes, string Summary, IReadOnlyList<string> Notes, IReadOnlyList<string> Sources)
{
    public static BfrDto From(SessionPrescription p) => new(p.Protocol, p.Title, CliOptions.Kebab(p.Modality), CliOptions.Kebab(p.Position), p.Exercises,
        p.Limbs.Select(l => l.ToKebab()).ToList(), p.LowPercent, p.HighPercent, p.TargetPercent, p.Conservative,
        p.Pressures.Select(x => new LimbPressureDto(x.Limb.ToKebab(), x.Low.MmHg, x.High.MmHg, x.Target.MmHg, CliOptions.Kebab(x.LopMethod), x.LopMeasured)).ToList(),
        p.Dose, Math.Round(p.Duration.TotalMinutes, 1), p.Summary, p.Notes, p.Sources);
}

public sealed record LimbPressureDto(string Limb, double LowMmHg, double HighMmHg, double TargetMmHg, string LopMethod, DateOnly LopMeasured);

/// <summary>The import summary: per week, the ratios on the last day, the flags, the caveat.</summary>
public sealed record ImportDto(int Files, int Activities, IReadOnlyList<string> Skipped, DateOnly? AsOf, double? EwmaRatio, string EwmaFlag,
    double? RollingRatio, string RollingFlag, string RpeMethod, string Caveat, IReadOnlyList<ImportWeekDto> Weeks)
{
    public static ImportDto From(int files, int activities, IReadOnlyList<string> skipped, HistoryLoad load) => new(files, activities, skipped, load.AsOf,
        Round(load.Ewma?.Ratio), CliOptions.Kebab(load.Ewma?.Flag ?? Core.Metrics.WorkloadFlag.InsufficientData),
        Round(load.Rolling?.Ratio), CliOptions.Kebab(load.Rolling?.Flag ?? Core.Metrics.WorkloadFlag.InsufficientData),
        load.RpeMethod, load.Caveat,
        load.Weeks.Select(w => new ImportWeekDto(w.WeekStart, w.Sessions, w.Runs, w.RunKm, Math.Round(w.Time.TotalHours, 2), w.Load, w.EstimatedRpeSessions,
            Round(w.EwmaRatio), CliOptions.Kebab(w.EwmaFlag), Round(w.RollingRatio), CliOptions.Kebab(w.RollingFlag))).ToList());

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 2, MidpointRounding.AwayFromZero) : null;

    public string ToTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Imported {Activities} activit{(Activities == 1 ? "y" : "ies")} from {Files} file{(Files == 1 ? "" : "s")}{(Skipped.Count > 0 ? $"; skipped {Skipped.Count}" : "")}");
        foreach (var s in Skipped) sb.AppendLine($"! skipped {s}");
        if (AsOf is null)
        {
            // Every file skipped, or a directory without activity files: there is no week and no day to report.
            sb.AppendLine("No activities, so no training load to report");
            return sb.ToString();
        }
        sb.AppendLine("week        runs    run km   time h   sRPE load (est.)   EWMA ACWR        rolling ACWR");
        foreach (var w in Weeks)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"{w.WeekStart:yyyy-MM-dd}  {w.Runs,4}  {w.RunKm,8:0.0}  {w.Hours,7:0.0}  {w.Load,9:0} ({w.EstimatedRpeSessions,2})    {Ratio(w.EwmaRatio, w.EwmaFlag),-15}  {Ratio(w.RollingRatio, w.RollingFlag)}");
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"As of {AsOf:yyyy-MM-dd}: EWMA {Ratio(EwmaRatio, EwmaFlag)}, rolling {Ratio(RollingRatio, RollingFlag)} (flags: > 1.5 high, < 0.8 low)");
        sb.AppendLine($"Note: {Caveat}");
        sb.AppendLine($"RPE: {RpeMethod}");
        return sb.ToString();
    }

    private static string Ratio(double? ratio, string flag) => ratio is { } r ? $"{r.ToString("0.00", CultureInfo.InvariantCulture)} {flag}" : flag;
}

public sealed record ImportWeekDto(DateOnly WeekStart, int Sessions, int Runs, double RunKm, double Hours, double Load, int EstimatedRpeSessions,
    double? EwmaRatio, string EwmaFlag, double? RollingRatio, string RollingFlag);
