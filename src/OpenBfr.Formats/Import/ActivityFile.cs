using System.Globalization;
using System.Runtime.InteropServices;

namespace OpenBfr.Formats.Import;

/// <summary>
/// A path that is refused before its content is read: not a regular file (a named pipe, a
/// device, a directory, a socket), or larger than <see cref="ActivityLimits.MaxFileBytes"/>;
/// also content larger than that handed to <see cref="ActivityImporter.Parse"/>, refused before
/// it is parsed. The message is one line naming the path (or file name) and why.
/// </summary>
public sealed class ActivityFileRefusedException : IOException
{
    /// <summary>Creates the exception; the message reads "{path}: {problem}".</summary>
    /// <param name="path">the path as given.</param>
    /// <param name="problem">what the path is and what is allowed.</param>
    public ActivityFileRefusedException(string path, string problem) : base($"{path}: {problem}")
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The path as given.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }
}

/// <summary>Reads an activity file from disk: only a regular file, and at most <see cref="ActivityLimits.MaxFileBytes"/> bytes of it.</summary>
public static class ActivityFile
{
    /// <summary>Reads the whole file.</summary>
    /// <exception cref="ActivityFileRefusedException">not a regular file, or larger than <see cref="ActivityLimits.MaxFileBytes"/>.</exception>
    /// <exception cref="IOException">the file cannot be read (missing, no permission, an I/O error).</exception>
    /// <exception cref="UnauthorizedAccessException">no permission to read it.</exception>
    public static byte[] ReadAllBytes(string path)
    {
        // Opening a named pipe blocks until something writes to it, and a device such as /dev/zero
        // never ends, so the kind is checked before the file is opened (symbolic links followed).
        if (NonRegularKind(path) is { } kind)
        {
            throw new ActivityFileRefusedException(path, $"is {kind}, not a regular file: only regular files are imported");
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        var length = stream.Length;
        if (length > ActivityLimits.MaxFileBytes)
        {
            throw TooLarge(path, $"is {length.ToString(CultureInfo.InvariantCulture)} bytes, more");
        }
        var buffer = new byte[length];
        var count = Fill(stream, buffer, 0);
        // A file that holds more than its length said (it grew, or its length says nothing, as 0 does for
        // /proc files) is read on, but never past the limit.
        while (count == buffer.Length && stream.ReadByte() is var next and >= 0)
        {
            if (count >= ActivityLimits.MaxFileBytes)
            {
                throw TooLarge(path, "holds more");
            }
            Array.Resize(ref buffer, (int)Math.Min(Math.Max(2L * buffer.Length, 81_920), ActivityLimits.MaxFileBytes));
            buffer[count++] = (byte)next;
            count = Fill(stream, buffer, count);
        }
        return count == buffer.Length ? buffer : buffer[..count];
    }

    private static int Fill(Stream stream, byte[] buffer, int count)
    {
        int read;
        while (count < buffer.Length && (read = stream.Read(buffer, count, buffer.Length - count)) > 0)
        {
            count += read;
        }
        return count;
    }

    /// <summary>"{path}: {size} than the 134217728 bytes (128 MiB) an activity file may have", for a file on disk and for content handed to <see cref="ActivityImporter.Parse"/> alike.</summary>
    internal static ActivityFileRefusedException TooLarge(string path, string size)
        => new(path, $"{size} than the {ActivityLimits.MaxFileBytes.ToString(CultureInfo.InvariantCulture)} bytes ({ActivityLimits.MaxFileBytes / 1024 / 1024} MiB) an activity file may have");

    /// <summary>"a named pipe (FIFO)", "a directory" … when the path is not a regular file; null for a regular file or one that cannot be examined (the open then reports why).</summary>
    internal static string? NonRegularKind(string path)
    {
        if (OperatingSystem.IsLinux() && StatxMode(path) is { } mode)
        {
            return (mode & FileTypeMask) switch
            {
                RegularFile => null,
                0x1000 => "a named pipe (FIFO)",
                0x2000 => "a character device",
                0x4000 => "a directory",
                0x6000 => "a block device",
                0xC000 => "a socket",
                var other => $"not a file (type 0x{other:X4})",
            };
        }
        // Elsewhere only a directory is told apart here; the bounded read above still stops a device that never ends.
        return Directory.Exists(path) ? "a directory" : null;
    }

    private const int FileTypeMask = 0xF000, RegularFile = 0x8000;

    private static bool s_statxMissing;

    /// <summary>st_mode from statx(2), following symbolic links; null when it fails or libc has no statx (glibc before 2.28).</summary>
    private static int? StatxMode(string path)
    {
        if (s_statxMissing)
        {
            return null;
        }
        // struct statx has one layout on every architecture (linux/stat.h): stx_mode is the u16 at byte 28, the struct 256 bytes.
        const int AtFdCwd = -100;
        const uint StatxType = 0x1;
        var buffer = new byte[256];
        try
        {
            return Statx(AtFdCwd, path, 0, StatxType, buffer) == 0 ? BitConverter.ToUInt16(buffer, 28) : null;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            s_statxMissing = true;
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
