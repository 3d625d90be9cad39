namespace OpenBfr.Core.Metrics;

/// <summary>
/// Running fitness from race or test times: VDOT (Daniels &amp; Gilbert 1979) and VO2max from the
/// 1.5-mile run (ACSM).
/// </summary>
public static class RunningFitness
{
    /// <summary>Shortest race distance accepted, m (Daniels' tables start at 1500 m; 800 m allows a margin).</summary>
    public const double MinDistanceMetres = 800;

    /// <summary>Longest race distance accepted, m (a little beyond the marathon).</summary>
    public const double MaxDistanceMetres = 50_000;

    /// <summary>Fastest average speed accepted, m/min: faster than the men's 1500 m world record pace (~438 m/min) is an input error.</summary>
    public const double MaxSpeedMetresPerMinute = 450;

    /// <summary>Slowest average speed accepted, m/min (10 km/h would be 166.7; 100 m/min is a 10 min/km jog-walk).</summary>
    public const double MinSpeedMetresPerMinute = 100;

    /// <summary>One and a half miles, in metres.</summary>
    public const double MileAndHalfMetres = 2414.016;

    /// <summary>Well-known race distances, m.</summary>
    public const double FiveK = 5000, TenK = 10_000, HalfMarathon = 21_097.5, Marathon = 42_195;

    /// <summary>
    /// VDOT for a race: VO2 = −4.60 + 0.182258·v + 0.000104·v² (v in m/min) divided by the fraction of
    /// VO2max sustainable for t minutes, 0.8 + 0.1894393·e^(−0.012778·t) + 0.2989558·e^(−0.1932605·t)
    /// (Daniels &amp; Gilbert 1979, Oxygen Power).
    /// </summary>
    /// <param name="distanceMetres">800–50 000 m.</param>
    /// <param name="time">the race time; the average speed must be 100–450 m/min.</param>
    /// <returns>VDOT, ml/kg/min.</returns>
    /// <exception cref="ArgumentOutOfRangeException">distance out of range, or a time that gives a speed no runner races at.</exception>
    public static double Vdot(double distanceMetres, TimeSpan time)
    {
        Guard.InRange(distanceMetres, MinDistanceMetres, MaxDistanceMetres, "m", "distance");
        Guard.Positive(time.TotalMinutes, "min", "time");
        var t = time.TotalMinutes;
        var v = distanceMetres / t;
        if (v < MinSpeedMetresPerMinute || v > MaxSpeedMetresPerMinute)
        {
            throw new ArgumentOutOfRangeException(nameof(time), time,
                $"time {time:h\\:mm\\:ss} for {Guard.Format(distanceMetres)} m is {v:0} m/min on average; a race is run at {MinSpeedMetresPerMinute:0}–{MaxSpeedMetresPerMinute:0} m/min");
        }
        var vo2 = -4.60 + 0.182258 * v + 0.000104 * v * v;
        var fraction = 0.8 + 0.1894393 * Math.Exp(-0.012778 * t) + 0.2989558 * Math.Exp(-0.1932605 * t);
        return vo2 / fraction;
    }

    /// <summary>VO2max from a 1.5-mile run: 483 / minutes + 3.5 (ACSM).</summary>
    /// <param name="time">6–30 min.</param>
    /// <returns>VO2max, ml/kg/min.</returns>
    /// <exception cref="ArgumentOutOfRangeException">time outside 6–30 min.</exception>
    public static double Vo2MaxFromMileAndHalf(TimeSpan time)
    {
        // Under 6 min is faster than the 1.5-mile world best; over 30 min is walking, outside the test's use.
        var minutes = Guard.InRange(time.TotalMinutes, 6, 30, "min", "time");
        return 483 / minutes + 3.5;
    }

    /// <summary>Parses a distance: metres ("5000") or 5k, 10k, half, marathon (also "hm", "half-marathon", "mile").</summary>
    public static bool TryParseDistance(string? text, out double metres)
    {
        metres = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var key = text.Trim().ToLowerInvariant();
        metres = key switch
        {
            "5k" or "5km" => FiveK,
            "10k" or "10km" => TenK,
            "half" or "hm" or "half-marathon" or "halfmarathon" => HalfMarathon,
            "marathon" or "m" or "full" => Marathon,
            "mile" => 1609.344,
            "1.5mi" or "1.5-mile" => MileAndHalfMetres,
            _ => double.TryParse(key.EndsWith('m') && !key.EndsWith("km", StringComparison.Ordinal) ? key[..^1] : key,
                System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var m) && double.IsFinite(m) ? m : double.NaN,
        };
        return !double.IsNaN(metres);
    }
}
