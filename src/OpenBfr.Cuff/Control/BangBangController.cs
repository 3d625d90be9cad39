using OpenBfr.Core;
using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Control;

/// <summary>
/// Baseline: on/off control with hysteresis, as simple automatic cuffs do. Below
/// target − band the pump runs flat out until the reading is back at the target; above
/// target + band the (on/off) valve opens until it is back at the target; in between, nothing.
/// Like the solenoids of such cuffs, a state is held at least <c>minimumDwellSeconds</c> before
/// switching again. The pump never runs at or above the ceiling.
/// </summary>
public sealed class BangBangController : IPressureRegulator
{
    private enum Mode { Idle, Pumping, Venting }

    private readonly double _bandPercent;
    private readonly double _ventOpening;
    private readonly TimeSpan _minimumDwell;
    private Mode _mode;
    private DateTimeOffset _since = DateTimeOffset.MinValue;

    /// <summary>Creates the controller.</summary>
    /// <param name="bandPercent">half-width of the dead band, % of target; 0.5–20, default 5.</param>
    /// <param name="ventOpening">valve opening while venting; 0.01–1, default 1 (an on/off solenoid).</param>
    /// <param name="minimumDwellSeconds">shortest time between switches; 0–2 s, default 0.1.</param>
    /// <exception cref="ArgumentOutOfRangeException">a value outside its range.</exception>
    public BangBangController(double bandPercent = 5, double ventOpening = 1, double minimumDwellSeconds = 0.1)
    {
        _bandPercent = Guard.InRange(bandPercent, 0.5, 20, "%");
        _ventOpening = Guard.InRange(ventOpening, 0.01, 1);
        _minimumDwell = TimeSpan.FromSeconds(Guard.InRange(minimumDwellSeconds, 0, 2, "s"));
    }

    /// <inheritdoc />
    public string Name => "bang-bang";

    /// <inheritdoc />
    public void Reset()
    {
        _mode = Mode.Idle;
        _since = DateTimeOffset.MinValue;
    }

    /// <inheritdoc />
    public ActuatorCommand Update(PressureReading reading, Pressure target, Pressure ceiling)
    {
        var cap = Math.Min(ceiling.MmHg, SafetyLimits.AbsoluteCap.MmHg); // no ceiling above the hard cap
        var aim = Math.Min(target.MmHg, cap);
        var band = aim * _bandPercent / 100;
        var p = reading.PressureMmHg;
        var mayswitch = _since == DateTimeOffset.MinValue || reading.At - _since >= _minimumDwell;
        var next = _mode switch
        {
            Mode.Pumping when p >= aim => Mode.Idle,
            Mode.Venting when p <= aim => Mode.Idle,
            Mode.Idle when p < aim - band => Mode.Pumping,
            Mode.Idle when p > aim + band => Mode.Venting,
            var m => m,
        };
        if (next != _mode && mayswitch)
        {
            _mode = next;
            _since = reading.At;
        }
        if (p >= cap && _mode == Mode.Pumping) _mode = Mode.Idle; // never pump at the ceiling, dwell or not
        return _mode switch
        {
            Mode.Pumping => new ActuatorCommand(1, 0),
            Mode.Venting => new ActuatorCommand(0, _ventOpening),
            _ => ActuatorCommand.Hold,
        };
    }
}
