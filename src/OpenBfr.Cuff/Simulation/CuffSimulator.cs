using System.Globalization;
using OpenBfr.Core;
using OpenBfr.Core.Safety;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Lop;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Simulation;

/// <summary>
/// A simulated cuff on a simulated limb: one more <see cref="ICuffTransport"/>, stepped in
/// virtual time. Physics runs at <see cref="SimulatedLimb.PhysicsRateHz"/> (1 kHz by default),
/// the sensor samples at <see cref="SimulatedLimb.SensorRateHz"/> (100 Hz). Nothing moves until
/// <see cref="Advance"/> or <see cref="AdvanceTo"/> is called; the same <see cref="SimulatedLimb"/>
/// (seed included) and the same calls give the same output, byte for byte.
/// <para>
/// What is modelled (DESIGN.md section 5): bladder pressure–volume compliance that stiffens with
/// pressure, air compressibility, the cuff's leak; pump flow falling with back-pressure and a
/// spin-up lag; valve flow ∝ opening·√P; the arterial pulse (heart rate and pulse pressure with
/// beat-to-beat variation) entering the cuff through an artery whose volume follows the
/// transmural pressure, so the oscillometric envelope peaks between diastolic and mean arterial
/// pressure and vanishes at the true LOP; muscle contractions per rep (<see cref="BeginSet"/>) or
/// any activity the caller sets (<see cref="MuscleActivityOverride"/>); swelling during activity;
/// tissue creep under pressure; posture (motion artefact and hydrostatic swelling); sensor noise
/// and quantisation; injected faults (<see cref="InjectFault(CuffFault, TimeSpan)"/>).
/// </para>
/// <para>
/// The device-side heartbeat watchdog is armed from construction: if <see cref="Heartbeat"/> is
/// not heard for <see cref="WatchdogTimeout"/> (2 s), the device stops the pump and opens its
/// dump valve by itself, records why in <see cref="DeviceEvents"/>, and stays deflated (latched)
/// whatever the host commands afterwards, until <see cref="Rearm"/>.
/// </para>
/// <para>
/// So is its over-pressure cut-off: the device's own pressure transducer (separate from the
/// sensor the host reads, so a frozen or spiking host sensor neither hides nor fakes it; modelled
/// as reading the true bladder pressure) is checked every physics step, and once it reads above
/// the absolute cap (<see cref="SafetyLimits.AbsoluteCap"/>, 300 mmHg, DESIGN.md section 3) the
/// device stops the pump and opens its dump valve by itself, records why, and stays deflated
/// until <see cref="Rearm"/>. The pump alone stalls near <see cref="SimulatedLimb.PumpStallMmHg"/>
/// (450 mmHg by default): without the cut-off a host that kept pumping (a bug, a frozen sensor
/// behind a controller with no supervisor) would take the cuff there.
/// </para>
/// Not thread-safe: one owner steps it.
/// </summary>
public sealed class CuffSimulator : ICuffTransport
{
    /// <summary>The device deflates by itself after this long without a heartbeat (DESIGN.md section 5).</summary>
    public static readonly TimeSpan WatchdogTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The device deflates by itself once its own transducer reads above this: the absolute cap, from the one place the hard limits live; not configurable.</summary>
    public static Pressure OverPressureLimit => SafetyLimits.AbsoluteCap;

    private const double AtmosphereMmHg = 760;

    // Artery under the cuff and the arterial waveform: see ArteryLaw (shared with the LOP finder's model).
    private const double ArteryCollapseMmHg = ArteryLaw.CollapseMmHg;

    // Rep shape: concentric rise over 45% of the rep, eccentric fall over the rest, on top of the
    // limb's tonic activity under load (SimulatedLimb.TonicActivityInSet).
    private const double ConcentricShare = 0.45;

    // After the last cued rep (CueRep), the held load goes off over this share of a rep.
    private const double CueRampOutShare = 0.5;

    private const double MotionTimeConstantS = 0.25;

    // Actuator feedback. Pump motor current, as a share of its rated current at full duty and no
    // back-pressure: PWM-averaged, it follows the duty, rises with the load (back-pressure) and,
    // while the motor is still slower than commanded (little back-EMF), carries an inrush term.
    private const double PumpCurrentLoadGain = 0.8;
    private const double PumpCurrentInrushGain = 1.0;
    private const double PumpCurrentNoiseSd = 0.005;
    private const double PumpCurrentResolution = 0.002;

    // The regulating valve's position sensor follows the valve with this time constant, resolution 0.01.
    private const double ValveTimeConstantS = 0.005;
    private const double ValvePositionResolution = 0.01;

    private readonly SimulatedLimb _limb;
    private readonly DateTimeOffset _start;
    private readonly long _ticksPerStep;
    private readonly double _dt;
    private readonly int _stepsPerSample;
    private readonly long _watchdogSteps;
    private readonly double _transmission;
    private readonly double _postureMotion;
    private readonly double _postureSwelling;
    private readonly double _motionDecay;
    private readonly double _motionInnovation;

    private readonly SimRandom _heartRandom;
    private readonly SimRandom _repRandom;
    private readonly SimRandom _motionRandom;
    private readonly SimRandom _sensorRandom;
    private readonly SimRandom _faultRandom;
    private readonly SimRandom _feedbackRandom;

    private long _steps;
    private int _stepsToSample;
    private long _requestedTicks;

    private double _pressure;
    private double _pumpFraction;
    private double _limbVolume;
    private double _swelling;
    private double _creep;
    private double _motion;
    private double _arteryVolume;
    private double _activity;

    private double _beatPhase;
    private double _beatSeconds;
    private double _beatPulsePressure;

    private bool _setActive;
    private bool _cueMode;
    private long _setStartStep;
    private int _setReps;
    private double _secondsPerRep;
    private int _repIndex = -1;
    private double _repVolume;
    private double? _activityOverride;
    private double _contractionVolume;
    private double _releaseFromActivity;
    private double _releaseFromVolume;
    private long _releaseStartStep;
    private long _releaseSteps;

    private ActuatorCommand _hostCommand = ActuatorCommand.Hold;
    private long _lastHeartbeatStep;
    private bool _watchdogTripped;
    private bool _overPressureTripped;
    private readonly double _overPressureMmHg = OverPressureLimit.MmHg;

    private bool _hasReading;
    private PressureReading _reading;
    private double _frozenValue;

    private double _valvePosition;
    private bool _hasFeedback;
    private ActuatorFeedback _feedback;

    private readonly List<(long Step, CuffFault Fault)> _pendingFaults = [];
    private readonly HashSet<CuffFault> _activeFaults = [];
    private bool _sensorFrozen, _sensorSpiking, _pumpFailed, _pumpNoFlow, _valveStuck, _hostLost, _firstSpikePending;
    private double _extraLeak;

    private readonly List<DeviceEvent> _events = [];

    /// <summary>Creates a cuff on <paramref name="limb"/>, deflated, at virtual time <paramref name="start"/>.</summary>
    /// <param name="limb">the limb, cuff and sensor; validated.</param>
    /// <param name="start">virtual time at construction (default 2026-01-01T00:00Z, as <see cref="Core.Time.ManualTimeProvider"/>).</param>
    /// <param name="id">the transport id (default "sim-" + limb kind, lower case).</param>
    /// <exception cref="ArgumentNullException">no limb.</exception>
    /// <exception cref="ArgumentOutOfRangeException">a limb value outside its range (all listed).</exception>
    public CuffSimulator(SimulatedLimb limb, DateTimeOffset? start = null, string? id = null)
    {
        _limb = Guard.NotNull(limb).ThrowIfInvalid();
        _start = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Id = id ?? "sim-" + limb.LimbKind.ToString().ToLowerInvariant();
        _ticksPerStep = TimeSpan.TicksPerSecond / limb.PhysicsRateHz;
        _dt = 1.0 / limb.PhysicsRateHz;
        _stepsPerSample = limb.PhysicsRateHz / limb.SensorRateHz;
        _stepsToSample = _stepsPerSample;
        _watchdogSteps = WatchdogTimeout.Ticks / _ticksPerStep;
        _transmission = (limb.SystolicMmHg + ArteryCollapseMmHg) / limb.TrueLopMmHg;
        (_postureMotion, _postureSwelling) = limb.Position switch
        {
            BodyPosition.Seated => (2.5, 1.25),
            BodyPosition.Standing => (5.0, 1.6),
            _ => (1.0, 1.0),
        };
        var sampleDt = 1.0 / limb.SensorRateHz;
        _motionDecay = Math.Exp(-sampleDt / MotionTimeConstantS);
        _motionInnovation = Math.Sqrt(1 - _motionDecay * _motionDecay);

        _heartRandom = SimRandom.Stream(limb.Seed, 1);
        _repRandom = SimRandom.Stream(limb.Seed, 2);
        _motionRandom = SimRandom.Stream(limb.Seed, 3);
        _sensorRandom = SimRandom.Stream(limb.Seed, 4);
        _faultRandom = SimRandom.Stream(limb.Seed, 5);
        _feedbackRandom = SimRandom.Stream(limb.Seed, 6);

        _beatPhase = _heartRandom.NextDouble();
        NewBeat();
        _arteryVolume = ArteryVolume(ArterialPressure(_beatPhase), 0);
        _limbVolume = _arteryVolume;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>The limb, cuff and sensor this simulator was built from.</summary>
    public SimulatedLimb Limb => _limb;

    /// <summary>Virtual time now: construction time plus everything advanced so far.</summary>
    public DateTimeOffset Now => _start + TimeSpan.FromTicks(_requestedTicks);

    /// <summary>Virtual time since construction.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(_requestedTicks);

    /// <summary>The TRUE gauge pressure in the bladder (no sensor noise, faults or quantisation): for tests and the bench, never for control.</summary>
    public Pressure TruePressure => Pressure.FromMmHg(_pressure);

    /// <summary>The TRUE gauge pressure in the bladder, mmHg.</summary>
    public double TruePressureMmHg => _pressure;

    /// <summary>True when the cuff (now) stops arterial flow: the cuff pressure is at or above the true LOP for the current beat.</summary>
    public bool IsArterialFlowOccluded => _transmission * _pressure >= _limb.DiastolicMmHg + _beatPulsePressure + ArteryCollapseMmHg;

    /// <summary>Muscle activity now, 0 (relaxed) to 1 (peak of a contraction).</summary>
    public double MuscleActivity => _activity;

    /// <summary>
    /// Sets muscle activity directly (0–1; the limb swells by <see cref="SimulatedLimb.ContractionVolumeMl"/>
    /// times it), overriding the rep schedule of <see cref="BeginSet"/>; null returns to the schedule.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">outside 0–1.</exception>
    public double? MuscleActivityOverride
    {
        get => _activityOverride;
        set => _activityOverride = value is { } v ? Guard.InRange(v, 0, 1, "", nameof(MuscleActivityOverride)) : null;
    }

    /// <summary>True while a set started with <see cref="BeginSet"/> (or cued with <see cref="CueRep"/>) is running.</summary>
    public bool InSet => _setActive;

    /// <summary>Limb volume under the cuff above its resting value (contraction, swelling, creep, motion, artery), mL.</summary>
    public double LimbVolumeChangeMl => _limbVolume;

    /// <summary>Swelling accumulated under the cuff, mL.</summary>
    public double SwellingMl => _swelling;

    /// <summary>What the host last commanded (as received; clamped).</summary>
    public ActuatorCommand HostCommand => _hostCommand;

    /// <summary>What the device is actually doing: the host's command, or deflate after a watchdog or over-pressure trip.</summary>
    public ActuatorCommand AppliedCommand => _watchdogTripped || _overPressureTripped ? ActuatorCommand.Deflate : _hostCommand;

    /// <summary>True once the heartbeat watchdog has deflated the cuff (latched until <see cref="Rearm"/>).</summary>
    public bool WatchdogTripped => _watchdogTripped;

    /// <summary>True once the over-pressure cut-off has deflated the cuff (latched until <see cref="Rearm"/>).</summary>
    public bool OverPressureTripped => _overPressureTripped;

    /// <summary>Faults that have begun.</summary>
    public IReadOnlyCollection<CuffFault> ActiveFaults => _activeFaults;

    /// <summary>What the device did by itself and when faults began, in order.</summary>
    public IReadOnlyList<DeviceEvent> DeviceEvents => _events;

    /// <inheritdoc />
    public bool TryReadPressure(out PressureReading reading)
    {
        if (!_hasReading || _hostLost)
        {
            reading = default;
            return false;
        }
        reading = _reading;
        return true;
    }

    /// <summary>
    /// Pump motor current and regulating-valve position, sampled with the pressure (100 Hz). A
    /// <see cref="CuffFault.PumpFailure"/> draws no current (a <see cref="CuffFault.PumpNoFlow"/> pump draws a working pump's,
    /// as if loaded by the cuff's pressure); a <see cref="CuffFault.ValveStuckClosed"/>
    /// valve reads closed whatever it is told. Fails like the pressure read when the host is lost.
    /// </summary>
    public bool TryReadActuators(out ActuatorFeedback feedback)
    {
        if (!_hasFeedback || _hostLost)
        {
            feedback = default;
            return false;
        }
        feedback = _feedback;
        return true;
    }

    /// <inheritdoc />
    public void Command(ActuatorCommand command)
    {
        if (_hostLost) return;
        _hostCommand = command.Clamped();
    }

    /// <inheritdoc />
    public void Heartbeat()
    {
        if (_hostLost) return;
        _lastHeartbeatStep = _steps;
    }

    /// <summary>
    /// Re-arms the device after a watchdog or over-pressure trip (a deliberate act by the host, e.g.
    /// a new session); counts as a heartbeat. The cut-off trips again at once if the cuff is still above the cap.
    /// </summary>
    public void Rearm()
    {
        if (_hostLost) return;
        _watchdogTripped = false;
        _overPressureTripped = false;
        _lastHeartbeatStep = _steps;
    }

    /// <summary>Starts a set: <paramref name="reps"/> reps of <paramref name="secondsPerRep"/> each (concentric then eccentric), from now.</summary>
    /// <exception cref="ArgumentOutOfRangeException">reps outside 1–500 or seconds per rep outside 0.5–20.</exception>
    public void BeginSet(int reps, double secondsPerRep)
    {
        Guard.InRange(reps, 1, 500, "reps");
        Guard.InRange(secondsPerRep, 0.5, 20, "s");
        _setActive = true;
        _cueMode = false;
        _setStartStep = _steps;
        _setReps = reps;
        _secondsPerRep = secondsPerRep;
        _repIndex = -1;
    }

    /// <summary>
    /// Starts one rep of <paramref name="duration"/> now, for a host that cues reps one at a time
    /// (the session engine's rep cue). A cue arriving within half a rep of the previous cued rep's
    /// end continues the set (the held load stays on); otherwise it starts a new set (the held load
    /// comes on during its concentric phase). When no further cue comes, the held load goes off
    /// over half a rep after the last one. Rep for rep this matches <see cref="BeginSet"/>, except
    /// that the held load is released after the last rep instead of during it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">duration outside 0.5–20 s.</exception>
    public void CueRep(TimeSpan duration)
    {
        var secondsPerRep = Guard.InRange(duration.TotalSeconds, 0.5, 20, "s", nameof(duration));
        var stepsPerRep = (long)Math.Round(secondsPerRep * _limb.PhysicsRateHz);
        if (_setActive && _cueMode && Math.Abs(secondsPerRep - _secondsPerRep) < 1e-9)
        {
            var sinceEnd = (_steps - _setStartStep) * _dt - _setReps * _secondsPerRep;
            if (sinceEnd > -0.5 * _secondsPerRep && sinceEnd < CueRampOutShare * _secondsPerRep)
            {
                _setReps++;
                _setStartStep = _steps - (_setReps - 1) * stepsPerRep;
                return;
            }
        }
        _setActive = true;
        _cueMode = true;
        _setStartStep = _steps;
        _setReps = 1;
        _secondsPerRep = secondsPerRep;
        _repIndex = -1;
    }

    /// <summary>
    /// Ends the current set early (a set also ends by itself after its reps). A muscle cannot let go
    /// at once: whatever it holds now goes off over half a rep (at least 0.25 s), as after a cued set.
    /// </summary>
    public void EndSet()
    {
        if (!_setActive) return;
        _setActive = false;
        _releaseFromActivity = _activity;
        _releaseFromVolume = _contractionVolume;
        _releaseStartStep = _steps;
        _releaseSteps = Math.Max(1, (long)Math.Round(Math.Max(0.25, CueRampOutShare * _secondsPerRep) * _limb.PhysicsRateHz));
    }

    /// <summary>Schedules a fault to begin <paramref name="afterStart"/> after construction (at once if that has passed).</summary>
    /// <exception cref="ArgumentOutOfRangeException">an undefined fault or a negative time.</exception>
    public void InjectFault(CuffFault fault, TimeSpan afterStart)
    {
        Guard.Defined(fault);
        if (afterStart < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(afterStart), afterStart, $"{nameof(afterStart)} must be ≥ 0, was {afterStart}");
        }
        var step = Math.Max(_steps, (afterStart.Ticks + _ticksPerStep - 1) / _ticksPerStep);
        _pendingFaults.Add((step, fault));
        _pendingFaults.Sort((a, b) => a.Step.CompareTo(b.Step));
    }

    /// <summary>Schedules a fault to begin at virtual time <paramref name="at"/> (at once if that has passed).</summary>
    /// <exception cref="ArgumentOutOfRangeException">an undefined fault.</exception>
    public void InjectFault(CuffFault fault, DateTimeOffset at)
        => InjectFault(fault, at <= _start ? TimeSpan.Zero : at - _start);

    /// <summary>Moves virtual time forward by <paramref name="by"/>, running physics and sensor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">a negative step.</exception>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "time cannot move backwards");
        }
        _requestedTicks += by.Ticks;
        var target = _requestedTicks / _ticksPerStep;
        while (_steps < target)
        {
            Step();
        }
    }

    /// <summary>Moves virtual time forward to <paramref name="time"/> (e.g. a shared clock's now); earlier times do nothing.</summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        var by = time - Now;
        if (by > TimeSpan.Zero) Advance(by);
    }

    private void Step()
    {
        _steps++;
        var limb = _limb;
        var dt = _dt;

        if (_pendingFaults.Count > 0 && _pendingFaults[0].Step <= _steps) StartDueFaults();

        if (!_watchdogTripped && _steps - _lastHeartbeatStep >= _watchdogSteps)
        {
            _watchdogTripped = true;
            _events.Add(new DeviceEvent(StepTime(_steps), "watchdog-deflate",
                $"no heartbeat from the host for {WatchdogTimeout.TotalSeconds:0} s (last at {StepTime(_lastHeartbeatStep):O}): pump stopped, dump valve opened"));
        }

        // Muscle activity and the limb volume it takes under the cuff.
        double contractionVolume;
        if (_activityOverride is { } manual)
        {
            _activity = manual;
            contractionVolume = manual * limb.ContractionVolumeMl;
        }
        else if (_setActive)
        {
            var t = (_steps - _setStartStep) * dt;
            var rep = (int)(t / _secondsPerRep);
            if (rep >= _setReps)
            {
                var after = t / _secondsPerRep - _setReps;
                if (_cueMode && after < CueRampOutShare)
                {
                    // No further cue: the held load goes off over the next half rep.
                    var c = Math.Cos(0.5 * Math.PI * after / CueRampOutShare);
                    _activity = limb.TonicActivityInSet * c * c;
                    contractionVolume = _activity * limb.ContractionVolumeMl;
                }
                else
                {
                    _setActive = false;
                    _activity = 0;
                    contractionVolume = 0;
                }
            }
            else
            {
                if (rep != _repIndex)
                {
                    _repIndex = rep;
                    _repVolume = limb.ContractionVolumeMl * Math.Max(0.2, 1 + limb.ContractionVariability * _repRandom.NextGaussian());
                }
                var phase = t / _secondsPerRep - rep;
                double shape;
                if (phase < ConcentricShare)
                {
                    var s = Math.Sin(0.5 * Math.PI * phase / ConcentricShare);
                    shape = s * s;
                }
                else
                {
                    var c = Math.Cos(0.5 * Math.PI * (phase - ConcentricShare) / (1 - ConcentricShare));
                    shape = c * c;
                }
                // The held load comes on during the first concentric phase and goes off during the
                // last eccentric phase, so a set never starts or ends with a step in limb volume.
                var tonic = limb.TonicActivityInSet;
                if (rep == 0 && phase < ConcentricShare) tonic *= shape;
                else if (!_cueMode && rep == _setReps - 1 && phase >= ConcentricShare) tonic *= shape;
                _activity = tonic + (1 - tonic) * shape;
                // Rep-to-rep variation rides on the phasic part only, which is 0 at rep boundaries,
                // so the limb volume never steps when a new rep begins.
                contractionVolume = limb.ContractionVolumeMl * tonic + _repVolume * (1 - tonic) * shape;
            }
        }
        else if (_steps - _releaseStartStep < _releaseSteps)
        {
            // A set ended early: what the muscle held goes off smoothly.
            var c = Math.Cos(0.5 * Math.PI * (_steps - _releaseStartStep) / _releaseSteps);
            _activity = _releaseFromActivity * c * c;
            contractionVolume = _releaseFromVolume * c * c;
        }
        else
        {
            _activity = 0;
            contractionVolume = 0;
        }
        _contractionVolume = contractionVolume;

        // Swelling builds with activity (more when upright), subsides at rest; tissue creeps under pressure.
        _swelling += (limb.SwellingMlPerActiveSecond * _postureSwelling * _activity - _swelling / limb.SwellingDecayS) * dt;
        _creep += (-limb.TissueCreepMlPerMmHg * _pressure - _creep) / limb.TissueCreepTimeConstantS * dt;
        if (Math.Abs(_swelling) < 1e-9) _swelling = 0;
        if (Math.Abs(_creep) < 1e-9) _creep = 0;

        // Arterial pulse.
        _beatPhase += dt / _beatSeconds;
        if (_beatPhase >= 1)
        {
            _beatPhase -= 1;
            NewBeat();
        }
        _arteryVolume = ArteryVolume(ArterialPressure(_beatPhase), _pressure);

        var limbVolume = contractionVolume + _swelling + _creep + _motion + _arteryVolume;
        var dLimb = limbVolume - _limbVolume;
        _limbVolume = limbVolume;

        // Flows, mL/s of air at atmospheric pressure.
        var command = AppliedCommand;
        var pumpTarget = _pumpFailed ? 0 : command.PumpDuty;
        _pumpFraction = limb.PumpTimeConstantS > 0
            ? _pumpFraction + (pumpTarget - _pumpFraction) * Math.Min(1, dt / limb.PumpTimeConstantS)
            : pumpTarget;
        if (_pumpFraction < 1e-9) _pumpFraction = 0; // decays toward 0 would reach denormals, which are ~100x slower
        var p = _pressure;
        var sqrtP = p > 0 ? Math.Sqrt(p) : 0;
        // A pump that gives no air still spins (its current, in Sample, is a working pump's).
        var pumpFlow = _pumpNoFlow ? 0 : _pumpFraction * limb.PumpFlowMlPerS * Math.Max(0, 1 - p / limb.PumpStallMmHg);
        var opening = command.ValveOpening;
        if (_valveStuck)
        {
            // Only the separate dump valve still works: opened by the watchdog or a full deflate command.
            opening = _watchdogTripped || _overPressureTripped || (command.ValveOpening >= 1 && command.PumpDuty <= 0) ? 1 : 0;
        }
        // The regulating valve's own position (what its sensor sees); stuck, it stays closed.
        var regulating = _valveStuck ? 0 : command.ValveOpening;
        _valvePosition += (regulating - _valvePosition) * Math.Min(1, dt / ValveTimeConstantS);
        var outFlow = (limb.ValveCoefficient * opening + limb.LeakCoefficient + _extraLeak) * sqrtP;

        // Pressure: n = V·(Patm + P)/Patm with V = V0 + C0·Pc·ln(1 + P/Pc) − ΔVlimb.
        var stiff = 1 + p / limb.BladderStiffeningMmHg;
        var u = p / limb.BladderStiffeningMmHg;
        var log = u < Tables.LogSpan ? Tables.Lookup(Tables.Log1p, u / Tables.LogStep) : Math.Log(stiff);
        var shellVolume = limb.BladderSlackVolumeMl + limb.BladderComplianceMlPerMmHg * limb.BladderStiffeningMmHg * log;
        var airVolume = Math.Max(1, shellVolume - limbVolume);
        var compression = (AtmosphereMmHg + p) / AtmosphereMmHg;
        var capacitance = limb.BladderComplianceMlPerMmHg / stiff * compression + airVolume / AtmosphereMmHg;
        var dp = ((pumpFlow - outFlow) * dt + compression * dLimb) / capacitance;
        p += dp;
        _pressure = p > 0 ? p : 0;

        if (_pressure > _overPressureMmHg && !_overPressureTripped)
        {
            _overPressureTripped = true;
            _events.Add(new DeviceEvent(StepTime(_steps), "overpressure-deflate",
                $"its own pressure transducer read {_pressure.ToString("0.0", CultureInfo.InvariantCulture)} mmHg, above the absolute cap of {OverPressureLimit}: pump stopped, dump valve opened"));
        }

        if (--_stepsToSample == 0)
        {
            _stepsToSample = _stepsPerSample;
            Sample();
        }
    }

    private void Sample()
    {
        // Motion artefact: an Ornstein–Uhlenbeck limb-volume noise, larger upright and during exercise.
        var sd = _limb.MotionArtifactSdMl * _postureMotion * (1 + 4 * _activity);
        _motion = _motion * _motionDecay + sd * _motionInnovation * _motionRandom.NextGaussian();
        if (Math.Abs(_motion) < 1e-12) _motion = 0;

        var value = _pressure + _limb.SensorNoiseSdMmHg * _sensorRandom.NextGaussian();
        if (_sensorSpiking && (_firstSpikePending || _faultRandom.NextDouble() < 0.1))
        {
            _firstSpikePending = false;
            value += 120 + 140 * _faultRandom.NextDouble();
        }
        var q = _limb.SensorQuantisationMmHg;
        if (q > 0) value = Math.Round(value / q, MidpointRounding.AwayFromZero) * q;
        if (_sensorFrozen) value = _frozenValue;
        _reading = new PressureReading(value, StepTime(_steps));
        _hasReading = true;

        // Actuator feedback: a failed pump (motor or driver open) draws nothing whatever it is told.
        var duty = _pumpFailed ? 0 : AppliedCommand.PumpDuty;
        var current = duty * (1 + PumpCurrentLoadGain * Math.Min(1, _pressure / _limb.PumpStallMmHg))
                      + PumpCurrentInrushGain * Math.Max(0, duty - _pumpFraction)
                      + PumpCurrentNoiseSd * _feedbackRandom.NextGaussian();
        current = Math.Round(current / PumpCurrentResolution, MidpointRounding.AwayFromZero) * PumpCurrentResolution;
        var position = Math.Round(_valvePosition / ValvePositionResolution, MidpointRounding.AwayFromZero) * ValvePositionResolution;
        _feedback = new ActuatorFeedback(current, position, _reading.At);
        _hasFeedback = true;
    }

    private void StartDueFaults()
    {
        while (_pendingFaults.Count > 0 && _pendingFaults[0].Step <= _steps)
        {
            var fault = _pendingFaults[0].Fault;
            _pendingFaults.RemoveAt(0);
            if (!_activeFaults.Add(fault)) continue;
            switch (fault)
            {
                case CuffFault.SensorFreeze:
                    _sensorFrozen = true;
                    _frozenValue = _hasReading ? _reading.PressureMmHg : 0;
                    break;
                case CuffFault.SensorSpike:
                    _sensorSpiking = true;
                    _firstSpikePending = true;
                    break;
                case CuffFault.SlowLeak:
                    _extraLeak += 0.3 * _limb.ValveCoefficient / 50;
                    break;
                case CuffFault.FastLeak:
                    _extraLeak += 20 * _limb.ValveCoefficient / 50;
                    break;
                case CuffFault.PumpFailure:
                    _pumpFailed = true;
                    break;
                case CuffFault.PumpNoFlow:
                    _pumpNoFlow = true;
                    break;
                case CuffFault.ValveStuckClosed:
                    _valveStuck = true;
                    break;
                case CuffFault.LostHost:
                    _hostLost = true;
                    break;
            }
            _events.Add(new DeviceEvent(StepTime(_steps), "fault-onset", fault.ToString()));
        }
    }

    private void NewBeat()
    {
        var limb = _limb;
        var rr = 60.0 / limb.HeartRateBpm * (1 + limb.HeartRateVariability * Clamp3(_heartRandom.NextGaussian()));
        _beatSeconds = Math.Max(0.2, rr);
        _beatPulsePressure = limb.PulsePressureMmHg * (1 + limb.PulsePressureVariability * Clamp3(_heartRandom.NextGaussian()));
    }

    private static double Clamp3(double z) => Math.Clamp(z, -3, 3);

    private double ArterialPressure(double phase)
        => _limb.DiastolicMmHg + _beatPulsePressure * Tables.Lookup(Tables.Waveform, phase * Tables.WaveformSize);

    private double ArteryVolume(double arterialMmHg, double cuffMmHg)
    {
        var transmural = arterialMmHg - _transmission * cuffMmHg;
        if (transmural <= -ArteryCollapseMmHg) return 0;
        return _limb.ArterialPulseVolumeMl * Tables.Lookup(Tables.Artery, (transmural + ArteryCollapseMmHg) / Tables.ArteryStepMmHg);
    }

    private DateTimeOffset StepTime(long step) => _start + TimeSpan.FromTicks(step * _ticksPerStep);

    /// <summary>
    /// Lookup tables (linear interpolation) for the functions evaluated every physics step; they
    /// make a 30-minute session several times faster with errors below 1e-5 of the exact values.
    /// Static and computed once, so they cannot affect determinism.
    /// </summary>
    private static class Tables
    {
        public const int WaveformSize = 4096;
        public const double ArteryStepMmHg = 0.02;
        public const double ArterySpanMmHg = 200; // tanh(x/15) is 1 to 1e-11 beyond this
        public const double LogStep = 0.002;
        public const double LogSpan = 40;

        /// <summary>Normalised arterial waveform over one beat (0 at diastole, 1 at systole).</summary>
        public static readonly double[] Waveform = Build(WaveformSize + 1, i => ArteryLaw.Waveform((double)i / WaveformSize));

        /// <summary>(tanh(x/W) + tanh(K/W)) / (1 + tanh(K/W)) for x from −K.</summary>
        public static readonly double[] Artery = Build((int)(ArterySpanMmHg / ArteryStepMmHg) + 2, i => ArteryLaw.Volume(-ArteryCollapseMmHg + i * ArteryStepMmHg));

        /// <summary>ln(1 + u) for u from 0.</summary>
        public static readonly double[] Log1p = Build((int)(LogSpan / LogStep) + 2, i => Math.Log(1 + i * LogStep));

        private static double[] Build(int n, Func<int, double> f)
        {
            var table = new double[n];
            for (var i = 0; i < n; i++) table[i] = f(i);
            return table;
        }

        public static double Lookup(double[] table, double position)
        {
            var i = (int)position;
            if (i >= table.Length - 1) return table[^1];
            var f = position - i;
            return table[i] + (table[i + 1] - table[i]) * f;
        }
    }
}
