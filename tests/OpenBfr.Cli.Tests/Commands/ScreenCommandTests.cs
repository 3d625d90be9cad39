using OpenBfr.Core.Screening;

namespace OpenBfr.Cli.Tests.Commands;

public sealed class ScreenCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbfr-screen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static string Example(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenBfr.slnx"))) return Path.Combine(dir.FullName, "examples", name);
        }
        throw new InvalidOperationException("repository root not found");
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string HealthyYaml() => File.ReadAllText(Example("screening-healthy.yaml"));

    [Fact]
    public void Screen_HealthyExample_AllEligible()
    {
        var r = CliRunner.Run("screen", "--answers", Example("screening-healthy.yaml"), "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        foreach (var limb in new[] { "left-arm", "right-arm", "left-leg", "right-leg" })
        {
            r.Json.GetProperty("limbs").GetProperty(limb).GetString().ShouldBe("Eligible");
        }
        r.Json.GetProperty("reasons").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public void Screen_NeedsClearanceExample_PerLimbWithReasonsAndSources()
    {
        var r = CliRunner.Run("screen", "--answers", Example("screening-needs-clearance.json"), "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        var limbs = r.Json.GetProperty("limbs");
        limbs.GetProperty("left-arm").GetString().ShouldBe("NotEligible");
        limbs.GetProperty("right-arm").GetString().ShouldBe("NeedsClearance");
        limbs.GetProperty("left-leg").GetString().ShouldBe("NeedsClearance");
        var reasons = r.Json.GetProperty("reasons").EnumerateArray().ToList();
        reasons.Select(x => x.GetProperty("item").GetString()).ShouldBe(["open-wound-or-infection", "diabetes", "blood-pressure-160-100"]);
        reasons[1].GetProperty("sources")[0].GetString()!.ShouldContain("Kacin");
    }

    [Fact]
    public void Screen_ClearedExample_LegsEligibleAtConservativePressure()
    {
        var r = CliRunner.Run("screen", "--answers", Example("screening-cleared.json"), "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("limbs").GetProperty("left-leg").GetString().ShouldBe("Eligible");
        r.Json.GetProperty("limbs").GetProperty("right-arm").GetString().ShouldBe("NeedsClearance");
        r.Json.GetProperty("conservativePressureLimbs").EnumerateArray().Select(e => e.GetString()).ShouldBe(["left-leg", "right-leg"]);
        r.Json.GetProperty("clearance").GetProperty("clinician").GetString()!.ShouldContain("Dr Jane Doe");
    }

    [Fact]
    public void Screen_Text_ListsLimbsAndReasons()
    {
        var r = CliRunner.Run("screen", "--answers", Example("screening-needs-clearance.json"));
        r.ExitCode.ShouldBe(0);
        r.Stdout.ShouldContain("left-arm   NotEligible");
        r.Stdout.ShouldContain("source: Kacin et al. 2015");
    }

    [Fact]
    public void Screen_NoFileNoTerminal_ExitsTwoSayingAnswersRequired()
        => CliRunner.Run("screen").ShouldBeUsageError("--answers: required when no terminal is attached");

    [Fact]
    public void Screen_Template_RoundTripsToAllEligible()
    {
        var template = CliRunner.Run("screen", "--template");
        template.ExitCode.ShouldBe(0);
        var path = Write("t.yaml", template.Stdout);
        var r = CliRunner.Run("screen", "--answers", path, "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("limbs").GetProperty("left-leg").GetString().ShouldBe("Eligible");
    }

    [Fact]
    public void Screen_Interactive_AsksEveryQuestionAndEvaluates()
    {
        var q = Questionnaire.Default;
        var lines = new List<string> { "30", "abc", "125", "80" }; // "abc" is re-asked
        foreach (var item in q.YesNoItems)
        {
            if (item.Id == "fracture-not-cleared") { lines.Add("y"); lines.Add("left-leg"); }
            else lines.Add("n");
        }
        var r = CliRunner.RunWith(string.Join("\n", lines) + "\n", true, "screen", "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("limbs").GetProperty("left-leg").GetString().ShouldBe("NotEligible");
        r.Json.GetProperty("limbs").GetProperty("right-leg").GetString().ShouldBe("Eligible");
        r.Stderr.ShouldContain("please enter a whole number");
        r.Stderr.ShouldContain(q["sickle-cell"].Question);
    }

    [Fact]
    public void Screen_InteractiveInputEnds_ExitsTwo()
    {
        var r = CliRunner.RunWith("30\n120\n", true, "screen");
        r.ExitCode.ShouldBe(2);
        r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].ShouldContain("--answers: input ended before every question was answered");
    }

    [Theory]
    [InlineData("sickle-cell: no", "", "'sickle-cell' not answered")]
    [InlineData("sickle-cell: no", "sickle-cell: maybe", "'answers.sickle-cell' must be yes or no, was 'maybe'")]
    [InlineData("dialysis-fistula: []", "dialysis-fistula: yes", "'dialysis-fistula' is yes but names no limb")]
    [InlineData("dialysis-fistula: []", "dialysis-fistula: [left-foot]", "'left-foot' is not a limb")]
    [InlineData("age: 34", "age: old", "'age' must be a whole number, was 'old'")]
    [InlineData("age: 34", "age: 5", "age must be 10–110 years, was 5")]
    [InlineData("age: 34", "age: 34\nweight: 70", "unknown key 'weight'")]
    [InlineData("sickle-cell: no", "sickle-cell: no\n  bogus-item: no", "'bogus-item' is not a yes/no screening item")]
    [InlineData("age: 34", "age: [", "not valid JSON or YAML")]
    [InlineData("diastolic: 76 }", "diastolic: 76, pulse: 60 }", "unknown key 'bloodPressure.pulse'; allowed: systolic, diastolic")]
    public void Screen_BadAnswersFile_ExitsTwoWithOneLine(string find, string replace, string expected)
    {
        var yaml = HealthyYaml();
        yaml.ShouldContain(find);
        var path = Write("bad.yaml", yaml.Replace(find, replace));
        CliRunner.Run("screen", "--answers", path).ShouldBeUsageError("--answers", expected);
    }

    [Fact]
    public void Screen_ClearanceOfNotEligibleItem_ExitsTwo()
    {
        var yaml = HealthyYaml().Replace("vte-history: no", "vte-history: yes")
            + "clearance:\n  clinician: Dr X\n  date: 2026-11-20\n  items: [vte-history]\n";
        CliRunner.Run("screen", "--answers", Write("c.yaml", yaml)).ShouldBeUsageError("--answers", "only NeedsClearance findings can be cleared");
    }

    [Fact]
    public void Screen_ClearanceWithoutDate_ExitsTwo()
    {
        var yaml = HealthyYaml() + "clearance:\n  clinician: Dr X\n  items: [diabetes]\n";
        CliRunner.Run("screen", "--answers", Write("c.yaml", yaml)).ShouldBeUsageError("'clearance.date' must be a date");
    }

    /// <summary>The web app refuses a clearance dated after today; the CLI took it (the runner's clock is the injected one, 2026-11-22).</summary>
    [Fact]
    public void Screen_ClearanceDatedInTheFuture_ExitsTwo()
    {
        var yaml = HealthyYaml().Replace("diabetes: no", "diabetes: yes") + "clearance:\n  clinician: Dr X\n  date: 2026-11-23\n  items: [diabetes]\n";
        CliRunner.Run("screen", "--answers", Write("c.yaml", yaml))
            .ShouldBeUsageError("--answers", "'clearance.date' 2026-11-23 is in the future (today is 2026-11-22): a clearance is dated the day it was given");
        CliRunner.Run("screen", "--answers", Write("d.yaml", yaml.Replace("2026-11-23", "2026-11-22"))).ExitCode.ShouldBe(0);
    }

    [Fact]
    public void Screen_ClearanceWithAnUnknownKey_ExitsTwo()
    {
        var yaml = HealthyYaml() + "clearance:\n  clinician: Dr X\n  date: 2026-11-20\n  items: [diabetes]\n  expires: 2027-01-01\n";
        CliRunner.Run("screen", "--answers", Write("c.yaml", yaml)).ShouldBeUsageError("--answers", "unknown key 'clearance.expires'; allowed: clinician, date, items, limbs, note");
    }

    [Fact]
    public void Screen_MissingFile_ExitsTwo()
        => CliRunner.Run("screen", "--answers", Path.Combine(_dir, "none.yaml")).ShouldBeUsageError("--answers", "cannot be read");
}
