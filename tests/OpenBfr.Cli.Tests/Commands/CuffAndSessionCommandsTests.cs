namespace OpenBfr.Cli.Tests.Commands;

/// <summary><c>openbfr cuff find-lop</c> and <c>openbfr session run</c>, in-process, on simulated cuffs.</summary>
public class CuffAndSessionCommandsTests
{
    [Fact]
    public void FindLop_SimulatedStandingThigh_PrintsLopErrorAndTime()
    {
        var r = CliRunner.Run("cuff", "find-lop", "--simulate", "--true-lop", "210", "--position", "standing", "--seed", "4", "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("succeeded").GetBoolean().ShouldBeTrue();
        Math.Abs(r.Json.GetProperty("lopMmHg").GetDouble() - 210).ShouldBeLessThanOrEqualTo(8);
        r.Json.GetProperty("errorMmHg").GetDouble().ShouldBe(r.Json.GetProperty("lopMmHg").GetDouble() - 210, 0.01);
        r.Json.GetProperty("seconds").GetDouble().ShouldBeInRange(10, 90);
        r.Json.GetProperty("position").GetString().ShouldBe("standing");
    }

    [Fact]
    public void FindLop_Text_SaysLopAndError()
    {
        var r = CliRunner.Run("cuff", "find-lop", "--simulate", "--true-lop", "200");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldStartWith("LOP ");
        r.Stdout.ShouldContain("simulated true LOP 200 mmHg: error ");
        r.Stdout.ShouldContain("cuff deflated");
    }

    [Fact]
    public void FindLop_LopAboveTheCap_FailsClearlyWithExit4()
    {
        var r = CliRunner.Run("cuff", "find-lop", "--simulate", "--true-lop", "380", "--json");
        r.ExitCode.ShouldBe(4);
        r.Json.GetProperty("succeeded").GetBoolean().ShouldBeFalse();
        r.Json.GetProperty("failure").GetString().ShouldBe("no-occlusion-below-cap");
        // No value on failure: the JSON leaves it out (or null), never a guess.
        (!r.Json.TryGetProperty("lopMmHg", out var lop) || lop.ValueKind == System.Text.Json.JsonValueKind.Null).ShouldBeTrue();
    }

    [Theory]
    [InlineData("--true-lop", "200")]
    public void FindLop_WithoutSimulate_IsAUsageError(params string[] args)
    {
        var r = CliRunner.Run(["cuff", "find-lop", .. args]);
        r.ExitCode.ShouldBe(2);
        r.ErrorLines.ShouldHaveSingleItem().ShouldStartWith("--simulate: is required");
    }

    [Fact]
    public void FindLop_TrueLopOutOfRange_NamesTheOption()
    {
        var r = CliRunner.Run("cuff", "find-lop", "--simulate", "--true-lop", "500");
        r.ExitCode.ShouldBe(2);
        r.ErrorLines.ShouldHaveSingleItem().ShouldStartWith("--true-lop:");
        r.Stderr.ShouldContain("50–400");
    }

    [Fact]
    public void SessionRun_StrengthLowerBothThighs_CompletesWithSummary()
    {
        var r = CliRunner.Run("session", "run", "--protocol", "strength-lower", "--simulate", "--limbs", "left-leg,right-leg", "--lop", "200,230", "--seed", "2", "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("outcome").GetString().ShouldBe("completed");
        r.Json.GetProperty("reps").GetInt32().ShouldBe(375);
        var cuffs = r.Json.GetProperty("cuffs");
        cuffs.GetArrayLength().ShouldBe(2);
        foreach (var c in cuffs.EnumerateArray())
        {
            c.GetProperty("exerciseInBandPercent").GetDouble().ShouldBeGreaterThan(90);
            c.GetProperty("peakPercentLop").GetDouble().ShouldBeLessThan(100);
            c.GetProperty("occlusionSeconds").GetDouble().ShouldBeInRange(20 * 60, 22 * 60);
            c.GetProperty("finalMmHg").GetDouble().ShouldBeLessThan(20);
        }
    }

    [Fact]
    public void SessionRun_SensorFreeze_AbortsWithTheReasonDeflatedAndExit3()
    {
        var r = CliRunner.Run("session", "run", "--protocol", "strength-lower", "--simulate", "--fault", "sensor-freeze@120s");
        r.ExitCode.ShouldBe(3, r.Stderr);
        r.Stdout.ShouldContain("SAFETY ABORT at 2:00: sensor-frozen: left-leg: sensor repeats");
        r.Stdout.ShouldContain("all cuffs deflated (simulated cuff pressure now: left-leg 0 mmHg)");
    }

    [Fact]
    public void SessionRun_PumpNoFlow_AbortsWithThePumpFaultAndExit3()
    {
        // The pump's motor runs and draws its normal current but gives no air: only the pressure tells it (at rest here).
        var r = CliRunner.Run("session", "run", "--protocol", "strength-lower", "--simulate", "--lop", "200", "--seed", "3", "--fault", "pump-no-flow@70s");
        r.ExitCode.ShouldBe(3, r.Stderr);
        r.Stdout.ShouldContain("SAFETY ABORT at 1:10: pump-failure: left-leg: pump at");
        r.Stdout.ShouldContain("all cuffs deflated");
    }

    [Fact]
    public void SessionRun_Symptom_AbortsWithExit3()
    {
        var r = CliRunner.Run("session", "run", "--protocol", "aerobic-walk", "--simulate", "--symptom", "numbness@90s", "--json");
        r.ExitCode.ShouldBe(3);
        r.Json.GetProperty("fault").GetProperty("kind").GetString().ShouldBe("symptom");
        r.Json.GetProperty("fault").GetProperty("atSeconds").GetDouble().ShouldBe(90, 0.05);
    }

    /// <summary>
    /// /dev/full opens but takes no writes (ENOSPC, as a full disk): the session runs to its end
    /// without the log, prints its summary, and exit 1 names --log, the file and the error; before,
    /// the write's exception ended the run mid-session as an internal error.
    /// </summary>
    [Fact]
    public void SessionRun_LogOnAFullDisk_SessionRunsOnAndTheFailureIsNamed()
    {
        File.Exists("/dev/full").ShouldBeTrue("this test needs Linux's /dev/full");
        var r = CliRunner.Run("session", "run", "--protocol", "walk-intervals", "--simulate", "--seed", "5", "--log", "/dev/full", "--json");

        r.ExitCode.ShouldBe(1);
        r.Json.GetProperty("outcome").GetString().ShouldBe("completed");
        r.Json.GetProperty("cuffs")[0].GetProperty("finalMmHg").GetDouble().ShouldBeLessThan(20);
        var error = r.ErrorLines.ShouldHaveSingleItem();
        error.ShouldStartWith("--log: /dev/full: writing failed at 0.0 s into the session after 0 lines (IOException: ");
        error.ShouldEndWith("the session ran on to its end without it, summary above");
    }

    [Fact]
    public void SessionRun_Log_IsJsonLinesAndTheSameForTheSameSeed()
    {
        var dir = Path.Combine(Path.GetTempPath(), "openbfr-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string Log(string name, string seed)
            {
                var path = Path.Combine(dir, name);
                CliRunner.Run("session", "run", "--protocol", "walk-intervals", "--simulate", "--seed", seed, "--log", path).ExitCode.ShouldBe(0);
                return File.ReadAllText(path);
            }
            var a = Log("a.jsonl", "5");
            a.ShouldBe(Log("b.jsonl", "5"));
            a.ShouldNotBe(Log("c.jsonl", "6"));
            var lines = a.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.ShouldAllBe(l => l.StartsWith("{\"type\":", StringComparison.Ordinal) && l.EndsWith('}'));
            lines[^1].ShouldContain("\"kind\":\"done\",\"detail\":\"completed\"");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--fault", "melt@10s", "--fault: melt is not a fault")]
    [InlineData("--fault", "pump-failure@soon", "--fault: soon is not a time")]
    [InlineData("--fault", "sensor-freeze@1e30s", "--fault: 1e30s is outside 0–86400 s (0–24:00:00)")]
    [InlineData("--fault", "sensor-freeze@24:00:01", "--fault: 24:00:01 is outside 0–86400 s (0–24:00:00)")]
    [InlineData("--script", "pause@99999999999999:00", "--script: 99999999999999:00 is not a time")]
    [InlineData("--symptom", "numbness@90000", "--symptom: 90000 is outside 0–86400 s (0–24:00:00)")]
    [InlineData("--limbs", "left-arm", "--limbs: left-arm is not allowed: strength-lower is for the legs")]
    [InlineData("--speed", "0", "--speed: 0 is not allowed")]
    [InlineData("--lop", "200,210", "--lop: 200,210 gives 2 values for 1 limbs")]
    [InlineData("--lop", "1e308", "--lop: 1e308 is outside 50–400 mmHg")]
    [InlineData("--percent", "95", "--percent:")]
    public void SessionRun_BadArgument_OneLineNamingIt(string option, string value, string expected)
    {
        var r = CliRunner.Run("session", "run", "--protocol", "strength-lower", "--simulate", option, value);
        r.ExitCode.ShouldBe(2);
        r.ErrorLines.ShouldHaveSingleItem().ShouldStartWith(expected);
    }
}
