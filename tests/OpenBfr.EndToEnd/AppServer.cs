using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenBfr.EndToEnd;

/// <summary>The real web app as a separate process on a free 127.0.0.1 port, with its own SQLite file.</summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public AppServer(string databasePath)
    {
        DatabasePath = databasePath;
        Port = FreePort();
    }

    public string DatabasePath { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenBfr.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("OpenBfr.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Starts the app and waits until it answers.</summary>
    public async Task StartAsync()
    {
        var project = Path.Combine(RepoRoot, "src", "OpenBfr.Web");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(project, "bin", configuration, "net10.0", "OpenBfr.Web.dll");
        var psi = new ProcessStartInfo("dotnet", [dll, "--contentRoot", project])
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["ASPNETCORE_URLS"] = BaseUrl;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["OpenBfr__DatabasePath"] = DatabasePath;
        psi.Environment.Remove("ConnectionStrings__OpenBfr");
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the web app");
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited) throw new InvalidOperationException("the web app exited: " + Output);
            try
            {
                using var r = await http.GetAsync(BaseUrl + "/Account/Login");
                if (r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.Found) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException("the web app did not answer within 60 s: " + Output);
    }

    /// <summary>Kills the process at once, as a crash or power cut would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
