using OpenBfr.Core;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Session;

/// <summary>
/// The pressure regulation the session engine needs from a controller: one actuator command per
/// tick for a reading and a target. The supervisor checks every command it returns.
/// </summary>
public interface ICuffRegulator
{
    /// <summary>The command for this tick.</summary>
    /// <param name="reading">the latest reading.</param>
    /// <param name="target">what the cuff should hold now (never above the prescription's ceiling).</param>
    /// <param name="now">the session's clock.</param>
    ActuatorCommand Next(PressureReading reading, Pressure target, DateTimeOffset now);
}

/// <summary>A rep cue: the muscle under the cuff contracts now, for a rep of this length.</summary>
/// <param name="At">when the rep starts.</param>
/// <param name="Set">1-based set number.</param>
/// <param name="Rep">1-based rep number within the set.</param>
/// <param name="Duration">the rep's duration (concentric and eccentric).</param>
public readonly record struct RepCue(DateTimeOffset At, int Set, int Rep, TimeSpan Duration);

/// <summary>One cuff of a session: its device, its prescription (LOP, target, ceiling), its controller.</summary>
public sealed record SessionCuff
{
    /// <param name="transport">the cuff device; its id names the cuff in events and telemetry.</param>
    /// <param name="prescription">the limb's prescription: LOP, target, ceiling and protocol.</param>
    /// <param name="regulator">the limb's own pressure controller.</param>
    /// <param name="onRep">optional: told at the start of each rep (a simulator uses it to contract the simulated muscle).</param>
    /// <exception cref="ArgumentNullException">a required argument is null.</exception>
    public SessionCuff(ICuffTransport transport, Prescription prescription, ICuffRegulator regulator, Action<RepCue>? onRep = null)
    {
        Transport = Guard.NotNull(transport);
        Prescription = Guard.NotNull(prescription);
        Regulator = Guard.NotNull(regulator);
        OnRep = onRep;
    }

    public string Id => Transport.Id;

    public ICuffTransport Transport { get; }

    public Prescription Prescription { get; }

    public ICuffRegulator Regulator { get; }

    public Action<RepCue>? OnRep { get; }
}
