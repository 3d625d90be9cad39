using System.CommandLine;
using OpenBfr.Cli.Infrastructure;
using OpenBfr.Core;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Safety;

namespace OpenBfr.Cli.Tests.Infrastructure;

public class CliInfrastructureTests
{
    private static void AddTestCommands(RootCommand root)
    {
        var when = CliOptions.Duration("--time", "A time");
        var count = CliOptions.Integer("--count", "A count");
        var x = CliOptions.Number("--x", "A number", required: false);
        var test = new Command("test", "test command") { when, count, x };
        test.SetOpenBfrAction((pr, cli) =>
        {
            var n = pr.GetValue(count);
            return n switch
            {
                -1 => throw new InvalidOperationException("boom\nsecond line"),
                -2 => throw new UsageException("--count", "-2", "is not allowed; use 0 or more"),
                -3 => throw new EstimationRefusedException("cuffWidthCm", "5", "narrow"),
                -4 => throw new SafetyLimitExceededException(SafetyLimit.AbsoluteCap, 310, 300, "target 310 mmHg is above the absolute cuff cap of 300 mmHg"),
                -5 => throw new LopNotUsableException("the LOP is 9 days old"),
                -6 => Guard.InRange(pr.GetValue(x), 0, 10, "kg", "someValue") > 0 ? 0 : 0,
                _ => cli.Write(new { Seconds = pr.GetValue(when).TotalSeconds, CountValue = n }, r => $"{r.Seconds} s, {r.CountValue}"),
            };
        }, new CoreErrorMap().Field("cuffWidthCm", x).SafetyLimit(x));
        root.Subcommands.Add(test);
    }

    private static CliResult Run(params string[] args) => CliRunner.RunCommands(AddTestCommands, args);

    [Fact]
    public void Run_Success_ExitsZeroWithTextByDefault()
    {
        var r = Run("test", "--time", "19:57", "--count", "3");
        r.ExitCode.ShouldBe(0);
        r.Stdout.ShouldBe("1197 s, 3" + Environment.NewLine);
        r.Stderr.ShouldBeEmpty();
    }

    [Fact]
    public void Run_Json_WritesCamelCase()
    {
        var r = Run("test", "--time", "1:00:00", "--count", "3", "--json");
        r.ExitCode.ShouldBe(0);
        r.Json.GetProperty("seconds").GetDouble().ShouldBe(3600);
        r.Json.GetProperty("countValue").GetInt32().ShouldBe(3);
    }

    [Fact]
    public void Run_JsonBeforeCommand_IsAcceptedToo()
        => Run("--json", "test", "--time", "1:00", "--count", "1").Json.GetProperty("seconds").GetDouble().ShouldBe(60);

    [Fact]
    public void Run_TimeNotATime_ExitsTwoWithOneLineNamingOption()
        => Run("test", "--time", "abc", "--count", "1").ShouldBeUsageError("--time", "'abc'", "m:ss or h:mm:ss");

    [Fact]
    public void Run_IntegerNotANumber_ExitsTwoNamingOption()
        => Run("test", "--time", "1:00", "--count", "x").ShouldBeUsageError("--count: 'x' is not a whole number");

    [Fact]
    public void Run_UnknownOption_ExitsTwoListingAllowedOptions()
        => Run("test", "--time", "1:00", "--count", "1", "--bogus").ShouldBeUsageError("--bogus", "unknown option", "--time", "--count");

    [Fact]
    public void Run_UnknownCommand_ExitsTwoListingCommands()
        => Run("nope").ShouldBeUsageError("nope", "commands: test");

    [Fact]
    public void Run_MissingRequired_ExitsTwoNamingOption()
        => Run("test", "--time", "1:00").ShouldBeUsageError("--count: missing");

    [Fact]
    public void Run_OptionWithoutValue_ExitsTwoNamingOption()
        => Run("test", "--count", "1", "--time").ShouldBeUsageError("--time: a value is required");

    [Fact]
    public void Run_NoCommand_ExitsTwoWithOneLine()
        => Run().ShouldBeUsageError("a command is required", "test");

    [Fact]
    public void Run_Help_ExitsZeroOnStdout()
    {
        var r = Run("test", "--help");
        r.ExitCode.ShouldBe(0);
        r.Stdout.ShouldContain("--time");
        r.Stderr.ShouldBeEmpty();
    }

    [Fact]
    public void Run_InternalFailure_ExitsOneWithOneLineNoStackTrace()
    {
        var r = Run("test", "--time", "1:00", "--count", "-1");
        r.ExitCode.ShouldBe(1);
        r.ErrorLines.Length.ShouldBe(1);
        r.ErrorLines[0].ShouldBe("openbfr: internal error: InvalidOperationException: boom");
        r.Stderr.ShouldNotContain(" at ");
    }

    [Fact]
    public void Run_UsageException_ExitsTwoWithItsMessage()
        => Run("test", "--time", "1:00", "--count", "-2").ShouldBeUsageError("--count: -2 is not allowed; use 0 or more");

    [Fact]
    public void Run_EstimationRefused_NamesMappedOption()
        => Run("test", "--time", "1:00", "--count", "-3").ShouldBeUsageError("--x: 5 cannot be used: narrow");

    [Fact]
    public void Run_SafetyLimit_NamesMappedOption()
        => Run("test", "--time", "1:00", "--count", "-4").ShouldBeUsageError("--x: target 310 mmHg is above the absolute cuff cap");

    [Fact]
    public void Run_LopNotUsable_ExitsTwo()
        => Run("test", "--time", "1:00", "--count", "-5").ShouldBeUsageError("the LOP is 9 days old");

    [Fact]
    public void Run_GuardOutOfRange_UnmappedNameBecomesKebabOption()
        => Run("test", "--time", "1:00", "--count", "-6", "--x", "12").ShouldBeUsageError("--some-value: 12 is outside 0–10 kg");

    [Theory]
    [InlineData("19:57", 1197)]
    [InlineData("3:10:49", 11449)]
    [InlineData("12:00", 720)]
    [InlineData("0:59.5", 59.5)]
    public void TryParseDuration_Valid_Parses(string text, double seconds)
    {
        CliOptions.TryParseDuration(text, out var d).ShouldBeTrue();
        d.TotalSeconds.ShouldBe(seconds, 1e-9);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("19")]
    [InlineData("19:60")]
    [InlineData("1:2:3:4")]
    [InlineData("-1:00")]
    [InlineData(":30")]
    [InlineData("")]
    public void TryParseDuration_Invalid_Refuses(string text) => CliOptions.TryParseDuration(text, out _).ShouldBeFalse();

    [Fact]
    public void Kebab_PascalCase_BecomesKebab() => CliOptions.Kebab(Core.Protocols.Modality.WalkIntervals).ShouldBe("walk-intervals");

    [Fact]
    public void TryParseEnum_KebabOrName_Parses()
    {
        CliOptions.TryParseEnum<Core.Protocols.Modality>("walk-intervals", out var m).ShouldBeTrue();
        m.ShouldBe(Core.Protocols.Modality.WalkIntervals);
        CliOptions.TryParseEnum<Core.Protocols.Modality>("2", out _).ShouldBeFalse();
    }
}
