namespace OpenBfr.Core.Metrics;

/// <summary>One day's training load (arbitrary units, e.g. session-RPE × minutes summed over the day).</summary>
/// <param name="Date">the calendar day.</param>
/// <param name="Load">≥ 0 AU.</param>
public sealed record DailyLoad(DateOnly Date, double Load);

/// <summary>How an acute:chronic ratio reads. A flag for a change in load, never an injury prediction.</summary>
public enum WorkloadFlag
{
    /// <summary>Fewer days of history than the chronic window, or no chronic load: no ratio.</summary>
    InsufficientData,

    /// <summary>Ratio below 0.8: load well under what the athlete is used to.</summary>
    Low,

    /// <summary>Ratio 0.8–1.5.</summary>
    InRange,

    /// <summary>Ratio above 1.5: a spike in load.</summary>
    High,
}

/// <summary>Acute and chronic load on one day and their ratio.</summary>
/// <param name="Date">the day (its load included).</param>
/// <param name="Load">that day's load, AU.</param>
/// <param name="Acute">acute load (EWMA or 7-day mean), AU/day.</param>
/// <param name="Chronic">chronic load (EWMA or 28-day mean), AU/day.</param>
/// <param name="Ratio">acute / chronic, or null with <see cref="WorkloadFlag.InsufficientData"/>.</param>
/// <param name="Flag">how the ratio reads.</param>
public sealed record WorkloadRatioPoint(DateOnly Date, double Load, double Acute, double Chronic, double? Ratio, WorkloadFlag Flag);

/// <summary>
/// Session load (Foster session-RPE) and the acute:chronic workload ratio, by exponentially
/// weighted moving averages (Williams et al. 2017) and by rolling means.
/// </summary>
public static class TrainingLoad
{
    /// <summary>Above this ratio, load is flagged high (a spike: Gabbett 2016's danger zone).</summary>
    public const double HighAbove = 1.5; // Gabbett 2016, Br J Sports Med 50:273 (ACWR > 1.5 spike)

    /// <summary>Below this ratio, load is flagged low (under the lower edge of Gabbett 2016's 0.8–1.3 "sweet spot").</summary>
    public const double LowBelow = 0.8; // Gabbett 2016, Br J Sports Med 50:273 (0.8–1.3 sweet spot)

    /// <summary>Acute window, days (Williams et al. 2017).</summary>
    public const int DefaultAcuteDays = 7; // Williams et al. 2017, Br J Sports Med 51:209

    /// <summary>Chronic window, days (Williams et al. 2017).</summary>
    public const int DefaultChronicDays = 28; // Williams et al. 2017, Br J Sports Med 51:209

    /// <summary>What every ratio shown to a person must say beside it.</summary>
    public const string Caveat =
        "The acute:chronic workload ratio flags a sudden change in training load compared with what you are used to. It is not an injury prediction: many injuries happen at 'safe' ratios and most spikes cause none.";

    /// <summary>Foster session-RPE load: RPE (CR-10, 0–10) × duration in minutes, in arbitrary units (Foster et al. 2001).</summary>
    /// <param name="rpe">0–10.</param>
    /// <param name="duration">0–600 min.</param>
    /// <exception cref="ArgumentOutOfRangeException">rpe or duration out of range.</exception>
    public static double SessionRpe(double rpe, TimeSpan duration)
    {
        Guard.InRange(rpe, 0, 10, "(CR-10 scale)", "rpe");
        var minutes = Guard.InRange(duration.TotalMinutes, 0, 600, "min", "duration");
        return rpe * minutes;
    }

    /// <summary>
    /// Sums sessions per calendar day and fills days without a session with 0, from the first
    /// session's day (or <paramref name="from"/>) to the last (or <paramref name="to"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">a negative load, or <paramref name="to"/> before <paramref name="from"/>.</exception>
    public static IReadOnlyList<DailyLoad> Daily(IEnumerable<(DateOnly Date, double Load)> sessions, DateOnly? from = null, DateOnly? to = null)
    {
        Guard.NotNull(sessions);
        var byDay = new SortedDictionary<DateOnly, double>();
        foreach (var (date, load) in sessions)
        {
            Guard.InRange(load, 0, 100_000, "AU", "load");
            byDay[date] = byDay.GetValueOrDefault(date) + load;
        }
        if (byDay.Count == 0 && (from is null || to is null)) return [];
        var first = from ?? byDay.Keys.First();
        var last = to ?? byDay.Keys.Last();
        if (last < first)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"to must be on or after {first:yyyy-MM-dd}, was {last:yyyy-MM-dd}");
        }
        var days = new List<DailyLoad>();
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            days.Add(new DailyLoad(d, byDay.GetValueOrDefault(d)));
        }
        return days;
    }

    /// <summary>
    /// Acute:chronic ratio by EWMA (Williams et al. 2017): EWMA_today = load_today·λ + (1 − λ)·EWMA_yesterday,
    /// λ = 2/(N + 1). Both averages start from the mean of the first <paramref name="acuteDays"/> days
    /// (Williams leaves the start open; this keeps a history that begins mid-training from reading as a spike).
    /// The ratio is given from the <paramref name="chronicDays"/>-th day on.
    /// </summary>
    /// <param name="days">consecutive days, oldest first, without gaps.</param>
    /// <param name="acuteDays">N for the acute average, 1 to chronicDays − 1 (default 7).</param>
    /// <param name="chronicDays">N for the chronic average, 2–90 (default 28).</param>
    /// <exception cref="ArgumentException">days not consecutive.</exception>
    /// <exception cref="ArgumentOutOfRangeException">window out of range.</exception>
    public static IReadOnlyList<WorkloadRatioPoint> Ewma(IReadOnlyList<DailyLoad> days, int acuteDays = DefaultAcuteDays, int chronicDays = DefaultChronicDays)
    {
        CheckWindows(days, acuteDays, chronicDays);
        var points = new List<WorkloadRatioPoint>(days.Count);
        if (days.Count == 0) return points;
        var lambdaAcute = 2.0 / (acuteDays + 1);
        var lambdaChronic = 2.0 / (chronicDays + 1);
        var seed = days.Take(acuteDays).Average(d => d.Load);
        double acute = seed, chronic = seed;
        for (var i = 0; i < days.Count; i++)
        {
            var load = days[i].Load;
            acute = load * lambdaAcute + (1 - lambdaAcute) * acute;
            chronic = load * lambdaChronic + (1 - lambdaChronic) * chronic;
            points.Add(Point(days[i], acute, chronic, i + 1 >= chronicDays));
        }
        return points;
    }

    /// <summary>
    /// Acute:chronic ratio by rolling means: the mean of the last <paramref name="acuteDays"/> days over the
    /// mean of the last <paramref name="chronicDays"/> days, both including the day (the "coupled" ratio
    /// of Hulin and Gabbett, as compared with EWMA by Williams et al. 2017). Given once a full chronic window exists.
    /// </summary>
    /// <exception cref="ArgumentException">days not consecutive.</exception>
    /// <exception cref="ArgumentOutOfRangeException">window out of range.</exception>
    public static IReadOnlyList<WorkloadRatioPoint> Rolling(IReadOnlyList<DailyLoad> days, int acuteDays = DefaultAcuteDays, int chronicDays = DefaultChronicDays)
    {
        CheckWindows(days, acuteDays, chronicDays);
        var points = new List<WorkloadRatioPoint>(days.Count);
        for (var i = 0; i < days.Count; i++)
        {
            var acute = Mean(days, i, acuteDays);
            var chronic = Mean(days, i, chronicDays);
            points.Add(Point(days[i], acute, chronic, i + 1 >= chronicDays));
        }
        return points;
    }

    /// <summary>How a ratio reads: above 1.5 high, below 0.8 low, otherwise in range; null is insufficient data.</summary>
    public static WorkloadFlag Classify(double? ratio) => ratio switch
    {
        null => WorkloadFlag.InsufficientData,
        > HighAbove => WorkloadFlag.High,
        < LowBelow => WorkloadFlag.Low,
        _ => WorkloadFlag.InRange,
    };

    private static WorkloadRatioPoint Point(DailyLoad day, double acute, double chronic, bool enoughHistory)
    {
        double? ratio = enoughHistory && chronic > 0 ? acute / chronic : null;
        return new WorkloadRatioPoint(day.Date, day.Load, acute, chronic, ratio, Classify(ratio));
    }

    /// <summary>Mean of the <paramref name="window"/> days ending at <paramref name="end"/> (fewer at the start).</summary>
    private static double Mean(IReadOnlyList<DailyLoad> days, int end, int window)
    {
        var start = Math.Max(0, end - window + 1);
        double sum = 0;
        for (var j = start; j <= end; j++) sum += days[j].Load;
        return sum / (end - start + 1);
    }

    private static void CheckWindows(IReadOnlyList<DailyLoad> days, int acuteDays, int chronicDays)
    {
        Guard.NotNull(days);
        Guard.InRange(chronicDays, 2, 90, "days", "chronicDays");
        Guard.InRange(acuteDays, 1, chronicDays - 1, "days", "acuteDays");
        for (var i = 0; i < days.Count; i++)
        {
            Guard.InRange(days[i].Load, 0, 100_000, "AU", "load");
            if (i > 0 && days[i].Date != days[i - 1].Date.AddDays(1))
            {
                throw new ArgumentException(
                    $"days must be consecutive, oldest first: {days[i - 1].Date:yyyy-MM-dd} is followed by {days[i].Date:yyyy-MM-dd} (use TrainingLoad.Daily to fill rest days with 0)", nameof(days));
            }
        }
    }
}
