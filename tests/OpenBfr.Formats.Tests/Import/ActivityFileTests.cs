using OpenBfr.Formats.Fit;
using OpenBfr.Formats.Import;
using OpenBfr.Formats.Tcx;
using OpenBfr.Formats.Tests.Fit;
using OpenBfr.Formats.Tests.Support;

namespace OpenBfr.Formats.Tests.Import;

public class ActivityFileTests
{
    [LinuxFact]
    public void ImportFile_NamedPipe_RefusedNamingThePathInsteadOfBlocking()
    {
        var pipe = NamedPipes.Create(Path.Combine(NodePeer.ScratchDirectory("fifo"), "run.fit"));

        var ex = NamedPipes.Within30Seconds(pipe, () => Should.Throw<ActivityFileRefusedException>(() => ActivityImporter.ImportFile(pipe)));

        ex.Message.ShouldBe($"{pipe}: is a named pipe (FIFO), not a regular file: only regular files are imported");
        ex.FilePath.ShouldBe(pipe);
    }

    [LinuxFact]
    public void ImportFile_SymlinkToDevZero_RefusedAsACharacterDevice()
    {
        var link = Path.Combine(NodePeer.ScratchDirectory("devzero"), "zero.gpx");
        File.CreateSymbolicLink(link, "/dev/zero");

        Should.Throw<ActivityFileRefusedException>(() => ActivityImporter.ImportFile(link))
            .Message.ShouldBe($"{link}: is a character device, not a regular file: only regular files are imported");
    }

    [Fact]
    public void ImportFile_DirectoryNamedLikeAnActivity_RefusedAsADirectory()
    {
        var dir = Path.Combine(NodePeer.ScratchDirectory("dir"), "x.gpx");
        Directory.CreateDirectory(dir);

        Should.Throw<ActivityFileRefusedException>(() => ActivityImporter.ImportFile(dir))
            .Message.ShouldBe($"{dir}: is a directory, not a regular file: only regular files are imported");
    }

    [Fact]
    public void ImportFile_LargerThanTheLimit_RefusedWithTheSizeAndTheLimitBeforeReading()
    {
        var path = Path.Combine(NodePeer.ScratchDirectory("large"), "huge.tcx");
        using (var stream = File.Create(path))
        {
            stream.SetLength(ActivityLimits.MaxFileBytes + 1); // sparse: no disk space, nothing to read
        }

        Should.Throw<ActivityFileRefusedException>(() => ActivityImporter.ImportFile(path))
            .Message.ShouldBe($"{path}: is 134217729 bytes, more than the 134217728 bytes (128 MiB) an activity file may have");
        Should.Throw<ActivityFileRefusedException>(() => TcxParser.Parse(path)).FilePath.ShouldBe(path);
    }

    [Fact]
    public void ReadAllBytes_RegularFile_ReturnsItsBytesExactly()
    {
        var path = Path.Combine(NodePeer.ScratchDirectory("regular"), "run.fit");
        var bytes = FitTestFiles.ShortRun();
        File.WriteAllBytes(path, bytes);

        ActivityFile.ReadAllBytes(path).ShouldBe(bytes);
        FitDecoder.DecodeActivity(path).RecordCount.ShouldBeGreaterThan(0);
    }

    [LinuxFact]
    public void ImportFiles_NamedPipeInABatch_ListedAsAFailureWhileTheOtherFilesImport()
    {
        var dir = NodePeer.ScratchDirectory("fifo-batch");
        var good = Path.Combine(dir, "a.fit");
        File.WriteAllBytes(good, FitTestFiles.ShortRun());
        var pipe = NamedPipes.Create(Path.Combine(dir, "b.fit"));

        var batch = NamedPipes.Within30Seconds(pipe, () => ActivityImporter.ImportFiles(ActivityImporter.FindActivityFiles(dir)));

        batch.Activities.Select(a => a.SourceFile).ShouldBe(["a.fit"]);
        batch.Failures.ShouldHaveSingleItem().Error.ShouldBe($"{pipe}: is a named pipe (FIFO), not a regular file: only regular files are imported");
    }
}
