using System.Text;
using OpenBfr.Formats.Fit;
using OpenBfr.Formats.Import;
using OpenBfr.Formats.Tcx;

namespace OpenBfr.Formats.Tests.Fit;

/// <summary>
/// The import path (<see cref="FitDecoder.DecodeActivity(ReadOnlySpan{byte}, string)"/>, behind <see cref="ActivityImporter"/>)
/// keeps nothing per record, and what it does keep (definition layouts, laps, sessions, developer field descriptions) is
/// bounded, so a hostile file of any accepted size costs megabytes, not gigabytes. Allocation is counted on the test's
/// thread (the decoder runs on it), which is deterministic for the same input; nothing is timed.
/// </summary>
public class FitImportBoundsTests
{
    private static readonly uint T0 = FitTime.FromDateTimeOffset(FitTestFiles.Start);

    private static long AllocatedBy(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>A session a run can be built from, on local type 15.</summary>
    private static void Session(FitEncoder e)
    {
        e.Define(15, new FitMessageDefinition(FitMessageNumber.Session,
            [new(FitFieldNumber.Timestamp, FitBaseType.UInt32), new(FitFieldNumber.Session.StartTime, FitBaseType.UInt32), new(FitFieldNumber.Session.TotalElapsedTime, FitBaseType.UInt32)]));
        e.Write(15, T0 + 3600, T0, 3_600_000);
    }

    [Fact]
    public void DecodeActivity_FileOfOnlyDefinitions_AllocatesNothingPerDefinition()
    {
        // 4 MB of 6-byte definitions (0 fields) and 9-byte ones (1 field), alternating over the 16 local types: each used
        // to be built as it was read, about 600 bytes of objects each (25 MiB of them: 3.0 GB).
        var e = new FitEncoder(capacity: 4_300_000);
        FitMessageDefinition[] definitions =
        [
            new(FitMessageNumber.Record, []),
            new(FitMessageNumber.Lap, [new(FitFieldNumber.Lap.TotalDistance, FitBaseType.UInt32)]),
        ];
        for (var i = 0; e.Length < 4_000_000; i++)
        {
            e.Define((byte)(i % 16), definitions[i % 2]);
        }
        var bytes = e.ToArray();
        Exception? error = null;

        var allocated = AllocatedBy(() => error = Record.Exception(() => FitDecoder.DecodeActivity(bytes, "definitions.fit")));

        error.ShouldBeOfType<MalformedFileException>().Problem.ShouldStartWith("no session and no record messages in 4000");
        allocated.ShouldBeLessThan(16 * 1024, $"{bytes.Length} bytes of definitions only (it was 460 MB)");
    }

    [Fact]
    public void Parse_TheSameDefinitionBeforeEveryMessage_BuildsItOnce()
    {
        // Some writers define the local type again before each message; the layout is built once, not once a message.
        var e = new FitEncoder(capacity: 2_200_000);
        Session(e);
        var record = new FitMessageDefinition(FitMessageNumber.Record, [new(FitFieldNumber.Timestamp, FitBaseType.UInt32), new(FitFieldNumber.Record.HeartRate, FitBaseType.UInt8)]);
        for (var i = 0; i < 100_000; i++)
        {
            e.Define(0, record);
            e.Write(0, T0 + (uint)i, 150);
        }
        var bytes = e.ToArray();
        IReadOnlyList<RunActivity> runs = [];

        var allocated = AllocatedBy(() => runs = ActivityImporter.Parse(bytes, "redefined.fit"));

        runs.ShouldHaveSingleItem().RecordCount.ShouldBe(100_000);
        runs[0].AverageHeartRate.ShouldBe(150);
        allocated.ShouldBeLessThan(64 * 1024, $"{bytes.Length} bytes, 100 000 definitions of one layout (they took 60 MB)");
    }

    /// <summary>A run whose file uses <paramref name="layouts"/> different definition layouts, each for one message of an unknown global number.</summary>
    private static byte[] WithLayouts(int layouts, int fields)
    {
        var e = new FitEncoder(capacity: layouts * (7 + 4 * fields) + 1024);
        Session(e);
        for (var i = 0; i < layouts; i++)
        {
            var definition = new FitMessageDefinition((ushort)(0xFF00 - i), [.. Enumerable.Range(0, fields).Select(n => new FitFieldDefinition((byte)n, FitBaseType.UInt8))]);
            e.Define((byte)(i % 15), definition);
            e.Write((byte)(i % 15), [.. Enumerable.Repeat((FitValue)1L, fields)]);
        }
        return e.ToArray();
    }

    [Fact]
    public void DecodeActivity_AsManyLayoutsAsAllowed_Imports()
    {
        var run = FitDecoder.DecodeActivity(WithLayouts(FitReader.MaxDefinitionLayouts - 1, 0), "layouts.fit"); // the session's is one

        run.ElapsedTime.ShouldBe(TimeSpan.FromHours(1));
    }

    [Fact]
    public void DecodeActivity_OneLayoutMoreThanAllowed_RefusedNamingTheLimitWithinABoundedAllocation()
    {
        // 4 096 layouts of 255 fields each, every one used, build about 75 MB of objects (18 KB each); the next is refused.
        var bytes = WithLayouts(FitReader.MaxDefinitionLayouts, 255);
        Exception? error = null;

        var allocated = AllocatedBy(() => error = Record.Exception(() => FitDecoder.DecodeActivity(bytes, "layouts.fit")));

        var ex = error.ShouldBeOfType<MalformedFileException>();
        var definitionAt = bytes.Length - 2 - 256 - 771;
        ex.Message.ShouldBe($"layouts.fit: not a valid FIT file: at byte {definitionAt + 771}: this data message uses a 4,097th different definition layout "
            + $"(the definition at byte {definitionAt}), but a file may use at most 4,096 (activity files use a few dozen)");
        allocated.ShouldBeLessThan(100_000_000, $"{bytes.Length} bytes of distinct layouts");
    }

    [Fact]
    public void DecodeActivity_MoreLapsThanSessionNumLapsCounts_RefusedBeforeKeepingThem()
    {
        // Empty lap messages are one byte each; each lap kept is about 150 bytes (25 MiB of them: 3.9 GB and 47 s).
        var e = new FitEncoder(capacity: 200_000);
        Session(e);
        e.Define(0, new FitMessageDefinition(FitMessageNumber.Lap, []));
        for (var i = 0; i <= ActivityLimits.MaxLaps; i++)
        {
            e.Write(0);
        }
        var bytes = e.ToArray();
        Exception? error = null;

        var allocated = AllocatedBy(() => error = Record.Exception(() => FitDecoder.DecodeActivity(bytes, "laps.fit")));

        error.ShouldBeOfType<MalformedFileException>().Message.ShouldBe(
            $"laps.fit: not a valid FIT file: at byte {bytes.Length - 3}: lap message number 65,535: an activity may have at most 65,534 laps, as many as session.num_laps (a uint16) can count");
        allocated.ShouldBeLessThan(16_000_000);
    }

    [Fact]
    public void DecodeActivity_AsManyLapsAsAllowed_KeepsThemAll()
    {
        var e = new FitEncoder(capacity: 200_000);
        Session(e);
        e.Define(0, new FitMessageDefinition(FitMessageNumber.Lap, [new(FitFieldNumber.Lap.TotalDistance, FitBaseType.UInt32)]));
        for (var i = 0; i < ActivityLimits.MaxLaps; i++)
        {
            e.Write(0, 1500);
        }

        var run = FitDecoder.DecodeActivity(e.ToArray(), "laps.fit");

        run.Laps.Count.ShouldBe(65_534);
        run.Laps[^1].DistanceMeters.ShouldBe(15);
    }

    [Fact]
    public void DecodeActivity_MoreSessionsThanActivityNumSessionsCounts_Refused()
    {
        var e = new FitEncoder(capacity: 200_000);
        e.Define(0, new FitMessageDefinition(FitMessageNumber.Session, []));
        for (var i = 0; i <= FitDecoder.MaxSessions; i++)
        {
            e.Write(0);
        }
        var bytes = e.ToArray();

        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.DecodeActivity(bytes, "sessions.fit"));

        ex.Message.ShouldBe($"sessions.fit: not a valid FIT file: at byte {bytes.Length - 3}: session message number 65,535: an activity may have at most 65,534 sessions, as many as activity.num_sessions (a uint16) can count");
    }

    [Fact]
    public void DecodeActivity_MoreDeveloperDescriptionsThanAllowed_Refused()
    {
        var e = new FitEncoder(capacity: 100_000);
        Session(e);
        for (var i = 0; i <= FitReader.MaxDeveloperMessages; i++)
        {
            e.DescribeDeveloperField((byte)(i / 255), (byte)(i % 255), FitBaseType.UInt8);
            e.WriteFieldDescription(0, new FitDeveloperFieldDescription((byte)(i / 255), (byte)(i % 255), FitBaseType.UInt8, "x", null, 1, 0, null, null));
        }
        var bytes = e.ToArray();

        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.DecodeActivity(bytes, "developer.fit"));

        ex.Problem.ShouldBe("field_description message number 4,097 of developer_data_id and field_description: a file may have at most 4,096 (one per developer field and app; activity files have a few)");
    }

    [Fact]
    public void TcxParse_MoreLapsThanAnActivityMayHave_RefusedAtTheLap()
    {
        var xml = new StringBuilder("""<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities><Activity Sport="Running"><Id>2026-03-14T07:30:00Z</Id>""");
        for (var i = 0; i <= ActivityLimits.MaxLaps; i++)
        {
            xml.Append('\n').Append("""<Lap StartTime="2026-03-14T07:30:00Z"><TotalTimeSeconds>1</TotalTimeSeconds><DistanceMeters>1</DistanceMeters></Lap>""");
        }
        xml.Append("</Activity></Activities></TrainingCenterDatabase>");

        var ex = Should.Throw<MalformedFileException>(() => TcxParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml.ToString())), "laps.tcx"));

        ex.Message.ShouldBe("laps.tcx: not a valid TCX file: at line 65536, column 2: <Lap> number 65,535 of this <Activity>: an activity may have at most 65,534 laps");
    }
}
