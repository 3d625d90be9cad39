using OpenBfr.Core;
using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Control;

/// <summary>
/// Baseline: on/off control with hysteresis, as simple automatic cuffs do. Below
/// target − band the pump runs flat out until the reading is back at the target; above
/// target + band the (on/off) vent solenoid opens until it is back at the target; in between, nothing.
/// Like the solenoids of such cuffs, a state is held at least <c>minimumDwellSeconds</c> before
/// switching again. The pump never runs at or above the ceiling.
/// <para>
/// The vent is a restricted orifice (20% of the regulating valve by default), sized so that it
/// lets air out about as fast as the pump puts it in at working pressures (thigh cuff: about
/// 60–90 mmHg/s at 100–200 mmHg against the pump's 50–70): one dwell of venting then moves the
/// cuff by about one band width. The fully open valve (ventOpening 1) empties a thigh cuff at
/// about 400 mmHg/s, so a single 0.1 s dwell dumps it 25–35% under its target, which a weak pump
/// cannot refill while a set's held load goes off; no sane on/off cuff is built that way.
/// </para>
/// </summary>
public sealed class BangBangController : IPressureRegulator
{
    /// <summary>The default vent orifice, as a share of the regulating valve fully open.</summary>
    public const double DefaultVentOpening = 0.2;

    private enum Mode { Idle, Pumping, Venting }

    private readonly double _bandPercent;
    private readonly double _ventOpening;
    private readonly TimeSpan _minimumDwell;
    private Mode _mode;
    private DateTimeOffset _since = DateTimeOffset.MinValue;

    /// <summary>Creates the controller.</summary>
    /// <param name="bandPercent">half-width of the dead band, % of target; 0.5–20, default 5.</param>
    /// <param name="ventOpening">valve opening while venting (the vent orifice); 0.01–1, default 0.2.</param>
    /// <param name="minimumDwellSeconds">shortest time between switches; 0–2 s, default 0.1.</param>
    /// <exception cref="ArgumentOutOfRangeException">a value outside its range.</exception>
    public BangBangController(double bandPercent = 5, double ventOpening = DefaultVentOpening, double minimumDwellSeconds = 0.1)
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
