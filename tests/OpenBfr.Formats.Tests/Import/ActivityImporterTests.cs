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
    public void Parse_ContentLargerThanAFileMayBe_RefusedWithTheSameMessageAsAFileOnDisk()
    {
        var content = new byte[ActivityLimits.MaxFileBytes + 1];

        var ex = Should.Throw<ActivityFileRefusedException>(() => ActivityImporter.Parse(content, "huge.fit"));

        ex.Message.ShouldBe("huge.fit: is 134217729 bytes, more than the 134217728 bytes (128 MiB) an activity file may have");
        (ex.FilePath, ex.Problem).ShouldBe(("huge.fit", "is 134217729 bytes, more than the 134217728 bytes (128 MiB) an activity file may have"));
    }

    [Fact]
    public void Parse_ContentOfExactlyTheLimit_IsParsed()
    {
        var content = new byte[ActivityLimits.MaxFileBytes];

        Should.Throw<MalformedFileException>(() => ActivityImporter.Parse(content, "zeros.fit"))
            .Message.ShouldBe("zeros.fit: not a valid FIT file: at byte 0: header size byte is 0, expected 12 or 14");
    }

    /// <summary>A sample file as a text editor saves it in <paramref name="encoding"/>: its byte order mark, then the text with the declaration naming the encoding.</summary>
    private static byte[] Encoded(string xml, string encoding)
    {
        var (text, name) = encoding switch
        {
            "utf-16le" => (System.Text.Encoding.Unicode, "UTF-16"),
            "utf-16be" => (System.Text.Encoding.BigEndianUnicode, "UTF-16"),
            _ => (System.Text.Encoding.UTF8, "UTF-8"),
        };
        xml.ShouldContain("encoding=\"UTF-8\"");
        return [.. text.GetPreamble(), .. text.GetBytes(xml.Replace("encoding=\"UTF-8\"", $"encoding=\"{name}\"", StringComparison.Ordinal))];
    }

    [Theory]
    [InlineData("utf-16le", "run")]
    [InlineData("utf-16be", "run")]
    [InlineData("utf-8-bom", "run")]
    [InlineData("utf-16le", "run.xml")]
    [InlineData("utf-16be", "export.txt")]
    public void Parse_TcxWithAByteOrderMarkAndNoOrAWrongExtension_RecognisedByContent(string encoding, string fileName)
    {
        var run = ActivityImporter.Parse(Encoded(TcxParserTests.TwoLapRun, encoding), fileName).ShouldHaveSingleItem();

        run.Format.ShouldBe(ActivityFileFormat.Tcx);
        run.TotalDistanceMeters.ShouldBe(3000);
        run.AverageHeartRate.ShouldBe(150);
    }

    [Theory]
    [InlineData("utf-16le", "run")]
    [InlineData("utf-16be", "run")]
    [InlineData("utf-8-bom", "run")]
    [InlineData("utf-16be", "track.xml")]
    [InlineData("utf-16le", "export.txt")]
    public void Parse_GpxWithAByteOrderMarkAndNoOrAWrongExtension_RecognisedByContent(string encoding, string fileName)
    {
        var expected = ActivityImporter.Parse(System.Text.Encoding.UTF8.GetBytes(GpxParserTests.ThreePoints), "run.gpx").Single();

        var run = ActivityImporter.Parse(Encoded(GpxParserTests.ThreePoints, encoding), fileName).ShouldHaveSingleItem();

        run.Format.ShouldBe(ActivityFileFormat.Gpx);
        run.TotalDistanceMeters.ShouldBe(expected.TotalDistanceMeters);
        run.RecordCount.ShouldBe(4);
    }

    [Fact]
    public void ImportFile_Utf16TcxWithoutBomOrExtension_RecognisedByItsFirstCharacter()
    {
        // XML 1.0 appendix F: without a byte order mark, "<" as 3C 00 is UTF-16LE.
        var path = Path.Combine(NodePeer.ScratchDirectory("utf16"), "activity");
        var xml = TcxParserTests.TwoLapRun.Replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"", StringComparison.Ordinal);
        File.WriteAllBytes(path, System.Text.Encoding.Unicode.GetBytes(xml));

        ActivityImporter.ImportFile(path).ShouldHaveSingleItem().Format.ShouldBe(ActivityFileFormat.Tcx);
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
