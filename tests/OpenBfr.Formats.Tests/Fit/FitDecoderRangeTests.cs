using OpenBfr.Formats.Fit;

namespace OpenBfr.Formats.Tests.Fit;

/// <summary>
/// Session, lap and record values out of range (found by mutation fuzzing): each is refused with
/// the message's byte, the FIT field's name, the value and the range, never an OverflowException
/// or ArgumentException from TimeSpan, and never a result with a negative or impossible value.
/// </summary>
public class FitDecoderRangeTests
{
    private static readonly uint T0 = FitTime.FromDateTimeOffset(FitTestFiles.Start);

    /// <summary>file_id, then a session (or a good session and a lap) whose last field is the one given.</summary>
    private static byte[] WithField(ushort message, FitFieldDefinition field, FitValue value)
    {
        var e = new FitEncoder();
        e.Define(0, new FitMessageDefinition(FitMessageNumber.FileId, [new(FitFieldNumber.FileId.Type, FitBaseType.Enum)]));
        e.Write(0, FitEnum.FileActivity);
        FitFieldDefinition[] common = [new(FitFieldNumber.Timestamp, FitBaseType.UInt32), new(FitFieldNumber.Session.StartTime, FitBaseType.UInt32)];
        e.Define(1, new FitMessageDefinition(message, [.. common, field]));
        e.Write(1, T0 + 60, T0, value);
        if (message == FitMessageNumber.Lap)
        {
            e.Define(2, new FitMessageDefinition(FitMessageNumber.Session,
                [.. common, new(FitFieldNumber.Session.TotalElapsedTime, FitBaseType.UInt32), new(FitFieldNumber.Session.TotalDistance, FitBaseType.UInt32)]));
            e.Write(2, T0 + 60, T0, 60_000, 20_000);
        }
        return e.ToArray();
    }

    [Theory]
    [InlineData(FitMessageNumber.Session, FitFieldNumber.Session.TotalElapsedTime, FitBaseType.Float32, double.NaN, "session.total_elapsed_time must be 0–604800 s, was NaN")]
    [InlineData(FitMessageNumber.Lap, FitFieldNumber.Lap.TotalElapsedTime, FitBaseType.UInt64, 1e18, "lap.total_elapsed_time must be 0–604800 s, was 1000000000000000")]
    [InlineData(FitMessageNumber.Lap, FitFieldNumber.Lap.TotalTimerTime, FitBaseType.Float64, double.PositiveInfinity, "lap.total_timer_time must be 0–604800 s, was Infinity")]
    [InlineData(FitMessageNumber.Lap, FitFieldNumber.Lap.TotalDistance, FitBaseType.SInt32, -14_916, "lap.total_distance must be 0–1000000 m, was -149.16")]
    [InlineData(FitMessageNumber.Session, FitFieldNumber.Session.TotalDistance, FitBaseType.UInt32, 150_000_000, "session.total_distance must be 0–1000000 m, was 1500000")]
    [InlineData(FitMessageNumber.Session, FitFieldNumber.Session.AvgHeartRate, FitBaseType.UInt8, 5, "session.avg_heart_rate must be 20–260 bpm, was 5")]
    [InlineData(FitMessageNumber.Lap, FitFieldNumber.Lap.MaxHeartRate, FitBaseType.SInt16, -16_384, "lap.max_heart_rate must be 20–260 bpm, was -16384")]
    [InlineData(FitMessageNumber.Session, FitFieldNumber.Session.TotalAscent, FitBaseType.SInt16, -2, "session.total_ascent must be 0–1000000 m, was -2")]
    public void DecodeActivity_SummaryValueOutOfRange_ThrowsNamingByteFieldValueAndRange(ushort message, byte fieldNumber, FitBaseType type, double raw, string expected)
    {
        var value = type.IsFloat() ? (FitValue)raw : (FitValue)(long)raw;
        var bytes = WithField(message, new FitFieldDefinition(fieldNumber, type), value);
        var offset = FitDecoder.Decode(bytes, "bad.fit").OfType(message).First().Offset;

        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.DecodeActivity(bytes, "bad.fit"));

        ex.Message.ShouldBe($"bad.fit: not a valid FIT file: at byte {offset}: {expected}");
    }

    [Fact]
    public void DecodeActivity_RecordTimestampsGoingBackwardsWithoutSession_ThrowsInsteadOfAWrappedElapsedTime()
    {
        // Without the check the unsigned difference wrapped to 4 294 967 196 s (136 years).
        var e = new FitEncoder();
        e.Define(0, new FitMessageDefinition(FitMessageNumber.FileId, [new(FitFieldNumber.FileId.Type, FitBaseType.Enum)]));
        e.Write(0, FitEnum.FileActivity);
        e.Define(1, new FitMessageDefinition(FitMessageNumber.Record, [new(FitFieldNumber.Timestamp, FitBaseType.UInt32), new(FitFieldNumber.Record.HeartRate, FitBaseType.UInt8)]));
        e.Write(1, T0 + 100, 140);
        e.Write(1, T0, 141);

        Should.Throw<MalformedFileException>(() => FitDecoder.DecodeActivity(e.ToArray(), "back.fit"))
            .Message.ShouldBe($"back.fit: not a valid FIT file: the last record's timestamp {T0} is before the first record's {T0 + 100}, so the records give no elapsed time");
    }

    [Fact]
    public void DecodeActivity_TwoSessionsWithZeroTimerTime_AverageHeartRateIsTheMeanNotZero()
    {
        // Weighting by timer time divided 0 by 0 here; the NaN became an average heart rate of 0.
        var e = new FitEncoder();
        e.Define(0, new FitMessageDefinition(FitMessageNumber.FileId, [new(FitFieldNumber.FileId.Type, FitBaseType.Enum)]));
        e.Write(0, FitEnum.FileActivity);
        e.Define(1, new FitMessageDefinition(FitMessageNumber.Session,
        [
            new(FitFieldNumber.Timestamp, FitBaseType.UInt32), new(FitFieldNumber.Session.StartTime, FitBaseType.UInt32),
            new(FitFieldNumber.Session.TotalTimerTime, FitBaseType.UInt32), new(FitFieldNumber.Session.AvgHeartRate, FitBaseType.UInt8),
        ]));
        e.Write(1, T0 + 60, T0, 0, 140);
        e.Write(1, T0 + 120, T0 + 60, 0, 160);

        FitDecoder.DecodeActivity(e.ToArray(), "zero.fit").AverageHeartRate.ShouldBe(150);
    }
}
