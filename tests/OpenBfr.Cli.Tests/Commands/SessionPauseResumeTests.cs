using System.Text.Json;
using OpenBfr.Cli.Commands;

namespace OpenBfr.Cli.Tests.Commands;

/// <summary>
/// <c>openbfr session run</c> with pause, resume, stop and symptoms: from a <c>--script</c> and from
/// keys (an injected key source, as a terminal would give them).
/// </summary>
public sealed class SessionPauseResumeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "openbfr-pause-" + Guid.NewGuid().ToString("N"));

    public SessionPauseResumeTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Strength = ["session", "run", "--protocol", "strength-lower", "--simulate", "--lop", "200", "--seed", "3"];

    private static string[] With(params string[] more) => [.. Strength, .. more];

    private static List<JsonElement> Lines(string path)
        => File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public void SessionRun_ScriptedPause_PausedTimeNotCountedAsOcclusion()
    {
        var plain = CliRunner.Run(With("--json"));
        var paused = CliRunner.Run(With("--script", "pause@60s,resume@100s", "--json"));
        plain.ExitCode.ShouldBe(0, plain.Stderr);
        paused.ExitCode.ShouldBe(0, paused.Stderr);
        paused.Json.GetProperty("outcome").GetString().ShouldBe("completed");
        var occlusionPlain = plain.Json.GetProperty("cuffs")[0].GetProperty("occlusionSeconds").GetDouble();
        var occlusionPaused = paused.Json.GetProperty("cuffs")[0].GetProperty("occlusionSeconds").GetDouble();
        // 40 s paused: the session is about 40 s longer, the occlusion is not (a few seconds of
        // deflating, re-inflating and the interrupted rep done again are).
        (paused.Json.GetProperty("seconds").GetDouble() - plain.Json.GetProperty("seconds").GetDouble()).ShouldBeInRange(40, 46);
        (occlusionPaused - occlusionPlain).ShouldBeInRange(0, 6);
    }

    [Fact]
    public void SessionRun_ScriptedPauseAndResume_DeflatesThenReinflatesToTargetAndContinues()
    {
        var log = Path.Combine(_dir, "pause.jsonl");
        var r = CliRunner.Run(With("--script", "pause@60s,resume@90s", "--log", log));
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.ShouldContain("1:00 pause: cuffs deflated;");
        r.Stdout.ShouldContain("1:30 resume\n1:30 squat: re-inflating (left-leg 140 mmHg)");
        var lines = Lines(log);
        double T(JsonElement e) => e.GetProperty("t").GetDouble();
        var samples = lines.Where(l => l.GetProperty("type").GetString() == "sample").ToList();
        // Paused: target 0 and the cuff below 20 mmHg from 1 s after the pause until the resume.
        var pausedSamples = samples.Where(s => T(s) is > 61 and < 90).ToList();
        pausedSamples.ShouldNotBeEmpty();
        pausedSamples.All(s => s.GetProperty("target").GetDouble() == 0 && s.GetProperty("mmHg").GetDouble() < 20).ShouldBeTrue("deflated while paused");
        pausedSamples.All(s => s.GetProperty("phase").GetString() == "paused").ShouldBeTrue();
        // Resumed: back within 10% of the 140 mmHg target within 5 s, then the set goes on with reps.
        samples.Where(s => T(s) is > 90 and < 95).Any(s => Math.Abs(s.GetProperty("mmHg").GetDouble() - 140) <= 14).ShouldBeTrue("re-inflated to the target");
        var events = lines.Where(l => l.GetProperty("type").GetString() == "event").ToList();
        events.Any(e => e.GetProperty("kind").GetString() == "rep" && T(e) > 90 && T(e) < 100).ShouldBeTrue("reps go on after the resume");
        lines[^1].GetProperty("detail").GetString().ShouldBe("completed");
    }

    [Fact]
    public void SessionRun_ScriptedSymptom_AbortsWithExit3AndTheReason()
    {
        var r = CliRunner.Run(With("--script", "pause@60s,resume@90s,symptom:tingling@200s"));
        r.ExitCode.ShouldBe(3, r.Stderr);
        r.Stdout.ShouldContain("3:20 symptom reported: tingling");
        r.Stdout.ShouldContain("SAFETY ABORT at 3:20: symptom: tingling reported: deflate now");
        r.Stdout.ShouldContain("all cuffs deflated");
    }

    [Fact]
    public void SessionRun_ScriptedStop_StopsWithExit0()
    {
        var r = CliRunner.Run(With("--script", "stop@75s", "--json"));
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("aborted").GetBoolean().ShouldBeFalse();
        r.Json.GetProperty("outcome").GetString()!.ShouldStartWith("stopped: stopped by the athlete (script)");
        r.Json.GetProperty("cuffs")[0].GetProperty("finalMmHg").GetDouble().ShouldBeLessThan(20);
    }

    [Fact]
    public void SessionRun_SameSeedAndScript_LogByteIdentical()
    {
        string Log(string name, string script)
        {
            var path = Path.Combine(_dir, name);
            CliRunner.Run(With("--script", script, "--log", path)).ExitCode.ShouldBe(3);
            return File.ReadAllText(path);
        }
        var a = Log("a.jsonl", "pause@60s,resume@90s,symptom:numbness@200s");
        a.ShouldBe(Log("b.jsonl", "pause@60s,resume@90s,symptom:numbness@200s"));
        a.ShouldNotBe(Log("c.jsonl", "pause@61s,resume@90s,symptom:numbness@200s"));
    }

    [Fact]
    public void SessionRun_Keys_PauseResumeAndSymptomKeyAbortWithExit3()
    {
        var keys = new ScriptedKeyInput([(TimeSpan.FromSeconds(60), 'p'), (TimeSpan.FromSeconds(90), 'r'), (TimeSpan.FromSeconds(200), '2')]);
        var r = CliRunner.RunWithKeys(keys, Strength);
        r.ExitCode.ShouldBe(3, r.Stderr);
        r.Stdout.ShouldStartWith(SessionAction.KeyHelp + "\n");
        r.Stdout.ShouldContain("1:00 pause: cuffs deflated;");
        r.Stdout.ShouldContain("1:30 resume");
        r.Stdout.ShouldContain("SAFETY ABORT at 3:20: symptom: numbness reported");
    }

    [Fact]
    public void SessionRun_KeysAndScript_SameTimes_SameLog()
    {
        // A key pressed at a time and the same action scripted at that time give the same session
        // (keys are polled at 20 Hz of session time, so times on a 50 ms grid match exactly).
        var viaKeys = Path.Combine(_dir, "keys.jsonl");
        var viaScript = Path.Combine(_dir, "script.jsonl");
        CliRunner.RunWithKeys(new ScriptedKeyInput([(TimeSpan.FromSeconds(60), 'p'), (TimeSpan.FromSeconds(90), 'r'), (TimeSpan.FromSeconds(150), 's')]),
            With("--log", viaKeys)).ExitCode.ShouldBe(0);
        CliRunner.Run(With("--script", "pause@60s,resume@90s,stop@150s", "--log", viaScript)).ExitCode.ShouldBe(0);
        File.ReadAllText(viaKeys).Replace("(key s)", "(script)", StringComparison.Ordinal).ShouldBe(File.ReadAllText(viaScript));
    }

    [Fact]
    public void SessionRun_SStopKeyAndOtherKeys_StopsAndIgnoresTheRest()
    {
        var keys = new ScriptedKeyInput([(TimeSpan.FromSeconds(30), 'x'), (TimeSpan.FromSeconds(31), 'r'), (TimeSpan.FromSeconds(40), 's')]);
        var r = CliRunner.RunWithKeys(keys, With("--json"));
        // With --json there is no one at a live display: keys are not read, the session completes.
        r.ExitCode.ShouldBe(0);
        r.Json.GetProperty("outcome").GetString().ShouldBe("completed");
        var text = CliRunner.RunWithKeys(new ScriptedKeyInput([(TimeSpan.FromSeconds(30), 'x'), (TimeSpan.FromSeconds(31), 'r'), (TimeSpan.FromSeconds(40), 's')]), Strength);
        text.ExitCode.ShouldBe(0);
        text.Stdout.ShouldContain("0:31 resume (key r) ignored: the session is set, not paused");
        text.Stdout.ShouldContain("0:40 stop: stopped by the athlete (key s)");
    }

    [Theory]
    [InlineData("pause", "--script: pause must be ACTION@TIME")]
    [InlineData("jump@10s", "--script: jump@10s is not an action")]
    [InlineData("pause@soon", "--script: soon is not a time")]
    [InlineData("symptom:cramp@10s", "--script: symptom:cramp@10s is not an action")]
    public void SessionRun_BadScript_OneLineNamingIt(string script, string expected)
    {
        var r = CliRunner.Run(With("--script", script));
        r.ExitCode.ShouldBe(2);
        r.ErrorLines.ShouldHaveSingleItem().ShouldStartWith(expected);
    }

    [Fact]
    public void SessionAction_ParseScript_OrdersByTimeAndReadsSymptoms()
    {
        var actions = SessionAction.ParseScript("--script", ["resume@1:30, pause@60s", "symptom:pain:8@200"]);
        actions.Select(a => a.Kind).ShouldBe([SessionActionKind.Pause, SessionActionKind.Resume, SessionActionKind.Symptom]);
        actions.Select(a => a.At.TotalSeconds).ShouldBe([60, 90, 200]);
        actions[2].Symptom!.PainOutOf10.ShouldBe(8);
        actions[2].Symptom!.RequiresDeflation.ShouldBeTrue();
    }
}
