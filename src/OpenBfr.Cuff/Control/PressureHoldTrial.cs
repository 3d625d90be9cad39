using OpenBfr.Core;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Simulation;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Control;

/// <summary>The phases of a pressure-hold trial.</summary>
public enum HoldPhase
{
    /// <summary>Pumping up to the target (not scored).</summary>
    Inflating,

    /// <summary>Settled at the target before the first set (not scored).</summary>
    LeadIn,

    /// <summary>A set of reps: scored against ±10% of target.</summary>
    Exercise,

    /// <summary>Rest between sets with the cuff on: scored against ±5% of target.</summary>
    Rest,
}

/// <summary>
/// One exercise with the cuff held on: sets of reps with rests between them, at a target share
/// of the limb's true LOP. <see cref="SwainLegPress"/> is the scenario of Swain et al. 2025.
/// </summary>
public sealed record HoldScenario
{
    /// <summary>Set-point as a share of the true LOP.</summary>
    /// <value>10–80 % (the hard exercise limit); default 80.</value>
    public double TargetPercentOfLop { get; init; } = 80;

    /// <summary>Reps in each set.</summary>
    public IReadOnlyList<int> SetReps { get; init; } = [30, 15, 15, 15];

    /// <summary>Seconds per rep (concentric + eccentric).</summary>
    /// <value>0.5–20 s; default 2 (ProtocolCatalog.SecondsPerRep).</value>
    public double SecondsPerRep { get; init; } = ProtocolCatalog.SecondsPerRep;

    /// <summary>Rest between sets, cuff inflated.</summary>
    public TimeSpan Rest { get; init; } = ProtocolCatalog.RestBetweenSets;

    /// <summary>Time at the target before the first set.</summary>
    public TimeSpan LeadIn { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest the initial inflation may take before the trial goes on regardless.</summary>
    public TimeSpan MaxInflation { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Swain et al. 2025: leg press, 30-15-15-15 reps, 80% LOP, 30 s rests with the cuff on
    /// (Delfi PTS held 95% of exercise time within ±10% and 99% of rest within ±5%; the
    /// unregulated devices 25–34% and 0%).
    /// </summary>
    public static HoldScenario SwainLegPress { get; } = new(); // Swain et al. 2025 (Sources.Swain2025)

    /// <summary>The source of <see cref="SwainLegPress"/>.</summary>
    public const string Source = Sources.Swain2025;
}

/// <summary>How well one regulator held one limb's pressure through one scenario (measured on the TRUE bladder pressure).</summary>
/// <param name="Regulator">the regulator's name.</param>
/// <param name="Seed">the limb's seed.</param>
/// <param name="ExerciseWithin10Percent">% of exercise time within ±10% of target.</param>
/// <param name="RestWithin5Percent">% of rest time within ±5% of target.</param>
/// <param name="PeakPercentOfLop">highest pressure from reaching the target to the end, % of true LOP.</param>
/// <param name="LowPercentOfLop">lowest pressure over exercise and rest, % of true LOP.</param>
/// <param name="SecondsAtOrAboveLop">time at or above 100% LOP.</param>
/// <param name="SimulatedSeconds">virtual time simulated.</param>
public sealed record PressureHoldResult(
    string Regulator,
    int Seed,
    double ExerciseWithin10Percent,
    double RestWithin5Percent,
    double PeakPercentOfLop,
    double LowPercentOfLop,
    double SecondsAtOrAboveLop,
    double SimulatedSeconds);

/// <summary>
/// Runs a regulator against a <see cref="CuffSimulator"/> through a <see cref="HoldScenario"/>:
/// the control loop at the sensor rate (heartbeat, read, update, command, advance), scoring the
/// true bladder pressure each sample. Deterministic: same limb (seed), regulator and scenario,
/// same result.
/// </summary>
public static class PressureHoldTrial
{
    /// <summary>Runs one trial.</summary>
    /// <param name="limb">the simulated limb (its seed fixes every disturbance).</param>
    /// <param name="regulator">the regulator under test; it is reset first.</param>
    /// <param name="scenario">sets, rests and target.</param>
    /// <param name="prepare">optional: called once with the new simulator (e.g. to inject faults).</param>
    /// <param name="observe">optional: called after every control tick with the simulator, phase, target and the command sent.</param>
    /// <exception cref="SafetyLimitExceededException">a target above 80% LOP.</exception>
    public static PressureHoldResult Run(
        SimulatedLimb limb,
        IPressureRegulator regulator,
        HoldScenario scenario,
        Action<CuffSimulator>? prepare = null,
        Action<CuffSimulator, HoldPhase, Pressure, ActuatorCommand>? observe = null)
    {
        Guard.NotNull(limb);
        Guard.NotNull(regulator);
        Guard.NotNull(scenario);
        var lop = Pressure.FromMmHg(limb.TrueLopMmHg);
        var target = SafetyLimits.CheckTarget(lop.Percent(scenario.TargetPercentOfLop), lop);
        var ceiling = SafetyLimits.Ceiling(lop);

        var sim = new CuffSimulator(limb);
        prepare?.Invoke(sim);
        regulator.Reset();
        var tick = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / limb.SensorRateHz);
        var command = ActuatorCommand.Hold;

        void Tick(HoldPhase phase)
        {
            sim.Heartbeat();
            if (sim.TryReadPressure(out var reading))
            {
                command = regulator.Update(reading, target, ceiling);
                sim.Command(command);
            }
            sim.Advance(tick);
            observe?.Invoke(sim, phase, target, command);
        }

        // Inflate (unscored) until the true pressure is near the target, then a short lead-in.
        var inflateEnd = sim.Elapsed + scenario.MaxInflation;
        Tick(HoldPhase.Inflating);
        while (sim.TruePressureMmHg < 0.97 * target.MmHg && sim.Elapsed < inflateEnd)
        {
            Tick(HoldPhase.Inflating);
        }

        var peak = 0.0;
        var low = double.MaxValue;
        var aboveLopSeconds = 0.0;
        long exerciseIn = 0, exerciseAll = 0, restIn = 0, restAll = 0;
        var dt = tick.TotalSeconds;

        void Run(HoldPhase phase, TimeSpan duration)
        {
            var end = sim.Elapsed + duration;
            while (sim.Elapsed < end)
            {
                Tick(phase);
                var p = sim.TruePressureMmHg;
                peak = Math.Max(peak, p);
                if (p >= lop.MmHg) aboveLopSeconds += dt;
                var deviation = Math.Abs(p - target.MmHg) / target.MmHg;
                if (phase == HoldPhase.Exercise)
                {
                    exerciseAll++;
                    if (deviation <= 0.10) exerciseIn++;
                    low = Math.Min(low, p);
                }
                else if (phase == HoldPhase.Rest)
                {
                    restAll++;
                    if (deviation <= 0.05) restIn++;
                    low = Math.Min(low, p);
                }
            }
        }

        Run(HoldPhase.LeadIn, scenario.LeadIn);
        for (var i = 0; i < scenario.SetReps.Count; i++)
        {
            if (i > 0) Run(HoldPhase.Rest, scenario.Rest);
            sim.BeginSet(scenario.SetReps[i], scenario.SecondsPerRep);
            Run(HoldPhase.Exercise, TimeSpan.FromSeconds(scenario.SetReps[i] * scenario.SecondsPerRep));
        }

        return new PressureHoldResult(
            regulator.Name,
            limb.Seed,
            exerciseAll == 0 ? double.NaN : 100.0 * exerciseIn / exerciseAll,
            restAll == 0 ? double.NaN : 100.0 * restIn / restAll,
            100.0 * peak / lop.MmHg,
            low == double.MaxValue ? double.NaN : 100.0 * low / lop.MmHg,
            aboveLopSeconds,
            sim.Elapsed.TotalSeconds);
    }
}
