using System.Diagnostics;
using System.Text.Json;

namespace OpenBfr.Formats.Tests.Support;

/// <summary>
/// Runs the node scripts under peers/ (independent decoders from npm) and parses their JSON.
/// tests/setup.d/20-npm-peers.sh installs their node_modules; without them the tests fail
/// with a message saying so rather than skipping.
/// </summary>
public static class NodePeer
{
    public static string PeersDirectory { get; } = FindPeers();

    /// <summary>A scratch directory for files handed to node, unique per call site.</summary>
    public static string ScratchDirectory(string name)
    {
        var root = Environment.GetEnvironmentVariable("OPENBFR_TEST_OUTPUT") is { Length: > 0 } o ? o : Path.GetTempPath();
        var dir = Path.Combine(root, "formats-peers", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs a script with arguments and returns its stdout parsed as JSON.</summary>
    public static JsonElement Run(string script, params string[] args)
    {
        if (!Directory.Exists(Path.Combine(PeersDirectory, "node_modules")))
        {
            throw new InvalidOperationException($"npm peers are not installed in {PeersDirectory}: run tests/setup.d/20-npm-peers.sh (test.sh does)");
        }
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = PeersDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(PeersDirectory, script));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish in 120 s");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} exited {process.ExitCode}: {stderr.Result}");
        }
        using var doc = JsonDocument.Parse(stdout.Result);
        return doc.RootElement.Clone();
    }

    private static string FindPeers()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "OpenBfr.Formats.Tests", "peers");
            if (File.Exists(Path.Combine(dir.FullName, "OpenBfr.slnx")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"cannot find tests/OpenBfr.Formats.Tests/peers above {AppContext.BaseDirectory}");
    }
}
