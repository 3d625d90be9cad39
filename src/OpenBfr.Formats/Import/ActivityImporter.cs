using System.Globalization;
using OpenBfr.Formats.Fit;
using OpenBfr.Formats.Gpx;
using OpenBfr.Formats.Tcx;

namespace OpenBfr.Formats.Import;

/// <summary>A file that could not be imported, and why.</summary>
/// <param name="File">the path as given.</param>
/// <param name="Error">the message (names the file, where, and what is wrong).</param>
public sealed record ImportFailure(string File, string Error);

/// <summary>The result of a batch import: every activity of the files that read completely, and the files that did not.</summary>
public sealed record ImportBatch(IReadOnlyList<RunActivity> Activities, IReadOnlyList<ImportFailure> Failures);

/// <summary>
/// Imports run history from FIT, TCX and GPX files, choosing the parser by extension (or by
/// content when the extension is unknown). All-or-nothing per file: a file contributes all its
/// activities or none.
/// </summary>
public static class ActivityImporter
{
    /// <summary>Reads one file.</summary>
    /// <exception cref="MalformedFileException">not a valid FIT, TCX or GPX file.</exception>
    /// <exception cref="ActivityFileRefusedException">not a regular file (a named pipe, a device, a directory), or larger than <see cref="ActivityLimits.MaxFileBytes"/>.</exception>
    /// <exception cref="IOException">the file cannot be read.</exception>
    public static IReadOnlyList<RunActivity> ImportFile(string path)
    {
        var bytes = ActivityFile.ReadAllBytes(path);
        return Parse(bytes, Path.GetFileName(path));
    }

    /// <summary>Parses a file's content; <paramref name="fileName"/>'s extension picks the format (.fit, .tcx, .gpx), else the content does.</summary>
    /// <exception cref="MalformedFileException">not a valid file of the format, or a format that cannot be recognised.</exception>
    /// <exception cref="ActivityFileRefusedException">more than <see cref="ActivityLimits.MaxFileBytes"/> bytes, refused before parsing as a file on disk is before reading.</exception>
    public static IReadOnlyList<RunActivity> Parse(byte[] content, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length > ActivityLimits.MaxFileBytes)
        {
            throw ActivityFile.TooLarge(fileName, $"is {content.Length.ToString(CultureInfo.InvariantCulture)} bytes, more");
        }
        var format = Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".fit" => ActivityFileFormat.Fit,
            ".tcx" => ActivityFileFormat.Tcx,
            ".gpx" => ActivityFileFormat.Gpx,
            _ => Sniff(content, fileName),
        };
        return format switch
        {
            ActivityFileFormat.Fit => [FitDecoder.DecodeActivity(content, fileName)],
            ActivityFileFormat.Tcx => TcxParser.Parse(ReadOnly(content), fileName),
            _ => [GpxParser.Parse(ReadOnly(content), fileName)],
        };
    }

    /// <summary>The content as a stream whose buffer the XML reader can look at without a copy.</summary>
    private static MemoryStream ReadOnly(byte[] content) => new(content, 0, content.Length, writable: false, publiclyVisible: true);

    /// <summary>Imports many files; each either contributes all its activities or is listed as a failure. Activities come sorted by start time.</summary>
    public static ImportBatch ImportFiles(IEnumerable<string> paths)
    {
        var activities = new List<RunActivity>();
        var failures = new List<ImportFailure>();
        foreach (var path in paths)
        {
            try
            {
                activities.AddRange(ImportFile(path));
            }
            catch (Exception ex) when (ex is MalformedFileException or ActivityFileRefusedException)
            {
                failures.Add(new ImportFailure(path, ex.Message));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures.Add(new ImportFailure(path, $"{path}: cannot be read: {ex.Message}"));
            }
        }
        return new ImportBatch([.. activities.OrderBy(a => a.StartTime)], failures);
    }

    /// <summary>The files in a directory (not recursive) with a .fit, .tcx or .gpx extension, sorted by name.</summary>
    public static IReadOnlyList<string> FindActivityFiles(string directory)
        => [.. Directory.EnumerateFiles(directory)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".fit" or ".tcx" or ".gpx")
            .Order(StringComparer.Ordinal)];

    /// <summary>
    /// The first <paramref name="chars"/> characters of an XML file, decoded as XmlReader would: UTF-16 (either
    /// byte order) by its byte order mark, or without one by "&lt;" as its first character (XML 1.0 appendix F),
    /// else UTF-8 (a UTF-8 byte order mark skipped).
    /// </summary>
    private static string XmlHead(byte[] content, int chars)
    {
        var (encoding, skip) = content switch
        {
            [0xFF, 0xFE, ..] => (System.Text.Encoding.Unicode, 2),
            [0xFE, 0xFF, ..] => (System.Text.Encoding.BigEndianUnicode, 2),
            [(byte)'<', 0, ..] => (System.Text.Encoding.Unicode, 0),
            [0, (byte)'<', ..] => (System.Text.Encoding.BigEndianUnicode, 0),
            [0xEF, 0xBB, 0xBF, ..] => (System.Text.Encoding.UTF8, 3),
            _ => (System.Text.Encoding.UTF8, 0),
        };
        var bytes = content.AsSpan(skip);
        var width = encoding == System.Text.Encoding.UTF8 ? 1 : 2;
        return encoding.GetString(bytes[..Math.Min(bytes.Length, chars * width)]);
    }

    private static ActivityFileFormat Sniff(byte[] content, string fileName)
    {
        if (content.Length >= 12 && content[0] is 12 or 14 && content.AsSpan(8, 4).SequenceEqual(".FIT"u8))
        {
            return ActivityFileFormat.Fit;
        }
        var head = XmlHead(content, 2048);
        if (head.Contains("<TrainingCenterDatabase", StringComparison.Ordinal))
        {
            return ActivityFileFormat.Tcx;
        }
        if (head.Contains("<gpx", StringComparison.Ordinal))
        {
            return ActivityFileFormat.Gpx;
        }
        throw new MalformedFileException(fileName, "activity", null,
            $"extension \"{Path.GetExtension(fileName)}\" is not .fit, .tcx or .gpx, and the content is none of them");
    }
}
