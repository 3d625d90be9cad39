using System.Globalization;
using OpenBfr.Core.Safety;

namespace OpenBfr.Cuff.Safety;

/// <summary>
/// Detection thresholds of the safety supervisor. Every default is the loosest value allowed:
/// options can only make the supervisor stricter (detect sooner or at a smaller deviation),
/// never looser, and the hard limits themselves (300 mmHg, 100% LOP for 2 s, continuous
/// inflation) come from <see cref="SafetyLimits"/> and cannot be raised here at all.
/// </summary>
public sealed record SafetySupervisorOptions
{
    /// <summary>No new reading for longer than this is a stale sensor.</summary>
    /// <value>0.05–0.25 s; default 0.25 s (half the 0.5 s detection budget).</value>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(0.25);

    /// <summary>The same value repeated for this long while the pump or valve acts is a frozen sensor.</summary>
    /// <value>0.1–0.3 s; default 0.3 s.</value>
    public TimeSpan FrozenAfter { get; init; } = TimeSpan.FromSeconds(0.3);

    /// <summary>How long a reading may stay at or above 100% LOP.</summary>
    /// <value>0–2 s; default and maximum <see cref="SafetyLimits.MaxTimeAtOrAboveLop"/>.</value>
    public TimeSpan MaxTimeAtOrAboveLop { get; init; } = SafetyLimits.MaxTimeAtOrAboveLop;

    /// <summary>How far above the prescription's ceiling a reading may go during contractions, % of the ceiling.</summary>
    /// <value>0–10%; default 10% (the ±10% band of Swain et al. 2025).</value>
    public double CeilingBandPercent { get; init; } = 10;

    /// <summary>How long a reading may stay above the ceiling band (contraction peaks last under a second).</summary>
    /// <value>0–2 s; default 2 s, the same grace as for 100% LOP.</value>
    public TimeSpan MaxTimeAboveCeilingBand { get; init; } = SafetyLimits.MaxTimeAtOrAboveLop;

    /// <summary>
    /// The fastest change between two readings a real cuff can show; faster is a sensor spike.
    /// A fully open valve empties a cuff from 300 mmHg in a few hundred milliseconds, so the bound
    /// sits well above that.
    /// </summary>
    /// <value>500–3000 mmHg/s; default 3000 mmHg/s.</value>
    public double MaxRateMmHgPerSecond { get; init; } = 3000;

    /// <summary>Readings below this are implausible (gauge sensors read a few mmHg below zero at most).</summary>
    /// <value>-10–0 mmHg; default -10 mmHg.</value>
    public double MinPlausibleMmHg { get; init; } = -10;

    /// <summary>The window over which pump, valve and leak faults are judged.</summary>
    /// <value>0.15–0.3 s; default 0.25 s (long enough to see the pump's or valve's effect through the pulse, short enough to leave a quarter second of the 0.5 s detection budget).</value>
    public TimeSpan ActuatorWindow { get; init; } = TimeSpan.FromSeconds(0.25);

    /// <summary>How far below the target, % of target, pressure must be before a working pump that does not raise it counts as failed or leaking.</summary>
    /// <value>2–10%; default 10% (the edge of the ±10% band).</value>
    public double LowBandPercent { get; init; } = 10;

    /// <summary>A pressure fall faster than this with the valve closed is a leak.</summary>
    /// <value>0.5–5 mmHg/s; default 5 mmHg/s.</value>
    public double LeakFallMmHgPerSecond { get; init; } = 5;

    /// <summary>The continuous-inflation limit; null for the hard limit of the exercise kind.</summary>
    /// <value>1 min up to <see cref="SafetyLimits.MaxContinuousInflation"/> of the kind; default null.</value>
    public TimeSpan? MaxContinuousInflation { get; init; }

    /// <summary>The defaults: the loosest supervisor the hard limits allow.</summary>
    public static SafetySupervisorOptions Default { get; } = new();

    /// <summary>Every problem with these options, each naming the option, the value and the allowed range; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Seconds(string name, TimeSpan value, double min, double max)
        {
            if (!(value.TotalSeconds >= min - 1e-9 && value.TotalSeconds <= max + 1e-9))
                errors.Add($"{name} must be {F(min)}–{F(max)} s (options may only make the supervisor stricter), was {F(value.TotalSeconds)} s");
        }
        void Number(string name, double value, double min, double max, string unit)
        {
            if (!double.IsFinite(value) || value < min || value > max)
                errors.Add($"{name} must be {F(min)}–{F(max)} {unit} (options may only make the supervisor stricter), was {F(value)} {unit}");
        }
        Seconds(nameof(StaleAfter), StaleAfter, 0.05, 0.25);
        Seconds(nameof(FrozenAfter), FrozenAfter, 0.1, 0.3);
        Seconds(nameof(MaxTimeAtOrAboveLop), MaxTimeAtOrAboveLop, 0, SafetyLimits.MaxTimeAtOrAboveLop.TotalSeconds);
        Number(nameof(CeilingBandPercent), CeilingBandPercent, 0, 10, "%");
        Seconds(nameof(MaxTimeAboveCeilingBand), MaxTimeAboveCeilingBand, 0, SafetyLimits.MaxTimeAtOrAboveLop.TotalSeconds);
        Number(nameof(MaxRateMmHgPerSecond), MaxRateMmHgPerSecond, 500, 3000, "mmHg/s");
        Number(nameof(MinPlausibleMmHg), MinPlausibleMmHg, -10, 0, "mmHg");
        Seconds(nameof(ActuatorWindow), ActuatorWindow, 0.15, 0.3);
        Number(nameof(LowBandPercent), LowBandPercent, 2, 10, "%");
        Number(nameof(LeakFallMmHgPerSecond), LeakFallMmHgPerSecond, 0.5, 5, "mmHg/s");
        if (MaxContinuousInflation is { } max)
        {
            Seconds(nameof(MaxContinuousInflation), max, 60, SafetyLimits.AbsoluteMaxContinuousInflation.TotalSeconds);
        }
        return errors;
    }

    /// <summary>Returns these options when valid.</summary>
    /// <exception cref="ArgumentException">one or more options are out of range; the message lists all of them.</exception>
    public SafetySupervisorOptions Validated()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new ArgumentException(string.Join("; ", errors), "options");
    }

    /// <summary>The continuous-inflation limit for a kind: the option when set and stricter, else the hard limit.</summary>
    public TimeSpan ContinuousInflationLimit(InflationKind kind)
    {
        var hard = SafetyLimits.MaxContinuousInflation(kind);
        return MaxContinuousInflation is { } max && max < hard ? max : hard;
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
