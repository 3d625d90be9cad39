using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Time;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Session;

namespace OpenBfr.Cuff.Tests.Session;

/// <summary>Builds a session on fake cuffs and steps it in virtual time at 100 Hz.</summary>
internal sealed class SessionHarness
{
    public static readonly TimeSpan Dt = TimeSpan.FromMilliseconds(10);

    public SessionHarness(Protocol protocol, int seed = 0, SessionOptions? options = null, params (Limb Limb, double Lop)[] limbs)
    {
        if (limbs.Length == 0) limbs = [(Limb.LeftLeg, 200)];
        Clock = new ManualTimeProvider();
        var modality = protocol.Modality;
        var position = protocol.UsualPosition; // a LOP sets pressures only in its own position, one the protocol is done in
        Cuffs = limbs.Select((l, i) => new FakeCuff(l.Limb.ToKebab(), seed * 31 + i)).ToList();
        var sessionCuffs = limbs.Select((l, i) =>
        {
            var lop = new LimbOcclusionPressure(Pressure.FromMmHg(l.Lop), l.Limb, position,
                l.Limb.IsLeg() ? CuffDescription.StandardLeg : CuffDescription.StandardArm, LopMethod.Doppler, Clock.GetUtcNow());
            var rx = Prescriber.Prescribe(new PrescriptionRequest(lop, l.Limb, modality, position, Clock.GetUtcNow(), Protocol: protocol));
            return new SessionCuff(Cuffs[i], rx, new FakeRegulator(), Cuffs[i]);
        }).ToList();
        Session = new GuidedSession(sessionCuffs, Clock, options);
        Events = new EventRecorder();
        Session.Subscribe(Events);
    }

    public ManualTimeProvider Clock { get; }

    public List<FakeCuff> Cuffs { get; }

    public GuidedSession Session { get; }

    public EventRecorder Events { get; }

    public double Seconds => (Clock.GetUtcNow() - new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds;

    /// <summary>One tick: the world moves 10 ms, then the session ticks.</summary>
    public void Step()
    {
        Clock.Advance(Dt);
        foreach (var c in Cuffs) c.Step(Dt, Clock.GetUtcNow());
        Session.Tick();
    }

    /// <summary>Steps until the condition holds or the time runs out; returns whether it held.</summary>
    public bool RunUntil(Func<bool> condition, double maxSeconds = 7200)
    {
        var end = Seconds + maxSeconds;
        while (!condition())
        {
            if (Seconds >= end) return false;
            Step();
        }
        return true;
    }

    public bool RunToEnd(double maxSeconds = 7200) => RunUntil(() => Session.IsFinished, maxSeconds);
}

internal sealed class EventRecorder : ISessionObserver
{
    public List<SessionEvent> Events { get; } = [];

    public List<PressureSample> Samples { get; } = [];

    public void OnEvent(SessionEvent sessionEvent) => Events.Add(sessionEvent);

    public void OnSample(PressureSample sample) => Samples.Add(sample);

    public int Count(SessionEventKind kind) => Events.Count(e => e.Kind == kind);
}
