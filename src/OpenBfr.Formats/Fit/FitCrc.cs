namespace OpenBfr.Formats.Fit;

/// <summary>
/// The FIT CRC-16 (the FIT protocol's nibble-table CRC; the same polynomial as CRC-16/ARC:
/// reflected 0x8005, initial value 0). The file header (when 14 bytes) and the whole file end
/// with one.
/// </summary>
public static class FitCrc
{
    // The FIT protocol document's 16-entry table, one entry per nibble.
    private static readonly ushort[] NibbleTable =
    [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
        0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    ];

    // A byte-at-a-time table derived from the nibble table, for speed; the two agree (tested).
    private static readonly ushort[] ByteTable = BuildByteTable();

    /// <summary>Adds one byte to a running CRC, exactly as the FIT protocol document writes it (two nibble steps).</summary>
    public static ushort UpdateNibbleWise(ushort crc, byte value)
    {
        var tmp = NibbleTable[crc & 0xF];
        crc = (ushort)((crc >> 4) & 0x0FFF);
        crc = (ushort)(crc ^ tmp ^ NibbleTable[value & 0xF]);
        tmp = NibbleTable[crc & 0xF];
        crc = (ushort)((crc >> 4) & 0x0FFF);
        crc = (ushort)(crc ^ tmp ^ NibbleTable[(value >> 4) & 0xF]);
        return crc;
    }

    /// <summary>The CRC of <paramref name="data"/>, starting from <paramref name="crc"/> (0 for a fresh CRC).</summary>
    public static ushort Compute(ReadOnlySpan<byte> data, ushort crc = 0)
    {
        var table = ByteTable;
        foreach (var b in data)
        {
            crc = (ushort)((crc >> 8) ^ table[(crc ^ b) & 0xFF]);
        }
        return crc;
    }

    /// <summary>The CRC computed nibble by nibble (the reference the byte table is checked against).</summary>
    public static ushort ComputeNibbleWise(ReadOnlySpan<byte> data, ushort crc = 0)
    {
        foreach (var b in data)
        {
            crc = UpdateNibbleWise(crc, b);
        }
        return crc;
    }

    private static ushort[] BuildByteTable()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            table[i] = UpdateNibbleWise(0, (byte)i);
        }
        return table;
    }
}
