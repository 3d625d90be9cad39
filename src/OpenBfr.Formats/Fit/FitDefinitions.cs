namespace OpenBfr.Formats.Fit;

/// <summary>One field of a definition message: number, size in bytes and base type.</summary>
public sealed record FitFieldDefinition
{
    /// <summary>Defines a field; <paramref name="size"/> 0 means one value of the base type.</summary>
    /// <exception cref="ArgumentOutOfRangeException">size not a positive multiple of the base type's size (strings: 1–255 bytes).</exception>
    public FitFieldDefinition(byte number, FitBaseType baseType, int size = 0)
    {
        var one = baseType.Size();
        size = size == 0 ? one : size;
        if (size < 1 || size > 255 || size % one != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size,
                $"size of field {number} must be a multiple of {one} bytes ({baseType.FitName()}) from {one} to 255, was {size}");
        }
        Number = number;
        BaseType = baseType;
        Size = size;
    }

    internal FitFieldDefinition(byte number, FitBaseType baseType, int size, bool lenient)
    {
        _ = lenient; // decoder path: the size was read from a file and may not be a multiple of the type's size
        Number = number;
        BaseType = baseType;
        Size = size;
    }

    public byte Number { get; }

    public FitBaseType BaseType { get; }

    /// <summary>Size in bytes, 1–255.</summary>
    public int Size { get; }

    /// <summary>Number of values (an array when &gt; 1), or 0 when the size is not a multiple of the type's size.</summary>
    public int Count => Size % BaseType.Size() == 0 ? Size / BaseType.Size() : 0;
}

/// <summary>One developer field of a definition message: number, size and developer data index.</summary>
/// <param name="Number">field_definition_number from its field_description.</param>
/// <param name="Size">size in bytes, 1–255.</param>
/// <param name="DeveloperDataIndex">developer_data_index of its developer_data_id.</param>
public sealed record FitDeveloperFieldDefinition(byte Number, byte Size, byte DeveloperDataIndex);

/// <summary>
/// A definition message's content: the global message number, byte order and field layout
/// that data messages of one local type follow until redefined.
/// </summary>
public sealed class FitMessageDefinition
{
    private readonly short[] _indexByNumber = new short[256];

    /// <summary>Creates a definition.</summary>
    /// <exception cref="ArgumentException">more than 255 fields or developer fields, or a field number used twice.</exception>
    public FitMessageDefinition(ushort globalNumber, IReadOnlyList<FitFieldDefinition> fields,
        IReadOnlyList<FitDeveloperFieldDefinition>? developerFields = null, bool bigEndian = false)
    {
        developerFields ??= [];
        if (fields.Count > 255 || developerFields.Count > 255)
        {
            throw new ArgumentException($"a definition holds at most 255 fields and 255 developer fields, was {fields.Count} and {developerFields.Count}", nameof(fields));
        }
        GlobalNumber = globalNumber;
        Fields = fields;
        DeveloperFields = developerFields;
        BigEndian = bigEndian;
        Array.Fill(_indexByNumber, (short)-1);
        var offsets = new int[fields.Count];
        var offset = 0;
        for (var i = 0; i < fields.Count; i++)
        {
            // FIT allows a number twice in theory; the first one wins for lookups.
            if (_indexByNumber[fields[i].Number] < 0)
            {
                _indexByNumber[fields[i].Number] = (short)i;
            }
            offsets[i] = offset;
            offset += fields[i].Size;
        }
        FieldOffsets = offsets;
        FieldsSize = offset;
        Slots = new FieldSlot[fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            var type = fields[i].BaseType;
            Slots[i] = new FieldSlot(offsets[i], fields[i].Size, type, type.Size(), type.InvalidBits(), type.IsInteger());
        }
        DataSize = offset + developerFields.Sum(d => d.Size);
        var timestamp = IndexOf(FitFieldNumber.Timestamp);
        TimestampIndex = timestamp >= 0 && fields[timestamp].BaseType is FitBaseType.UInt32 && fields[timestamp].Size == 4 ? timestamp : -1;
    }

    public ushort GlobalNumber { get; }

    public IReadOnlyList<FitFieldDefinition> Fields { get; }

    public IReadOnlyList<FitDeveloperFieldDefinition> DeveloperFields { get; }

    /// <summary>True when multi-byte values are big-endian (architecture byte 1).</summary>
    public bool BigEndian { get; }

    /// <summary>Byte offset of each field within a data message's content.</summary>
    public IReadOnlyList<int> FieldOffsets { get; }

    /// <summary>Bytes of the regular fields.</summary>
    public int FieldsSize { get; }

    /// <summary>Bytes of a data message's content (regular and developer fields; header byte excluded).</summary>
    public int DataSize { get; }

    /// <summary>Index of a uint32 timestamp field (253), or −1.</summary>
    public int TimestampIndex { get; }

    /// <summary>Index of the field with this number, or −1.</summary>
    public int IndexOf(byte fieldNumber) => _indexByNumber[fieldNumber];

    private int _valueCount = -1;

    /// <summary>
    /// The most values a data message of this definition decodes to in <see cref="FitMessageView.ToMessage"/>: one per
    /// element (one for a string, or a size that is not a multiple of the type's), and at most one per byte of a developer
    /// field. Computed on first use, so the import path, which never materialises, does not pay for it.
    /// </summary>
    internal int ValueCount
    {
        get
        {
            if (_valueCount < 0)
            {
                var count = 0;
                foreach (var slot in Slots)
                {
                    count += slot.Type == FitBaseType.String || slot.Size % slot.TypeSize != 0 ? 1 : slot.Size / slot.TypeSize;
                }
                foreach (var developer in DeveloperFields)
                {
                    count += developer.Size;
                }
                _valueCount = count;
            }
            return _valueCount;
        }
    }

    /// <summary>Per-field layout for the hot read path (no interface calls).</summary>
    internal FieldSlot[] Slots { get; }

    internal readonly record struct FieldSlot(int Offset, int Size, FitBaseType Type, int TypeSize, ulong InvalidBits, bool IsInteger);
}
