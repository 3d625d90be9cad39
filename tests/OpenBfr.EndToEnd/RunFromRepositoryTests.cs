using System.Diagnostics;
using System.Net;
using System.Text;

namespace OpenBfr.EndToEnd;

/// <summary>
/// `dotnet run --project src/OpenBfr.Web`, typed in some folder, puts the SQLite file in that
/// folder's data/ (not the project's), prints its absolute path, and still serves the pages and
/// the static files (issue 5, "Run").
/// </summary>
public sealed class RunFromRepositoryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "openbfr-run-" + Guid.NewGuid().ToString("N"));

    public RunFromRepositoryTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task DotnetRun_FromAnotherFolder_CreatesDataThereAndServesPagesAndStaticFiles()
    {
        var project = Path.Combine(AppServer.RepoRoot, "src", "OpenBfr.Web");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var port = AppServer.FreePort();
        var projectDb = Path.Combine(project, "data", "openbfr.db");
        var projectDbBefore = File.Exists(projectDb);
        var psi = new ProcessStartInfo("dotnet", ["run", "--no-build", "-c", configuration, "--project", project, "--", "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = _dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment.Remove("OpenBfr__DatabasePath");
        psi.Environment.Remove("ConnectionStrings__OpenBfr");
        psi.Environment.Remove("ASPNETCORE_CONTENTROOT");
        psi.Environment.Remove("ASPNETCORE_URLS");
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var output = new StringBuilder();
        using var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var expectedDb = Path.Combine(_dir, "data", "openbfr.db");
            var deadline = Stopwatch.StartNew();
            string Text() { lock (output) return output.ToString(); }
            while (!Text().Contains("OpenBFR database:", StringComparison.Ordinal))
            {
                process.HasExited.ShouldBeFalse("the app exited: " + Text());
                deadline.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(90), "no start-up line: " + Text());
                await Task.Delay(100);
            }
            Text().ShouldContain("OpenBFR database: SQLite " + expectedDb);
            File.Exists(expectedDb).ShouldBeTrue();
            if (!projectDbBefore)
            {
                File.Exists(projectDb).ShouldBeFalse("nothing is written into the project folder");
            }

            (await http.GetStringAsync("/healthz")).ShouldBe("ok");
            var css = await http.GetAsync("/css/site.css");
            css.StatusCode.ShouldBe(HttpStatusCode.OK, "wwwroot is served");
            (await http.GetAsync("/js/live.js")).StatusCode.ShouldBe(HttpStatusCode.OK);
            var setup = await http.GetStringAsync("/Setup");
            setup.ShouldContain("__RequestVerificationToken", customMessage: "the Razor page renders");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }
}
