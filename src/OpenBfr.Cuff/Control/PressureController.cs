using OpenBfr.Core;
using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Control;

/// <summary>
/// Everything <see cref="PressureController"/> remembers between samples. A value: the caller
/// keeps it and passes it back, so the controller itself holds no mutable state.
/// </summary>
/// <param name="Initialized">false until the first accepted reading.</param>
/// <param name="LastAtTicks">UTC ticks of the last accepted reading.</param>
/// <param name="LastRawMmHg">the last accepted raw reading, mmHg.</param>
/// <param name="FilteredMmHg">low-passed pressure, mmHg.</param>
/// <param name="DisturbanceMmHgPerS">estimated pressure rate not caused by the last command (contraction, leak, pulse), mmHg/s.</param>
/// <param name="IntegralMmHgPerS">integral term, mmHg/s.</param>
/// <param name="LastCommand">the last command returned.</param>
/// <param name="SpikesInRow">consecutive readings rejected as spikes.</param>
public readonly record struct PressureControllerState(
    bool Initialized,
    long LastAtTicks,
    double LastRawMmHg,
    double FilteredMmHg,
    double DisturbanceMmHgPerS,
    double IntegralMmHgPerS,
    ActuatorCommand LastCommand,
    int SpikesInRow)
{
    /// <summary>The state before the first reading.</summary>
    public static PressureControllerState Initial => default;
}

/// <summary>
/// OpenBFR's closed-loop cuff pressure controller (DESIGN.md section 5): pump to raise, valve to
/// bleed. <see cref="Step"/> is a pure function of (state, measurement, time, target, ceiling)
/// to (state, command), so it runs without threads in tests and benches.
/// <para>
/// Control law, in pressure-rate units (mmHg/s): demand = Kp·error + integral − Kff·disturbance.
/// The disturbance is what the cuff's pressure did beyond what the last command should have done
/// (a disturbance observer on the nominal pump and valve rates): when a contraction starts pushing
/// the pressure up, it appears within a sample or two and the valve opens in proportion, before
/// the error has grown; as the muscle relaxes the pump refills. The integral takes up leaks,
/// tissue creep and swelling. A positive demand drives the pump (duty = demand / nominal pump
/// rise), a negative one opens the valve (opening = −demand / nominal valve fall at P, ∝ √P).
/// </para>
/// <para>
/// Limits: the ceiling is clamped to <see cref="SafetyLimits.AbsoluteCap"/> (300 mmHg), the set-point to the ceiling, and the pump is never driven while the raw or
/// filtered reading is at or above the ceiling (less <see cref="PressureControllerOptions.CeilingMarginMmHg"/>).
/// A stale reading (older than <see cref="PressureControllerOptions.StaleAfterS"/>) gives
/// <see cref="ActuatorCommand.Hold"/>: the controller never pumps blind. Faults are the safety
/// supervisor's business, not the controller's.
/// </para>
/// </summary>
public sealed class PressureController
{
    /// <summary>Creates a controller with the given options (validated).</summary>
    /// <exception cref="ArgumentOutOfRangeException">an option outside its range (all listed).</exception>
    public PressureController(PressureControllerOptions? options = null)
        => Options = (options ?? PressureControllerOptions.Default).ThrowIfInvalid();

    /// <summary>The controller's tunables.</summary>
    public PressureControllerOptions Options { get; }

    /// <summary>One control step.</summary>
    /// <param name="state">the state returned by the previous step (or <see cref="PressureControllerState.Initial"/>).</param>
    /// <param name="measurement">the latest sensor reading.</param>
    /// <param name="now">the time now (for staleness).</param>
    /// <param name="target">the set-point.</param>
    /// <param name="ceiling">never aim above this; no pumping at or above it.</param>
    /// <returns>the new state and the command to send.</returns>
    public (PressureControllerState State, ActuatorCommand Command) Step(
        in PressureControllerState state, PressureReading measurement, DateTimeOffset now, Pressure target, Pressure ceiling)
    {
        var o = Options;
        var ceilingMmHg = Math.Clamp(ceiling.MmHg, 0, SafetyLimits.AbsoluteCap.MmHg); // no ceiling above the hard cap
        var aim = Math.Clamp(target.MmHg, 0, ceilingMmHg);
        var y = measurement.PressureMmHg;

        if (!double.IsFinite(y) || (now - measurement.At).TotalSeconds > o.StaleAfterS)
        {
            return (state with { LastCommand = ActuatorCommand.Hold }, ActuatorCommand.Hold);
        }

        var at = measurement.At.UtcTicks;
        if (!state.Initialized)
        {
            var first = new PressureControllerState(true, at, y, y, 0, 0, ActuatorCommand.Hold, 0);
            return Decide(first, aim, ceilingMmHg, y, 0);
        }

        var dt = (at - state.LastAtTicks) / (double)TimeSpan.TicksPerSecond;
        if (dt <= 0)
        {
            return (state, state.LastCommand); // the same sample again: nothing new to act on
        }

        if (Math.Abs(y - state.LastRawMmHg) > o.SpikeRejectMmHg && state.SpikesInRow < 3)
        {
            var careful = state.LastCommand with { PumpDuty = 0 };
            return (state with { SpikesInRow = state.SpikesInRow + 1, LastCommand = careful }, careful);
        }

        var alpha = o.PressureFilterS > 0 ? dt / (o.PressureFilterS + dt) : 1;
        var filtered = state.FilteredMmHg + alpha * (y - state.FilteredMmHg);
        var rate = (filtered - state.FilteredMmHg) / dt;
        var last = state.LastCommand;
        var expected = last.PumpDuty * PumpRise(state.FilteredMmHg) - last.ValveOpening * ValveFall(state.FilteredMmHg);
        var beta = dt / (o.DisturbanceFilterS + dt);
        var disturbance = state.DisturbanceMmHgPerS + beta * (rate - expected - state.DisturbanceMmHgPerS);

        var error = aim - filtered;
        var integral = state.IntegralMmHgPerS;
        var saturatedUp = last.PumpDuty >= 1 && error > 0;
        var saturatedDown = last.ValveOpening >= 1 && error < 0;
        if (!saturatedUp && !saturatedDown)
        {
            integral = Math.Clamp(integral + o.IntegralGain * error * dt, -o.IntegralLimitMmHgPerS, o.IntegralLimitMmHgPerS);
        }

        var next = new PressureControllerState(true, at, y, filtered, disturbance, integral, last, 0);
        return Decide(next, aim, ceilingMmHg, y, disturbance);
    }

    private (PressureControllerState, ActuatorCommand) Decide(PressureControllerState s, double aim, double ceilingMmHg, double raw, double disturbance)
    {
        var o = Options;
        var error = aim - s.FilteredMmHg;
        var demand = o.ProportionalGain * error + s.IntegralMmHgPerS - o.DisturbanceFeedForward * disturbance;
        if (Math.Abs(demand) < o.DeadbandMmHgPerS) demand = 0;

        double pump = 0, valve = 0;
        if (demand > 0) pump = Math.Min(1, demand / PumpRise(s.FilteredMmHg));
        else if (demand < 0) valve = Math.Min(1, -demand / ValveFall(s.FilteredMmHg));

        var limit = ceilingMmHg - o.CeilingMarginMmHg;
        if (s.FilteredMmHg >= limit || raw >= limit) pump = 0;

        var command = new ActuatorCommand(pump, valve);
        return (s with { LastCommand = command }, command);
    }

    private double PumpRise(double pressureMmHg) => Options.NominalPumpRiseMmHgPerS;

    private double ValveFall(double pressureMmHg)
        => Options.NominalValveFallAt100MmHgPerS * Math.Sqrt(Math.Max(pressureMmHg, 1) / 100);
}

/// <summary>
/// OpenBFR's regulator: <see cref="PressureController"/> with its state kept, behind
/// <see cref="IPressureRegulator"/> so the session engine can swap it with the baselines.
/// </summary>
public sealed class ClosedLoopRegulator : IPressureRegulator
{
    private readonly PressureController _controller;
    private readonly TimeProvider? _clock;
    private PressureControllerState _state;

    /// <summary>Creates the regulator.</summary>
    /// <param name="options">controller tunables (default <see cref="PressureControllerOptions.Default"/>).</param>
    /// <param name="clock">judges staleness of readings; without it a reading is taken as current.</param>
    /// <exception cref="ArgumentOutOfRangeException">an option outside its range.</exception>
    public ClosedLoopRegulator(PressureControllerOptions? options = null, TimeProvider? clock = null)
    {
        _controller = new PressureController(options);
        _clock = clock;
    }

    /// <inheritdoc />
    public string Name => "openbfr";

    /// <summary>The controller's current state (for telemetry and tests).</summary>
    public PressureControllerState State => _state;

    /// <inheritdoc />
    public void Reset() => _state = PressureControllerState.Initial;

    /// <inheritdoc />
    public ActuatorCommand Update(PressureReading reading, Pressure target, Pressure ceiling)
    {
        var now = _clock?.GetUtcNow() ?? reading.At;
        (_state, var command) = _controller.Step(_state, reading, now, target, ceiling);
        return command;
    }
}
