namespace OpenBfr.Cli.Tests.Planning;

/// <summary>The plans shown in README's Planning section are what the CLI prints today.</summary>
public class ReadmePlanningTests
{
    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenBfr.slnx"))) dir = dir.Parent;
        return dir!.FullName;
    }

    public static IEnumerable<object[]> Examples()
    {
        var root = Root();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).Replace("\r\n", "\n");
        var start = readme.IndexOf("## Planning:", StringComparison.Ordinal);
        var end = readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        var lines = readme[start..end].Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            // Plans only: the import and history examples need generated files, the export writes one.
            if (!line.StartsWith("$ openbfr plan ", StringComparison.Ordinal) || line.Contains("--history", StringComparison.Ordinal) || line.Contains('|')) continue;
            var expected = new List<string>();
            for (var j = i + 1; j < lines.Length && !lines[j].StartsWith("$ ", StringComparison.Ordinal) && lines[j] != "```"; j++) expected.Add(lines[j]);
            yield return [line[2..], string.Join("\n", expected)];
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Readme_PlanExample_MatchesTheCli(string commandLine, string expected)
    {
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(a => a.StartsWith("examples/", StringComparison.Ordinal) ? Path.Combine(Root(), a) : a).ToArray();
        var r = CliRunner.Run(args);
        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Stdout.TrimEnd('\n').ShouldBe(expected);
    }

    [Fact]
    public void Readme_HasThePlanExamples() => Examples().Count().ShouldBeGreaterThanOrEqualTo(3);
}
