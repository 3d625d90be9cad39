using OpenBfr.Formats.Fit;

namespace OpenBfr.Formats.Tests.Fit;

/// <summary>
/// FitDecoder.Decode builds objects for every message and value, about 80 bytes a message and 100 a value
/// whatever their size in the file, so it is bounded (26 MB of 1-byte messages took 5.9 GB before).
/// </summary>
public class FitDecoderLimitTests
{
    /// <summary>A file of <paramref name="messages"/> data messages of an unknown global number, each of <paramref name="fields"/> one-byte fields (0: a 1-byte message).</summary>
    private static byte[] Messages(int messages, int fields)
    {
        var e = new FitEncoder(capacity: messages * (fields + 1) + 1024);
        e.Define(0, new FitMessageDefinition(0xFF00, [.. Enumerable.Range(0, fields).Select(i => new FitFieldDefinition((byte)i, FitBaseType.UInt8))]));
        var values = Enumerable.Range(0, fields).Select(i => (FitValue)(long)(i % 200)).ToArray();
        for (var m = 0; m < messages; m++)
        {
            e.Write(0, values);
        }
        return e.ToArray();
    }

    [Fact]
    public void Decode_MoreDataMessagesThanTheLimit_RefusedNamingTheLimitBeforeBuildingThem()
    {
        var bytes = Messages(FitDecoder.MaxDecodedMessages + 1, 0); // 1 MB
        var before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Should.Throw<FitDecodeLimitException>(() => FitDecoder.Decode(bytes, "tiny.fit"));

        // 14-byte header, 6-byte definition, then 1 byte a message: the 1 000 001st starts at byte 1 000 020.
        ex.Message.ShouldBe("tiny.fit: FitDecoder.Decode builds objects for at most 1,000,000 data messages, and this file has more "
            + "(the limit is passed at byte 1000020); read it with FitReader.Read and an IFitMessageHandler, which keeps nothing");
        (ex.Limit, ex.What, ex.Offset).ShouldBe((1_000_000L, "data messages", 1_000_020L));
        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(1_000_000, "refused before a message was built (they took 150 MB)");
    }

    [Fact]
    public void Decode_MoreFieldValuesThanTheLimit_RefusedNamingTheLimitBeforeBuildingThem()
    {
        const int fields = 255;
        var messages = FitDecoder.MaxDecodedValues / fields + 1; // 39 216 messages, 10 000 080 values, 10 MB
        var bytes = Messages(messages, fields);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Should.Throw<FitDecodeLimitException>(() => FitDecoder.Decode(bytes, "wide.fit"));

        ex.Message.ShouldStartWith("wide.fit: FitDecoder.Decode builds objects for at most 10,000,000 field values, and this file has more");
        (ex.Limit, ex.What).ShouldBe((10_000_000L, "field values"));
        ex.Offset.ShouldBe(14 + 6 + 3 * fields + (messages - 1) * (fields + 1L));
        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(1_000_000, "refused before a value was built (they took 1 GB)");
    }

    [Fact]
    public void Decode_ExactlyTheMessageLimit_DecodesEveryMessage()
    {
        var file = FitDecoder.Decode(Messages(FitDecoder.MaxDecodedMessages, 0), "tiny.fit");

        file.Messages.Count.ShouldBe(1_000_000);
        file.Messages[^1].Name.ShouldBeSameAs(file.Messages[0].Name); // one "unknown_65280", not one a message
        file.Messages[0].Fields.ShouldBeEmpty();
    }

    [Fact]
    public void DecodeActivity_MoreRecordsThanDecodeBuilds_IsNotLimited()
    {
        // The import path keeps nothing per message, so Decode's limit is not its limit: 1 000 001 records of heart rate only.
        var t0 = FitTime.FromDateTimeOffset(FitTestFiles.Start);
        var e = new FitEncoder(capacity: 3_000_000);
        e.Define(0, new FitMessageDefinition(FitMessageNumber.Session,
            [new(FitFieldNumber.Timestamp, FitBaseType.UInt32), new(FitFieldNumber.Session.StartTime, FitBaseType.UInt32), new(FitFieldNumber.Session.TotalElapsedTime, FitBaseType.UInt32)]));
        e.Write(0, t0 + 3600, t0, 3_600_000);
        e.Define(1, new FitMessageDefinition(FitMessageNumber.Record, [new(FitFieldNumber.Record.HeartRate, FitBaseType.UInt8)]));
        for (var i = 0; i <= FitDecoder.MaxDecodedMessages; i++)
        {
            e.Write(1, 150);
        }

        var run = FitDecoder.DecodeActivity(e.ToArray(), "long.fit");

        run.RecordCount.ShouldBe(1_000_001);
        run.AverageHeartRate.ShouldBe(150);
    }
}
