using OpenBfr.Core.Metrics;

namespace OpenBfr.Core.Planning.Load;

/// <summary>One logged session from imported history, in Core's terms (the importer maps its files to these).</summary>
/// <param name="Start">UTC start.</param>
/// <param name="Duration">moving time.</param>
/// <param name="DistanceKm">distance, km, ≥ 0.</param>
/// <param name="IsRun">true for running; other sports count toward load but not toward running distance.</param>
/// <param name="AverageHeartRate">bpm, when recorded.</param>
/// <param name="Rpe">session RPE (CR-10, 0–10) when the athlete recorded one.</param>
public sealed record LoggedSession(DateTimeOffset Start, TimeSpan Duration, double DistanceKm, bool IsRun, int? AverageHeartRate, double? Rpe = null);

/// <summary>Where a session's RPE came from.</summary>
public enum RpeSource
{
    /// <summary>Recorded by the athlete.</summary>
    Recorded,

    /// <summary>Estimated from average heart rate as a share of maximum heart rate.</summary>
    FromHeartRate,

    /// <summary>No RPE and no heart rate: assumed <see cref="HistoryLoadCalculator.AssumedRpe"/>.</summary>
    Assumed,
}

/// <summary>A session's load: Foster session-RPE = RPE × minutes.</summary>
public sealed record SessionLoad(DateOnly Date, bool IsRun, double DistanceKm, TimeSpan Duration, double Rpe, RpeSource RpeSource, double Load);

/// <summary>One Monday-to-Sunday week of history with the acute:chronic ratios on its last day.</summary>
public sealed record WeekLoad(
    DateOnly WeekStart,
    int Sessions,
    int Runs,
    double RunKm,
    TimeSpan Time,
    double Load,
    int EstimatedRpeSessions,
    double? EwmaRatio,
    WorkloadFlag EwmaFlag,
    double? RollingRatio,
    WorkloadFlag RollingFlag);

/// <summary>Training load of imported history: per session, per week, and the ratios on the last day.</summary>
/// <param name="Sessions">sessions, oldest first.</param>
/// <param name="Weeks">weeks, oldest first.</param>
/// <param name="AsOf">the last day of the load series (null without sessions).</param>
/// <param name="Ewma">EWMA ratio point on <paramref name="AsOf"/>.</param>
/// <param name="Rolling">rolling ratio point on <paramref name="AsOf"/>.</param>
/// <param name="RpeMethod">how RPE was obtained or estimated, in words.</param>
/// <param name="Caveat">what must be said beside any ratio.</param>
public sealed record HistoryLoad(
    IReadOnlyList<SessionLoad> Sessions,
    IReadOnlyList<WeekLoad> Weeks,
    DateOnly? AsOf,
    WorkloadRatioPoint? Ewma,
    WorkloadRatioPoint? Rolling,
    string RpeMethod,
    string Caveat)
{
    /// <summary>The ratios on the last day, for the planner; null without history.</summary>
    public ImportedLoad? ToImportedLoad() => AsOf is { } day ? new ImportedLoad(day, Ewma?.Ratio, Rolling?.Ratio) : null;
}

/// <summary>
/// Computes <see cref="HistoryLoad"/> from logged sessions with Core's <see cref="TrainingLoad"/>
/// (Foster session-RPE; Williams et al. 2017 EWMA and rolling 7/28-day ratios).
/// </summary>
public static class HistoryLoadCalculator
{
    /// <summary>
    /// RPE assumed for a session with neither RPE nor heart rate: 4/10 ("somewhat hard"), the usual
    /// easy run. Assumed values are marked so the ratio can be read with that in mind.
    /// </summary>
    public const double AssumedRpe = 4;

    /// <summary>How RPE is estimated, shown beside the load.</summary>
    public const string RpeMethodText =
        "RPE is not in FIT/TCX/GPX files: estimated from average heart rate as RPE = (%HRmax − 50) / 5 on the CR-10 scale, clamped 1–10 " +
        "(70% HRmax → 4, 80% → 6, 90% → 8; a linearisation of the ACSM intensity table, Garber et al. 2011, Med Sci Sports Exerc 43:1334), " +
        "with HRmax from the profile or 208 − 0.7 × age (Tanaka et al. 2001); sessions without heart rate are assumed RPE 4. Estimated load is marked as such.";

    /// <summary>CR-10 RPE from average heart rate as a share of maximum (see <see cref="RpeMethodText"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">heart rates outside 30–250 bpm.</exception>
    public static double RpeFromHeartRate(int averageHeartRate, int maxHeartRate)
    {
        Guard.InRange(averageHeartRate, 30, 250, "bpm", "averageHeartRate");
        Guard.InRange(maxHeartRate, 100, 250, "bpm", "maxHeartRate");
        var percent = 100.0 * averageHeartRate / maxHeartRate;
        return Math.Round(Math.Clamp((percent - 50) / 5, 1, 10), 1);
    }

    /// <summary>Computes the load.</summary>
    /// <param name="sessions">logged sessions, any order.</param>
    /// <param name="maxHeartRate">the athlete's maximum heart rate (100–250 bpm), for RPE estimates.</param>
    /// <param name="through">extend the daily series with rest days to this day (e.g. the day before a plan starts); null for the last session's day.</param>
    public static HistoryLoad From(IEnumerable<LoggedSession> sessions, int maxHeartRate, DateOnly? through = null)
    {
        Guard.NotNull(sessions);
        Guard.InRange(maxHeartRate, 100, 250, "bpm", "maxHeartRate");
        var loads = new List<SessionLoad>();
        foreach (var s in sessions.OrderBy(s => s.Start))
        {
            Guard.InRange(s.DistanceKm, 0, 1000, "km", "distanceKm");
            var (rpe, source) = s.Rpe is { } r
                ? (Guard.InRange(r, 0, 10, "(CR-10)", "rpe"), RpeSource.Recorded)
                : s.AverageHeartRate is { } hr && hr is >= 30 and <= 250
                    ? (RpeFromHeartRate(hr, maxHeartRate), RpeSource.FromHeartRate)
                    : (AssumedRpe, RpeSource.Assumed);
            var minutes = Math.Min(s.Duration.TotalMinutes, 600);
            loads.Add(new SessionLoad(DateOnly.FromDateTime(s.Start.UtcDateTime), s.IsRun, s.DistanceKm, s.Duration, rpe, source,
                TrainingLoad.SessionRpe(rpe, TimeSpan.FromMinutes(minutes))));
        }
        if (loads.Count == 0) return new HistoryLoad([], [], null, null, null, RpeMethodText, TrainingLoad.Caveat);

        var last = loads[^1].Date;
        var end = through is { } t && t > last ? t : last;
        var daily = TrainingLoad.Daily(loads.Select(l => (l.Date, l.Load)), to: end);
        var ewma = TrainingLoad.Ewma(daily);
        var rolling = TrainingLoad.Rolling(daily);
        var byDay = ewma.Select((p, i) => (p, r: rolling[i])).ToDictionary(x => x.p.Date);

        var weeks = new List<WeekLoad>();
        foreach (var group in loads.GroupBy(l => Monday(l.Date)).OrderBy(g => g.Key))
        {
            var weekEnd = group.Key.AddDays(6) < end ? group.Key.AddDays(6) : end;
            var (e, r) = byDay[weekEnd];
            weeks.Add(new WeekLoad(group.Key, group.Count(), group.Count(l => l.IsRun),
                Math.Round(group.Where(l => l.IsRun).Sum(l => l.DistanceKm), 2),
                group.Aggregate(TimeSpan.Zero, (sum, l) => sum + l.Duration),
                Math.Round(group.Sum(l => l.Load), 1),
                group.Count(l => l.RpeSource != RpeSource.Recorded),
                e.Ratio, e.Flag, r.Ratio, r.Flag));
        }
        return new HistoryLoad(loads, weeks, end, ewma[^1], rolling[^1], RpeMethodText, TrainingLoad.Caveat);
    }

    /// <summary>The Monday of the date's week.</summary>
    public static DateOnly Monday(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
}
