namespace OpenBfr.Cli.Tests.Commands;

/// <summary>
/// A clearance in an answers file counts 12 months (PAR-Q+: "valid for a maximum of 12 months from the date it is
/// completed"). The runner's today is 2026-11-22 (<see cref="CliRunner.Now"/>): a clearance of 2025-11-22 has expired
/// today, one of 2025-11-23 is valid until tomorrow.
/// </summary>
public sealed class ClearanceExpiryCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbfr-expiry-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The healthy example with diabetes (NeedsClearance, every limb), cleared on <paramref name="date"/> for the legs.</summary>
    private string Cleared(string date)
    {
        var yaml = File.ReadAllText(ScreenCommandTests.Example("screening-healthy.yaml")).Replace("diabetes: no", "diabetes: yes")
            + $"clearance:\n  clinician: Dr X\n  date: {date}\n  items: [diabetes]\n  limbs: [left-leg, right-leg]\n";
        var path = Path.Combine(_dir, $"cleared-{date}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Screen_ClearanceTheDayBeforeExpiry_LegsEligible()
    {
        var r = CliRunner.Run("screen", "--answers", Cleared("2025-11-23"), "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("limbs").GetProperty("left-leg").GetString().ShouldBe("Eligible");
        r.Json.GetProperty("clearance").GetProperty("expiresOn").GetString().ShouldBe("2026-11-23");
        r.Json.GetProperty("clearance").GetProperty("expired").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public void Screen_ClearanceExpiredToday_LegsNeedClearanceAgain()
    {
        var r = CliRunner.Run("screen", "--answers", Cleared("2025-11-22"), "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("limbs").GetProperty("left-leg").GetString().ShouldBe("NeedsClearance");
        r.Json.GetProperty("conservativePressureLimbs").GetArrayLength().ShouldBe(0);
        r.Json.GetProperty("clearance").GetProperty("expiresOn").GetString().ShouldBe("2026-11-22");
        r.Json.GetProperty("clearance").GetProperty("expired").GetBoolean().ShouldBeTrue();
        r.Json.GetProperty("reasons")[0].GetProperty("clearedLimbs").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public void Screen_ExpiredClearance_TextNamesTheDatesAndTheRule()
    {
        var r = CliRunner.Run("screen", "--answers", Cleared("2024-02-29"));
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldContain("left-leg   NeedsClearance  diabetes");
        r.Stdout.ShouldContain("Expired:\n- clearance of diabetes by Dr X on 2024-02-29 expired on 2025-02-28 (valid 12 months: PAR-Q+): a clinician must clear it again");
        r.Stdout.ShouldNotContain("cleared by Dr X");
    }

    [Fact]
    public void Prescribe_ClearanceExpired_ExitsTwoNamingTheExpiry()
        => CliRunner.Run("prescribe", "--lop", "200", "--limb", "left-leg", "--modality", "resistance", "--answers", Cleared("2025-11-22"))
            .ShouldBeUsageError("--answers", "the left-leg is NeedsClearance (diabetes); no BFR prescription until a clinician records clearance: "
                + "clearance of diabetes by Dr X on 2025-11-22 expired on 2026-11-22 (valid 12 months: PAR-Q+): a clinician must clear it again");

    [Fact]
    public void Prescribe_ClearanceTheDayBeforeExpiry_IsConservative()
    {
        var r = CliRunner.Run("prescribe", "--lop", "200", "--limb", "left-leg", "--modality", "resistance", "--answers", Cleared("2025-11-23"), "--json");
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("conservative").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public void Prescribe_ExpiredClearanceOnTheLegsOnly_ArmNotNamedAsExpired()
        => CliRunner.Run("prescribe", "--lop", "150", "--limb", "left-arm", "--modality", "resistance", "--answers", Cleared("2025-11-22"))
            .Stderr.ShouldNotContain("expired");
}
