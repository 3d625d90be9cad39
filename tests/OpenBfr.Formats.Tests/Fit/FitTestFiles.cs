using OpenBfr.Formats.Fit;

namespace OpenBfr.Formats.Tests.Fit;

/// <summary>Small hand-built FIT files for the decoder tests.</summary>
internal static class FitTestFiles
{
    public static readonly DateTimeOffset Start = new(2026, 3, 14, 7, 30, 0, TimeSpan.Zero);

    /// <summary>A short run: file_id, 10 records, 1 lap, session, activity.</summary>
    public static byte[] ShortRun(bool bigEndian = false, int headerSize = 14, bool compressed = false)
    {
        var t0 = FitTime.FromDateTimeOffset(Start);
        var e = new FitEncoder(headerSize);
        e.Define(0, new FitMessageDefinition(FitMessageNumber.FileId,
            [new(FitFieldNumber.FileId.Type, FitBaseType.Enum), new(FitFieldNumber.FileId.Manufacturer, FitBaseType.UInt16), new(FitFieldNumber.FileId.TimeCreated, FitBaseType.UInt32)],
            bigEndian: bigEndian));
        e.Write(0, FitEnum.FileActivity, FitEnum.ManufacturerDevelopment, t0);
        FitFieldDefinition[] record =
        [
            new(FitFieldNumber.Record.PositionLat, FitBaseType.SInt32), new(FitFieldNumber.Record.PositionLong, FitBaseType.SInt32),
            new(FitFieldNumber.Record.Distance, FitBaseType.UInt32), new(FitFieldNumber.Record.HeartRate, FitBaseType.UInt8),
        ];
        if (compressed)
        {
            e.Define(2, new FitMessageDefinition(FitMessageNumber.Event, [new(FitFieldNumber.Timestamp, FitBaseType.UInt32), new(FitFieldNumber.Event.EventKind, FitBaseType.Enum), new(FitFieldNumber.Event.EventType, FitBaseType.Enum)], bigEndian: bigEndian));
            e.Write(2, t0, FitEnum.EventTimer, FitEnum.EventTypeStart);
            e.Define(1, new FitMessageDefinition(FitMessageNumber.Record, record, bigEndian: bigEndian));
        }
        else
        {
            e.Define(1, new FitMessageDefinition(FitMessageNumber.Record, [new(FitFieldNumber.Timestamp, FitBaseType.UInt32), .. record], bigEndian: bigEndian));
        }
        for (var i = 0; i < 10; i++)
        {
            var lat = Geo.DegreesToSemicircles(52.37 + i * 0.0001);
            var lon = Geo.DegreesToSemicircles(4.89);
            if (compressed)
            {
                e.WriteCompressed(1, t0 + (uint)(i * 5), lat, lon, FitValue.Scaled(i * 11.1, 100), 140 + i);
            }
            else
            {
                e.Write(1, t0 + (uint)(i * 5), lat, lon, FitValue.Scaled(i * 11.1, 100), 140 + i);
            }
        }
        e.Define(3, new FitMessageDefinition(FitMessageNumber.Lap,
        [
            new(FitFieldNumber.Timestamp, FitBaseType.UInt32), new(FitFieldNumber.Lap.StartTime, FitBaseType.UInt32),
            new(FitFieldNumber.Lap.TotalElapsedTime, FitBaseType.UInt32), new(FitFieldNumber.Lap.TotalTimerTime, FitBaseType.UInt32),
            new(FitFieldNumber.Lap.TotalDistance, FitBaseType.UInt32), new(FitFieldNumber.Lap.AvgHeartRate, FitBaseType.UInt8),
        ], bigEndian: bigEndian));
        e.Write(3, t0 + 45, t0, 45_000, 44_000, 9_990, 144);
        e.Define(4, new FitMessageDefinition(FitMessageNumber.Session,
        [
            new(FitFieldNumber.Timestamp, FitBaseType.UInt32), new(FitFieldNumber.Session.StartTime, FitBaseType.UInt32),
            new(FitFieldNumber.Session.Sport, FitBaseType.Enum), new(FitFieldNumber.Session.TotalElapsedTime, FitBaseType.UInt32),
            new(FitFieldNumber.Session.TotalTimerTime, FitBaseType.UInt32), new(FitFieldNumber.Session.TotalDistance, FitBaseType.UInt32),
            new(FitFieldNumber.Session.AvgHeartRate, FitBaseType.UInt8), new(FitFieldNumber.Session.MaxHeartRate, FitBaseType.UInt8),
        ], bigEndian: bigEndian));
        e.Write(4, t0 + 45, t0, FitEnum.SportRunning, 45_000, 44_000, 9_990, 144, 149);
        return e.ToArray();
    }
}
