using System.Text.RegularExpressions;
using OpenBfr.Cli.Tests.Commands;

namespace OpenBfr.Cli.Tests;

/// <summary>
/// The README's examples of these commands are real: each ```console block that runs one of them is
/// run in-process and must print exactly what the README shows, with the exit status it shows.
/// </summary>
public partial class ReadmeExamplesTests
{
    private static readonly HashSet<string> Commands = ["screen", "lop", "prescribe", "protocols", "vdot", "vo2max", "one-rm", "lsi"];

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var block in Blocks()) data.Add(block.Command);
        return data;
    }

    private static string Root => Path.GetDirectoryName(Path.GetDirectoryName(ScreenCommandTests.Example("x"))!)!;

    private static IEnumerable<(string Command, string Output, int ExitCode)> Blocks()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md")).Replace("\r\n", "\n");
        foreach (Match m in BlockRegex().Matches(readme))
        {
            var lines = m.Groups[1].Value.TrimEnd('\n').Split('\n').ToList();
            if (!lines[0].StartsWith("$ openbfr ", StringComparison.Ordinal)) continue;
            var command = lines[0]["$ openbfr ".Length..];
            if (!Commands.Contains(command.Split(' ')[0])) continue;
            var exit = 0;
            var echo = lines.IndexOf("$ echo $?");
            if (echo >= 0)
            {
                exit = int.Parse(lines[echo + 1]);
                lines = lines[..echo];
            }
            yield return (command, string.Join("\n", lines.Skip(1)), exit);
        }
    }

    [Fact]
    public void Readme_HasExamplesOfEveryCommand()
        => Blocks().Select(b => b.Command.Split(' ')[0]).Distinct().Order().ShouldBe(Commands.Order());

    [Theory]
    [MemberData(nameof(Examples))]
    public void Readme_Example_PrintsWhatTheReadmeShows(string command)
    {
        var (_, expected, exit) = Blocks().First(b => b.Command == command);
        var root = Root + Path.DirectorySeparatorChar;
        var args = command.Split(' ').Select(a => a.StartsWith("examples/", StringComparison.Ordinal) ? root + a : a).ToArray();
        var r = CliRunner.Run(args);
        r.ExitCode.ShouldBe(exit, r.Stderr);
        (r.Stdout + r.Stderr).Replace(root, "").TrimEnd('\n').ShouldBe(expected);
    }

    [GeneratedRegex("```console\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BlockRegex();
}
