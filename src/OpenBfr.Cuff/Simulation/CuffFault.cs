namespace OpenBfr.Cuff.Simulation;

/// <summary>Faults the simulator can inject (DESIGN.md section 5).</summary>
public enum CuffFault
{
    /// <summary>The sensor keeps reporting the last value it read before the fault (a stuck ADC); timestamps keep advancing.</summary>
    SensorFreeze,

    /// <summary>The sensor reports implausible spikes (+120 to +260 mmHg): the first sample after onset, then one sample in ten.</summary>
    SensorSpike,

    /// <summary>A small puncture: extra leak 0.3 mL/s per √mmHg (about 3 mmHg/s at 160 mmHg on a thigh cuff); a pump can keep up with it.</summary>
    SlowLeak,

    /// <summary>A torn bladder or a tube off: extra leak 20 mL/s per √mmHg, more than the pump can make up.</summary>
    FastLeak,

    /// <summary>
    /// The pump's motor or its driver fails open: no flow and no motor current whatever it is told
    /// (the actuator feedback shows it; see <see cref="Transport.ActuatorFeedback"/>).
    /// </summary>
    PumpFailure,

    /// <summary>
    /// The pump's motor runs and draws its normal current, but no air reaches the cuff (a burst
    /// diaphragm, or the pump's hose off at the pump while the cuff side's check valve holds): only
    /// the pressure can tell, since the actuator feedback looks as for a working pump.
    /// </summary>
    PumpNoFlow,

    /// <summary>
    /// The regulating valve stays closed whatever it is told, and its position sensor reads closed. The device's separate fail-safe dump
    /// valve (opened by a full <see cref="Transport.ActuatorCommand.Deflate"/> or by the heartbeat
    /// watchdog) still works, as on clinical tourniquets with redundant valves.
    /// </summary>
    ValveStuckClosed,

    /// <summary>The link to the host is lost: commands and heartbeats no longer arrive, and reads fail.</summary>
    LostHost,
}

/// <summary>Something the device did by itself, with the reason (e.g. the heartbeat watchdog deflated the cuff).</summary>
/// <param name="At">when it happened.</param>
/// <param name="Kind">what it was: "watchdog-deflate", "overpressure-deflate" (the device deflated by itself) or "fault-onset" (an injected fault began).</param>
/// <param name="Reason">why, in words.</param>
public readonly record struct DeviceEvent(DateTimeOffset At, string Kind, string Reason);
