using System.CommandLine;
using System.Text.Json;
using OpenBfr.Cli.Commands;
using OpenBfr.Core.Time;

namespace OpenBfr.Cli.Tests;

/// <summary>The result of one in-process openbfr run.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout parsed as JSON (for --json runs).</summary>
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    /// <summary>The stderr lines, without the final empty one.</summary>
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Runs the CLI in-process with string streams and a manual clock.</summary>
public static class CliRunner
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    public static CliResult Run(params string[] args) => RunWith("", false, args);

    public static CliResult RunWith(string stdin, bool interactive, params string[] args) => Invoke(stdin, interactive, keys: null, args);

    /// <summary>An interactive run with key presses (as a terminal gives them during <c>session run</c>).</summary>
    public static CliResult RunWithKeys(IKeyInput keys, params string[] args) => Invoke("", true, keys, args);

    private static CliResult Invoke(string stdin, bool interactive, IKeyInput? keys, string[] args)
    {
        using var @in = new StringReader(stdin);
        using var @out = new StringWriter();
        using var err = new StringWriter();
        var code = OpenBfrCli.Run(args, @in, @out, err, new ManualTimeProvider(Now), interactive, keys);
        return new CliResult(code, @out.ToString().Replace("\r\n", "\n"), err.ToString().Replace("\r\n", "\n"));
    }

    public static CliResult RunCommands(Action<RootCommand> addCommands, params string[] args)
    {
        using var @in = new StringReader("");
        using var @out = new StringWriter();
        using var err = new StringWriter();
        var code = OpenBfrCli.RunWith(args, @in, @out, err, new ManualTimeProvider(Now), false, addCommands);
        return new CliResult(code, @out.ToString(), err.ToString());
    }

    /// <summary>Asserts a usage error: exit 2, nothing on stdout, exactly one line on stderr containing every fragment.</summary>
    public static void ShouldBeUsageError(this CliResult result, params string[] fragments)
    {
        result.ExitCode.ShouldBe(2, $"stderr: {result.Stderr}");
        result.Stdout.ShouldBeEmpty();
        result.ErrorLines.Length.ShouldBe(1, $"stderr: {result.Stderr}");
        foreach (var f in fragments) result.ErrorLines[0].ShouldContain(f);
    }
}
