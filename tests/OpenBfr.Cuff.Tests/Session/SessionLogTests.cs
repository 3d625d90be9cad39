using System.Text.Json;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Protocols;
using OpenBfr.Cuff.Session;

namespace OpenBfr.Cuff.Tests.Session;

public class SessionLogTests
{
    private static string RunLogged(int seed, Protocol protocol)
    {
        var h = new SessionHarness(protocol, seed, null, (Limb.LeftLeg, 200), (Limb.RightLeg, 190));
        var text = new StringWriter();
        h.Session.Subscribe(new JsonLinesSessionLog(text));
        h.RunToEnd().ShouldBeTrue();
        return text.ToString();
    }

    [Fact]
    public void JsonLines_SameSeed_SameBytes()
    {
        var a = RunLogged(7, ProtocolCatalog.StrengthLower);
        var b = RunLogged(7, ProtocolCatalog.StrengthLower);
        a.Length.ShouldBeGreaterThan(100_000);
        a.ShouldBe(b);
    }

    [Fact]
    public void JsonLines_OtherSeed_OtherBytes()
        => RunLogged(7, ProtocolCatalog.AerobicWalk).ShouldNotBe(RunLogged(8, ProtocolCatalog.AerobicWalk));

    [Fact]
    public void JsonLines_EveryLine_IsOneJsonObjectWithTypeAndTime()
    {
        var log = RunLogged(1, ProtocolCatalog.AerobicWalk);
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        double last = -1;
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            root.GetProperty("type").GetString().ShouldBeOneOf("event", "sample");
            var t = root.GetProperty("t").GetDouble();
            t.ShouldBeGreaterThanOrEqualTo(last);
            last = t;
        }
        lines[0].ShouldStartWith("{\"type\":\"event\",\"t\":0,\"at\":\"2026-01-01T00:00:00.0100000Z\",\"kind\":\"start\"");
        lines.ShouldContain(l => l.Contains("\"kind\":\"work-start\"", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("{\"type\":\"sample\"", StringComparison.Ordinal) && l.Contains("\"cuff\":\"right-leg\"", StringComparison.Ordinal) && l.Contains("\"target\":95", StringComparison.Ordinal));
        lines[^1].ShouldContain("\"kind\":\"done\",\"detail\":\"completed\"");
    }

    [Fact]
    public void Statistics_CompletedSession_ReportsBandOcclusionAndPercentLop()
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower, 3, null, (Limb.LeftLeg, 200), (Limb.RightLeg, 180));
        var stats = SessionStatistics.For(h.Session);
        h.RunToEnd().ShouldBeTrue();
        var summary = stats.Summary;
        summary.Outcome.ShouldBe("completed");
        summary.Aborted.ShouldBeFalse();
        summary.Reps.ShouldBe(375);
        summary.Cuffs.Count.ShouldBe(2);
        foreach (var c in summary.Cuffs)
        {
            // Five exercises of 4 min inflated each, plus inflation and deflation.
            c.OcclusionTime.TotalMinutes.ShouldBeInRange(20, 21.5);
            c.ExerciseInBandPercent.ShouldBeInRange(0, 100);
            c.RestInBandPercent.ShouldBeGreaterThan(50);
            c.PeakPercentLop.ShouldBeGreaterThan(70);
            c.PeakPercentLop.ShouldBeLessThan(100);
            c.LowPercentLop.ShouldBeLessThan(70);
        }
        summary.Cuffs[1].LopMmHg.ShouldBe(180);
    }
}
