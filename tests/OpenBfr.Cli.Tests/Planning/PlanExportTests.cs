using OpenBfr.Formats.Fit;

namespace OpenBfr.Cli.Tests.Planning;

public sealed class PlanExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbfr-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Example(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenBfr.slnx"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "examples", name);
    }

    // CliRunner normalises CRLF to LF.
    private static string[] Unfolded(string ics) => ics.Replace("\n ", "", StringComparison.Ordinal).Split("\n");

    [Fact]
    public void Plan_Ics_OneEventPerSessionWithStableUids()
    {
        var a = CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--weeks", "2", "--start", "2026-12-07", "--format", "ics");
        a.ExitCode.ShouldBe(0, a.Stderr);
        var json = CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--weeks", "2", "--start", "2026-12-07", "--json");
        var sessions = json.Json.GetProperty("plan").EnumerateArray().Sum(w => w.GetProperty("sessions").GetArrayLength());
        var lines = Unfolded(a.Stdout);
        lines.Count(l => l == "BEGIN:VEVENT").ShouldBe(sessions);
        var uids = lines.Where(l => l.StartsWith("UID:", StringComparison.Ordinal)).ToList();
        uids.Distinct().Count().ShouldBe(sessions);
        lines.ShouldContain("DTSTART;VALUE=DATE:20261208");
        lines.ShouldContain(l => l.StartsWith("DESCRIPTION:Why: strength BFR after the key workout", StringComparison.Ordinal));
        // Regenerating the same plan gives the same UIDs, so a calendar updates instead of duplicating.
        var b = CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--weeks", "2", "--start", "2026-12-07", "--format", "ics");
        Unfolded(b.Stdout).Where(l => l.StartsWith("UID:", StringComparison.Ordinal)).ShouldBe(uids);
    }

    [Fact]
    public void Plan_IcsWithAlarm_AddsValarms()
    {
        var r = CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--weeks", "1", "--format", "ics", "--alarm-minutes", "60");
        r.ExitCode.ShouldBe(0, r.Stderr);
        Unfolded(r.Stdout).Count(l => l == "BEGIN:VALARM").ShouldBe(Unfolded(r.Stdout).Count(l => l == "BEGIN:VEVENT"));
        CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--format", "ics", "--alarm-minutes", "-5").ShouldBeUsageError("--alarm-minutes", "-5");
    }

    [Fact]
    public void Plan_Csv_HeaderAndOneRowPerSession()
    {
        var r = CliRunner.Run("plan", "--profile", Example("runner.yaml"), "--weeks", "1", "--start", "2026-12-07", "--format", "csv");
        r.ExitCode.ShouldBe(0, r.Stderr);
        var rows = r.Stdout.Split("\n", StringSplitOptions.RemoveEmptyEntries);
        rows[0].ShouldBe("date,day,week,phase,kind,title,distance_km,protocol,position,limbs,low_percent_lop,high_percent_lop,target_percent_lop,target_mmhg,load,reason");
        rows.ShouldContain(l => l.StartsWith("2026-12-08,Tuesday,1,Base,strength-bfr,strength BFR,,strength-lower,standing,left-leg right-leg,50,80,70,left-leg:147 right-leg:151,", StringComparison.Ordinal));
        rows.Length.ShouldBe(1 + 9);
    }

    [Fact]
    public void ExportFitWorkout_StrengthLower_WritesADecodableWorkoutAt70PercentLop()
    {
        var path = Path.Combine(_dir, "strength.fit");
        var r = CliRunner.Run("export", "fit-workout", "--protocol", "strength-lower", "--lop", "200", "--out", path, "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("targetMmHg").GetDouble().ShouldBe(140); // 70% of 200 (seed; Patterson 2019)
        var fit = FitDecoder.Decode(File.ReadAllBytes(path), "strength.fit");
        fit.OfType(26).ShouldHaveSingleItem(); // workout
        fit.OfType(27).Count().ShouldBeGreaterThan(20); // workout_step: 5 exercises × (inflate + 4 sets + 3 rests) + deflations
        File.ReadAllBytes(path).Length.ShouldBe(r.Json.GetProperty("bytes").GetInt32());
    }

    [Fact]
    public void ExportFitWorkout_PercentAbove80_IsAUsageError()
        => CliRunner.Run("export", "fit-workout", "--protocol", "strength-lower", "--lop", "200", "--percent", "90", "--out", Path.Combine(_dir, "x.fit"))
            .ShouldBeUsageError("--percent", "90", "50–80");

    [Fact]
    public void ExportFitWorkout_OutOnAFullDisk_NamesTheOptionThePathAndWhy()
        => CliRunner.Run("export", "fit-workout", "--protocol", "strength-lower", "--lop", "200", "--out", "/dev/full")
            .ShouldBeUsageError("--out: /dev/full cannot be written: No space left on device");

    [Fact]
    public void ExportFitWorkout_ArmProtocolOnALeg_NamesTheLimb()
        => CliRunner.Run("export", "fit-workout", "--protocol", "strength-upper", "--lop", "200", "--limb", "left-leg", "--out", Path.Combine(_dir, "x.fit"))
            .ShouldBeUsageError("--limb", "left-leg", "arms");

    [Fact]
    public void ExportFitWorkout_UnknownProtocol_ListsTheProtocols()
        => CliRunner.Run("export", "fit-workout", "--protocol", "yoga", "--lop", "200", "--out", Path.Combine(_dir, "x.fit"))
            .ShouldBeUsageError("--protocol", "'yoga'", "strength-lower");

    [Fact]
    public void ExportFitWorkout_LopOutOfRange_NamesTheOption()
        => CliRunner.Run("export", "fit-workout", "--protocol", "aerobic-walk", "--lop", "500", "--out", Path.Combine(_dir, "x.fit"))
            .ShouldBeUsageError("--lop", "500", "50–400");
}
