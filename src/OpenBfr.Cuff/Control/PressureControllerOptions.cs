using System.Globalization;

namespace OpenBfr.Cuff.Control;

/// <summary>
/// Tunables of <see cref="PressureController"/>, with documented defaults and ranges. The
/// defaults hold a thigh or arm cuff within ±10% of target through leg-press contractions on
/// the simulator (see the <c>cuff</c> bench). <see cref="Validate"/> reports every bad value at once.
/// </summary>
public sealed class PressureControllerOptions
{
    /// <summary>Demanded pressure rate per mmHg of error.</summary>
    /// <value>0.5–100 per second; default 14.</value>
    public double ProportionalGain { get; init; } = 14;

    /// <summary>Growth of the integral term per mmHg of error per second (slow disturbances: leak, creep, swelling).</summary>
    /// <value>0–200 per second²; default 6.</value>
    public double IntegralGain { get; init; } = 6;

    /// <summary>Largest magnitude of the integral term.</summary>
    /// <value>0–500 mmHg/s; default 40.</value>
    public double IntegralLimitMmHgPerS { get; init; } = 40;

    /// <summary>
    /// Share of the estimated disturbance rate (measured rate minus what the last command should
    /// have caused: a contraction, the arterial pulse, a leak) cancelled at once. This is the fast
    /// feed-forward that opens the valve as a contraction starts, before the error grows.
    /// </summary>
    /// <value>0–1.5; default 0.85.</value>
    public double DisturbanceFeedForward { get; init; } = 0.85;

    /// <summary>Low-pass time constant on the measured pressure.</summary>
    /// <value>0–1 s; default 0.012.</value>
    public double PressureFilterS { get; init; } = 0.012;

    /// <summary>Low-pass time constant on the estimated disturbance rate.</summary>
    /// <value>0.001–2 s; default 0.04.</value>
    public double DisturbanceFilterS { get; init; } = 0.04;

    /// <summary>Nominal pressure rise of the pump at full duty (the cuff's design value; the integral absorbs errors in it).</summary>
    /// <value>1–5000 mmHg/s; default 70.</value>
    public double NominalPumpRiseMmHgPerS { get; init; } = 70;

    /// <summary>Nominal pressure fall through the fully open valve at 100 mmHg; scaled by √(P/100).</summary>
    /// <value>1–20000 mmHg/s; default 320.</value>
    public double NominalValveFallAt100MmHgPerS { get; init; } = 320;

    /// <summary>Demands smaller than this are not acted on (saves the pump from chasing the arterial pulse).</summary>
    /// <value>0–50 mmHg/s; default 1.</value>
    public double DeadbandMmHgPerS { get; init; } = 1;

    /// <summary>A reading older than this is stale: the controller stops pumping and holds.</summary>
    /// <value>0.01–5 s; default 0.1.</value>
    public double StaleAfterS { get; init; } = 0.1;

    /// <summary>
    /// A jump larger than this from one sample to the next is physically impossible for a cuff and
    /// is ignored as a sensor spike (up to 3 in a row; the safety supervisor owns sensor faults).
    /// </summary>
    /// <value>5–300 mmHg; default 40.</value>
    public double SpikeRejectMmHg { get; init; } = 40;

    /// <summary>The pump is never driven when the (filtered or raw) reading is within this of the ceiling.</summary>
    /// <value>0–50 mmHg; default 0.</value>
    public double CeilingMarginMmHg { get; init; }

    /// <summary>The defaults.</summary>
    public static PressureControllerOptions Default { get; } = new();

    /// <summary>Every value outside its range, one message each.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Check(double value, double min, double max, string unit, string name)
        {
            if (!double.IsFinite(value) || value < min || value > max)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be {min}–{max}{(unit.Length > 0 ? " " + unit : "")}, was {value}"));
            }
        }
        Check(ProportionalGain, 0.5, 100, "per s", nameof(ProportionalGain));
        Check(IntegralGain, 0, 200, "per s²", nameof(IntegralGain));
        Check(IntegralLimitMmHgPerS, 0, 500, "mmHg/s", nameof(IntegralLimitMmHgPerS));
        Check(DisturbanceFeedForward, 0, 1.5, "", nameof(DisturbanceFeedForward));
        Check(PressureFilterS, 0, 1, "s", nameof(PressureFilterS));
        Check(DisturbanceFilterS, 0.001, 2, "s", nameof(DisturbanceFilterS));
        Check(NominalPumpRiseMmHgPerS, 1, 5000, "mmHg/s", nameof(NominalPumpRiseMmHgPerS));
        Check(NominalValveFallAt100MmHgPerS, 1, 20000, "mmHg/s", nameof(NominalValveFallAt100MmHgPerS));
        Check(DeadbandMmHgPerS, 0, 50, "mmHg/s", nameof(DeadbandMmHgPerS));
        Check(StaleAfterS, 0.01, 5, "s", nameof(StaleAfterS));
        Check(SpikeRejectMmHg, 5, 300, "mmHg", nameof(SpikeRejectMmHg));
        Check(CeilingMarginMmHg, 0, 50, "mmHg", nameof(CeilingMarginMmHg));
        return errors;
    }

    /// <summary>Returns these options when valid.</summary>
    /// <exception cref="ArgumentOutOfRangeException">one or more values outside their ranges (all listed).</exception>
    public PressureControllerOptions ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PressureControllerOptions), "invalid pressure controller options: " + string.Join("; ", errors));
        }
        return this;
    }
}
