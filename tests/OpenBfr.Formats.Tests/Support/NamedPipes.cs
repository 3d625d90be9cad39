using System.Runtime.InteropServices;

namespace OpenBfr.Formats.Tests.Support;

/// <summary>A fact that needs Linux (named pipes, /dev/zero); skipped elsewhere with the reason.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux: mkfifo(3) and /dev/zero";
        }
    }
}

/// <summary>Named pipes for tests, and a guard that turns a read blocked on one into a failure instead of a hang.</summary>
public static class NamedPipes
{
    /// <summary>Creates a named pipe (FIFO) at <paramref name="path"/> with mkfifo(3).</summary>
    public static string Create(string path)
    {
        if (MkFifo(path, 0b110_100_100) != 0)
        {
            throw new IOException($"mkfifo {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        return path;
    }

    /// <summary>
    /// Runs <paramref name="action"/>, failing when it has not returned within 30 s (a read blocked on the
    /// pipe); the pipe is then opened for writing and closed, which ends the blocked read.
    /// </summary>
    public static T Within30Seconds<T>(string pipe, Func<T> action)
    {
        var task = Task.Run(action);
        if (!task.Wait(TimeSpan.FromSeconds(30)))
        {
            _ = Task.Run(() => File.OpenWrite(pipe).Dispose());
            throw new ShouldAssertException($"still blocked after 30 s reading the named pipe {pipe}");
        }
        return task.Result;
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MkFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
