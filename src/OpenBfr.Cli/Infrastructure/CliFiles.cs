namespace OpenBfr.Cli.Infrastructure;

/// <summary>Writing a command's output file (<c>--out</c>) with one clear error instead of an internal one.</summary>
public static class CliFiles
{
    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/>. A file that cannot be written (no
    /// such folder, no permission, a full disk) is a usage error naming the option, the path and the
    /// reason, and a file this call created is removed again, so a failed write leaves no half file.
    /// </summary>
    /// <exception cref="UsageException">the file cannot be written.</exception>
    public static void Write(string option, string path, byte[] bytes)
    {
        var existed = File.Exists(path);
        try
        {
            File.WriteAllBytes(path, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            if (!existed) TryDelete(path);
            throw new UsageException(option, path, $"cannot be written: {ex.Message}");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The write's own error is the one to report.
        }
    }
}
