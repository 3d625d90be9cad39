using OpenBfr.Formats.Fit;

namespace OpenBfr.Cli.Tests.Planning;

public sealed class PlanningCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbfr-plan-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Example(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenBfr.slnx"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "examples", name);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Writes generated FIT runs: 4 weeks of 40 min a day, then <paramref name="lastWeekMinutes"/> a day for a week.</summary>
    private string History(int lastWeekMinutes)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "history")).FullName;
        var gen = new FitActivityGenerator(7);
        var first = new DateTimeOffset(2026, 10, 26, 7, 0, 0, TimeSpan.Zero);
        for (var d = 0; d < 35; d++)
        {
            var run = gen.Run(first.AddDays(d), TimeSpan.FromMinutes(d < 28 ? 40 : lastWeekMinutes), 330);
            File.WriteAllBytes(Path.Combine(dir, $"run{d:00}.fit"), run.Bytes);
        }
        return dir;
    }

    [Fact]
    public void Plan_ExampleRunner_PrintsATableWithReasons()
    {
        var r = CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--weeks", "2", "--start", "2026-12-07");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldContain("Week 1  2026-12-07  Base");
        r.Stdout.ShouldContain("strength BFR after the key workout: base phase, 1 of 2 this week");
        r.Stdout.ShouldContain("left-leg 147 mmHg"); // 70% of the example's 210 mmHg Doppler LOP
        r.Stdout.ShouldContain("Sat 12-12: no strength BFR: long run tomorrow");
    }

    [Fact]
    public void Plan_Json_Has16WeeksAndPrescriptions()
    {
        var r = CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--start", "2026-12-07", "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        var plan = r.Json.GetProperty("plan");
        plan.GetArrayLength().ShouldBe(16);
        var first = plan[0].GetProperty("sessions").EnumerateArray().First(s => s.GetProperty("kind").GetString() == "strength-bfr");
        first.GetProperty("bfr").GetProperty("targetPercentLop").GetDouble().ShouldBe(70);
        first.GetProperty("bfr").GetProperty("pressures")[0].GetProperty("targetMmHg").GetDouble().ShouldBe(147);
        plan[3].GetProperty("deload").GetBoolean().ShouldBeTrue();
        r.Json.GetProperty("options").GetProperty("deloadEveryNthWeek").GetInt32().ShouldBe(4);
    }

    [Fact]
    public void Plan_DefaultStart_IsTheNextMondayByTheInjectedClock()
    {
        // CliRunner's clock: Sunday 2026-11-22.
        var r = CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--weeks", "1", "--json");
        r.Json.GetProperty("start").GetString().ShouldBe("2026-11-23");
    }

    [Fact]
    public void Plan_InjuredExample_FollowsTheAclPathwayAndNamesTheMissingGate()
    {
        var r = CliRunner.Run("plan", "--profile", Example("runner-injured.yaml"), "--weeks", "4", "--start", "2026-12-07");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldContain("Rehab 3/5: Full BFR circuit");
        r.Stdout.ShouldContain("strength LSI > 70% (was 62% on 2026-12-02)");
        r.Stdout.ShouldNotContain("easy run");
    }

    [Fact]
    public void Plan_HistoryWithASpike_SaysSoAndShiftsWeekOne()
    {
        var r = CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--weeks", "2", "--start", "2026-12-01", "--history", History(120), "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("warnings")[0].GetString()!.ShouldStartWith("imported load spike: ACWR");
        var week1 = r.Json.GetProperty("plan")[0].GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("kind").GetString()).ToList();
        week1.ShouldNotContain("strength-bfr");
        week1.ShouldContain("recovery-bfr");
    }

    [Fact]
    public void Plan_Out_WritesTheFile()
    {
        var path = Path.Combine(_dir, "plan.json");
        var r = CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--weeks", "3", "--format", "json", "--out", path);
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldContain("wrote 3-week plan");
        File.ReadAllText(path).ShouldContain("\"plan\"");
    }

    [Fact]
    public void Plan_InvalidProfileFields_OneLineNamingEachField()
    {
        var path = Write("bad.yaml", "age: 7\nsex: female\nweeklyKm: 400\navailableDays: [mon, funday]\n");
        CliRunner.Run("plan", "--profile", path).ShouldBeUsageError("--profile: " + path, "has 3 invalid fields",
            "age must be 14–99 years, was 7", "weeklyKm must be 0–300 km, was 400", "availableDays[1] must be mon, tue");
    }

    /// <summary>A value of the wrong shape says what belongs there, not the .NET type YamlDotNet names ("System.String, System.Private.CoreLib, …").</summary>
    [Theory]
    [InlineData("age: [1, 2]\nsex: male\nweeklyKm: 40\navailableDays: [mon]\n", "line 1, column 6: expected a single value here (text or a number), not a list or a mapping")]
    [InlineData("age: 30\nsex: male\nweeklyKm: 40\navailableDays: mon\n", "line 4, column 16: expected a list here ([a, b] or one '- item' per line)")]
    [InlineData("age: 30\nsex: male\nweeklyKm: 40\navailableDays: [mon]\ngoal: marathon\n", "line 5, column 7: expected a mapping here (key: value lines)")]
    [InlineData("age: 30\nsex: male\nweeklyKm: 40\navailableDays: [mon]\nlops: {limb: left-leg}\n", "line 5, column 7: expected a list here")]
    [InlineData("just text\n", "line 1, column 1: expected a mapping here (key: value lines)")]
    public void Plan_ValueOfTheWrongShape_SaysWhatBelongsThere(string yaml, string expected)
    {
        var path = Write("shape.yaml", yaml);
        var r = CliRunner.Run("plan", "--profile", path);
        r.ShouldBeUsageError("--profile: " + path + " " + expected);
        r.Stderr.ShouldNotContain("System.");
    }

    /// <summary>A key given twice was read as the last one, silently.</summary>
    [Fact]
    public void Plan_DuplicateKey_NamesItAndTheLine()
    {
        var path = Write("twice.yaml", "age: 30\nsex: male\nweeklyKm: 40\nweeklyKm: 60\navailableDays: [mon]\n");
        CliRunner.Run("plan", "--profile", path).ShouldBeUsageError("--profile", "line 4", "duplicate key weeklyKm");
    }

    [Fact]
    public void Plan_UnknownKey_NamesItAndTheLine()
    {
        var path = Write("typo.yaml", "age: 30\nsex: male\nweeklyKm: 40\navailableDays: [mon]\nlongRun: sun\n");
        CliRunner.Run("plan", "--profile", path).ShouldBeUsageError("--profile", "line 5", "unknown key 'longRun'");
    }

    [Fact]
    public void Plan_MissingProfileFile_IsAUsageError()
        => CliRunner.Run("plan", "--profile", Path.Combine(_dir, "nope.yaml")).ShouldBeUsageError("--profile", "does not exist");

    [Fact]
    public void Plan_TooManyWeeks_NamesTheOption()
        => CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--weeks", "200").ShouldBeUsageError("--weeks", "200", "1–104");

    [Fact]
    public void Plan_BadStart_NamesTheOption()
        => CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--start", "07/12/2026").ShouldBeUsageError("--start", "yyyy-MM-dd");

    /// <summary>Year 9999 overflowed the calendar (reported as "--value: Value to add was out of range"), year 0001 made a plan.</summary>
    [Theory]
    [InlineData("9999-06-01")]
    [InlineData("0001-01-01")]
    [InlineData("2031-11-23")]
    [InlineData("2021-11-21")]
    public void Plan_StartYearsAway_NamesTheOptionAndTheWindow(string start)
        => CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--weeks", "104", "--start", start)
            .ShouldBeUsageError("--start: " + start + " is outside 2021-11-22–2031-11-22 (within 5 years of today)");

    /// <summary>A goal race or an injury dated years off made a plan around it (the web app refuses them; so does the CLI now).</summary>
    [Theory]
    [InlineData("runner.yaml", "date: 2027-04-25", "date: 9999-12-31", "has goal.date 9999-12-31, outside 2021-11-22–2031-11-22 (within 5 years of today)")]
    [InlineData("runner.yaml", "date: 2027-04-25", "date: 0001-01-01", "has goal.date 0001-01-01, outside 2021-11-22–2031-11-22")]
    [InlineData("runner-injured.yaml", "date: 2026-10-12", "date: 1900-10-12", "has injury.date 1900-10-12, outside 2006-11-22–2031-11-22 (the last 20 years or the next 5)")]
    public void Plan_ProfileDateYearsAway_NamesItAndTheWindow(string example, string find, string replace, string expected)
    {
        var text = File.ReadAllText(Example(example));
        text.ShouldContain(find);
        var path = Write("far.yaml", text.Replace(find, replace));
        CliRunner.Run("plan", "--profile", path, "--start", "2026-12-07").ShouldBeUsageError("--profile: " + path + " " + expected);
    }

    /// <summary>A folder that does not exist, or a full disk (/dev/full), is one line naming --out, the path and the reason; both were internal errors.</summary>
    [Fact]
    public void Plan_OutCannotBeWritten_NamesTheOptionThePathAndWhy()
    {
        var missing = Path.Combine(_dir, "no-such-folder", "plan.ics");
        CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--format", "ics", "--out", missing)
            .ShouldBeUsageError("--out: " + missing + " cannot be written: Could not find a part of the path");
        CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--out", "/dev/full")
            .ShouldBeUsageError("--out: /dev/full cannot be written: No space left on device");
    }

    [Fact]
    public void Plan_BadFormat_ListsTheFormats()
        => CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--format", "pdf").ShouldBeUsageError("--format", "'pdf'", "table, json, ics or csv");

    [Fact]
    public void Import_History_SummarisesWeeksWithFlagsAndCaveat()
    {
        var r = CliRunner.Run("import", History(120));
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldContain("Imported 35 activities from 35 files");
        r.Stdout.ShouldContain("high");
        r.Stdout.ShouldContain("not an injury prediction");
        r.Stdout.ShouldContain("estimated from average heart rate");
    }

    [Fact]
    public void Import_Json_GivesWeeklyDistanceAndTheSpike()
    {
        var r = CliRunner.Run("import", History(120), "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        var weeks = r.Json.GetProperty("weeks");
        weeks.GetArrayLength().ShouldBe(5);
        weeks[0].GetProperty("runs").GetInt32().ShouldBe(7);
        // 40 min at 5:30/km ≈ 7.3 km a day, about 51 km a week.
        weeks[0].GetProperty("runKm").GetDouble().ShouldBe(51, 3);
        r.Json.GetProperty("ewmaFlag").GetString().ShouldBe("high");
        weeks[4].GetProperty("estimatedRpeSessions").GetInt32().ShouldBe(7);
    }

    [Fact]
    public void Import_TruncatedFile_FailsNamingTheFile_UnlessSkipped()
    {
        var dir = History(40);
        var bad = Path.Combine(dir, "run10.fit");
        var bytes = File.ReadAllBytes(bad);
        File.WriteAllBytes(bad, bytes[..(bytes.Length / 2)]);
        CliRunner.Run("import", dir).ShouldBeUsageError("FILES", "run10.fit", "--skip-invalid");
        var skipped = CliRunner.Run("import", dir, "--skip-invalid", "--json");
        skipped.ExitCode.ShouldBe(0, skipped.Stderr);
        skipped.Json.GetProperty("activities").GetInt32().ShouldBe(34);
        skipped.Json.GetProperty("skipped").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public void Import_MissingFile_IsAUsageError()
        => CliRunner.Run("import", Path.Combine(_dir, "none.fit")).ShouldBeUsageError("FILES", "does not exist");

    [Fact]
    public void Import_FileWithValuesOutOfRange_FailsNamingTheFileFieldAndValue()
    {
        // Found by fuzzing: a NaN session time was an internal error (exit 1, TimeSpan's ArgumentException),
        // a TCX lap in the year 9999 a usage error blaming an option that does not exist (DateTimeOffset overflow).
        var t0 = FitTime.FromDateTimeOffset(new DateTimeOffset(2026, 3, 14, 7, 30, 0, TimeSpan.Zero));
        var e = new FitEncoder();
        e.Define(0, new FitMessageDefinition(FitMessageNumber.FileId, [new(FitFieldNumber.FileId.Type, FitBaseType.Enum)]));
        e.Write(0, FitEnum.FileActivity);
        e.Define(1, new FitMessageDefinition(FitMessageNumber.Session,
            [new(FitFieldNumber.Timestamp, FitBaseType.UInt32), new(FitFieldNumber.Session.StartTime, FitBaseType.UInt32), new(FitFieldNumber.Session.TotalElapsedTime, FitBaseType.Float32)]));
        e.Write(1, t0 + 60, t0, double.NaN);
        var fit = Path.Combine(_dir, "nan.fit");
        File.WriteAllBytes(fit, e.ToArray());
        var tcx = Write("far.tcx", """
            <TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">
            <Id>2026-03-14T07:30:00Z</Id><Lap StartTime="9999-12-31T23:59:59Z"><TotalTimeSeconds>300</TotalTimeSeconds><DistanceMeters>1000</DistanceMeters></Lap>
            </Activity></Activities></TrainingCenterDatabase>
            """);

        CliRunner.Run("import", fit).ShouldBeUsageError("FILES", "nan.fit: not a valid FIT file: at byte", "session.total_elapsed_time must be 0–604800 s, was NaN");
        CliRunner.Run("import", tcx).ShouldBeUsageError("FILES", "far.tcx: not a valid TCX file: at line 2",
            "Lap StartTime must be 1989-12-31T00:00:00Z–2126-02-06T06:28:14Z, was 9999-12-31T23:59:59Z");
    }

    [Fact]
    public void Import_EveryFileSkippedOrNone_SaysThereIsNoLoadInsteadOfAnEmptyDate()
    {
        // Printed "As of : EWMA insufficient-data, …" with an empty table before.
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        var bad = Write("bad.gpx", "<gpx/>");

        var none = CliRunner.Run("import", empty);
        var skipped = CliRunner.Run("import", bad, "--skip-invalid");

        none.ExitCode.ShouldBe(0, none.Stderr);
        none.Stdout.ShouldBe($"Imported 0 activities from 0 files{Environment.NewLine}No activities, so no training load to report{Environment.NewLine}");
        skipped.ExitCode.ShouldBe(0, skipped.Stderr);
        skipped.Stdout.ShouldStartWith("Imported 0 activities from 1 file; skipped 1");
        skipped.Stdout.ShouldContain("! skipped bad.gpx: not a valid GPX file");
        skipped.Stdout.ShouldEndWith($"No activities, so no training load to report{Environment.NewLine}");
    }
}
