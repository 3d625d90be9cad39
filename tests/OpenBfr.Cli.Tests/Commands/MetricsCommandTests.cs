namespace OpenBfr.Cli.Tests.Commands;

public class MetricsCommandTests
{
    // Daniels' Running Formula (3rd ed., 2014), Table 5.1: VDOT 50 = 5K 19:57 = 10K 41:21 = half 1:31:35 = marathon 3:10:49.
    [Theory]
    [InlineData("5000", "19:57")]
    [InlineData("5k", "19:57")]
    [InlineData("10k", "41:21")]
    [InlineData("half", "1:31:35")]
    [InlineData("marathon", "3:10:49")]
    public void Vdot_DanielsTableVdot50_Gives50(string distance, string time)
    {
        var r = CliRunner.Run("vdot", "--distance", distance, "--time", time, "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("vdot").GetDouble().ShouldBe(50, 0.1);
    }

    [Fact]
    public void Vdot_Text_IsOneLineWithSource()
        => CliRunner.Run("vdot", "--distance", "5000", "--time", "19:57").Stdout.ShouldBe("VDOT 50 (5000 m in 19:57; Daniels & Gilbert 1979, Oxygen Power (VDOT))" + Environment.NewLine);

    [Theory]
    [InlineData("--time", "abc", "--time: 'abc' is not a time")]
    [InlineData("--time", "99999999999999:00", "--time: '99999999999999:00' is not a time")]
    [InlineData("--time", "5:00", "--time: 0:05:00 for 5000 m is 1000 m/min on average; a race is run at 100–450 m/min")]
    [InlineData("--distance", "far", "--distance: 'far' is not a distance")]
    [InlineData("--distance", "100", "--distance: 100 is outside 800–50000 m")]
    public void Vdot_BadInput_ExitsTwo(string option, string value, string expected)
    {
        var args = new List<string> { "vdot", "--distance", "5000", "--time", "19:57" };
        args[args.IndexOf(option) + 1] = value;
        CliRunner.Run([.. args]).ShouldBeUsageError(expected);
    }

    [Fact]
    public void Vdot_MissingTime_ExitsTwo() => CliRunner.Run("vdot", "--distance", "5k").ShouldBeUsageError("--time: missing");

    [Fact]
    public void Vo2Max_TwelveMinutes_Is43Point75()
    {
        // ACSM: 483 / 12 + 3.5 = 43.75 ml/kg/min.
        var r = CliRunner.Run("vo2max", "--mile-and-half", "12:00", "--json");
        r.ExitCode.ShouldBe(0);
        r.Json.GetProperty("vo2max").GetDouble().ShouldBe(43.75);
    }

    [Theory]
    [InlineData("5:00", "--mile-and-half: 5 is outside 6–30 min")]
    [InlineData("twelve", "--mile-and-half: 'twelve' is not a time")]
    public void Vo2Max_BadInput_ExitsTwo(string value, string expected)
        => CliRunner.Run("vo2max", "--mile-and-half", value).ShouldBeUsageError(expected);

    [Fact]
    public void OneRm_100kgTimes10_EpleyAndBrzycki()
    {
        var r = CliRunner.Run("one-rm", "--weight-kg", "100", "--reps", "10", "--json");
        r.ExitCode.ShouldBe(0);
        r.Json.GetProperty("epleyKg").GetDouble().ShouldBe(133.3);   // 100·(1 + 10/30)
        r.Json.GetProperty("brzyckiKg").GetDouble().ShouldBe(133.3); // 100·36/27
        r.Json.GetProperty("bfrLoadLowKg").GetDouble().ShouldBe(26.7);
        r.Json.GetProperty("bfrLoadHighKg").GetDouble().ShouldBe(40);
    }

    [Theory]
    [InlineData("100", "13", "--reps: 13 is outside 1–12 repetitions")]
    [InlineData("100", "0", "--reps: 0 is outside 1–12 repetitions")]
    [InlineData("100", "ten", "--reps: 'ten' is not a whole number")]
    [InlineData("0", "5", "--weight-kg: 0 is not allowed; must be greater than 0 kg")]
    [InlineData("1200", "5", "--weight-kg: 1200 is outside 0–1000 kg")]
    public void OneRm_BadInput_ExitsTwo(string kg, string reps, string expected)
        => CliRunner.Run("one-rm", "--weight-kg", kg, "--reps", reps).ShouldBeUsageError(expected);
}

public class LsiCommandTests
{
    [Fact]
    public void Lsi_80Of100_Is80AndPassesOnlyStartRunning()
    {
        // Rambaud 2018: pain < 2 and LSI > 70% to start running; Grindem: LSI ≥ 90% for return to sport.
        var r = CliRunner.Run("lsi", "--involved", "80", "--uninvolved", "100", "--pain", "1", "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("lsi").GetDouble().ShouldBe(80);
        r.Json.GetProperty("gates")[0].GetProperty("met").GetBoolean().ShouldBeTrue();
        r.Json.GetProperty("gates")[1].GetProperty("met").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public void Lsi_TimedSlowerInvolved_IsUninvolvedOverInvolvedAndFailsReturnToSport()
    {
        // 6 m timed hop (Noyes et al. 1991): involved 2.5 s, uninvolved 2.2 s -> 2.2 / 2.5 = 88%, not 113.6%.
        var r = CliRunner.Run("lsi", "--involved", "2.5", "--uninvolved", "2.2", "--timed", "--pain", "0", "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("lsi").GetDouble().ShouldBe(88);
        r.Json.GetProperty("gates")[1].GetProperty("met").GetBoolean().ShouldBeFalse();
        CliRunner.Run("lsi", "--involved", "2.5", "--uninvolved", "2.2", "--json").Json.GetProperty("lsi").GetDouble().ShouldBe(113.6);
    }

    [Fact]
    public void Lsi_TimedZeroInvolved_ExitsTwoNamingTheOption()
        => CliRunner.Run("lsi", "--involved", "0", "--uninvolved", "2.2", "--timed").ShouldBeUsageError("--involved");

    [Fact]
    public void Lsi_WithoutPain_NoGates()
    {
        var r = CliRunner.Run("lsi", "--involved", "45", "--uninvolved", "50", "--json");
        r.Json.GetProperty("lsi").GetDouble().ShouldBe(90);
        r.Json.TryGetProperty("gates", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("0", "--uninvolved: 0 is not allowed; must be greater than 0")]
    [InlineData("x", "--uninvolved: 'x' is not a number")]
    public void Lsi_BadUninvolved_ExitsTwo(string value, string expected)
        => CliRunner.Run("lsi", "--involved", "80", "--uninvolved", value).ShouldBeUsageError(expected);

    [Fact]
    public void Lsi_PainAbove10_ExitsTwo()
        => CliRunner.Run("lsi", "--involved", "80", "--uninvolved", "100", "--pain", "11").ShouldBeUsageError("--pain: 11 is outside 0–10");
}
