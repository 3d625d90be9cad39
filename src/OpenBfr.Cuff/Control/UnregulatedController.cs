using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Control;

/// <summary>
/// Baseline: what an unregulated cuff does (Swain et al. 2025's SmartCuffs, Saga, Suji): pump
/// until the reading first reaches the target, then close everything and never touch it again
/// until <see cref="Reset"/>. Contractions, swelling and leaks go uncorrected.
/// </summary>
public sealed class UnregulatedController : IPressureRegulator
{
    private bool _inflated;

    /// <inheritdoc />
    public string Name => "unregulated";

    /// <inheritdoc />
    public void Reset() => _inflated = false;

    /// <inheritdoc />
    public ActuatorCommand Update(PressureReading reading, Pressure target, Pressure ceiling)
    {
        var cap = Math.Min(ceiling.MmHg, SafetyLimits.AbsoluteCap.MmHg); // no ceiling above the hard cap
        var aim = Math.Min(target.MmHg, cap);
        if (!_inflated && reading.PressureMmHg >= aim) _inflated = true;
        return _inflated ? ActuatorCommand.Hold : new ActuatorCommand(1, 0);
    }
}
