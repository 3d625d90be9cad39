using System.Globalization;

namespace OpenBfr.Cli.Commands;

/// <summary>Number and duration formatting for text output (invariant culture).</summary>
internal static class Text
{
    public static string N(double v, string format = "0.#") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>"30 s", "3 min", "3 min 30 s", "1 h 05 min".</summary>
    public static string Duration(TimeSpan d)
    {
        if (d.TotalHours >= 1) return $"{(int)d.TotalHours} h {d.Minutes:00} min";
        if (d.TotalSeconds < 60) return $"{N(d.TotalSeconds)} s";
        return d.Seconds == 0 && d.Milliseconds == 0 ? $"{(int)d.TotalMinutes} min" : $"{(int)d.TotalMinutes} min {d.Seconds} s";
    }

    /// <summary>"19:57" or "3:10:49".</summary>
    public static string Clock(TimeSpan d)
        => d.TotalHours >= 1 ? $"{(int)d.TotalHours}:{d.Minutes:00}:{d.Seconds:00}" : $"{(int)d.TotalMinutes}:{d.Seconds:00}";
}
