using System.Globalization;
using OpenBfr.Cuff.Safety;

namespace OpenBfr.Cuff.Session;

/// <summary>Tunables of the guided session engine, with documented defaults and ranges.</summary>
public sealed record SessionOptions
{
    /// <summary>How often a telemetry sample per cuff goes to the observers.</summary>
    /// <value>0.01–1 s; default 0.1 s (10 Hz: enough to see every rep, small logs).</value>
    public TimeSpan TelemetryInterval { get; init; } = TimeSpan.FromSeconds(0.1);

    /// <summary>The longest the cuffs may take to reach their targets before the session is aborted.</summary>
    /// <value>5–60 s; default 30 s.</value>
    public TimeSpan InflateTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A cuff counts as inflated when its reading reaches this share of the target.</summary>
    /// <value>80–100%; default 95%.</value>
    public double InflatedAtPercentOfTarget { get; init; } = 95;

    /// <summary>The longest deflation waits for every cuff to fall below 20 mmHg before moving on.</summary>
    /// <value>1–10 s; default 3 s.</value>
    public TimeSpan DeflateTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A deflation is complete when every cuff reads below this. It sits below the supervisor's
    /// 20 mmHg so sensor noise cannot call a cuff at 21 mmHg deflated.
    /// </summary>
    /// <value>2–20 mmHg; default 10 mmHg.</value>
    public double DeflatedBelowMmHg { get; init; } = 10;

    /// <summary>The safety supervisor's thresholds (can only be stricter than the defaults).</summary>
    public SafetySupervisorOptions Safety { get; init; } = SafetySupervisorOptions.Default;

    public static SessionOptions Default { get; } = new();

    /// <summary>Every problem, each naming the option, the value and the allowed range; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Seconds(string name, TimeSpan v, double min, double max)
        {
            if (!(v.TotalSeconds >= min && v.TotalSeconds <= max))
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be {min}–{max} s, was {v.TotalSeconds:0.###} s"));
        }
        Seconds(nameof(TelemetryInterval), TelemetryInterval, 0.01, 1);
        Seconds(nameof(InflateTimeout), InflateTimeout, 5, 60);
        Seconds(nameof(DeflateTimeout), DeflateTimeout, 1, 10);
        if (!(InflatedAtPercentOfTarget >= 80 && InflatedAtPercentOfTarget <= 100))
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(InflatedAtPercentOfTarget)} must be 80–100 %, was {InflatedAtPercentOfTarget:0.###} %"));
        if (!(DeflatedBelowMmHg >= 2 && DeflatedBelowMmHg <= 20))
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(DeflatedBelowMmHg)} must be 2–20 mmHg, was {DeflatedBelowMmHg:0.###} mmHg"));
        if (Safety is null) errors.Add($"{nameof(Safety)} is required");
        else errors.AddRange(Safety.Validate().Select(e => $"{nameof(Safety)}.{e}"));
        return errors;
    }

    /// <summary>Returns these options when valid.</summary>
    /// <exception cref="ArgumentException">one or more options out of range; all are listed.</exception>
    public SessionOptions Validated()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new ArgumentException(string.Join("; ", errors), "options");
    }
}
