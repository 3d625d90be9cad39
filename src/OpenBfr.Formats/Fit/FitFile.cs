namespace OpenBfr.Formats.Fit;

/// <summary>A whole FIT file decoded to messages (the generic decoder's output).</summary>
public sealed record FitFile(
    string FileName,
    FitFileHeader Header,
    IReadOnlyList<FitMessage> Messages,
    IReadOnlyList<FitDeveloperDataId> DeveloperDataIds,
    IReadOnlyList<FitDeveloperFieldDescription> DeveloperFieldDescriptions)
{
    /// <summary>The messages with this global number, in file order.</summary>
    public IEnumerable<FitMessage> OfType(ushort globalNumber) => Messages.Where(m => m.GlobalNumber == globalNumber);
}

/// <summary>One decoded data message.</summary>
/// <param name="GlobalNumber">global message number (20 = record).</param>
/// <param name="Name">profile name ("record"), or "unknown_N".</param>
/// <param name="LocalType">local message type 0–15.</param>
/// <param name="Offset">byte offset of its record header.</param>
/// <param name="Timestamp">FIT seconds from its timestamp field or compressed header, or null.</param>
/// <param name="CompressedTimestamp">true when the timestamp came from a compressed-timestamp header.</param>
/// <param name="Fields">every field, invalid ones included (see <see cref="FitField.IsInvalid"/>).</param>
/// <param name="DeveloperFields">developer fields.</param>
public sealed record FitMessage(
    ushort GlobalNumber,
    string Name,
    byte LocalType,
    long Offset,
    uint? Timestamp,
    bool CompressedTimestamp,
    IReadOnlyList<FitField> Fields,
    IReadOnlyList<FitDeveloperField> DeveloperFields)
{
    /// <summary>The field with this number, or null.</summary>
    public FitField? Field(byte number) => Fields.FirstOrDefault(f => f.Number == number);

    /// <summary>The timestamp as a UTC time, or null.</summary>
    public DateTimeOffset? Time => Timestamp is { } t ? FitTime.ToDateTimeOffset(t) : null;
}

/// <summary>One decoded field.</summary>
/// <param name="Number">field number.</param>
/// <param name="Name">profile name when OpenBFR's profile subset knows it.</param>
/// <param name="BaseType">base type from the definition.</param>
/// <param name="Values">one string for strings; else one entry per element: long (or ulong above long.MaxValue) for integers, double for floats, null for an invalid element.</param>
/// <param name="Scale">profile scale (1 when unknown).</param>
/// <param name="Offset">profile offset (0 when unknown).</param>
/// <param name="Units">profile units, or "".</param>
public sealed record FitField(byte Number, string? Name, FitBaseType BaseType, IReadOnlyList<object?> Values, double Scale, double Offset, string Units)
{
    /// <summary>True when every element holds the base type's invalid value.</summary>
    public bool IsInvalid => Values.All(v => v is null);

    /// <summary>The first element, or null when invalid.</summary>
    public object? Value => Values.Count > 0 ? Values[0] : null;

    /// <summary>Each numeric element with scale and offset applied (value = raw / scale − offset); null for invalid elements or strings.</summary>
    public IReadOnlyList<double?> ScaledValues => Values.Select(v => v switch
    {
        long l => l / Scale - Offset,
        ulong u => u / Scale - Offset,
        double d => d / Scale - Offset,
        _ => (double?)null,
    }).ToList();

    /// <summary>The first element with scale and offset applied, or null.</summary>
    public double? ScaledValue => Values.Count == 0 ? null : ScaledValues[0];
}

/// <summary>One developer field of a message.</summary>
/// <param name="DeveloperDataIndex">which developer_data_id.</param>
/// <param name="Number">field number within that developer's fields.</param>
/// <param name="Description">its field_description, or null when the file did not describe it (then only <paramref name="Raw"/> is known).</param>
/// <param name="Raw">the field's bytes.</param>
/// <param name="Values">decoded values per the description's base type, or null without a description.</param>
public sealed record FitDeveloperField(byte DeveloperDataIndex, byte Number, FitDeveloperFieldDescription? Description, byte[] Raw, IReadOnlyList<object?>? Values)
{
    /// <summary>The first value with the description's scale and offset applied, or null.</summary>
    public double? ScaledValue => Values is { Count: > 0 } && Description is { } d
        ? Values[0] switch { long l => l / d.Scale - d.Offset, double v => v / d.Scale - d.Offset, _ => null }
        : null;
}
