using System.Globalization;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Planning;
using OpenBfr.Formats.Calendar;
using OpenBfr.Formats.Csv;

namespace OpenBfr.Cli.Planning;

/// <summary>Maps a plan to the formats helper's neutral records: iCalendar events and CSV rows.</summary>
public static class PlanExports
{
    /// <summary>
    /// One all-day event per session (the plan has days, not times). UIDs come from the runner, the date,
    /// the session kind and its ordinal that day, so a re-export of a regenerated plan updates the same events.
    /// </summary>
    public static IReadOnlyList<CalendarEvent> ToCalendarEvents(TrainingPlan plan, TimeSpan? alarmBefore)
    {
        var scope = "plan:" + (plan.RunnerName ?? "runner");
        var events = new List<CalendarEvent>();
        foreach (var week in plan.Weeks)
        {
            foreach (var day in week.Sessions.GroupBy(s => s.Date))
            {
                foreach (var kind in day.GroupBy(s => s.Kind))
                {
                    var ordinal = 0;
                    foreach (var s in kind)
                    {
                        var summary = s.Title + (s.DistanceKm is { } km ? $" {km.ToString("0.#", CultureInfo.InvariantCulture)} km" : "");
                        events.Add(new CalendarEvent(CalendarUid.For(scope, s.Date, s.Kind.ToKebab(), ordinal++), summary, new AllDayTiming(s.Date))
                        {
                            Description = Describe(s, week),
                            Categories = ["OpenBFR", s.Kind.ToKebab(), week.Phase.ToString().ToLowerInvariant()],
                            Alarm = alarmBefore is { } before ? new CalendarAlarm(before, summary) : null,
                        });
                    }
                }
            }
        }
        return events;
    }

    private static string Describe(PlannedSession s, PlanWeek week)
    {
        var lines = new List<string> { $"Why: {s.Reason}", $"Week {week.Number}: {week.Label}" };
        if (s.Load is { } load) lines.Add($"Load: {load}");
        if (s.Bfr is { } b)
        {
            lines.Add($"Protocol: {b.Title} ({b.Protocol}), {b.Position.ToString().ToLowerInvariant()}, about {b.Duration.TotalMinutes:0} min");
            lines.Add($"Pressure: {b.Summary}");
            if (b.Exercises.Count > 1) lines.Add($"Exercises: {string.Join(", ", b.Exercises)}");
            lines.Add($"Dose: {b.Dose}");
            lines.AddRange(b.Notes.Select(n => "Note: " + n));
            lines.Add("Sources: " + string.Join("; ", b.Sources));
        }
        return string.Join("\n", lines);
    }

    /// <summary>The CSV columns of a plan.</summary>
    public static IReadOnlyList<string> CsvHeader { get; } =
    [
        "date", "day", "week", "phase", "kind", "title", "distance_km", "protocol", "position", "limbs",
        "low_percent_lop", "high_percent_lop", "target_percent_lop", "target_mmhg", "load", "reason",
    ];

    /// <summary>One row per session, in the order of <see cref="CsvHeader"/>.</summary>
    public static string ToCsv(TrainingPlan plan) => CsvTable.Write(CsvHeader, plan.Weeks.SelectMany(w => w.Sessions.Select(s => (IReadOnlyList<object?>)
    [
        s.Date, s.Date.DayOfWeek.ToString(), w.Number, w.Label, s.Kind.ToKebab(), s.Title, s.DistanceKm,
        s.Bfr?.Protocol, s.Bfr?.Position.ToString().ToLowerInvariant(), s.Bfr is { } b ? string.Join(" ", b.Limbs.Select(l => l.ToKebab())) : null,
        s.Bfr?.LowPercent, s.Bfr?.HighPercent, s.Bfr?.TargetPercent,
        s.Bfr is { Pressures.Count: > 0 } p ? string.Join(" ", p.Pressures.Select(x => $"{x.Limb.ToKebab()}:{x.Target.MmHg:0}")) : null,
        s.Bfr?.Dose ?? s.Load, s.Reason,
    ])));
}
