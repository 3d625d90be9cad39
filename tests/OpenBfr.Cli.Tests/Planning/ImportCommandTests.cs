using System.Runtime.InteropServices;
using OpenBfr.Formats.Fit;

namespace OpenBfr.Cli.Tests.Planning;

/// <summary>A fact that needs Linux (mkfifo(3)); skipped elsewhere with the reason.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux: mkfifo(3)";
        }
    }
}

/// <summary><c>openbfr import</c> on paths that are not activity files to read: named pipes, files over the size limit.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbfr-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Run(string name)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, new FitActivityGenerator(3).Run(new DateTimeOffset(2026, 11, 2, 7, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(30), 330).Bytes);
        return path;
    }

    private string Fifo(string name)
    {
        var path = Path.Combine(_dir, name);
        if (MkFifo(path, 0b110_100_100) != 0)
        {
            throw new IOException($"mkfifo {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        return path;
    }

    /// <summary>Runs the CLI, failing instead of hanging when it is still blocked on <paramref name="pipe"/> after 30 s (then a write end is opened and closed to free it).</summary>
    private static CliResult RunWithin30Seconds(string pipe, params string[] args)
    {
        var task = Task.Run(() => CliRunner.Run(args));
        if (!task.Wait(TimeSpan.FromSeconds(30)))
        {
            _ = Task.Run(() => File.OpenWrite(pipe).Dispose());
            throw new ShouldAssertException($"openbfr {string.Join(' ', args)} still blocked after 30 s reading the named pipe {pipe}");
        }
        return task.Result;
    }

    [LinuxFact]
    public void Import_NamedPipe_RefusedInOneLineNamingThePath()
    {
        var pipe = Fifo("live.fit");

        RunWithin30Seconds(pipe, "import", pipe)
            .ShouldBeUsageError($"FILES: {pipe}: is a named pipe (FIFO), not a regular file: only regular files are imported (--skip-invalid skips it)");
    }

    [LinuxFact]
    public void Import_DirectoryWithANamedPipe_SkipInvalidListsThePipeAndImportsTheRuns()
    {
        Run("a.fit");
        var pipe = Fifo("b.fit");

        var r = RunWithin30Seconds(pipe, "import", _dir, "--skip-invalid", "--json");

        r.ExitCode.ShouldBe(0, r.Stderr);
        r.Json.GetProperty("activities").GetInt32().ShouldBe(1);
        r.Json.GetProperty("skipped")[0].GetString().ShouldBe($"{pipe}: is a named pipe (FIFO), not a regular file: only regular files are imported");
    }

    [Fact]
    public void Import_FileOverTheSizeLimit_RefusedWithTheSizeAndTheLimit()
    {
        var path = Path.Combine(_dir, "huge.gpx");
        using (var stream = File.Create(path))
        {
            stream.SetLength(200_000_000); // sparse: takes no disk space
        }

        CliRunner.Run("import", path)
            .ShouldBeUsageError($"FILES: {path}: is 200000000 bytes, more than the 134217728 bytes (128 MiB) an activity file may have");
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MkFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
