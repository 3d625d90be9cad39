using System.Globalization;

namespace OpenBfr.Formats;

/// <summary>
/// A file could not be read because it is not well formed: truncated, a wrong checksum, not
/// the format it claims to be, or a value out of its allowed range. The message names the
/// file, the format, where (a byte offset or a line) and what was expected versus found.
/// </summary>
public sealed class MalformedFileException : FormatException
{
    /// <summary>Creates the exception; the message is built from the parts.</summary>
    /// <param name="fileName">the file's name as given by the caller (a path or a label).</param>
    /// <param name="format">"FIT", "TCX", "GPX" …</param>
    /// <param name="location">where in the file, e.g. "byte 1234" or "line 12, column 5"; null when the whole file is at fault.</param>
    /// <param name="problem">what is wrong, with expected versus found values.</param>
    /// <param name="inner">the underlying exception, if any (an XmlException for XML files).</param>
    public MalformedFileException(string fileName, string format, string? location, string problem, Exception? inner = null)
        : base(Compose(fileName, format, location, problem), inner)
    {
        FileName = fileName;
        Format = format;
        Location = location;
        Problem = problem;
    }

    /// <summary>The file's name as the caller gave it.</summary>
    public string FileName { get; }

    /// <summary>The format that was being read ("FIT", "TCX", "GPX").</summary>
    public string Format { get; }

    /// <summary>Where in the file the problem is ("byte 1234", "line 3, column 7"), or null.</summary>
    public string? Location { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }

    /// <summary>Creates an exception located at a byte offset.</summary>
    public static MalformedFileException AtByte(string fileName, string format, long offset, string problem)
        => new(fileName, format, "byte " + offset.ToString(CultureInfo.InvariantCulture), problem);

    private static string Compose(string fileName, string format, string? location, string problem)
        => location is null ? $"{fileName}: not a valid {format} file: {problem}" : $"{fileName}: not a valid {format} file: at {location}: {problem}";
}
