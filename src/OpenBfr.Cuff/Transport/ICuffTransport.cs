namespace OpenBfr.Cuff.Transport;

/// <summary>One pressure sample from the cuff's sensor.</summary>
/// <param name="PressureMmHg">gauge pressure, mmHg, as the sensor reports it (noise and quantisation included).</param>
/// <param name="At">when it was sampled.</param>
public readonly record struct PressureReading(double PressureMmHg, DateTimeOffset At);

/// <summary>
/// What the pump and the regulating valve report they are doing (actuator feedback), sampled with
/// the pressure. Real cuff pumps and valves offer it cheaply: a shunt on the pump motor's supply
/// (or its driver's current-sense output) and a position switch or Hall sensor on the valve. It lets
/// the safety supervisor see a dead pump or a stuck valve within a few samples of commanding it,
/// where the pressure alone can be masked by a contracting or relaxing muscle.
/// </summary>
/// <param name="PumpCurrentShare">the pump motor's current as a share of its rated current at full duty and no back-pressure:
/// about 0 when no current flows (off, or a motor or driver failed open); about the duty while it runs (more against back-pressure
/// and while spinning up); 2 or more with the rotor locked. Allowed −0.1–10; anything else is implausible.</param>
/// <param name="ValvePosition">the regulating valve's position sensor, 0 closed to 1 fully open. Allowed −0.1–1.1.</param>
/// <param name="At">when it was sampled.</param>
public readonly record struct ActuatorFeedback(double PumpCurrentShare, double ValvePosition, DateTimeOffset At);

/// <summary>What the controller (or the supervisor) tells the cuff hardware to do.</summary>
/// <param name="PumpDuty">0–1: share of the pump's full flow.</param>
/// <param name="ValveOpening">0–1: 0 closed, 1 fully open to the air (deflate).</param>
public readonly record struct ActuatorCommand(double PumpDuty, double ValveOpening)
{
    /// <summary>Pump off, valve closed: hold what is in the bladder.</summary>
    public static ActuatorCommand Hold { get; } = new(0, 0);

    /// <summary>Pump off, valve fully open: the fail-safe state.</summary>
    public static ActuatorCommand Deflate { get; } = new(0, 1);

    /// <summary>The command with both values clamped to 0–1 (NaN becomes the safe value).</summary>
    public ActuatorCommand Clamped() => new(
        double.IsNaN(PumpDuty) ? 0 : Math.Clamp(PumpDuty, 0, 1),
        double.IsNaN(ValveOpening) ? 1 : Math.Clamp(ValveOpening, 0, 1));
}

/// <summary>
/// What cuff hardware does, and nothing more: read pressure, report what the pump and valve do,
/// drive the pump, open the valve, and hear the host's heartbeat. The device deflates by itself when the heartbeat stops
/// (DESIGN.md section 5) and when its own pressure transducer reads above the absolute cap (300 mmHg,
/// DESIGN.md section 3), so safety never depends on the host. The simulator is one
/// implementation; real hardware would be another. Nothing above this knows which it has.
/// </summary>
public interface ICuffTransport
{
    /// <summary>A stable identifier of the cuff (e.g. "left-leg").</summary>
    string Id { get; }

    /// <summary>Reads the latest pressure sample; false when the sensor or the link gives none.</summary>
    bool TryReadPressure(out PressureReading reading);

    /// <summary>
    /// Reads the latest actuator feedback (pump current, valve position); false when the device or
    /// the link gives none. The safety supervisor treats missing or implausible feedback as a fault,
    /// so a transport without these sensors cannot run a session.
    /// </summary>
    bool TryReadActuators(out ActuatorFeedback feedback);

    /// <summary>Sets pump and valve. Values outside 0–1 are clamped.</summary>
    void Command(ActuatorCommand command);

    /// <summary>Tells the device the host is alive. The device deflates itself after 2 s without one.</summary>
    void Heartbeat();
}
