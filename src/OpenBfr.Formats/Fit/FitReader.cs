using System.Buffers.Binary;
using System.Globalization;

namespace OpenBfr.Formats.Fit;

/// <summary>The 12- or 14-byte FIT file header and the file's trailing CRC.</summary>
/// <param name="HeaderSize">12 or 14 bytes.</param>
/// <param name="ProtocolVersion">protocol version byte (0x10 = 1.0, 0x20 = 2.0).</param>
/// <param name="ProfileVersion">profile version × 100 (e.g. 2132 = 21.32).</param>
/// <param name="DataSize">bytes of records between the header and the CRC.</param>
/// <param name="HeaderCrc">the header's CRC when the header is 14 bytes (0 = not computed), else null.</param>
/// <param name="FileCrc">the CRC after the data, over header and data.</param>
public sealed record FitFileHeader(int HeaderSize, byte ProtocolVersion, ushort ProfileVersion, uint DataSize, ushort? HeaderCrc, ushort FileCrc);

/// <summary>Receives each data message as the reader meets it.</summary>
public interface IFitMessageHandler
{
    /// <summary>Called once per data message, in file order. The view is only valid during the call.</summary>
    void OnMessage(in FitMessageView message);
}

/// <summary>A developer_data_id message: who defined a set of developer fields.</summary>
public sealed record FitDeveloperDataId(byte DeveloperDataIndex, byte[]? DeveloperId, byte[]? ApplicationId, ushort? ManufacturerId, uint? ApplicationVersion);

/// <summary>A field_description message: what a developer field is.</summary>
public sealed record FitDeveloperFieldDescription(
    byte DeveloperDataIndex, byte FieldNumber, FitBaseType BaseType, string? Name, string? Units,
    double Scale, double Offset, ushort? NativeMessage, byte? NativeField);

/// <summary>
/// Streaming FIT reader: checks the header, the header CRC and the file CRC, then walks the
/// records (definition messages, normal and compressed-timestamp data messages, developer
/// fields, both byte orders) and hands each data message to a handler without copying it.
/// Everything wrong with the file is a <see cref="MalformedFileException"/> naming the byte.
/// </summary>
public sealed class FitReader
{
    private const string Format = "FIT";
    private readonly Dictionary<int, FitDeveloperFieldDescription> _developerFields = [];
    private readonly Dictionary<byte, FitDeveloperDataId> _developerDataIds = [];

    private FitReader(string fileName) => FileName = fileName;

    /// <summary>The file name used in error messages.</summary>
    public string FileName { get; }

    /// <summary>Developer field descriptions met so far, by developer data index and field number.</summary>
    public IReadOnlyCollection<FitDeveloperFieldDescription> DeveloperFieldDescriptions => _developerFields.Values;

    /// <summary>developer_data_id messages met so far.</summary>
    public IReadOnlyCollection<FitDeveloperDataId> DeveloperDataIds => _developerDataIds.Values;

    /// <summary>Reads a whole FIT file, calling <paramref name="handler"/> for each data message.</summary>
    /// <returns>the header, and the reader (for developer field descriptions).</returns>
    /// <exception cref="MalformedFileException">anything wrong with the file (names the byte offset, expected and found).</exception>
    public static (FitFileHeader Header, FitReader Reader) Read<THandler>(ReadOnlySpan<byte> file, string fileName, THandler handler)
        where THandler : IFitMessageHandler
    {
        var reader = new FitReader(fileName);
        var header = reader.ReadAll(file, handler);
        return (header, reader);
    }

    /// <summary>Checks the header and both CRCs only (no record walk).</summary>
    /// <exception cref="MalformedFileException">not FIT, truncated, or a CRC does not match.</exception>
    public static FitFileHeader ReadHeader(ReadOnlySpan<byte> file, string fileName) => new FitReader(fileName).CheckFrame(file);

    /// <summary>The description of a developer field, if its field_description has been read.</summary>
    public bool TryGetDeveloperField(byte developerDataIndex, byte fieldNumber, out FitDeveloperFieldDescription description)
        => _developerFields.TryGetValue((developerDataIndex << 8) | fieldNumber, out description!);

    private MalformedFileException Error(long offset, string problem) => MalformedFileException.AtByte(FileName, Format, offset, problem);

    private FitFileHeader CheckFrame(ReadOnlySpan<byte> file)
    {
        if (file.Length == 0)
        {
            throw new MalformedFileException(FileName, Format, null, "the file is empty");
        }
        int headerSize = file[0];
        if (headerSize != 12 && headerSize != 14)
        {
            throw Error(0, $"header size byte is {headerSize}, expected 12 or 14");
        }
        if (file.Length < headerSize)
        {
            throw Error(file.Length, $"the file is {file.Length} bytes, shorter than its {headerSize}-byte header");
        }
        if (!file.Slice(8, 4).SequenceEqual(".FIT"u8))
        {
            throw Error(8, $"data type is \"{Printable(file.Slice(8, 4))}\", expected \".FIT\"");
        }
        var protocol = file[1];
        if (protocol >> 4 > 2)
        {
            throw Error(1, $"protocol version {protocol >> 4}.{protocol & 0xF} is not supported (1.x and 2.x are)");
        }
        var profile = BinaryPrimitives.ReadUInt16LittleEndian(file[2..]);
        var dataSize = BinaryPrimitives.ReadUInt32LittleEndian(file[4..]);
        ushort? headerCrc = null;
        if (headerSize == 14)
        {
            headerCrc = BinaryPrimitives.ReadUInt16LittleEndian(file[12..]);
            var computed = FitCrc.Compute(file[..12]);
            if (headerCrc != 0 && headerCrc != computed)
            {
                throw Error(12, $"header CRC is 0x{headerCrc:X4}, computed 0x{computed:X4}");
            }
        }
        var end = (long)headerSize + dataSize;
        if (file.Length < end + 2)
        {
            throw Error(file.Length, $"the file is truncated: {file.Length} bytes, but the header declares {dataSize} data bytes, so {end + 2} bytes with the CRC");
        }
        if (file.Length > end + 2)
        {
            throw Error(end + 2, $"{file.Length - end - 2} bytes follow the file CRC (chained FIT files are not supported)");
        }
        var fileCrc = BinaryPrimitives.ReadUInt16LittleEndian(file[(int)end..]);
        var actual = FitCrc.Compute(file[..(int)end]);
        if (fileCrc != actual)
        {
            throw Error(end, $"file CRC is 0x{fileCrc:X4}, computed 0x{actual:X4} over bytes 0–{end - 1}");
        }
        return new FitFileHeader(headerSize, protocol, profile, dataSize, headerCrc, fileCrc);
    }

    private FitFileHeader ReadAll<THandler>(ReadOnlySpan<byte> file, THandler handler) where THandler : IFitMessageHandler
    {
        var header = CheckFrame(file);
        var end = header.HeaderSize + (int)header.DataSize;
        var definitions = new FitMessageDefinition?[16];
        uint? lastTimestamp = null;
        var pos = header.HeaderSize;
        while (pos < end)
        {
            var start = pos;
            var recordHeader = file[pos++];
            if ((recordHeader & 0x80) != 0)
            {
                // Compressed timestamp header: 1, local type (2 bits), time offset (5 bits).
                var local = (recordHeader >> 5) & 0x3;
                var definition = definitions[local]
                    ?? throw Error(start, $"compressed-timestamp message for local type {local}, which has no definition yet");
                if (lastTimestamp is not { } last)
                {
                    throw Error(start, "compressed-timestamp message before any message with a timestamp");
                }
                var offset = (uint)(recordHeader & 0x1F);
                var timestamp = (last & ~0x1Fu) + offset;
                if (offset < (last & 0x1F))
                {
                    timestamp += 0x20;
                }
                pos = Deliver(file, end, start, pos, (byte)local, definition, timestamp, true, handler);
                lastTimestamp = timestamp;
            }
            else if ((recordHeader & 0x40) != 0)
            {
                definitions[recordHeader & 0xF] = ReadDefinition(file, end, start, ref pos, (recordHeader & 0x20) != 0);
            }
            else
            {
                var local = recordHeader & 0xF;
                var definition = definitions[local]
                    ?? throw Error(start, $"data message for local type {local}, which has no definition yet");
                uint? timestamp = null;
                if (definition.TimestampIndex >= 0 && pos + definition.FieldsSize <= end)
                {
                    var bytes = file.Slice(pos + definition.FieldOffsets[definition.TimestampIndex], 4);
                    var value = definition.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
                    if (value != uint.MaxValue)
                    {
                        timestamp = value;
                    }
                }
                pos = Deliver(file, end, start, pos, (byte)local, definition, timestamp, false, handler);
                if (timestamp is not null)
                {
                    lastTimestamp = timestamp;
                }
            }
        }
        return header;
    }

    private int Deliver<THandler>(ReadOnlySpan<byte> file, int end, int start, int pos, byte local, FitMessageDefinition definition,
        uint? timestamp, bool compressed, THandler handler) where THandler : IFitMessageHandler
    {
        if (pos + definition.DataSize > end)
        {
            throw Error(start, $"{FitProfile.MessageName(definition.GlobalNumber)} message of {definition.DataSize + 1} bytes runs past the end of the data at byte {end}");
        }
        var view = new FitMessageView(this, definition, file.Slice(pos, definition.DataSize), start, local, timestamp, compressed);
        if (definition.GlobalNumber == FitMessageNumber.DeveloperDataId)
        {
            RegisterDeveloperDataId(view);
        }
        else if (definition.GlobalNumber == FitMessageNumber.FieldDescription)
        {
            RegisterFieldDescription(view);
        }
        handler.OnMessage(view);
        return pos + definition.DataSize;
    }

    private FitMessageDefinition ReadDefinition(ReadOnlySpan<byte> file, int end, int start, ref int pos, bool hasDeveloperFields)
    {
        if (pos + 5 > end)
        {
            throw Error(start, $"definition message runs past the end of the data at byte {end}");
        }
        pos++; // reserved
        var architecture = file[pos++];
        if (architecture > 1)
        {
            throw Error(pos - 1, $"architecture byte is {architecture}, expected 0 (little-endian) or 1 (big-endian)");
        }
        var bigEndian = architecture == 1;
        var global = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(file[pos..]) : BinaryPrimitives.ReadUInt16LittleEndian(file[pos..]);
        pos += 2;
        int count = file[pos++];
        if (pos + 3 * count + (hasDeveloperFields ? 1 : 0) > end)
        {
            throw Error(start, $"definition message with {count} fields runs past the end of the data at byte {end}");
        }
        var fields = new FitFieldDefinition[count];
        for (var i = 0; i < count; i++)
        {
            var number = file[pos];
            var size = file[pos + 1];
            var typeByte = file[pos + 2];
            var type = FitBaseTypes.FromByte(typeByte)
                ?? throw Error(pos + 2, $"field {number} of {FitProfile.MessageName(global)} has base type 0x{typeByte:X2}, which is not a FIT base type");
            if (size == 0)
            {
                throw Error(pos + 1, $"field {number} of {FitProfile.MessageName(global)} has size 0, expected at least 1 byte");
            }
            fields[i] = new FitFieldDefinition(number, type, size, lenient: true);
            pos += 3;
        }
        var developer = Array.Empty<FitDeveloperFieldDefinition>();
        if (hasDeveloperFields)
        {
            int devCount = file[pos++];
            if (pos + 3 * devCount > end)
            {
                throw Error(start, $"definition message with {devCount} developer fields runs past the end of the data at byte {end}");
            }
            developer = new FitDeveloperFieldDefinition[devCount];
            for (var i = 0; i < devCount; i++)
            {
                if (file[pos + 1] == 0)
                {
                    throw Error(pos + 1, $"developer field {file[pos]} of {FitProfile.MessageName(global)} has size 0, expected at least 1 byte");
                }
                developer[i] = new FitDeveloperFieldDefinition(file[pos], file[pos + 1], file[pos + 2]);
                pos += 3;
            }
        }
        return new FitMessageDefinition(global, fields, developer, bigEndian);
    }

    private void RegisterDeveloperDataId(in FitMessageView view)
    {
        if (!view.TryGetInteger(FitFieldNumber.DeveloperDataId.DeveloperDataIndex, out var index))
        {
            return;
        }
        _developerDataIds[(byte)index] = new FitDeveloperDataId(
            (byte)index,
            view.GetBytes(FitFieldNumber.DeveloperDataId.DeveloperId),
            view.GetBytes(FitFieldNumber.DeveloperDataId.ApplicationId),
            view.TryGetInteger(FitFieldNumber.DeveloperDataId.ManufacturerId, out var m) ? (ushort)m : null,
            view.TryGetInteger(FitFieldNumber.DeveloperDataId.ApplicationVersion, out var v) ? (uint)v : null);
    }

    private void RegisterFieldDescription(in FitMessageView view)
    {
        if (!view.TryGetInteger(FitFieldNumber.FieldDescription.DeveloperDataIndex, out var index)
            || !view.TryGetInteger(FitFieldNumber.FieldDescription.FieldDefinitionNumber, out var number)
            || !view.TryGetInteger(FitFieldNumber.FieldDescription.FitBaseTypeId, out var typeId))
        {
            return;
        }
        var type = FitBaseTypes.FromByte((byte)typeId);
        if (type is null)
        {
            throw Error(view.Offset, $"field_description for developer field {number} has fit_base_type_id 0x{typeId:X2}, which is not a FIT base type");
        }
        var description = new FitDeveloperFieldDescription(
            (byte)index, (byte)number, type.Value,
            view.GetString(FitFieldNumber.FieldDescription.FieldName),
            view.GetString(FitFieldNumber.FieldDescription.Units),
            view.TryGetInteger(FitFieldNumber.FieldDescription.Scale, out var scale) && scale != 0 ? scale : 1,
            view.TryGetInteger(FitFieldNumber.FieldDescription.Offset, out var offset) ? offset : 0,
            view.TryGetInteger(FitFieldNumber.FieldDescription.NativeMesgNum, out var nm) ? (ushort)nm : null,
            view.TryGetInteger(FitFieldNumber.FieldDescription.NativeFieldNum, out var nf) ? (byte)nf : null);
        _developerFields[(description.DeveloperDataIndex << 8) | description.FieldNumber] = description;
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = bytes[i] is >= 0x20 and < 0x7F ? (char)bytes[i] : '?';
        }
        return new string(chars) + " (hex " + Convert.ToHexString(bytes).ToLower(CultureInfo.InvariantCulture) + ")";
    }
}
