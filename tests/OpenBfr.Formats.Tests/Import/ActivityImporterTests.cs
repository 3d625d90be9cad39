using OpenBfr.Formats.Fit;
using OpenBfr.Formats.Import;
using OpenBfr.Formats.Tests.Fit;
using OpenBfr.Formats.Tests.Gpx;
using OpenBfr.Formats.Tests.Support;
using OpenBfr.Formats.Tests.Tcx;

namespace OpenBfr.Formats.Tests.Import;

public class ActivityImporterTests
{
    [Fact]
    public void ImportFiles_MixedBatch_GoodFilesImportBadFilesAreListedWhole()
    {
        var dir = NodePeer.ScratchDirectory("import");
        var good = new FitActivityGenerator(5).Run(new DateTimeOffset(2026, 2, 1, 7, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(10), 300);
        File.WriteAllBytes(Path.Combine(dir, "a.fit"), good.Bytes);
        File.WriteAllText(Path.Combine(dir, "b.gpx"), GpxParserTests.ThreePoints);
        File.WriteAllText(Path.Combine(dir, "c.tcx"), TcxParserTests.TwoLapRun);
        var corrupt = (byte[])good.Bytes.Clone();
        corrupt[100] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(dir, "d.fit"), corrupt);
        File.WriteAllText(Path.Combine(dir, "e.txt"), "not an activity");
        File.WriteAllBytes(Path.Combine(dir, "f.dat"), FitTestFiles.ShortRun());

        var batch = ActivityImporter.ImportFiles([.. Directory.GetFiles(dir).Order(StringComparer.Ordinal), Path.Combine(dir, "missing.fit")]);

        // by start time (c.tcx and f.dat both start 2026-03-14 07:30: input order); f.dat is sniffed as FIT
        batch.Activities.Select(a => a.SourceFile).ShouldBe(["a.fit", "c.tcx", "f.dat", "b.gpx"]);
        batch.Failures.Count.ShouldBe(3);
        batch.Failures[0].Error.ShouldContain("d.fit: not a valid FIT file: at byte");
        batch.Failures[0].Error.ShouldContain("file CRC");
        batch.Failures[1].Error.ShouldContain("e.txt: not a valid activity file: extension \".txt\" is not .fit, .tcx or .gpx");
        batch.Failures[2].Error.ShouldContain("missing.fit: cannot be read");
    }

    [Fact]
    public void FindActivityFiles_ListsOnlyActivityExtensionsSorted()
    {
        var dir = NodePeer.ScratchDirectory("find");
        foreach (var name in new[] { "z.GPX", "a.fit", "m.tcx", "notes.md" })
        {
            File.WriteAllText(Path.Combine(dir, name), "");
        }
        ActivityImporter.FindActivityFiles(dir).Select(Path.GetFileName).ShouldBe(["a.fit", "m.tcx", "z.GPX"]);
    }
}
