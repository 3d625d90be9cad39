using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace OpenBfr.Formats.Fit;

/// <summary>
/// A value to write into one field: an integer (raw, already scaled), a float, a string,
/// bytes, an array of integers, or <see cref="Invalid"/> (the base type's invalid value).
/// </summary>
public readonly struct FitValue
{
    private enum Kind : byte { Invalid, Integer, Float, Text, Bytes, Integers }

    private readonly Kind _kind;
    private readonly long _integer;
    private readonly double _float;
    private readonly object? _reference;

    private FitValue(Kind kind, long integer = 0, double floating = 0, object? reference = null)
    {
        _kind = kind;
        _integer = integer;
        _float = floating;
        _reference = reference;
    }

    /// <summary>The base type's invalid value ("no value").</summary>
    public static FitValue Invalid => default;

    public static implicit operator FitValue(long value) => new(Kind.Integer, value);

    public static implicit operator FitValue(double value) => new(Kind.Float, floating: value);

    public static implicit operator FitValue(string value) => new(Kind.Text, reference: value);

    /// <summary>Raw bytes, for byte fields and arrays (developer_id and the like).</summary>
    public static FitValue Bytes(byte[] value) => new(Kind.Bytes, reference: value);

    /// <summary>An array of integers for an array field.</summary>
    public static FitValue Array(params long[] values) => new(Kind.Integers, reference: values);

    /// <summary>A physical value stored as raw = round((value + offset) × scale), the profile's scale and offset.</summary>
    public static FitValue Scaled(double value, double scale, double offset = 0) => new(Kind.Integer, (long)Math.Round((value + offset) * scale));

    /// <summary>A date_time: seconds since the FIT epoch.</summary>
    public static FitValue Time(DateTimeOffset time) => new(Kind.Integer, FitTime.FromDateTimeOffset(time));

    internal void Write(Span<byte> target, FitBaseType type, bool bigEndian, byte fieldNumber)
    {
        var size = type.Size();
        switch (_kind)
        {
            case Kind.Invalid:
                for (var i = 0; i + size <= target.Length; i += size)
                {
                    WriteBits(target.Slice(i, size), type.InvalidBits(), bigEndian);
                }
                break;
            case Kind.Integer when type.IsInteger():
                WriteInteger(target[..size], type, bigEndian, _integer, fieldNumber);
                FillInvalid(target[size..], type, bigEndian);
                break;
            case Kind.Integer or Kind.Float when type.IsFloat():
                var f = _kind == Kind.Float ? _float : _integer;
                if (type == FitBaseType.Float32)
                {
                    WriteBits(target[..4], BitConverter.SingleToUInt32Bits((float)f), bigEndian);
                }
                else
                {
                    WriteBits(target[..8], BitConverter.DoubleToUInt64Bits(f), bigEndian);
                }
                FillInvalid(target[size..], type, bigEndian);
                break;
            case Kind.Float when type.IsInteger():
                WriteInteger(target[..size], type, bigEndian, (long)Math.Round(_float), fieldNumber);
                FillInvalid(target[size..], type, bigEndian);
                break;
            case Kind.Text when type == FitBaseType.String:
                var text = (string)_reference!;
                var count = Encoding.UTF8.GetByteCount(text);
                if (count >= target.Length)
                {
                    throw new ArgumentOutOfRangeException(nameof(fieldNumber), text,
                        $"string for field {fieldNumber} needs {count} bytes plus a NUL, but the field is {target.Length} bytes");
                }
                target.Clear();
                Encoding.UTF8.GetBytes(text, target);
                break;
            case Kind.Bytes:
                var bytes = (byte[])_reference!;
                if (bytes.Length > target.Length)
                {
                    throw new ArgumentOutOfRangeException(nameof(fieldNumber), bytes.Length,
                        $"{bytes.Length} bytes for field {fieldNumber} do not fit its {target.Length}-byte size");
                }
                target.Fill(0xFF);
                bytes.CopyTo(target);
                break;
            case Kind.Integers when type.IsInteger():
                var values = (long[])_reference!;
                if (values.Length * size > target.Length)
                {
                    throw new ArgumentOutOfRangeException(nameof(fieldNumber), values.Length,
                        $"{values.Length} values for field {fieldNumber} do not fit its {target.Length / size}-element size");
                }
                for (var i = 0; i < values.Length; i++)
                {
                    WriteInteger(target.Slice(i * size, size), type, bigEndian, values[i], fieldNumber);
                }
                FillInvalid(target[(values.Length * size)..], type, bigEndian);
                break;
            default:
                throw new ArgumentException($"a {_kind.ToString().ToLowerInvariant()} value cannot be written to field {fieldNumber} of base type {type.FitName()}", nameof(fieldNumber));
        }
    }

    private static void FillInvalid(Span<byte> rest, FitBaseType type, bool bigEndian)
    {
        var size = type.Size();
        for (var i = 0; i + size <= rest.Length; i += size)
        {
            WriteBits(rest.Slice(i, size), type.InvalidBits(), bigEndian);
        }
    }

    private static void WriteInteger(Span<byte> target, FitBaseType type, bool bigEndian, long value, byte fieldNumber)
    {
        var (min, max) = type.ValidRange();
        if (value < min || (value >= 0 && (ulong)value > max))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value,
                $"field {fieldNumber} ({type.FitName()}) must be {min.ToString(CultureInfo.InvariantCulture)}–{max.ToString(CultureInfo.InvariantCulture)}, was {value.ToString(CultureInfo.InvariantCulture)} (the type's invalid value is written with FitValue.Invalid)");
        }
        WriteBits(target, (ulong)value, bigEndian);
    }

    private static void WriteBits(Span<byte> target, ulong bits, bool bigEndian)
    {
        switch (target.Length)
        {
            case 1: target[0] = (byte)bits; break;
            case 2: if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(target, (ushort)bits); else BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)bits); break;
            case 4: if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(target, (uint)bits); else BinaryPrimitives.WriteUInt32LittleEndian(target, (uint)bits); break;
            default: if (bigEndian) BinaryPrimitives.WriteUInt64BigEndian(target, bits); else BinaryPrimitives.WriteUInt64LittleEndian(target, bits); break;
        }
    }
}

/// <summary>
/// Writes FIT files: definition messages (either byte order, developer fields), data messages
/// with normal or compressed-timestamp headers, the 12- or 14-byte header and the CRCs.
/// </summary>
public sealed class FitEncoder
{
    private readonly FitMessageDefinition?[] _definitions = new FitMessageDefinition?[16];
    private readonly int _headerSize;
    private readonly ushort _profileVersion;
    private readonly byte _protocolVersion;
    private byte[] _buffer;
    private int _length;
    private uint? _lastTimestamp;

    /// <summary>Starts a file.</summary>
    /// <param name="headerSize">12 or 14 (14 carries a header CRC).</param>
    /// <param name="profileVersion">profile version × 100 written in the header (default 21.32).</param>
    /// <param name="protocolVersion">0x10 (1.0) or 0x20 (2.0, needed for developer fields; default).</param>
    /// <param name="capacity">initial buffer size in bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException">header size not 12 or 14.</exception>
    public FitEncoder(int headerSize = 14, ushort profileVersion = 2132, byte protocolVersion = 0x20, int capacity = 4096)
    {
        if (headerSize is not (12 or 14))
        {
            throw new ArgumentOutOfRangeException(nameof(headerSize), headerSize, $"headerSize must be 12 or 14, was {headerSize}");
        }
        _headerSize = headerSize;
        _profileVersion = profileVersion;
        _protocolVersion = protocolVersion;
        _buffer = new byte[Math.Max(capacity, 64)];
        _length = headerSize;
    }

    /// <summary>Bytes written so far (header included, CRC not yet).</summary>
    public int Length => _length;

    /// <summary>Writes a definition message for a local type (0–15); later data messages of that type follow it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">local type above 15.</exception>
    public void Define(byte localType, FitMessageDefinition definition)
    {
        if (localType > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(localType), localType, $"localType must be 0–15, was {localType}");
        }
        var hasDeveloper = definition.DeveloperFields.Count > 0;
        var span = Reserve(6 + 3 * definition.Fields.Count + (hasDeveloper ? 1 + 3 * definition.DeveloperFields.Count : 0));
        span[0] = (byte)(0x40 | (hasDeveloper ? 0x20 : 0) | localType);
        span[1] = 0;
        span[2] = definition.BigEndian ? (byte)1 : (byte)0;
        if (definition.BigEndian) BinaryPrimitives.WriteUInt16BigEndian(span[3..], definition.GlobalNumber);
        else BinaryPrimitives.WriteUInt16LittleEndian(span[3..], definition.GlobalNumber);
        span[5] = (byte)definition.Fields.Count;
        var p = 6;
        foreach (var field in definition.Fields)
        {
            span[p++] = field.Number;
            span[p++] = (byte)field.Size;
            span[p++] = (byte)field.BaseType;
        }
        if (hasDeveloper)
        {
            span[p++] = (byte)definition.DeveloperFields.Count;
            foreach (var field in definition.DeveloperFields)
            {
                span[p++] = field.Number;
                span[p++] = field.Size;
                span[p++] = field.DeveloperDataIndex;
            }
        }
        _definitions[localType] = definition;
    }

    /// <summary>Writes a data message with a normal header. Values follow the definition's fields, then its developer fields.</summary>
    /// <exception cref="InvalidOperationException">the local type has no definition.</exception>
    /// <exception cref="ArgumentException">wrong number of values, or a value that does not fit its field.</exception>
    public void Write(byte localType, params ReadOnlySpan<FitValue> values)
    {
        var definition = DefinitionOf(localType);
        var span = Reserve(1 + definition.DataSize);
        span[0] = localType;
        WriteContent(span[1..], definition, values);
        if (definition.TimestampIndex >= 0)
        {
            var bytes = span.Slice(1 + definition.FieldOffsets[definition.TimestampIndex], 4);
            var t = definition.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
            if (t != uint.MaxValue)
            {
                _lastTimestamp = t;
            }
        }
    }

    /// <summary>
    /// Writes a data message with a compressed-timestamp header (local type 0–3; the time is
    /// carried as a 5-bit offset from the last timestamp written, so it must be 0–31 s later).
    /// </summary>
    /// <exception cref="InvalidOperationException">no earlier timestamp, or the time is not 0–31 s after it.</exception>
    public void WriteCompressed(byte localType, uint timestamp, params ReadOnlySpan<FitValue> values)
    {
        if (localType > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(localType), localType, $"localType must be 0–3 for a compressed-timestamp header, was {localType}");
        }
        if (_lastTimestamp is not { } last)
        {
            throw new InvalidOperationException("a compressed-timestamp message needs an earlier message with a timestamp field");
        }
        if (timestamp < last || timestamp - last > 31)
        {
            throw new InvalidOperationException($"timestamp {timestamp} must be 0–31 s after the last one ({last}) for a compressed header");
        }
        var definition = DefinitionOf(localType);
        var span = Reserve(1 + definition.DataSize);
        span[0] = (byte)(0x80 | (localType << 5) | (int)(timestamp & 0x1F));
        WriteContent(span[1..], definition, values);
        _lastTimestamp = timestamp;
    }

    /// <summary>The file so far, with header (data size, header CRC) and file CRC filled in.</summary>
    public byte[] ToArray()
    {
        var header = _buffer.AsSpan(0, _headerSize);
        header[0] = (byte)_headerSize;
        header[1] = _protocolVersion;
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], _profileVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(_length - _headerSize));
        ".FIT"u8.CopyTo(header[8..]);
        if (_headerSize == 14)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[12..], FitCrc.Compute(header[..12]));
        }
        var file = new byte[_length + 2];
        _buffer.AsSpan(0, _length).CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(_length), FitCrc.Compute(file.AsSpan(0, _length)));
        return file;
    }

    private FitMessageDefinition DefinitionOf(byte localType)
        => localType < 16 && _definitions[localType] is { } d ? d : throw new InvalidOperationException($"local type {localType} has no definition; call Define first");

    private void WriteContent(Span<byte> span, FitMessageDefinition definition, ReadOnlySpan<FitValue> values)
    {
        var expected = definition.Fields.Count + definition.DeveloperFields.Count;
        if (values.Length != expected)
        {
            throw new ArgumentException($"{FitProfile.MessageName(definition.GlobalNumber)} is defined with {definition.Fields.Count} fields and {definition.DeveloperFields.Count} developer fields, so {expected} values, but {values.Length} were given", nameof(values));
        }
        for (var i = 0; i < definition.Fields.Count; i++)
        {
            var field = definition.Fields[i];
            values[i].Write(span.Slice(definition.FieldOffsets[i], field.Size), field.BaseType, definition.BigEndian, field.Number);
        }
        var offset = definition.FieldsSize;
        for (var i = 0; i < definition.DeveloperFields.Count; i++)
        {
            var field = definition.DeveloperFields[i];
            var type = DeveloperType(field);
            values[definition.Fields.Count + i].Write(span.Slice(offset, field.Size), type, definition.BigEndian, field.Number);
            offset += field.Size;
        }
    }

    private readonly Dictionary<int, FitBaseType> _developerTypes = [];

    /// <summary>Declares the base type of a developer field (as its field_description says) so values can be written to it.</summary>
    public void DescribeDeveloperField(byte developerDataIndex, byte fieldNumber, FitBaseType baseType)
        => _developerTypes[(developerDataIndex << 8) | fieldNumber] = baseType;

    /// <summary>Writes a developer_data_id message (defining local type <paramref name="localType"/> for it).</summary>
    public void WriteDeveloperDataId(byte localType, byte developerDataIndex, byte[] applicationId, uint applicationVersion)
    {
        Define(localType, new FitMessageDefinition(FitMessageNumber.DeveloperDataId,
        [
            new(FitFieldNumber.DeveloperDataId.ApplicationId, FitBaseType.Byte, 16),
            new(FitFieldNumber.DeveloperDataId.ApplicationVersion, FitBaseType.UInt32),
            new(FitFieldNumber.DeveloperDataId.DeveloperDataIndex, FitBaseType.UInt8),
        ]));
        Write(localType, FitValue.Bytes(applicationId), applicationVersion, developerDataIndex);
    }

    /// <summary>Writes a field_description message (defining local type <paramref name="localType"/> for it) and declares the field's type.</summary>
    public void WriteFieldDescription(byte localType, FitDeveloperFieldDescription description)
    {
        var name = description.Name ?? "";
        var units = description.Units ?? "";
        Define(localType, new FitMessageDefinition(FitMessageNumber.FieldDescription,
        [
            new(FitFieldNumber.FieldDescription.DeveloperDataIndex, FitBaseType.UInt8),
            new(FitFieldNumber.FieldDescription.FieldDefinitionNumber, FitBaseType.UInt8),
            new(FitFieldNumber.FieldDescription.FitBaseTypeId, FitBaseType.UInt8),
            new(FitFieldNumber.FieldDescription.FieldName, FitBaseType.String, Encoding.UTF8.GetByteCount(name) + 1),
            new(FitFieldNumber.FieldDescription.Units, FitBaseType.String, Encoding.UTF8.GetByteCount(units) + 1),
            new(FitFieldNumber.FieldDescription.Scale, FitBaseType.UInt8),
            new(FitFieldNumber.FieldDescription.Offset, FitBaseType.SInt8),
            new(FitFieldNumber.FieldDescription.NativeMesgNum, FitBaseType.UInt16),
            new(FitFieldNumber.FieldDescription.NativeFieldNum, FitBaseType.UInt8),
        ]));
        Write(localType, description.DeveloperDataIndex, description.FieldNumber, (long)description.BaseType,
            name.Length == 0 ? FitValue.Invalid : name, units.Length == 0 ? FitValue.Invalid : units,
            (long)description.Scale, (long)description.Offset,
            description.NativeMessage is { } nm ? nm : FitValue.Invalid,
            description.NativeField is { } nf ? nf : FitValue.Invalid);
        DescribeDeveloperField(description.DeveloperDataIndex, description.FieldNumber, description.BaseType);
    }

    private FitBaseType DeveloperType(FitDeveloperFieldDefinition field)
        => _developerTypes.TryGetValue((field.DeveloperDataIndex << 8) | field.Number, out var type) ? type : FitBaseType.Byte;

    private Span<byte> Reserve(int count)
    {
        if (_length + count + 2 > _buffer.Length)
        {
            System.Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count + 2));
        }
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
