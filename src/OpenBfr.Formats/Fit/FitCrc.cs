using System.Buffers.Binary;
using System.Runtime.CompilerServices;

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

    // Slicing-by-8 tables derived from the nibble table, for speed (8 independent lookups per
    // 8 bytes instead of a 16-step dependency chain); they agree with the nibble table (tested).
    // Table k holds the effect of a byte followed by k zero bytes.
    private static readonly ushort[] SliceTables = BuildSliceTables();

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ushort Compute(ReadOnlySpan<byte> data, ushort crc = 0)
    {
        var t = SliceTables.AsSpan();
        uint c = crc;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            var v = BinaryPrimitives.ReadUInt64LittleEndian(data[i..]);
            var lo = c ^ (uint)(v & 0xFFFF);
            c = (uint)(t[7 * 256 + (int)(lo & 0xFF)] ^ t[6 * 256 + (int)(lo >> 8)]
                ^ t[5 * 256 + (int)((v >> 16) & 0xFF)] ^ t[4 * 256 + (int)((v >> 24) & 0xFF)]
                ^ t[3 * 256 + (int)((v >> 32) & 0xFF)] ^ t[2 * 256 + (int)((v >> 40) & 0xFF)]
                ^ t[256 + (int)((v >> 48) & 0xFF)] ^ t[(int)(v >> 56)]);
        }
        for (; i < data.Length; i++)
        {
            c = (c >> 8) ^ t[(int)((c ^ data[i]) & 0xFF)];
        }
        return (ushort)c;
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

    private static ushort[] BuildSliceTables()
    {
        var table = new ushort[8 * 256];
        for (var i = 0; i < 256; i++)
        {
            table[i] = UpdateNibbleWise(0, (byte)i);
        }
        for (var k = 1; k < 8; k++)
        {
            for (var i = 0; i < 256; i++)
            {
                var previous = table[(k - 1) * 256 + i];
                table[k * 256 + i] = (ushort)((previous >> 8) ^ table[previous & 0xFF]);
            }
        }
        return table;
    }
}
