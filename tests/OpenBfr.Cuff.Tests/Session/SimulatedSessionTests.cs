using OpenBfr.Core.Limbs;
using OpenBfr.Core.Protocols;
using OpenBfr.Cuff.Control;
using OpenBfr.Cuff.Session;

namespace OpenBfr.Cuff.Tests.Session;

/// <summary>Whole sessions on the simulator with OpenBFR's closed-loop regulator.</summary>
public class SimulatedSessionTests
{
    private static (SimulatedSessionRig Rig, SessionStatistics Stats, string Log) Run(Protocol protocol, int seed, params (Limb, double)[] limbs)
    {
        var rig = new SimulatedSessionRig(protocol, limbs, seed, () => new ClosedLoopRegulator());
        var stats = SessionStatistics.For(rig.Session);
        var log = new StringWriter();
        rig.Session.Subscribe(new JsonLinesSessionLog(log));
        rig.RunToEnd().ShouldBeTrue();
        return (rig, stats, log.ToString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void StrengthLower_BothThighs_CompletesWithoutFalseFaultsAndHoldsTheBand(int seed)
    {
        var (rig, stats, _) = Run(ProtocolCatalog.StrengthLower, seed, (Limb.LeftLeg, 190), (Limb.RightLeg, 240));
        var summary = stats.Summary;
        summary.Outcome.ShouldBe("completed", string.Join("; ", summary.Faults));
        summary.Reps.ShouldBe(375);
        foreach (var cuff in summary.Cuffs)
        {
            cuff.ExerciseInBandPercent.ShouldBeGreaterThan(90);
            cuff.PeakPercentLop.ShouldBeLessThan(100);
            cuff.OcclusionTime.TotalMinutes.ShouldBeInRange(20, 22);
        }
        rig.Simulators.ShouldAllBe(s => s.TruePressureMmHg < 20);
    }

    [Theory]
    [InlineData("aerobic-walk")]
    [InlineData("walk-intervals")]
    [InlineData("passive")]
    [InlineData("sprint-recovery")]
    public void TimedProtocols_Complete(string name)
    {
        ProtocolCatalog.TryGet(name, out var protocol).ShouldBeTrue();
        var (_, stats, _) = Run(protocol, 4, (Limb.LeftLeg, 200));
        stats.Summary.Outcome.ShouldBe("completed", string.Join("; ", stats.Summary.Faults));
    }

    /// <summary>A symptom mid-set dumps the cuffs fast; the fall is the deflation, so the symptom stays the one recorded reason.</summary>
    [Theory]
    [InlineData(1, 200, "supine", 70)]
    [InlineData(2, 240, "seated", 80)]
    [InlineData(3, 290, "standing", 80)]
    public void ReportSymptom_MidSetOnTheSimulator_DeflatesWithTheSymptomAsTheOnlyFault(int seed, double lop, string position, double percent)
    {
        var inPosition = Enum.Parse<BodyPosition>(position, ignoreCase: true);
        var rig = new SimulatedSessionRig(ProtocolCatalog.StrengthLower.DoneIn(inPosition), [(Limb.LeftLeg, lop), (Limb.RightLeg, lop - 10)], seed, () => new ClosedLoopRegulator(),
            position: inPosition, percent: percent);
        var events = new EventRecorder();
        rig.Session.Subscribe(events);
        while (events.Count(SessionEventKind.Rep) < 5) rig.Step();
        rig.Simulators.ShouldAllBe(s => s.TruePressureMmHg > 100);

        rig.Session.ReportSymptom(new OpenBfr.Cuff.Safety.SymptomReport(OpenBfr.Cuff.Safety.SymptomKind.Numbness)).ShouldBeTrue();
        var at = rig.Seconds;
        rig.RunToEnd().ShouldBeTrue();

        rig.Simulators.ShouldAllBe(s => s.TruePressureMmHg < 20);
        (rig.Seconds - at).ShouldBeLessThan(1.5);
        var faults = events.Events.Where(e => e.Kind == SessionEventKind.Fault).Select(e => e.Detail).ToList();
        faults.Count.ShouldBe(1, string.Join("; ", faults));
        faults[0]!.ShouldStartWith("symptom:");
    }

    /// <summary>
    /// An observer (a log on a full disk, say) that throws on the fault's own event: the session
    /// detaches it and still aborts, deflates and tells the other observers; before, the exception
    /// left the tick before the abort took hold.
    /// </summary>
    [Fact]
    public void Tick_ObserverThrowsOnTheFaultEvent_SessionStillAbortsAndDeflates()
    {
        var rig = new SimulatedSessionRig(ProtocolCatalog.StrengthLower, [(Limb.LeftLeg, 200)], 5, () => new ClosedLoopRegulator());
        var failing = new ThrowingObserver(e => e.Kind == SessionEventKind.Fault);
        var events = new EventRecorder();
        rig.Session.Subscribe(failing);
        rig.Session.Subscribe(events);
        rig.Simulators[0].InjectFault(OpenBfr.Cuff.Simulation.CuffFault.SensorFreeze, TimeSpan.FromSeconds(120));

        rig.RunToEnd().ShouldBeTrue();

        rig.Session.Phase.ShouldBe(SessionPhase.Aborted);
        rig.Simulators[0].TruePressureMmHg.ShouldBeLessThan(20);
        var failure = rig.Session.ObserverFailures.ShouldHaveSingleItem();
        failure.Observer.ShouldBeSameAs(failing);
        failure.Error.Message.ShouldBe("disk full");
        events.Count(SessionEventKind.Fault).ShouldBe(1);
        events.Events[^1].Kind.ShouldBe(SessionEventKind.Done);
        events.Events[^1].Detail!.ShouldStartWith("aborted: sensor");
        failing.CallsAfterThrowing.ShouldBe(0);
    }

    /// <summary>An observer that fails on its first sample changes nothing for the others: the same log, byte for byte.</summary>
    [Fact]
    public void Tick_ObserverThrowsFromTheStart_OtherObserversGetTheSameSession()
    {
        var clean = Run(ProtocolCatalog.WalkIntervals, 6, (Limb.LeftLeg, 200)).Log;

        var rig = new SimulatedSessionRig(ProtocolCatalog.WalkIntervals, [(Limb.LeftLeg, 200)], 6, () => new ClosedLoopRegulator());
        var failing = new ThrowingObserver(_ => false, throwOnSamples: true);
        rig.Session.Subscribe(failing);
        var log = new StringWriter();
        rig.Session.Subscribe(new JsonLinesSessionLog(log));
        rig.RunToEnd().ShouldBeTrue();

        rig.Session.ObserverFailures.ShouldHaveSingleItem().Observer.ShouldBeSameAs(failing);
        failing.CallsAfterThrowing.ShouldBe(0);
        log.ToString().ShouldBe(clean);
    }

    /// <summary>Throws an IOException ("disk full") on the events it is told to, or on every sample; counts calls after its first throw.</summary>
    private sealed class ThrowingObserver(Func<SessionEvent, bool> throwOnEvent, bool throwOnSamples = false) : ISessionObserver
    {
        private bool _threw;

        public int CallsAfterThrowing { get; private set; }

        public void OnEvent(SessionEvent sessionEvent) => Call(throwOnEvent(sessionEvent));

        public void OnSample(PressureSample sample) => Call(throwOnSamples);

        private void Call(bool fail)
        {
            if (_threw) CallsAfterThrowing++;
            if (!fail) return;
            _threw = true;
            throw new IOException("disk full");
        }
    }

    [Fact]
    public void JsonLines_SameSeedOnTheSimulator_SameBytes()
    {
        var a = Run(ProtocolCatalog.StrengthLower, 9, (Limb.LeftLeg, 200), (Limb.RightLeg, 210)).Log;
        var b = Run(ProtocolCatalog.StrengthLower, 9, (Limb.LeftLeg, 200), (Limb.RightLeg, 210)).Log;
        a.ShouldBe(b);
        a.ShouldNotBe(Run(ProtocolCatalog.StrengthLower, 10, (Limb.LeftLeg, 200), (Limb.RightLeg, 210)).Log);
    }
}
