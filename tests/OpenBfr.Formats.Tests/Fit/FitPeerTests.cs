using System.Globalization;
using System.Text.Json;
using OpenBfr.Formats.Fit;
using OpenBfr.Formats.Tests.Support;

namespace OpenBfr.Formats.Tests.Fit;

/// <summary>
/// Our FIT decoder and encoder against Garmin's official FIT JavaScript SDK (@garmin/fitsdk,
/// pinned in peers/package-lock.json): files written by our encoder must decode to the same
/// messages and field values in both, and files both must reject are rejected by both.
/// </summary>
public class FitPeerTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 2, 6, 45, 0, TimeSpan.Zero);

    [Fact]
    public void Decode_EncoderLayouts_AgreeWithFitSdkFieldByField()
    {
        var dir = NodePeer.ScratchDirectory("fit-agree");
        var files = new Dictionary<string, byte[]>
        {
            ["little-endian.fit"] = new FitActivityGenerator(21).Run(Start, TimeSpan.FromMinutes(12), 300).Bytes,
            ["big-endian.fit"] = new FitActivityGenerator(22).Run(Start, TimeSpan.FromMinutes(9), 280, new FitActivityLayout(BigEndianRecords: true)).Bytes,
            ["developer-fields.fit"] = new FitActivityGenerator(23).Run(Start, TimeSpan.FromMinutes(7), 330, new FitActivityLayout(DeveloperField: true)).Bytes,
            ["header-12.fit"] = new FitActivityGenerator(24).Run(Start, TimeSpan.FromMinutes(5), 350, new FitActivityLayout(HeaderSize: 12, BigEndianRecords: true, DeveloperField: true)).Bytes,
            ["short-be.fit"] = FitTestFiles.ShortRun(bigEndian: true),
        };
        foreach (var (name, bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(dir, name), bytes);
        }

        var peer = NodePeer.Run("fit-decode.mjs", [.. files.Keys.Select(k => Path.Combine(dir, k))]);

        var i = 0;
        foreach (var (name, bytes) in files)
        {
            var theirs = peer[i++];
            theirs.GetProperty("integrity").GetBoolean().ShouldBeTrue(name);
            theirs.GetProperty("errors").GetArrayLength().ShouldBe(0, $"{name}: {theirs.GetProperty("errors")}");
            var ours = FitDecoder.Decode(bytes, name);
            AssertSameMessages(name, ours.Messages, [.. theirs.GetProperty("messages").EnumerateArray()]);
        }
    }

    [Fact]
    public void Decode_CompressedTimestamps_FitSdkDeclinesAndOurRecordsMatchItsDecodeOfTheSameRunWithNormalHeaders()
    {
        // @garmin/fitsdk 21.217 throws "compressed timestamp messages are not currently
        // supported", so the peer cannot read these files. The same seed writes the same run
        // with normal headers; our decode of the compressed file must give the records, with
        // their timestamps, that the SDK reads from the normal one.
        var dir = NodePeer.ScratchDirectory("fit-compressed");
        var compressed = new FitActivityGenerator(31).Run(Start, TimeSpan.FromMinutes(6), 310, new FitActivityLayout(CompressedTimestamps: true, DeveloperField: true));
        var normal = new FitActivityGenerator(31).Run(Start, TimeSpan.FromMinutes(6), 310, new FitActivityLayout(DeveloperField: true));
        File.WriteAllBytes(Path.Combine(dir, "compressed.fit"), compressed.Bytes);
        File.WriteAllBytes(Path.Combine(dir, "normal.fit"), normal.Bytes);

        var peer = NodePeer.Run("fit-decode.mjs", Path.Combine(dir, "compressed.fit"), Path.Combine(dir, "normal.fit"));

        peer[0].GetProperty("integrity").GetBoolean().ShouldBeTrue("the frame and CRC of the compressed file are valid for the SDK too");
        peer[0].GetProperty("errors")[0].GetString()!.ShouldContain("compressed timestamp messages are not currently supported");
        var ourRecords = FitDecoder.Decode(compressed.Bytes, "compressed.fit").OfType(FitMessageNumber.Record).ToList();
        ourRecords.ShouldAllBe(r => r.CompressedTimestamp);
        var theirRecords = peer[1].GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("num").GetInt32() == FitMessageNumber.Record).ToList();
        theirRecords.Count.ShouldBe(ourRecords.Count);
        for (var i = 0; i < ourRecords.Count; i++)
        {
            var theirFields = theirRecords[i].GetProperty("fields");
            ourRecords[i].Timestamp.ShouldBe(theirFields.GetProperty("253").GetUInt32(), $"record {i}");
            foreach (var field in ourRecords[i].Fields.Where(f => !f.IsInvalid))
            {
                AssertSameValue($"record {i} field {field.Number}", field, theirFields.GetProperty(field.Number.ToString(CultureInfo.InvariantCulture)));
            }
            var dev = ourRecords[i].DeveloperFields.Single();
            ((long)dev.Values![0]!).ShouldBe(theirRecords[i].GetProperty("dev").GetProperty("0:0").GetInt64());
        }
    }

    [Fact]
    public void Decode_BadCrcOrTruncation_RejectedByBothDecoders()
    {
        var dir = NodePeer.ScratchDirectory("fit-bad");
        var good = new FitActivityGenerator(41).Run(Start, TimeSpan.FromMinutes(3), 300).Bytes;
        // A heart-rate byte in the middle: parsing still works, only the CRC can tell.
        var badData = (byte[])good.Clone();
        var recordOffset = FitDecoder.Decode(good, "g").OfType(FitMessageNumber.Record).ElementAt(50).Offset;
        badData[recordOffset + 1 + 4 + 4 + 4 + 4 + 4 + 4] ^= 0x04;
        var badHeader = (byte[])good.Clone();
        badHeader[3] ^= 0x01;
        var truncated = good[..^100];
        var cases = new Dictionary<string, (byte[] Bytes, string Ours)>
        {
            ["bad-data-crc.fit"] = (badData, "file CRC is 0x"),
            ["bad-header-crc.fit"] = (badHeader, "header CRC is 0x"),
            ["truncated.fit"] = (truncated, "the file is truncated"),
        };
        foreach (var (name, c) in cases)
        {
            File.WriteAllBytes(Path.Combine(dir, name), c.Bytes);
        }

        var peer = NodePeer.Run("fit-decode.mjs", [.. cases.Keys.Select(k => Path.Combine(dir, k))]);

        var i = 0;
        foreach (var (name, c) in cases)
        {
            var theirs = peer[i++];
            theirs.GetProperty("integrity").GetBoolean().ShouldBeFalse($"{name}: fitsdk checkIntegrity()");
            Should.Throw<MalformedFileException>(() => FitDecoder.DecodeActivity(c.Bytes, name)).Message.ShouldContain(c.Ours);
        }
        // read() (which does not look at the header CRC) reports the data CRC error itself.
        peer[0].GetProperty("errors")[0].GetString()!.ShouldContain("CRC error");
    }

    internal static void AssertSameMessages(string file, IReadOnlyList<FitMessage> ours, IReadOnlyList<JsonElement> theirs)
    {
        theirs.Count.ShouldBe(ours.Count, $"{file}: message count");
        for (var m = 0; m < ours.Count; m++)
        {
            var where = $"{file} message {m} ({ours[m].Name})";
            theirs[m].GetProperty("num").GetInt32().ShouldBe((int)ours[m].GlobalNumber, where);
            var theirFields = theirs[m].GetProperty("fields");
            var valid = ours[m].Fields.Where(f => !f.IsInvalid).ToList();
            theirFields.EnumerateObject().Count().ShouldBe(valid.Count, $"{where}: fields {string.Join(",", theirFields.EnumerateObject().Select(p => p.Name))} vs ours {string.Join(",", valid.Select(f => f.Number))}");
            foreach (var field in valid)
            {
                theirFields.TryGetProperty(field.Number.ToString(CultureInfo.InvariantCulture), out var value).ShouldBeTrue($"{where}: field {field.Number} missing in fitsdk");
                AssertSameValue($"{where} field {field.Number} ({field.Name})", field, value);
            }
            var theirDev = theirs[m].GetProperty("dev");
            var ourDev = ours[m].DeveloperFields.Where(d => d.Values is not null && d.Values.Any(v => v is not null)).ToList();
            theirDev.EnumerateObject().Count().ShouldBe(ourDev.Count, $"{where}: developer fields");
            foreach (var dev in ourDev)
            {
                var v = theirDev.GetProperty($"{dev.DeveloperDataIndex}:{dev.Number}");
                var theirValue = v.ValueKind == JsonValueKind.Array ? v[0] : v;
                Convert.ToDouble(dev.Values![0], CultureInfo.InvariantCulture).ShouldBe(theirValue.GetDouble(), $"{where}: developer field {dev.Number}");
            }
        }
    }

    private static void AssertSameValue(string where, FitField field, JsonElement theirs)
    {
        if (field.BaseType == FitBaseType.String)
        {
            theirs.GetString().ShouldBe((string?)field.Value, where);
            return;
        }
        var ours = field.ScaledValues;
        if (theirs.ValueKind == JsonValueKind.Array)
        {
            var values = theirs.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble()).ToList();
            values.Count.ShouldBe(ours.Count, where);
            for (var k = 0; k < values.Count; k++)
            {
                Close(ours[k], values[k], $"{where}[{k}]");
            }
            return;
        }
        ours.Count.ShouldBe(1, $"{where}: fitsdk gave one value");
        Close(ours[0], theirs.ValueKind == JsonValueKind.String ? double.Parse(theirs.GetString()!, CultureInfo.InvariantCulture) : theirs.GetDouble(), where);
    }

    private static void Close(double? ours, double? theirs, string where)
    {
        if (ours is null || theirs is null)
        {
            ours.ShouldBe(theirs, where);
            return;
        }
        Math.Abs(ours.Value - theirs.Value).ShouldBeLessThanOrEqualTo(1e-9 * Math.Max(1, Math.Abs(theirs.Value)), $"{where}: ours {ours} fitsdk {theirs}");
    }
}

