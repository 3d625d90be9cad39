using System.Buffers.Binary;
using System.Text;

namespace OpenBfr.Formats.Fit;

/// <summary>
/// One data message as the reader met it: its definition and content bytes, read on demand.
/// Valid only during <see cref="IFitMessageHandler.OnMessage"/>; it copies nothing.
/// </summary>
public readonly ref struct FitMessageView
{
    private readonly FitReader _reader;

    internal FitMessageView(FitReader reader, FitMessageDefinition definition, ReadOnlySpan<byte> data, long offset, byte localType,
        uint? timestamp, bool compressedTimestamp)
    {
        _reader = reader;
        Definition = definition;
        Data = data;
        Offset = offset;
        LocalType = localType;
        Timestamp = timestamp;
        HasCompressedTimestamp = compressedTimestamp;
    }

    public FitMessageDefinition Definition { get; }

    /// <summary>The message's content bytes (after the record header byte).</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Byte offset of the record header in the file.</summary>
    public long Offset { get; }

    public byte LocalType { get; }

    public ushort GlobalNumber => Definition.GlobalNumber;

    /// <summary>The message's timestamp in FIT seconds: its timestamp field, or the one a compressed header implies; null when neither.</summary>
    public uint? Timestamp { get; }

    /// <summary>True when the timestamp came from a compressed-timestamp header.</summary>
    public bool HasCompressedTimestamp { get; }

    /// <summary>True when the definition has the field (its value may still be invalid).</summary>
    public bool Has(byte fieldNumber) => Definition.IndexOf(fieldNumber) >= 0;

    /// <summary>The first value of an integer field, sign-extended; false when absent or invalid.</summary>
    public bool TryGetInteger(byte fieldNumber, out long value)
    {
        var index = Definition.IndexOf(fieldNumber);
        if (index < 0)
        {
            value = 0;
            return false;
        }
        var slot = Definition.Slots[index];
        if (!slot.IsInteger || slot.Size % slot.TypeSize != 0)
        {
            // A size that is not a multiple of the type's size makes the field invalid (FIT protocol).
            value = 0;
            return false;
        }
        var bits = FitValueReader.ReadBits(Data.Slice(slot.Offset, slot.TypeSize), Definition.BigEndian);
        if (bits == slot.InvalidBits)
        {
            value = 0;
            return false;
        }
        value = FitValueReader.ToInt64(bits, slot.Type);
        return true;
    }

    /// <summary>The first value of a numeric field with scale and offset applied (value = raw / scale − offset); false when absent or invalid.</summary>
    public bool TryGetScaled(byte fieldNumber, double scale, double offset, out double value)
    {
        var index = Definition.IndexOf(fieldNumber);
        if (index >= 0 && Definition.Fields[index].BaseType.IsFloat())
        {
            var field = Definition.Fields[index];
            if (field.Size % field.BaseType.Size() != 0)
            {
                value = 0;
                return false;
            }
            var raw = FitValueReader.ReadValue(Data.Slice(Definition.FieldOffsets[index], field.BaseType.Size()), field.BaseType, Definition.BigEndian);
            value = raw is double d ? d / scale - offset : 0;
            return raw is double;
        }
        if (TryGetInteger(fieldNumber, out var integer))
        {
            value = integer / scale - offset;
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>A string field's text up to its first NUL; null when absent, empty or not a string.</summary>
    public string? GetString(byte fieldNumber)
    {
        var index = Definition.IndexOf(fieldNumber);
        if (index < 0 || Definition.Fields[index].BaseType != FitBaseType.String)
        {
            return null;
        }
        return FitValueReader.ReadString(Data.Slice(Definition.FieldOffsets[index], Definition.Fields[index].Size));
    }

    /// <summary>A field's raw bytes as a copy; null when absent or all bytes are the invalid value.</summary>
    public byte[]? GetBytes(byte fieldNumber)
    {
        var index = Definition.IndexOf(fieldNumber);
        if (index < 0)
        {
            return null;
        }
        var field = Definition.Fields[index];
        var bytes = Data.Slice(Definition.FieldOffsets[index], field.Size);
        return bytes.IndexOfAnyExcept((byte)0xFF) < 0 ? null : bytes.ToArray();
    }

    /// <summary>Materialises every field and developer field (the generic decoder's path).</summary>
    public FitMessage ToMessage()
    {
        // No list for a message without fields, and no name string for each unknown message: a file of 1-byte
        // messages made three objects a message beside the message itself.
        if (Definition.Fields.Count == 0 && Definition.DeveloperFields.Count == 0)
        {
            return new FitMessage(GlobalNumber, FitProfile.MessageName(GlobalNumber), LocalType, Offset, Timestamp, HasCompressedTimestamp, [], []);
        }
        var fields = new List<FitField>(Definition.Fields.Count);
        for (var i = 0; i < Definition.Fields.Count; i++)
        {
            var definition = Definition.Fields[i];
            var values = FitValueReader.ReadValues(Data.Slice(Definition.FieldOffsets[i], definition.Size), definition.BaseType, Definition.BigEndian);
            FitProfile.TryGetField(GlobalNumber, definition.Number, out var info);
            fields.Add(new FitField(definition.Number, info?.Name, definition.BaseType, values, info?.Scale ?? 1, info?.Offset ?? 0, info?.Units ?? ""));
        }
        var developerFields = new List<FitDeveloperField>(Definition.DeveloperFields.Count);
        var offset = Definition.FieldsSize;
        foreach (var definition in Definition.DeveloperFields)
        {
            var bytes = Data.Slice(offset, definition.Size);
            offset += definition.Size;
            if (_reader.TryGetDeveloperField(definition.DeveloperDataIndex, definition.Number, out var description))
            {
                var values = FitValueReader.ReadValues(bytes, description.BaseType, Definition.BigEndian);
                developerFields.Add(new FitDeveloperField(definition.DeveloperDataIndex, definition.Number, description, bytes.ToArray(), values));
            }
            else
            {
                // No field_description for it: skipped by its size, kept as bytes.
                developerFields.Add(new FitDeveloperField(definition.DeveloperDataIndex, definition.Number, null, bytes.ToArray(), null));
            }
        }
        return new FitMessage(GlobalNumber, FitProfile.MessageName(GlobalNumber), LocalType, Offset, Timestamp, HasCompressedTimestamp, fields, developerFields);
    }
}

/// <summary>Reads FIT values from bytes.</summary>
internal static class FitValueReader
{
    public static ulong ReadBits(ReadOnlySpan<byte> bytes, bool bigEndian) => bytes.Length switch
    {
        1 => bytes[0],
        2 => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes),
        4 => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        _ => bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes),
    };

    public static long ToInt64(ulong bits, FitBaseType type) => type switch
    {
        FitBaseType.SInt8 => (sbyte)bits,
        FitBaseType.SInt16 => (short)bits,
        FitBaseType.SInt32 => (int)bits,
        _ => (long)bits,
    };

    /// <summary>One value: long (integers; ulong for uint64 values above long.MaxValue), double (floats), or null when invalid.</summary>
    public static object? ReadValue(ReadOnlySpan<byte> bytes, FitBaseType type, bool bigEndian)
    {
        var bits = ReadBits(bytes, bigEndian);
        if (type.IsFloat())
        {
            if (type == FitBaseType.Float32 ? bits == 0xFFFF_FFFF : bits == ulong.MaxValue)
            {
                return null;
            }
            return type == FitBaseType.Float32 ? (double)BitConverter.UInt32BitsToSingle((uint)bits) : BitConverter.UInt64BitsToDouble(bits);
        }
        if (bits == type.InvalidBits())
        {
            return null;
        }
        if (type is FitBaseType.UInt64 or FitBaseType.UInt64z && bits > long.MaxValue)
        {
            return bits;
        }
        return Box(ToInt64(bits, type));
    }

    // Every 8-bit value (enums, uint8, sint8, the bytes of a byte array) boxed once, not once per element:
    // a box is 24 bytes, as much as many whole fields in the file.
    private static readonly object[] SmallIntegers = [.. Enumerable.Range(-128, 384).Select(i => (object)(long)i)];

    private static object Box(long value) => value is >= -128 and <= 255 ? SmallIntegers[value + 128] : value;

    /// <summary>All values of a field: one string for string fields, else one entry per element (null = invalid element).</summary>
    public static IReadOnlyList<object?> ReadValues(ReadOnlySpan<byte> bytes, FitBaseType type, bool bigEndian)
    {
        if (type == FitBaseType.String)
        {
            return [ReadString(bytes)];
        }
        var size = type.Size();
        if (bytes.Length % size != 0)
        {
            return [null]; // size not a multiple of the type's size: the protocol says treat as invalid
        }
        var count = bytes.Length / size;
        var values = new object?[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = ReadValue(bytes.Slice(i * size, size), type, bigEndian);
        }
        if (type == FitBaseType.Byte && count > 1 && bytes.IndexOfAnyExcept((byte)0xFF) >= 0)
        {
            // A byte array is invalid only when every byte is 0xFF.
            for (var i = 0; i < count; i++)
            {
                values[i] = Box(bytes[i]);
            }
        }
        return values;
    }

    public static string? ReadString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        var text = end < 0 ? bytes : bytes[..end];
        return text.Length == 0 ? null : Encoding.UTF8.GetString(text);
    }
}
