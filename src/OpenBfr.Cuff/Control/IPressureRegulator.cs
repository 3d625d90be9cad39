using OpenBfr.Core.Units;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Control;

/// <summary>
/// A stateful pressure regulator the session engine (and the bench) can swap: OpenBFR's
/// closed-loop regulator, or the <see cref="UnregulatedController"/> and
/// <see cref="BangBangController"/> baselines. Call <see cref="Update"/> once per sensor sample
/// (100 Hz); time comes from the reading. A regulator never drives the pump while the reading is
/// at or above the ceiling it is given.
/// </summary>
public interface IPressureRegulator
{
    /// <summary>Short name for tables and logs ("openbfr", "unregulated", "bang-bang").</summary>
    string Name { get; }

    /// <summary>Forgets everything (new inflation).</summary>
    void Reset();

    /// <summary>The actuator command for this reading.</summary>
    /// <param name="reading">the latest sensor sample.</param>
    /// <param name="target">the set-point.</param>
    /// <param name="ceiling">the highest pressure the regulator may aim for (the prescription's high end or <c>SafetyLimits.Ceiling</c>); the target is clamped to it, and it to the 300 mmHg absolute cap.</param>
    ActuatorCommand Update(PressureReading reading, Pressure target, Pressure ceiling);
}
