using System.Text;
using OpenBfr.Formats.Fit;

namespace OpenBfr.Formats.Tests.Fit;

public class FitCrcTests
{
    [Fact]
    public void Compute_CheckString_MatchesCrc16ArcCheckValue()
    {
        // The FIT CRC is CRC-16/ARC; its catalogued check value for "123456789" is 0xBB3D
        // (Greg Cook's CRC catalogue, reveng.sourceforge.io/crc-catalogue).
        FitCrc.Compute(Encoding.ASCII.GetBytes("123456789")).ShouldBe((ushort)0xBB3D);
        FitCrc.ComputeNibbleWise(Encoding.ASCII.GetBytes("123456789")).ShouldBe((ushort)0xBB3D);
    }

    [Fact]
    public void Compute_RandomData_ByteTableAgreesWithNibbleTable()
    {
        var random = new Random(42);
        for (var n = 0; n < 50; n++)
        {
            var data = new byte[random.Next(0, 2000)];
            random.NextBytes(data);
            FitCrc.Compute(data).ShouldBe(FitCrc.ComputeNibbleWise(data), $"length {data.Length}");
        }
    }

    [Fact]
    public void Compute_DataFollowedByItsCrc_IsZero()
    {
        var data = Encoding.ASCII.GetBytes("OpenBFR FIT CRC");
        var crc = FitCrc.Compute(data);
        FitCrc.Compute([.. data, (byte)crc, (byte)(crc >> 8)]).ShouldBe((ushort)0);
    }
}
