using OpenBfr.Core.Limbs;
using OpenBfr.Cuff.Simulation;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Tests.Simulation;

/// <summary>The simulator's actuator feedback (pump current, valve position) and a set ended early.</summary>
public class SimulatorFeedbackTests
{
    private static CuffSimulator Inflated(int seed = 1)
    {
        var sim = new CuffSimulator(SimulatedLimb.Leg(200, BodyPosition.Supine, seed));
        sim.Command(new ActuatorCommand(1, 0));
        for (var i = 0; i < 300 && sim.TruePressureMmHg < 140; i++)
        {
            sim.Heartbeat();
            sim.Advance(TimeSpan.FromMilliseconds(10));
        }
        sim.Command(ActuatorCommand.Hold);
        return sim;
    }

    private static ActuatorFeedback After(CuffSimulator sim, ActuatorCommand command, double seconds = 0.1)
    {
        sim.Command(command);
        sim.Heartbeat();
        sim.Advance(TimeSpan.FromSeconds(seconds));
        sim.TryReadActuators(out var feedback).ShouldBeTrue();
        feedback.At.ShouldBe(sim.Now);
        return feedback;
    }

    [Fact]
    public void TryReadActuators_HealthyPump_CurrentFollowsDutyAndRisesWithBackPressure()
    {
        var sim = Inflated();
        After(sim, ActuatorCommand.Hold).PumpCurrentShare.ShouldBe(0, 0.02);
        var half = After(sim, new ActuatorCommand(0.5, 0)).PumpCurrentShare;
        half.ShouldBeInRange(0.5, 0.8); // 0.5 × (1 + 0.8 × 140/450) ≈ 0.62
        After(sim, new ActuatorCommand(1, 0), 0.05).PumpCurrentShare.ShouldBeGreaterThan(half);
    }

    [Fact]
    public void TryReadActuators_PumpFailure_NoCurrentWhateverItIsTold()
    {
        var sim = Inflated();
        sim.InjectFault(CuffFault.PumpFailure, sim.Elapsed);
        After(sim, new ActuatorCommand(1, 0)).PumpCurrentShare.ShouldBe(0, 0.02);
    }

    [Fact]
    public void TryReadActuators_Valve_PositionFollowsCommandUnlessStuck()
    {
        var sim = Inflated();
        After(sim, new ActuatorCommand(0, 0.3), 0.03).ValvePosition.ShouldBe(0.3, 0.01);
        After(sim, ActuatorCommand.Hold, 0.03).ValvePosition.ShouldBe(0, 0.01);
        sim.InjectFault(CuffFault.ValveStuckClosed, sim.Elapsed);
        After(sim, new ActuatorCommand(0, 0.3), 0.03).ValvePosition.ShouldBe(0);
    }

    [Fact]
    public void TryReadActuators_LostHost_NoFeedback()
    {
        var sim = Inflated();
        sim.InjectFault(CuffFault.LostHost, sim.Elapsed);
        sim.Advance(TimeSpan.FromMilliseconds(20));
        sim.TryReadActuators(out _).ShouldBeFalse();
    }

    [Fact]
    public void EndSet_MidRep_MuscleLetsGoSmoothlyNotAtOnce()
    {
        // Ending a set early (a pause, a fault) must not step the limb volume: at 1 kHz the true
        // pressure may not jump by more than a sensor spike threshold would allow over one sample.
        var sim = Inflated();
        sim.BeginSet(30, 2);
        sim.Advance(TimeSpan.FromSeconds(10.3));
        var activity = sim.MuscleActivity;
        activity.ShouldBeGreaterThan(0.5);
        var before = sim.TruePressureMmHg;
        sim.EndSet();
        var maxStep = 0.0;
        var last = before;
        for (var i = 0; i < 150; i++)
        {
            sim.Heartbeat();
            sim.Advance(TimeSpan.FromMilliseconds(10));
            maxStep = Math.Max(maxStep, Math.Abs(sim.TruePressureMmHg - last));
            last = sim.TruePressureMmHg;
        }
        maxStep.ShouldBeLessThan(10); // a 3000 mmHg/s sensor-spike bound is 30 mmHg per 10 ms sample
        sim.MuscleActivity.ShouldBe(0);
        sim.InSet.ShouldBeFalse();
    }
}
