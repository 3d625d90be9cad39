namespace OpenBfr.Cli.Tests.Commands;

public class LopAndProtocolCommandTests
{
    private static readonly string[] Estimate = ["lop", "estimate", "--thigh-cm", "55", "--systolic", "120", "--age", "30", "--sex", "male", "--cuff-width-cm", "18"];

    private static CliResult RunEstimate(params string[] extra) => CliRunner.Run([.. Estimate, .. extra]);

    [Fact]
    public void LopEstimate_Json_MatchesHandComputedEquation()
    {
        // 65.290 + 1.110·55 + 0.178·120 + 1.153·30 − 7.984·1 = 174.306 (Rev Bras Med Esporte 2019;25(6):494).
        var r = RunEstimate("--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("lopMmHg").GetDouble().ShouldBe(174.3);
        r.Json.GetProperty("seeMmHg").GetDouble().ShouldBe(15.3);
        r.Json.GetProperty("low95MmHg").GetDouble().ShouldBe(144.3);   // 174.306 − 1.96·15.3 = 144.3
        r.Json.GetProperty("high95MmHg").GetDouble().ShouldBe(204.3);
        r.Json.GetProperty("prescribingLopMmHg").GetDouble().ShouldBe(159);
        r.Json.GetProperty("source").GetString()!.ShouldContain("Rev Bras Med Esporte 2019");
    }

    [Fact]
    public void LopEstimate_Text_ShowsValueAndUncertainty()
    {
        var r = RunEstimate();
        r.ExitCode.ShouldBe(0);
        r.Stdout.ShouldContain("174.3 mmHg ± 15.3 mmHg");
    }

    [Theory]
    [InlineData("--systolic", "400", "--systolic: 400 is outside 70–250 mmHg")]
    [InlineData("--systolic", "abc", "--systolic: 'abc' is not a number")]
    [InlineData("--thigh-cm", "10", "--thigh-cm: 10 is outside 30–100 cm")]
    [InlineData("--age", "5", "--age: 5 is outside 14–100 years")]
    [InlineData("--sex", "other", "--sex: 'other' is not allowed; use male or female")]
    [InlineData("--cuff-width-cm", "5", "--cuff-width-cm: 5 cannot be used: narrow leg cuffs")]
    [InlineData("--cuff-width-cm", "12", "--cuff-width-cm: 12 cannot be used: the estimation equation holds only for an 18 cm thigh cuff")]
    [InlineData("--cuff-width-cm", "40", "--cuff-width-cm: 40 is outside 2–30 cm")]
    [InlineData("--limb", "right-arm", "--limb: arm cannot be used: LOP can only be estimated for the thigh")]
    [InlineData("--limb", "left-foot", "--limb: 'left-foot' is not a limb")]
    public void LopEstimate_BadInput_ExitsTwoWithOneLine(string option, string value, string expected)
    {
        var args = Estimate.ToList();
        var i = args.IndexOf(option);
        if (i >= 0) args[i + 1] = value; else args.AddRange([option, value]);
        CliRunner.Run([.. args]).ShouldBeUsageError(expected);
    }

    [Fact]
    public void ProtocolsList_Json_ListsEverySeedProtocol()
    {
        var r = CliRunner.Run("protocols", "list", "--json");
        r.ExitCode.ShouldBe(0);
        r.Json.GetArrayLength().ShouldBe(Core.Protocols.ProtocolCatalog.All.Count);
        r.Json[0].GetProperty("name").GetString().ShouldBe("strength-lower");
    }

    [Fact]
    public void ProtocolsShow_StrengthLower_HasThirtyFifteenFifteenFifteen()
    {
        var r = CliRunner.Run("protocols", "show", "strength-lower", "--json");
        r.ExitCode.ShouldBe(0);
        var squat = r.Json.GetProperty("exercises")[0];
        squat.GetProperty("name").GetString().ShouldBe("squat");
        squat.GetProperty("reps").EnumerateArray().Select(e => e.GetInt32()).ShouldBe([30, 15, 15, 15]);
        r.Json.GetProperty("deflationBetweenExercisesSeconds").GetDouble().ShouldBe(60);
        // 75 reps × 2 s + 3 × 30 s rest = 240 s with the cuff on.
        r.Json.GetProperty("maxInflationSeconds").GetDouble().ShouldBe(240);
    }

    [Fact]
    public void ProtocolsShow_Text_NamesSources()
        => CliRunner.Run("protocols", "show", "walk-intervals").Stdout.ShouldContain("Park et al. 2010");

    [Fact]
    public void ProtocolsShow_Unknown_ExitsTwoListingNames()
        => CliRunner.Run("protocols", "show", "nope").ShouldBeUsageError("'nope' is not a protocol", "strength-lower");
}
