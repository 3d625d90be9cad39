using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenBfr.Core.Limbs;
using OpenBfr.Data;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Lop;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Screening;
using OpenBfr.Web.Sessions;

namespace OpenBfr.Bench.Web;

/// <summary>Settings of one web bench run (from the command line).</summary>
/// <param name="Levels">live-session counts to try, ascending.</param>
/// <param name="Seconds">measuring time per endpoint and level.</param>
/// <param name="Clients">concurrent HTTP clients per endpoint.</param>
public sealed record WebBenchSettings(IReadOnlyList<int> Levels, double Seconds, int Clients);

/// <summary>One level's measurements.</summary>
public sealed record WebBenchRow(int Sessions, int Running, double TelemetryRowsPerSecond, double PushedSamplesPerSecond,
    IReadOnlyDictionary<string, Latency> Latencies, double CpuPercentOfOneCore, double WorkingSetMb, double GcHeapMb, string? Failure)
{
    /// <summary>Each session has one cuff, sampled at 10 Hz (SessionOptions.TelemetryInterval).</summary>
    public double ExpectedRowsPerSecond => Sessions * 10.0;

    /// <summary>Every session still running, its telemetry stored and pushed at ≥ 90% of the rate it produces, and no watcher dropped.</summary>
    public bool Held => Failure is null && Running == Sessions && TelemetryRowsPerSecond >= 0.9 * ExpectedRowsPerSecond && PushedSamplesPerSecond >= 0.9 * ExpectedRowsPerSecond;
}

/// <summary>Latency percentiles of one endpoint, milliseconds.</summary>
public sealed record Latency(double P50, double P95, double P99, int Requests, int Errors)
{
    public static Latency Of(List<double> ms, int errors)
    {
        ms.Sort();
        double P(double q) => ms.Count == 0 ? double.NaN : ms[Math.Clamp((int)Math.Ceiling(q * ms.Count) - 1, 0, ms.Count - 1)];
        return new Latency(P(0.50), P(0.95), P(0.99), ms.Count, errors);
    }
}

/// <summary>
/// The <c>web</c> suite (DESIGN.md section 7: "concurrent live sessions held with telemetry
/// flowing, and latency percentiles, beside a bare endpoint on the same server"). Starts the real
/// web app in this process on Kestrel (HTTP on 127.0.0.1, SQLite file in a temporary folder),
/// signs a clinician in, then for 0, 10, 50, 100, 200, 400 simulated live sessions (each watched by
/// a SignalR WebSocket client, so telemetry is pushed as well as stored) measures latency of a
/// page, an API read and the bare /healthz, telemetry rows written per second, CPU and memory.
/// Stops at the first level that is not held.
/// </summary>
public static class WebBench
{
    private static readonly string[] Endpoints = ["/healthz", "/api/v1/me", "/Athletes/{id}"];

    /// <summary>Runs the suite: <c>web [--levels 10,50,100,200,400] [--seconds S] [--clients C]</c>.</summary>
    public static int Run(string[] args)
    {
        var levels = new List<int> { 10, 50, 100, 200, 400 };
        var seconds = 4.0;
        var clients = 2;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            var ok = (args[i], value) switch
            {
                ("--levels", { } v) => TryIntList(v, 1000, ascending: true, out levels),
                ("--seconds", { } v) => double.TryParse(v, CultureInfo.InvariantCulture, out seconds) && seconds is >= 0.5 and <= 60,
                ("--clients", { } v) => int.TryParse(v, CultureInfo.InvariantCulture, out clients) && clients is >= 1 and <= 32,
                _ => false,
            };
            if (!ok)
            {
                Console.Error.WriteLine($"web: unknown or bad argument '{args[i]}' (allowed: --levels N,N,… each 1–1000 ascending, --seconds 0.5–60, --clients 1–32)");
                return 2;
            }
            i++;
        }
        return RunAsync(new WebBenchSettings(levels, seconds, clients)).GetAwaiter().GetResult();
    }

    /// <summary>A comma-separated list of whole numbers, each 1–<paramref name="max"/> (and rising when <paramref name="ascending"/>), for a suite's option; false when any is not.</summary>
    internal static bool TryIntList(string text, int max, bool ascending, out List<int> values)
    {
        values = [];
        foreach (var part in text.Split(','))
        {
            if (!int.TryParse(part, CultureInfo.InvariantCulture, out var n) || n < 1 || n > max || (ascending && values.Count > 0 && n <= values[^1]))
            {
                return false;
            }
            values.Add(n);
        }
        return values.Count > 0;
    }

    private static async Task<int> RunAsync(WebBenchSettings settings)
    {
        var dir = Path.Combine(Path.GetTempPath(), "openbfr-webbench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var total = Stopwatch.StartNew();
        try
        {
            await using var app = await StartServerAsync(Path.Combine(dir, "openbfr.db"));
            var server = new Uri(app.Urls.First());
            var world = await SeedAsync(app.Services, settings.Levels[^1]);
            var cookies = new CookieContainer();
            using var http = await SignInAsync(server, cookies, world.ClinicianEmail);
            Console.WriteLine($"web bench: real app in this process on Kestrel {server}, SQLite file in a temp folder, {Config()}, {Environment.ProcessorCount} cores; " +
                $"{settings.Clients} concurrent clients per endpoint for {settings.Seconds:0.#} s per level; every live session watched by a SignalR WebSocket client");
            Console.WriteLine($"set-up: {world.Athletes.Count} athletes seeded in {total.Elapsed.TotalSeconds:0.0} s");
            Console.WriteLine();

            // Warm-up (JIT, pools, page compilation caches), not recorded.
            await MeasureAsync(app.Services, server, cookies, world, [], 0, settings with { Seconds = 1 }, null);
            var rows = new List<WebBenchRow>();
            var watchers = new List<HubWatcher>();
            var sessions = new List<Guid>();
            try
            {
                foreach (var level in new[] { 0 }.Concat(settings.Levels))
                {
                    var failure = await GrowToAsync(http, server, cookies, world, sessions, watchers, level);
                    await Task.Delay(TimeSpan.FromSeconds(level == 0 ? 0.5 : 2));
                    var row = await MeasureAsync(app.Services, server, cookies, world, watchers, level, settings, failure);
                    rows.Add(row);
                    Console.Error.WriteLine($"  {level} live sessions measured ({total.Elapsed.TotalSeconds:0} s)");
                    if (!row.Held && level > 0)
                    {
                        break;
                    }
                }
            }
            finally
            {
                foreach (var w in watchers)
                {
                    await w.DisposeAsync();
                }
                // Stop before disposing: the live sessions deflate and record their end on the way down.
                await app.StopAsync();
            }
            Print(rows);
            Console.WriteLine();
            Console.WriteLine($"held = every session still running, telemetry stored and pushed at ≥ 90% of the 10 samples/s each produces, no watcher dropped. " +
                $"CPU and memory are this whole process (server and bench clients together). Total {total.Elapsed.TotalSeconds:0} s.");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    internal static string Config()
#if DEBUG
        => "Debug (use -c Release for numbers)";
#else
        => "Release";
#endif

    /// <summary>Starts the real web app on Kestrel (127.0.0.1, a free port) on a SQLite file, or on PostgreSQL when <paramref name="postgres"/> is given.</summary>
    internal static async Task<WebApplication> StartServerAsync(string databasePath, string? postgres = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            // The pages and the hub live in the web assembly, not in this tool's.
            ApplicationName = typeof(WebSetup).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppPaths.BuiltProjectDirectory is { } p && Directory.Exists(p) ? p : AppContext.BaseDirectory,
        });
        builder.Configuration["OpenBfr:DatabasePath"] = databasePath;
        builder.Configuration["ConnectionStrings:OpenBfr"] = postgres ?? "";
        builder.Configuration["OPENBFR_POSTGRES"] = "";
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.Configuration["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning";
        builder.AddOpenBfrWeb(demo: false);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseOpenBfrWeb();
        await app.StartAsync();
        return app;
    }

    internal sealed record World(string ClinicianEmail, List<(Guid Athlete, Guid Prescription)> Athletes);

    internal static async Task<World> SeedAsync(IServiceProvider services, int athletes)
    {
        const string email = "bench-clinician@bench.openbfr.org";
        await using (var scope = services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<OpenBfrUser>>();
            foreach (var (mail, role) in new[] { ("bench-admin@bench.openbfr.org", Roles.Admin), (email, Roles.Clinician) })
            {
                var user = new OpenBfrUser { UserName = mail, Email = mail, DisplayName = role };
                (await users.CreateAsync(user, Password)).Succeeded.ShouldBeTrue(mail);
                await users.AddToRoleAsync(user, role);
            }
        }
        string clinicianId;
        await using (var scope = services.CreateAsyncScope())
        {
            clinicianId = (await scope.ServiceProvider.GetRequiredService<UserManager<OpenBfrUser>>().FindByEmailAsync(email))!.Id;
        }
        var clinician = new Viewer(clinicianId, false, true, false);
        var directory = services.GetRequiredService<AthleteDirectory>();
        var screening = services.GetRequiredService<ScreeningService>();
        var lops = services.GetRequiredService<LopService>();
        var prescriptions = services.GetRequiredService<PrescriptionService>();
        var eligible = LimbExtensions.All.ToDictionary(l => l, _ => new LimbOutcome(ScreeningOutcomes.Eligible, []));
        var list = new (Guid, Guid)[athletes];
        await Parallel.ForAsync(0, athletes, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var a = await directory.CreateAsync(clinician, new NewAthlete($"Bench Runner {i:000}", 1990, i % 2 == 0 ? "female" : "male", null), ct);
            await screening.SaveAsync(clinician, a.Id, new Dictionary<string, string>(), eligible, ct);
            var lop = await lops.RecordAsync(clinician, a, new RecordLopRequest("left-leg", "standing", 11.5, 180 + i % 60), ct);
            var rx = await prescriptions.CreateAsync(clinician, a, new CreatePrescriptionRequest(lop.Id, "resistance"), ct);
            list[i] = (a.Id, rx.Id);
        });
        return new World(email, [.. list]);
    }

    private const string Password = "bench-password-1";

    internal static async Task<HttpClient> SignInAsync(Uri server, CookieContainer cookies, string email)
    {
        var http = Client(server, cookies);
        var html = await http.GetStringAsync("/Account/Login");
        var token = WebUtility.HtmlDecode(Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
        var response = await http.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = Password, ["__RequestVerificationToken"] = token,
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, "bench sign-in");
        return http;
    }

    private static HttpClient Client(Uri server, CookieContainer cookies)
        => new(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false, MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>Starts sessions (one per athlete) and their watchers until <paramref name="level"/> run. Returns a failure, or null.</summary>
    private static async Task<string?> GrowToAsync(HttpClient http, Uri server, CookieContainer cookies, World world, List<Guid> sessions, List<HubWatcher> watchers, int level)
    {
        var start = sessions.Count;
        var added = new Guid[level - start];
        string? failure = null;
        await Parallel.ForAsync(start, level, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var (athlete, rx) = world.Athletes[i];
            using var response = await http.PostAsJsonAsync($"/api/v1/athletes/{athlete}/sessions", new { prescriptionIds = new[] { rx } }, ct);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                failure ??= $"session start {i + 1} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}";
                return;
            }
            added[i - start] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
        });
        foreach (var id in added.Where(g => g != Guid.Empty))
        {
            sessions.Add(id);
            try
            {
                watchers.Add(await HubWatcher.ConnectAsync(server, cookies, id, CancellationToken.None));
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or InvalidOperationException)
            {
                failure ??= "watcher did not connect: " + e.Message;
            }
        }
        return failure;
    }

    private static async Task<WebBenchRow> MeasureAsync(IServiceProvider services, Uri server, CookieContainer cookies, World world, List<HubWatcher> watchers,
        int level, WebBenchSettings settings, string? failure)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>();
        var process = Process.GetCurrentProcess();
        async Task<long> RowsAsync()
        {
            await using var db = await contexts.CreateDbContextAsync();
            return await db.TelemetrySamples.MaxAsync(t => (long?)t.Id) ?? 0;
        }
        var rows0 = await RowsAsync();
        var pushed0 = watchers.Sum(w => w.Samples);
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();

        var latencies = new Dictionary<string, Latency>();
        var page = "/Athletes/" + world.Athletes[0].Athlete;
        foreach (var endpoint in Endpoints)
        {
            var path = endpoint.Replace("/Athletes/{id}", page, StringComparison.Ordinal);
            var samples = new List<double>();
            var errors = 0;
            var until = Stopwatch.StartNew();
            await Parallel.ForAsync(0, settings.Clients, async (_, ct) =>
            {
                using var client = Client(server, cookies);
                var mine = new List<double>();
                var bad = 0;
                while (until.Elapsed.TotalSeconds < settings.Seconds)
                {
                    var t = Stopwatch.GetTimestamp();
                    using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead, ct);
                    var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                    if (response.StatusCode == HttpStatusCode.OK) mine.Add(ms); else bad++;
                }
                lock (samples)
                {
                    samples.AddRange(mine);
                    errors += bad;
                }
            });
            latencies[endpoint] = Latency.Of(samples, errors);
        }

        var seconds = wall.Elapsed.TotalSeconds;
        var rows1 = await RowsAsync();
        var pushed1 = watchers.Sum(w => w.Samples);
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds / seconds * 100;
        failure ??= watchers.Select(w => w.Failure).FirstOrDefault(f => f is not null);
        if (latencies.Values.Sum(l => l.Errors) is > 0 and var e)
        {
            failure ??= $"{e} requests failed";
        }
        return new WebBenchRow(level, services.GetRequiredService<LiveSessions>().Count, (rows1 - rows0) / seconds, (pushed1 - pushed0) / seconds,
            latencies, cpu, process.WorkingSet64 / 1048576.0, GC.GetTotalMemory(false) / 1048576.0, failure);
    }

    private static void Print(IReadOnlyList<WebBenchRow> rows)
    {
        string[] header = ["live sessions", "held", "telemetry rows/s stored (produced)", "samples/s pushed", .. Endpoints.Select(e => e + " p50/p95/p99 ms"), "requests", "CPU % of 1 core", "memory MB (GC heap)"];
        static string F(double v) => double.IsNaN(v) ? "–" : v.ToString(v < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
        var cells = rows.Select(r => new[]
        {
            r.Sessions.ToString(CultureInfo.InvariantCulture),
            r.Sessions == 0 ? "–" : r.Held ? "yes" : "NO" + (r.Failure is null ? "" : ": " + r.Failure),
            $"{F(r.TelemetryRowsPerSecond)} ({F(r.ExpectedRowsPerSecond)})",
            F(r.PushedSamplesPerSecond),
        }.Concat(Endpoints.Select(e => r.Latencies[e] is var l ? $"{F(l.P50)} / {F(l.P95)} / {F(l.P99)}" : ""))
         .Concat([
             string.Join(" ", Endpoints.Select(e => r.Latencies[e].Requests.ToString(CultureInfo.InvariantCulture))),
             F(r.CpuPercentOfOneCore),
             $"{F(r.WorkingSetMb)} ({F(r.GcHeapMb)})",
         ]).ToArray()).ToList();
        BenchTable.Print(header, cells);
    }

    private static void ShouldBeTrue(this bool value, string what)
    {
        if (!value) throw new InvalidOperationException("web bench set-up failed: " + what);
    }

    private static void ShouldBe(this HttpStatusCode actual, HttpStatusCode expected, string what)
    {
        if (actual != expected) throw new InvalidOperationException($"web bench set-up failed: {what} answered {(int)actual}, expected {(int)expected}");
    }
}
