using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Web.Sessions;

namespace OpenBfr.Bench.Web;

/// <summary>
/// The <c>web-nodes</c> suite: how late a live session's telemetry reaches a page connected to a
/// web node that does not run the session (relayed from the database by <see cref="SessionFeedRelay"/>),
/// beside a page on the node running it (pushed directly). Two instances of the real web app on
/// Kestrel in this process share one database: a SQLite file, and PostgreSQL too when
/// <c>--postgres</c> names a server (a scratch database is created and dropped). Sessions start on
/// node A; each is watched by one SignalR WebSocket client on A and one on B. Latency = arrival at
/// the client minus the sample's time (the engine's clock, which follows the wall clock).
/// </summary>
public static class CrossNodeBench
{
    /// <summary>Runs the suite: <c>web-nodes [--levels 1,20] [--seconds S] [--postgres CONNECTIONSTRING]</c>.</summary>
    public static int Run(string[] args)
    {
        var levels = new List<int> { 1, 20 };
        var seconds = 15.0;
        string? postgres = null;
        var ok = TryOptions(args, "web-nodes", "--levels N,N,… each 1–200 ascending, --seconds 1–300, --postgres CONNECTIONSTRING", (name, value) => (name, value) switch
        {
            ("--levels", { } v) => WebBench.TryIntList(v, 200, ascending: true, out levels),
            ("--seconds", { } v) => double.TryParse(v, CultureInfo.InvariantCulture, out seconds) && seconds is >= 1 and <= 300,
            ("--postgres", { Length: > 0 } v) => (postgres = v) is not null,
            _ => false,
        });
        if (!ok)
        {
            return 2;
        }
        Console.WriteLine($"web-nodes bench: two app instances on Kestrel in this process sharing one database, {WebBench.Config()}, {Environment.ProcessorCount} cores; " +
            $"sessions run on node A, each watched by one SignalR WebSocket client on A and one on B; {seconds:0.#} s measured per level");
        var rows = new List<string[]>();
        rows.AddRange(RunOnAsync("SQLite file", null, levels, seconds).GetAwaiter().GetResult());
        if (postgres is not null)
        {
            rows.AddRange(RunOnAsync("PostgreSQL", postgres, levels, seconds).GetAwaiter().GetResult());
        }
        Console.WriteLine();
        BenchTable.Print(["database", "live sessions", "watcher", "samples received (produced)", "age on arrival p50 / p95 / p99 / max ms", "relay looks/s on B"], rows);
        Console.WriteLine();
        Console.WriteLine("age on arrival includes the running node's batching: the engine is stepped every 100 ms and telemetry is written " +
            "(and pushed on A) at least every 500 ms; the relay's own share is the difference between the B and A rows.");
        return 0;
    }

    private static async Task<List<string[]>> RunOnAsync(string database, string? postgresServer, List<int> levels, double seconds)
        => await InScratchAsync("openbfr-nodebench-", "openbfr_nb_", postgresServer, async (dir, postgres) =>
        {
            var rows = new List<string[]>();
            var file = Path.Combine(dir, "shared.db");
            await using var nodeA = await WebBench.StartServerAsync(file, postgres);
            await using var nodeB = await WebBench.StartServerAsync(file, postgres);
            var serverA = new Uri(nodeA.Urls.First());
            var serverB = new Uri(nodeB.Urls.First());
            var world = await WebBench.SeedAsync(nodeA.Services, levels[^1]);
            var cookiesA = new CookieContainer();
            var cookiesB = new CookieContainer();
            using var httpA = await WebBench.SignInAsync(serverA, cookiesA, world.ClinicianEmail);
            using var httpB = await WebBench.SignInAsync(serverB, cookiesB, world.ClinicianEmail);
            var feedsB = nodeB.Services.GetRequiredService<SessionFeedRelay>();
            var onA = new List<HubWatcher>();
            var onB = new List<HubWatcher>();
            try
            {
                foreach (var level in levels)
                {
                    for (var i = onA.Count; i < level; i++)
                    {
                        var (athlete, rx) = world.Athletes[i];
                        using var response = await httpA.PostAsJsonAsync($"/api/v1/athletes/{athlete}/sessions", new { prescriptionIds = new[] { rx } });
                        if (response.StatusCode != HttpStatusCode.Created)
                        {
                            throw new InvalidOperationException($"web-nodes set-up failed: session start answered {(int)response.StatusCode}");
                        }
                        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                        onA.Add(await HubWatcher.ConnectAsync(serverA, cookiesA, id, CancellationToken.None, recordLatency: true));
                        onB.Add(await HubWatcher.ConnectAsync(serverB, cookiesB, id, CancellationToken.None, recordLatency: true));
                    }
                    // Settle (JIT, the first looks), then measure from a clean slate.
                    await Task.Delay(TimeSpan.FromSeconds(3));
                    foreach (var w in onA.Concat(onB))
                    {
                        w.TakeLatencies();
                    }
                    var looks0 = feedsB.Looks;
                    var wall = Stopwatch.StartNew();
                    await Task.Delay(TimeSpan.FromSeconds(seconds));
                    var elapsed = wall.Elapsed.TotalSeconds;
                    var looks = (feedsB.Looks - looks0) / elapsed;
                    var a = onA.SelectMany(w => w.TakeLatencies()).ToList();
                    var b = onB.SelectMany(w => w.TakeLatencies()).ToList();
                    var failure = onA.Concat(onB).Select(w => w.Failure).FirstOrDefault(f => f is not null);
                    var produced = level * 10.0 * elapsed;
                    rows.Add(Row(database, level, "on A (runs the sessions, direct)", a, produced, "–", failure));
                    rows.Add(Row(database, level, $"on B (relayed, {feedsB.ActiveFeeds} feeds)", b, produced, looks.ToString("0.0", CultureInfo.InvariantCulture), failure));
                    Console.Error.WriteLine($"  {database}: {level} live sessions measured");
                }
            }
            finally
            {
                foreach (var w in onA.Concat(onB))
                {
                    await w.DisposeAsync();
                }
                await nodeB.StopAsync();
                await nodeA.StopAsync();
            }
            return rows;
        });

    /// <summary>Reads <c>--name value</c> pairs through <paramref name="take"/>; on an unknown or bad one, says so naming what is allowed and returns false.</summary>
    internal static bool TryOptions(string[] args, string suite, string allowed, Func<string, string?, bool> take)
    {
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!take(args[i], i + 1 < args.Length ? args[i + 1] : null))
            {
                Console.Error.WriteLine($"{suite}: unknown or bad argument '{args[i]}' (allowed: {allowed})");
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Runs <paramref name="body"/> with a new temporary folder and, when <paramref name="postgresServer"/>
    /// names a server, the connection string of a scratch database on it; removes both afterwards.
    /// </summary>
    internal static async Task<T> InScratchAsync<T>(string folderPrefix, string databasePrefix, string? postgresServer, Func<string, string?, Task<T>> body)
    {
        var dir = Path.Combine(Path.GetTempPath(), folderPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string? scratch = null;
        string? postgres = null;
        if (postgresServer is not null)
        {
            scratch = databasePrefix + Guid.NewGuid().ToString("N")[..16];
            await ExecAsync(postgresServer, $"CREATE DATABASE {scratch}");
            postgres = new Npgsql.NpgsqlConnectionStringBuilder(postgresServer) { Database = scratch }.ToString();
        }
        try
        {
            return await body(dir, postgres);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (scratch is not null)
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
                await ExecAsync(postgresServer!, $"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)");
            }
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static string[] Row(string database, int level, string watcher, List<double> ms, double produced, string looks, string? failure)
    {
        var l = Latency.Of(ms, 0);
        static string F(double v) => double.IsNaN(v) ? "–" : v.ToString("0", CultureInfo.InvariantCulture);
        return
        [
            database,
            level.ToString(CultureInfo.InvariantCulture),
            watcher + (failure is null ? "" : " FAILED: " + failure),
            $"{ms.Count} ({produced:0})",
            $"{F(l.P50)} / {F(l.P95)} / {F(l.P99)} / {F(ms.DefaultIfEmpty(double.NaN).Max())}",
            looks,
        ];
    }

    internal static async Task ExecAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
