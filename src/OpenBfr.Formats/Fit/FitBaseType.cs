namespace OpenBfr.Formats.Fit;

/// <summary>
/// The FIT base types, with the byte value a definition message carries (bit 7 set for
/// multi-byte types whose byte order matters, bits 0–4 the type number).
/// </summary>
public enum FitBaseType : byte
{
    Enum = 0x00,
    SInt8 = 0x01,
    UInt8 = 0x02,
    SInt16 = 0x83,
    UInt16 = 0x84,
    SInt32 = 0x85,
    UInt32 = 0x86,
    String = 0x07,
    Float32 = 0x88,
    Float64 = 0x89,
    UInt8z = 0x0A,
    UInt16z = 0x8B,
    UInt32z = 0x8C,
    Byte = 0x0D,
    SInt64 = 0x8E,
    UInt64 = 0x8F,
    UInt64z = 0x90,
}

/// <summary>Sizes, invalid values and names of the FIT base types.</summary>
public static class FitBaseTypes
{
    private static readonly FitBaseType?[] ByNumber = BuildByNumber();

    /// <summary>Maps a base-type byte from a definition message (type number in bits 0–4) to the type, or null when unknown.</summary>
    public static FitBaseType? FromByte(byte value)
    {
        var number = value & 0x1F;
        return number < ByNumber.Length ? ByNumber[number] : null;
    }

    /// <summary>Size of one value in bytes (1 for strings: one UTF-8 byte).</summary>
    public static int Size(this FitBaseType type) => type switch
    {
        FitBaseType.Enum or FitBaseType.SInt8 or FitBaseType.UInt8 or FitBaseType.String or FitBaseType.UInt8z or FitBaseType.Byte => 1,
        FitBaseType.SInt16 or FitBaseType.UInt16 or FitBaseType.UInt16z => 2,
        FitBaseType.SInt32 or FitBaseType.UInt32 or FitBaseType.UInt32z or FitBaseType.Float32 => 4,
        _ => 8,
    };

    /// <summary>The value that means "no value" for an integer type, as the raw bits (zero-invalid types: 0).</summary>
    public static ulong InvalidBits(this FitBaseType type) => type switch
    {
        FitBaseType.Enum or FitBaseType.UInt8 or FitBaseType.Byte => 0xFF,
        FitBaseType.SInt8 => 0x7F,
        FitBaseType.SInt16 => 0x7FFF,
        FitBaseType.UInt16 => 0xFFFF,
        FitBaseType.SInt32 => 0x7FFF_FFFF,
        FitBaseType.UInt32 or FitBaseType.Float32 => 0xFFFF_FFFF,
        FitBaseType.SInt64 => 0x7FFF_FFFF_FFFF_FFFF,
        FitBaseType.UInt64 or FitBaseType.Float64 => 0xFFFF_FFFF_FFFF_FFFF,
        _ => 0, // string, uint8z, uint16z, uint32z, uint64z
    };

    /// <summary>True for the signed integer types.</summary>
    public static bool IsSigned(this FitBaseType type) => type is FitBaseType.SInt8 or FitBaseType.SInt16 or FitBaseType.SInt32 or FitBaseType.SInt64;

    /// <summary>True for float32 and float64.</summary>
    public static bool IsFloat(this FitBaseType type) => type is FitBaseType.Float32 or FitBaseType.Float64;

    /// <summary>True for the integer types (enum and byte included).</summary>
    public static bool IsInteger(this FitBaseType type) => type != FitBaseType.String && !type.IsFloat();

    /// <summary>The protocol's lower-case name ("uint16z").</summary>
    public static string FitName(this FitBaseType type) => type.ToString().ToLowerInvariant();

    /// <summary>Smallest and largest valid raw value of an integer type (the invalid value excluded).</summary>
    public static (long Min, ulong Max) ValidRange(this FitBaseType type) => type switch
    {
        FitBaseType.Enum or FitBaseType.UInt8 or FitBaseType.Byte => (0, 0xFE),
        FitBaseType.UInt8z => (1, 0xFF),
        FitBaseType.SInt8 => (sbyte.MinValue, 0x7E),
        FitBaseType.SInt16 => (short.MinValue, 0x7FFE),
        FitBaseType.UInt16 => (0, 0xFFFE),
        FitBaseType.UInt16z => (1, 0xFFFF),
        FitBaseType.SInt32 => (int.MinValue, 0x7FFF_FFFE),
        FitBaseType.UInt32 => (0, 0xFFFF_FFFE),
        FitBaseType.UInt32z => (1, 0xFFFF_FFFF),
        FitBaseType.SInt64 => (long.MinValue, 0x7FFF_FFFF_FFFF_FFFE),
        FitBaseType.UInt64 => (0, 0xFFFF_FFFF_FFFF_FFFE),
        FitBaseType.UInt64z => (1, ulong.MaxValue),
        _ => (long.MinValue, ulong.MaxValue),
    };

    private static FitBaseType?[] BuildByNumber()
    {
        var table = new FitBaseType?[32];
        foreach (var type in Enum.GetValues<FitBaseType>())
        {
            table[(byte)type & 0x1F] = type;
        }
        return table;
    }
}
