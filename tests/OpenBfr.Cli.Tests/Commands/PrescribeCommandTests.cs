using OpenBfr.Core.Protocols;

namespace OpenBfr.Cli.Tests.Commands;

public class PrescribeCommandTests
{
    private static CliResult Prescribe(params string[] extra)
        => CliRunner.Run(["prescribe", "--lop", "200", "--limb", "left-leg", "--modality", "resistance", .. extra]);

    [Fact]
    public void Prescribe_LegResistance_Json()
    {
        // 50 / 70 / 80 % of 200 mmHg (seed; Patterson et al. 2019).
        var r = Prescribe("--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("lowMmHg").GetDouble().ShouldBe(100);
        r.Json.GetProperty("targetMmHg").GetDouble().ShouldBe(140);
        r.Json.GetProperty("highMmHg").GetDouble().ShouldBe(160);
        var protocol = r.Json.GetProperty("protocol");
        protocol.GetProperty("name").GetString().ShouldBe("strength-lower");
        protocol.GetProperty("sets").GetInt32().ShouldBe(4);
        protocol.GetProperty("reps").EnumerateArray().Select(e => e.GetInt32()).ShouldBe([30, 15, 15, 15]);
        protocol.GetProperty("restBetweenSetsSeconds").GetDouble().ShouldBe(30);
        protocol.GetProperty("maxInflationSeconds").GetDouble().ShouldBe(240);
        r.Json.GetProperty("sources")[0].GetString()!.ShouldContain("Patterson");
    }

    [Fact]
    public void Prescribe_Percent60_TargetIs120()
        => Prescribe("--percent", "60", "--json").Json.GetProperty("targetMmHg").GetDouble().ShouldBe(120);

    [Fact]
    public void Prescribe_EstimatedLop_UsesLowEndOfLopAndRange()
    {
        // Reference = 200 − 15.3 = 184.7; 50% = 92.35 → 92 mmHg.
        var r = Prescribe("--lop-method", "estimated", "--percent", "70", "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("referenceLopMmHg").GetDouble().ShouldBe(184.7, 1e-9);
        r.Json.GetProperty("targetMmHg").GetDouble().ShouldBe(92);
        r.Json.GetProperty("conservative").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public void Prescribe_ClearedScreening_IsConservative()
    {
        var r = Prescribe("--answers", ScreenCommandTests.Example("screening-cleared.json"), "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("targetMmHg").GetDouble().ShouldBe(100);
        r.Json.GetProperty("conservative").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public void Prescribe_HealthyScreening_IsNotConservative()
        => Prescribe("--answers", ScreenCommandTests.Example("screening-healthy.yaml"), "--json").Json.GetProperty("targetMmHg").GetDouble().ShouldBe(140);

    [Fact]
    public void Prescribe_ScreeningNeedsClearance_ExitsTwo()
        => Prescribe("--answers", ScreenCommandTests.Example("screening-needs-clearance.json"))
            .ShouldBeUsageError("--answers", "the left-leg is NeedsClearance", "until a clinician records clearance");

    [Fact]
    public void Prescribe_ScreeningNotEligibleLimb_ExitsTwo()
        => CliRunner.Run("prescribe", "--lop", "180", "--limb", "left-arm", "--modality", "resistance", "--answers", ScreenCommandTests.Example("screening-cleared.json"))
            .ShouldBeUsageError("the left-arm is NotEligible");

    [Theory]
    [InlineData("left-leg", "90", "--percent: 90 is outside 50–80 % LOP for resistance on the leg")]
    [InlineData("left-leg", "100", "--percent: 100 is outside 50–80 % LOP")]
    [InlineData("left-leg", "40", "--percent: 40 is outside 50–80 % LOP")]
    [InlineData("right-arm", "50", "--percent: 50 is outside 20–40 % LOP for resistance on the arm")]
    [InlineData("left-leg", "x", "--percent: 'x' is not a number")]
    public void Prescribe_PercentOutOfRange_ExitsTwo(string limb, string percent, string expected)
        => CliRunner.Run("prescribe", "--lop", "200", "--limb", limb, "--modality", "resistance", "--percent", percent).ShouldBeUsageError(expected);

    [Theory]
    [InlineData("--lop", "401", "--lop: 401 is outside 50–400 mmHg")]
    [InlineData("--lop", "49", "--lop: 49 is outside 50–400 mmHg")]
    [InlineData("--limb", "left-foot", "--limb: 'left-foot' is not a limb")]
    [InlineData("--modality", "yoga", "--modality: 'yoga' is not allowed; use resistance, aerobic, walk-intervals, cycling, passive or sprint-recovery")]
    [InlineData("--lop-method", "guess", "--lop-method: 'guess' is not allowed; use doppler, automatic or estimated")]
    [InlineData("--position", "kneeling", "--position: 'kneeling' is not allowed; use supine, seated or standing")]
    [InlineData("--protocol", "cycling", "--protocol: protocol cycling is for Cycling, not Resistance")]
    [InlineData("--protocol", "strength-upper", "--protocol: protocol strength-upper is for the arms, not the left-leg")]
    [InlineData("--protocol", "nope", "--protocol: 'nope' is not a protocol")]
    [InlineData("--cuff-width-cm", "1", "--cuff-width-cm: 1 is outside 2–30 cm")]
    [InlineData("--lop-uncertainty", "200", "--lop-uncertainty: 200 is outside 0–100 mmHg")]
    public void Prescribe_BadOption_ExitsTwo(string option, string value, string expected)
    {
        var args = new List<string> { "prescribe", "--lop", "200", "--limb", "left-leg", "--modality", "resistance" };
        var i = args.IndexOf(option);
        if (i >= 0) args[i + 1] = value; else args.AddRange([option, value]);
        CliRunner.Run([.. args]).ShouldBeUsageError(expected);
    }

    [Fact]
    public void Prescribe_MissingLop_ExitsTwo()
        => CliRunner.Run("prescribe", "--limb", "left-leg", "--modality", "resistance").ShouldBeUsageError("--lop: missing");

    [Fact]
    public void Prescribe_Lop400At80Percent_CutAtTheAbsoluteCap()
    {
        var r = CliRunner.Run("prescribe", "--lop", "400", "--limb", "left-leg", "--modality", "resistance", "--percent", "80", "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("targetMmHg").GetDouble().ShouldBe(300);
        r.Json.GetProperty("highMmHg").GetDouble().ShouldBe(300);
        r.Json.GetProperty("notes")[0].GetString()!.ShouldContain("cut at 300 mmHg");
    }

    /// <summary>Every CLI prescription, for every modality, limb, method and a spread of LOPs, stays within the hard limits.</summary>
    [Fact]
    public void Prescribe_EveryPath_StaysWithinHardLimits()
    {
        var runs = 0;
        foreach (var modality in Enum.GetValues<Modality>())
        foreach (var limb in new[] { "left-arm", "right-leg" })
        foreach (var method in new[] { "doppler", "estimated" })
        foreach (var lop in new[] { 50, 120, 200, 299, 375, 400 })
        {
            var r = CliRunner.Run("prescribe", "--lop", lop.ToString(), "--limb", limb, "--modality", Cli.Infrastructure.CliOptions.Kebab(modality), "--lop-method", method, "--json");
            runs++;
            if (limb == "left-arm" && ProtocolCatalog.For(modality, Core.Limbs.LimbKind.Arm).LimbKind == Core.Limbs.LimbKind.Leg)
            {
                r.ShouldBeUsageError("--limb: ", "BFR is done with cuffs on the legs");
                continue;
            }
            r.ExitCode.ShouldBe(0, r.Stderr);
            foreach (var key in new[] { "lowMmHg", "targetMmHg", "highMmHg" })
            {
                var mmHg = r.Json.GetProperty(key).GetDouble();
                mmHg.ShouldBeLessThanOrEqualTo(300, $"{modality} {limb} {method} {lop}");
                mmHg.ShouldBeLessThanOrEqualTo(lop * 0.8 + 1e-9, $"{modality} {limb} {method} {lop}");
                mmHg.ShouldBeGreaterThan(0);
            }
            r.Json.GetProperty("protocol").GetProperty("maxInflationSeconds").GetDouble().ShouldBeLessThanOrEqualTo(20 * 60);
        }
        runs.ShouldBe(Enum.GetValues<Modality>().Length * 2 * 2 * 6);
    }

    [Fact]
    public void Prescribe_LopFromAnotherPosition_ExitsTwoCitingHughes()
        => Prescribe("--lop-position", "supine", "--position", "standing")
            .ShouldBeUsageError("--lop-position: the LOP was measured supine but the exercise is standing", "Hughes et al. 2018");

    [Fact]
    public void Prescribe_LopEightDaysOld_ExitsTwo()
        => Prescribe("--lop-measured", "2026-11-14T08:59Z").ShouldBeUsageError("--lop-measured: the LOP is 8 days old; it must be re-measured after 7 days");

    [Fact]
    public void Prescribe_LopSixDaysOld_Prescribes()
        => Prescribe("--lop-measured", "2026-11-16", "--json").Json.GetProperty("targetMmHg").GetDouble().ShouldBe(140);

    [Fact]
    public void Prescribe_LopInTheFuture_ExitsTwo()
        => Prescribe("--lop-measured", "2026-12-01").ShouldBeUsageError("--lop-measured", "in the future");

    [Fact]
    public void Prescribe_LopMeasuredNotADate_ExitsTwo()
        => Prescribe("--lop-measured", "yesterday").ShouldBeUsageError("--lop-measured: 'yesterday' is not a date");

    [Fact]
    public void Prescribe_NoPosition_UsesTheModalitysAndSaysSo()
    {
        var r = CliRunner.Run("prescribe", "--lop", "187", "--limb", "left-leg", "--modality", "passive", "--json");
        r.Json.GetProperty("position").GetString().ShouldBe("supine");
        r.Json.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ShouldContain(n => n!.Contains("the LOP must have been measured supine"));
    }

    [Fact]
    public void Prescribe_PassiveFromAStandingLop_ExitsTwoNamingPositionTheValueAndTheAllowed()
        // 80% of a standing 242 is 194 mmHg, above the mean supine LOP of 187 (Hughes et al. 2018): full occlusion lying down.
        => CliRunner.Run("prescribe", "--lop", "242", "--limb", "left-leg", "--modality", "passive", "--position", "standing", "--percent", "80")
            .ShouldBeUsageError("--position: standing is not allowed for passive; use supine or seated (passive is done supine or seated; this LOP was measured standing",
                "Hughes et al. 2018", "measure a supine or seated LOP, or choose a protocol done standing");

    [Theory]
    [InlineData("strength-lower", "resistance", "left-leg", "seated", "standing")]
    [InlineData("strength-lower", "resistance", "left-leg", "supine", "standing")]
    [InlineData("strength-upper", "resistance", "left-arm", "supine", "standing or seated")]
    [InlineData("aerobic-walk", "aerobic", "left-leg", "seated", "standing")]
    [InlineData("aerobic-cycle", "aerobic", "left-leg", "standing", "seated")]
    [InlineData("walk-intervals", "walk-intervals", "left-leg", "supine", "standing")]
    [InlineData("cycling", "cycling", "left-leg", "standing", "seated")]
    [InlineData("passive", "passive", "left-arm", "standing", "supine or seated")]
    [InlineData("sprint-recovery", "sprint-recovery", "left-leg", "seated", "standing")]
    public void Prescribe_PositionTheProtocolIsNotDoneIn_ExitsTwo(string protocol, string modality, string limb, string position, string allowed)
        => CliRunner.Run("prescribe", "--lop", "200", "--limb", limb, "--modality", modality, "--protocol", protocol, "--position", position)
            .ShouldBeUsageError($"--position: {position} is not allowed for {protocol}; use {allowed} (", "Hughes et al. 2018");

    [Theory]
    [InlineData("aerobic-cycle", "aerobic", "seated")]
    [InlineData("aerobic-walk", "aerobic", "standing")]
    [InlineData("strength-upper", "resistance", "standing")]
    public void Prescribe_NoPosition_UsesTheProtocolsUsualOne(string protocol, string modality, string expected)
    {
        var limb = protocol == "strength-upper" ? "left-arm" : "left-leg";
        var r = CliRunner.Run("prescribe", "--lop", "200", "--limb", limb, "--modality", modality, "--protocol", protocol, "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("position").GetString().ShouldBe(expected);
        r.Json.GetProperty("protocol").GetProperty("positions")[0].GetString().ShouldBe(expected);
        r.Json.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ShouldContain($"position {expected}: the usual one for {protocol}; the LOP must have been measured {expected} (pass --position otherwise)");
    }

    [Fact]
    public void Prescribe_ArmResistanceSeated_Prescribes()
        => CliRunner.Run("prescribe", "--lop", "180", "--limb", "left-arm", "--modality", "resistance", "--position", "seated", "--json")
            .Json.GetProperty("protocol").GetProperty("name").GetString().ShouldBe("strength-upper");

    [Fact]
    public void SessionRun_PassiveStanding_ExitsTwoNamingPosition()
        => CliRunner.Run("session", "run", "--protocol", "passive", "--simulate", "--lop", "242", "--position", "standing", "--seed", "1")
            .ShouldBeUsageError("--position: standing is not allowed for passive; use supine or seated (", "Hughes et al. 2018");
}
