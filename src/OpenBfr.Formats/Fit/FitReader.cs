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
        // A definition message is checked where it stands but built only when a data message uses it
        // (byte offset of the definition's record header, 0 = none waiting): a file of nothing but
        // definitions used to build an object of some 600 bytes for each 6-byte definition (25 MiB: 3 GB).
        Span<int> waiting = stackalloc int[16];
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
                var definition = definitions[local] ??= Build(file, ref waiting[local], start, "compressed-timestamp message", local);
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
                CheckDefinition(file, end, start, ref pos, (recordHeader & 0x20) != 0);
                definitions[recordHeader & 0xF] = null;
                waiting[recordHeader & 0xF] = start;
            }
            else
            {
                var local = recordHeader & 0xF;
                var definition = definitions[local] ??= Build(file, ref waiting[local], start, "data message", local);
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
        if (definition.GlobalNumber is FitMessageNumber.DeveloperDataId or FitMessageNumber.FieldDescription)
        {
            if (++_developerMessages > MaxDeveloperMessages)
            {
                throw Error(start, string.Create(CultureInfo.InvariantCulture,
                    $"{FitProfile.MessageName(definition.GlobalNumber)} message number {_developerMessages:N0} of developer_data_id and field_description: a file may have at most {MaxDeveloperMessages:N0} (one per developer field and app; activity files have a few)"));
            }
            if (definition.GlobalNumber == FitMessageNumber.DeveloperDataId)
            {
                RegisterDeveloperDataId(view);
            }
            else
            {
                RegisterFieldDescription(view);
            }
        }
        handler.OnMessage(view);
        return pos + definition.DataSize;
    }

    /// <summary>
    /// Checks a definition message (layout, base types, sizes) and moves <paramref name="pos"/> past it, building nothing.
    /// </summary>
    private void CheckDefinition(ReadOnlySpan<byte> file, int end, int start, ref int pos, bool hasDeveloperFields)
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
        var global = architecture == 1 ? BinaryPrimitives.ReadUInt16BigEndian(file[pos..]) : BinaryPrimitives.ReadUInt16LittleEndian(file[pos..]);
        pos += 2;
        int count = file[pos++];
        if (pos + 3 * count + (hasDeveloperFields ? 1 : 0) > end)
        {
            throw Error(start, $"definition message with {count} fields runs past the end of the data at byte {end}");
        }
        for (var i = 0; i < count; i++)
        {
            var number = file[pos];
            var size = file[pos + 1];
            var typeByte = file[pos + 2];
            if (FitBaseTypes.FromByte(typeByte) is null)
            {
                throw Error(pos + 2, $"field {number} of {FitProfile.MessageName(global)} has base type 0x{typeByte:X2}, which is not a FIT base type");
            }
            if (size == 0)
            {
                throw Error(pos + 1, $"field {number} of {FitProfile.MessageName(global)} has size 0, expected at least 1 byte");
            }
            pos += 3;
        }
        if (hasDeveloperFields)
        {
            int devCount = file[pos++];
            if (pos + 3 * devCount > end)
            {
                throw Error(start, $"definition message with {devCount} developer fields runs past the end of the data at byte {end}");
            }
            for (var i = 0; i < devCount; i++)
            {
                if (file[pos + 1] == 0)
                {
                    throw Error(pos + 1, $"developer field {file[pos]} of {FitProfile.MessageName(global)} has size 0, expected at least 1 byte");
                }
                pos += 3;
            }
        }
    }

    /// <summary>
    /// Most different definition layouts a file's data messages may use: 4 096. A device's activity file uses a few
    /// dozen (one or two per message type; Garmin's SDK, which writes only the fields a message has, a few more as
    /// sensors come and go), and each layout is built once however often it is defined again. A layout costs up
    /// to 20 KB of objects (255 fields and 255 developer fields), so this bounds them at about 80 MB whatever the file.
    /// </summary>
    public const int MaxDefinitionLayouts = 4096;

    private Dictionary<byte[], FitMessageDefinition>? _layouts;

    /// <summary>
    /// Most developer_data_id and field_description messages a file may have, together: 4 096. Each is kept (a
    /// description with its name and units, up to 1 KB): a file has one per app that adds fields and one per such
    /// field, a few in an activity file; 15 apps of 255 fields each would still fit.
    /// </summary>
    public const int MaxDeveloperMessages = 4096;

    private int _developerMessages;

    /// <summary>
    /// The definition whose (checked) definition message starts at <paramref name="waiting"/>, for the first data message
    /// that uses it; a layout met before (the same bytes after the reserved byte) is not built again.
    /// </summary>
    private FitMessageDefinition Build(ReadOnlySpan<byte> file, ref int waiting, int start, string what, int local)
    {
        if (waiting == 0)
        {
            throw Error(start, $"{what} for local type {local}, which has no definition yet");
        }
        var definitionStart = waiting;
        waiting = 0;
        var hasDeveloperFields = (file[definitionStart] & 0x20) != 0;
        var pos = definitionStart + 2; // record header, reserved
        var length = 4 + 3 * file[pos + 3];
        if (hasDeveloperFields)
        {
            length += 1 + 3 * file[pos + length];
        }
        // The field count fixes where the developer-field count would stand, so the bytes from the architecture on
        // tell a definition with developer fields from one without.
        var layout = file.Slice(pos, length);
        _layouts ??= new Dictionary<byte[], FitMessageDefinition>(LayoutComparer.Instance);
        var lookup = _layouts.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(layout, out var known))
        {
            return known;
        }
        if (_layouts.Count >= MaxDefinitionLayouts)
        {
            throw Error(start, string.Create(CultureInfo.InvariantCulture,
                $"this {what} uses a {MaxDefinitionLayouts + 1:N0}th different definition layout (the definition at byte {definitionStart}), but a file may use at most {MaxDefinitionLayouts:N0} (activity files use a few dozen)"));
        }
        var bigEndian = file[pos] == 1;
        var global = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(file[(pos + 1)..]) : BinaryPrimitives.ReadUInt16LittleEndian(file[(pos + 1)..]);
        int count = file[pos + 3];
        pos += 4;
        var fields = new FitFieldDefinition[count];
        for (var i = 0; i < count; i++, pos += 3)
        {
            fields[i] = new FitFieldDefinition(file[pos], FitBaseTypes.FromByte(file[pos + 2])!.Value, file[pos + 1], lenient: true);
        }
        var developer = Array.Empty<FitDeveloperFieldDefinition>();
        if (hasDeveloperFields)
        {
            developer = new FitDeveloperFieldDefinition[file[pos++]];
            for (var i = 0; i < developer.Length; i++, pos += 3)
            {
                developer[i] = new FitDeveloperFieldDefinition(file[pos], file[pos + 1], file[pos + 2]);
            }
        }
        var definition = new FitMessageDefinition(global, fields, developer, bigEndian);
        lookup[layout] = definition;
        return definition;
    }

    /// <summary>Compares definition layouts by their bytes, and looks them up by a span of the file without copying it.</summary>
    private sealed class LayoutComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly LayoutComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            // HashCode is seeded per process, so a file cannot be made of layouts that all collide.
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
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
