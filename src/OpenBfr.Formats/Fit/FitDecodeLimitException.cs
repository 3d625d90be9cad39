using System.Globalization;

namespace OpenBfr.Formats.Fit;

/// <summary>
/// A FIT file holds more data messages or field values than <see cref="FitDecoder.Decode"/> builds
/// objects for (<see cref="FitDecoder.MaxDecodedMessages"/>, <see cref="FitDecoder.MaxDecodedValues"/>).
/// The file may be valid: <see cref="FitReader.Read{THandler}"/> streams it without keeping anything.
/// </summary>
public sealed class FitDecodeLimitException : FormatException
{
    /// <summary>Creates the exception; the message names the file, what was counted, the limit and where it was passed.</summary>
    /// <param name="fileName">the file's name as given.</param>
    /// <param name="what">"data messages" or "field values".</param>
    /// <param name="limit">the limit that was passed.</param>
    /// <param name="offset">byte offset of the message that passed it.</param>
    public FitDecodeLimitException(string fileName, string what, long limit, long offset)
        : base(Compose(fileName, what, limit, offset))
    {
        FileName = fileName;
        What = what;
        Limit = limit;
        Offset = offset;
    }

    private static string Compose(string fileName, string what, long limit, long offset)
        => string.Create(CultureInfo.InvariantCulture,
            $"{fileName}: FitDecoder.Decode builds objects for at most {limit:N0} {what}, and this file has more (the limit is passed at byte {offset}); read it with FitReader.Read and an IFitMessageHandler, which keeps nothing");

    /// <summary>The file's name as the caller gave it.</summary>
    public string FileName { get; }

    /// <summary>What was counted: "data messages" or "field values".</summary>
    public string What { get; }

    /// <summary>The limit that was passed.</summary>
    public long Limit { get; }

    /// <summary>Byte offset of the message that passed it.</summary>
    public long Offset { get; }
}
