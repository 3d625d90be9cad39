using System.CommandLine;
using System.Globalization;
using OpenBfr.Cli.Infrastructure;
using OpenBfr.Core;
using OpenBfr.Core.Planning;
using OpenBfr.Core.Planning.Load;
using OpenBfr.Core.Planning.Profile;
using OpenBfr.Formats;
using OpenBfr.Formats.Calendar;
using OpenBfr.Formats.Import;

namespace OpenBfr.Cli.Planning;

/// <summary>Output formats of <c>openbfr plan</c>.</summary>
public enum PlanFormat
{
    Table,
    Json,
    Ics,
    Csv,
}

/// <summary><c>openbfr plan</c>, <c>openbfr import</c>, <c>openbfr export</c>.</summary>
public static class PlanningCommands
{
    /// <summary>The planning command group.</summary>
    public static IEnumerable<Command> Create() => [Plan(), Import(), ExportCommands.Create()];

    /// <summary><c>openbfr plan --profile runner.yaml --weeks 16 [--history DIR] [--start 2026-12-07] [--format table|json] [--out FILE]</c>.</summary>
    public static Command Plan()
    {
        var profile = new Option<string>("--profile") { Description = "Runner profile, YAML or JSON (see examples/runner.yaml)", Required = true };
        var weeks = CliOptions.Integer("--weeks", "Number of weeks, 1–104 (default 16)", required: false);
        weeks.DefaultValueFactory = _ => 16;
        var history = new Option<string?>("--history") { Description = "Directory of FIT/TCX/GPX runs: its load (ACWR) shapes the first weeks" };
        var start = DateOption("--start", "First day of the plan, yyyy-MM-dd, within 5 years of today (default: the next Monday)");
        var format = CliOptions.Choice<PlanFormat>("--format", "Output format", required: false, defaultValue: PlanFormat.Table);
        var output = new Option<string?>("--out") { Description = "Write to this file instead of standard output" };
        var alarm = CliOptions.Integer("--alarm-minutes", "iCalendar only: a reminder this many minutes before each session's day starts (0–10080)", required: false);
        var command = new Command("plan", "Plan BFR around the runner's running: periodized phases or a gated rehab pathway; every session says why")
        {
            profile, weeks, history, start, format, output, alarm,
        };
        command.SetOpenBfrAction((pr, cli) =>
        {
            var profilePath = pr.GetValue(profile)!;
            var runner = ProfileLoader.Load(profilePath);
            var today = cli.Today;
            var first = pr.GetValue(start) ?? today.AddDays((8 - (int)today.DayOfWeek) % 7);
            // A day years off is a typo: year 1 made a plan, year 9999 overflowed the calendar (the web app's bounds).
            var (earliest, latest) = RecordDates.PlanWindow(today);
            var (back, ahead) = RecordDates.InjuryWindow(today);
            static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (first < earliest || first > latest)
            {
                throw new UsageException("--start", Day(first), $"is outside {Day(earliest)}–{Day(latest)} (within {RecordDates.MaxYearsAhead} years of today)");
            }
            if (runner.Goal is { } goal && (goal.Date < earliest || goal.Date > latest))
            {
                throw new UsageException("--profile", profilePath, $"has goal.date {Day(goal.Date)}, outside {Day(earliest)}–{Day(latest)} (within {RecordDates.MaxYearsAhead} years of today)");
            }
            if (runner.Injury is { } injury && (injury.Date < back || injury.Date > ahead))
            {
                throw new UsageException("--profile", profilePath, $"has injury.date {Day(injury.Date)}, outside {Day(back)}–{Day(ahead)} (the last {RecordDates.MaxAgeYears} years or the next {RecordDates.MaxYearsAhead})");
            }
            ImportedLoad? load = null;
            if (pr.GetValue(history) is { } dir)
            {
                var (_, _, _, historyLoad) = ImportHistory(ActivityFilesIn(dir, "--history"), "--history", skipInvalid: false, runner.MaxHeartRateOrEstimate, first.AddDays(-1));
                load = historyLoad.ToImportedLoad();
            }
            var plan = Planner.Build(new PlanRequest(runner, first, pr.GetValue(weeks), load));
            var dto = PlanDto.From(plan);
            var chosen = cli.Json ? PlanFormat.Json : pr.GetValue(format);
            var text = chosen switch
            {
                PlanFormat.Json => CliJson.Serialize(dto),
                PlanFormat.Table => dto.ToTable(),
                PlanFormat.Csv => PlanExports.ToCsv(plan),
                _ => new ICalendarWriter(cli.Clock).Write(PlanExports.ToCalendarEvents(plan, AlarmBefore(pr.GetValue(alarm))),
                    new CalendarOptions(Name: $"OpenBFR plan{(plan.RunnerName is { } n ? " — " + n : "")}")),
            };
            if (pr.GetValue(output) is { } path)
            {
                CliFiles.Write("--out", path, new System.Text.UTF8Encoding(false).GetBytes(text));
                cli.Out.WriteLine($"wrote {plan.Weeks.Count}-week plan ({plan.Sessions.Count()} sessions) to {path}");
                return ExitCodes.Success;
            }
            cli.Out.Write(text.EndsWith('\n') ? text : text + "\n");
            return ExitCodes.Success;
        }, new CoreErrorMap().Field("weeks", weeks));
        return command;
    }

    /// <summary><c>openbfr import FILES… [--skip-invalid] [--max-hr N] [--json]</c>.</summary>
    public static Command Import()
    {
        var files = new Argument<string[]>("FILES") { Description = "FIT, TCX or GPX files, or directories of them", Arity = ArgumentArity.OneOrMore };
        var skip = new Option<bool>("--skip-invalid") { Description = "Skip files that cannot be read (listed in the summary) instead of failing" };
        var maxHr = CliOptions.Integer("--max-hr", "Maximum heart rate, bpm, for RPE estimates (default 190)", required: false);
        maxHr.DefaultValueFactory = _ => 190;
        var command = new Command("import", "Import runs and summarise training load per week: distance, time, session-RPE, acute:chronic ratios with flags")
        {
            files, skip, maxHr,
        };
        command.SetOpenBfrAction((pr, cli) =>
        {
            var paths = new List<string>();
            foreach (var item in pr.GetValue(files) ?? [])
            {
                paths.AddRange(Directory.Exists(item) ? ActivityFilesIn(item, "FILES") : [item]);
            }
            var (count, activities, skipped, load) = ImportHistory(paths, "FILES", pr.GetValue(skip), pr.GetValue(maxHr), null);
            var dto = ImportDto.From(count, activities, skipped, load);
            return cli.Write(dto, d => d.ToTable());
        }, new CoreErrorMap().Field("maxHeartRate", maxHr));
        return command;
    }

    private static TimeSpan? AlarmBefore(int minutes)
    {
        if (minutes == 0) return null;
        if (minutes is < 0 or > 10080) throw new UsageException("--alarm-minutes", minutes.ToString(CultureInfo.InvariantCulture), "is outside 0–10080 (a week)");
        return TimeSpan.FromMinutes(minutes);
    }

    private static IReadOnlyList<string> ActivityFilesIn(string dir, string option)
    {
        if (!Directory.Exists(dir)) throw new UsageException(option, dir, "is not a directory");
        return ActivityImporter.FindActivityFiles(dir);
    }

    /// <summary>Imports files (all-or-nothing per file) and computes the load; a bad file is a usage error unless skipped.</summary>
    private static (int Files, int Activities, IReadOnlyList<string> Skipped, HistoryLoad Load) ImportHistory(
        IReadOnlyList<string> paths, string option, bool skipInvalid, int maxHeartRate, DateOnly? through)
    {
        foreach (var p in paths.Where(p => !File.Exists(p)))
        {
            throw new UsageException(option, p, "does not exist");
        }
        var batch = ActivityImporter.ImportFiles(paths);
        if (batch.Failures.Count > 0 && !skipInvalid)
        {
            var more = batch.Failures.Count > 1 ? $" (and {batch.Failures.Count - 1} more file{(batch.Failures.Count > 2 ? "s" : "")}; --skip-invalid skips them)" : " (--skip-invalid skips it)";
            throw new UsageException(option, null, batch.Failures[0].Error + more);
        }
        var sessions = batch.Activities.Select(ToLogged).ToList();
        var last = sessions.Count > 0 ? DateOnly.FromDateTime(sessions.Max(s => s.Start).UtcDateTime) : (DateOnly?)null;
        // Rest days up to the plan start count (they lower the acute load), but only within the planner's staleness window.
        var end = through is { } t && last is { } l && t > l && t.DayNumber - l.DayNumber <= Planner.MaxLoadAgeDays ? t : (DateOnly?)null;
        return (paths.Count, batch.Activities.Count, batch.Failures.Select(f => f.Error).ToList(), HistoryLoadCalculator.From(sessions, maxHeartRate, end));
    }

    private static LoggedSession ToLogged(RunActivity a) => new(a.StartTime, a.MovingTime, a.TotalDistanceMeters / 1000,
        a.Sport == ActivitySport.Running, a.AverageHeartRate);

    private static Option<DateOnly?> DateOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            r.AddError($"{name}: '{text}' is not a date; use yyyy-MM-dd (e.g. 2026-12-07)");
            return null;
        },
    };
}
