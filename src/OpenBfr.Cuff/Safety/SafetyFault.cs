namespace OpenBfr.Cuff.Safety;

/// <summary>Why the safety supervisor deflated the cuffs.</summary>
public enum FaultKind
{
    /// <summary>A reading above the absolute cap of 300 mmHg.</summary>
    AbsoluteCap,

    /// <summary>A reading at or above 100% LOP for longer than 2 s.</summary>
    AtOrAboveLop,

    /// <summary>A set-point above the prescription's ceiling, or readings above its band for longer than 2 s.</summary>
    AboveCeiling,

    /// <summary>Inflated longer than the continuous-inflation limit for the kind of exercise.</summary>
    ContinuousInflation,

    /// <summary>No new reading from the sensor.</summary>
    SensorStale,

    /// <summary>The sensor repeats one value while the pump or valve acts.</summary>
    SensorFrozen,

    /// <summary>A reading that cannot be physical: negative, not a number, or a spike faster than any pump or valve.</summary>
    SensorImplausible,

    /// <summary>Pressure falls with the valve closed although the pump works.</summary>
    Leak,

    /// <summary>The pump draws no current (or current while off, or stall current), or it runs with the valve closed and pressure does not rise.</summary>
    PumpFailure,

    /// <summary>The valve is open, yet pressure does not fall; or its position sensor disagrees with its command.</summary>
    ValveStuck,

    /// <summary>The pump's or valve's feedback (motor current, valve position) is missing, stale or implausible.</summary>
    ActuatorFeedback,

    /// <summary>The cuffs did not reach their targets in time (a leak or pump fault the detectors did not name).</summary>
    InflateTimeout,

    /// <summary>The athlete reported a symptom that means deflate now.</summary>
    Symptom,

    /// <summary>The athlete or clinician stopped the session.</summary>
    Stop,
}

/// <summary>What tripped the supervisor: when, on which cuff, what it saw, and why in words.</summary>
/// <param name="Kind">the fault.</param>
/// <param name="CuffId">the cuff it was seen on; null for session-wide causes (symptom, stop).</param>
/// <param name="At">when it was detected.</param>
/// <param name="ReadingMmHg">the cuff's last reading when detected, mmHg (NaN when none).</param>
/// <param name="Reason">a sentence a clinician can read.</param>
public sealed record SafetyFault(FaultKind Kind, string? CuffId, DateTimeOffset At, double ReadingMmHg, string Reason);

/// <summary>Text forms of fault kinds for logs and the command line.</summary>
public static class FaultKindExtensions
{
    /// <summary>"sensor-frozen", "at-or-above-lop", "pump-failure".</summary>
    public static string ToKebab(this FaultKind kind)
    {
        var name = kind.ToString();
        var sb = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
