using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Data.Sessions;
using OpenBfr.Web.Sessions;

namespace OpenBfr.Bench.Web;

/// <summary>
/// The <c>web-backfill</c> suite: what a page's back-fill costs, from sending <c>WatchFrom</c> with
/// the cursor at the start of the log to the last of N telemetry rows arriving at the page's
/// WebSocket (read, serialised, sent, received). Three paths: a session that ended (the rest of the
/// log and the end at once), one that another node runs (relayed: the feed's looks, 2,000 rows
/// each), and one that runs on this node (sent under its flush gate, before it joins the live
/// group). The real app on Kestrel in this process, on a SQLite file and, with <c>--postgres</c>, on a
/// scratch PostgreSQL database. Logs of the first two are written straight through
/// <see cref="SessionLog"/> (one cuff, 10 samples/s); the running one is a real simulated session.
/// </summary>
public static class BackfillBench
{
    /// <summary>Runs the suite: <c>web-backfill [--rows 300,600,…] [--repeat N] [--live-seconds S] [--postgres CONNECTIONSTRING]</c>.</summary>
    public static int Run(string[] args)
    {
        var rows = new List<int> { 300, 600, 6000, 36000 };
        var repeat = 5;
        var liveSeconds = 30.0;
        string? postgres = null;
        var ok = CrossNodeBench.TryOptions(args, "web-backfill", "--rows N,N,… each 1–100000, --repeat 1–100, --live-seconds 1–600, --postgres CONNECTIONSTRING", (name, value) => (name, value) switch
        {
            ("--rows", { } v) => WebBench.TryIntList(v, 100_000, ascending: false, out rows),
            ("--repeat", { } v) => int.TryParse(v, CultureInfo.InvariantCulture, out repeat) && repeat is >= 1 and <= 100,
            ("--live-seconds", { } v) => double.TryParse(v, CultureInfo.InvariantCulture, out liveSeconds) && liveSeconds is >= 1 and <= 600,
            ("--postgres", { Length: > 0 } v) => (postgres = v) is not null,
            _ => false,
        });
        if (!ok)
        {
            return 2;
        }
        Console.WriteLine($"web-backfill bench: the real app on Kestrel in this process, {WebBench.Config()}, {Environment.ProcessorCount} cores; " +
            $"time from WatchFrom (cursor at the log's start) to the last row received on the page's WebSocket, {repeat} runs per row count");
        var table = new List<string[]>();
        table.AddRange(RunOnAsync("SQLite file", null, rows, repeat, liveSeconds).GetAwaiter().GetResult());
        if (postgres is not null)
        {
            table.AddRange(RunOnAsync("PostgreSQL", postgres, rows, repeat, liveSeconds).GetAwaiter().GetResult());
        }
        Console.WriteLine();
        BenchTable.Print(["database", "session", "rows back-filled", "ms median (min / max)", "rows per ms"], table);
        return 0;
    }

    private static async Task<List<string[]>> RunOnAsync(string database, string? postgresServer, List<int> counts, int repeat, double liveSeconds)
        => await CrossNodeBench.InScratchAsync("openbfr-backfillbench-", "openbfr_bb_", postgresServer, async (dir, postgres) =>
        {
            var table = new List<string[]>();
            await using var node = await WebBench.StartServerAsync(Path.Combine(dir, "openbfr.db"), postgres);
            var server = new Uri(node.Urls.First());
            var world = await WebBench.SeedAsync(node.Services, 1);
            var cookies = new CookieContainer();
            using var http = await WebBench.SignInAsync(server, cookies, world.ClinicianEmail);
            var log = node.Services.GetRequiredService<SessionLog>();
            var (athlete, rx) = world.Athletes[0];
            try
            {
                foreach (var n in counts)
                {
                    var ended = await WriteLogAsync(log, athlete, n, end: true);
                    table.Add(Row(database, "ended", n, await TimeAsync(server, cookies, ended, n, repeat)));
                    // Relayed while its heartbeat is fresh (10 s): written anew for each run.
                    var relayed = new List<double>();
                    for (var r = 0; r < repeat; r++)
                    {
                        var running = await WriteLogAsync(log, athlete, n, end: false);
                        relayed.AddRange(await TimeAsync(server, cookies, running, n, 1));
                        await log.EndAsync(running, TimeProvider.System.GetUtcNow(), SessionEndReasons.Stopped);
                    }
                    table.Add(Row(database, "relayed (another node runs it)", n, relayed));
                    Console.Error.WriteLine($"  {database}: {n} rows measured");
                }

                // A real session on this node, live for the given time: its whole log, back-filled under the flush gate.
                using var response = await http.PostAsJsonAsync($"/api/v1/athletes/{athlete}/sessions", new { prescriptionIds = new[] { rx } });
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"web-backfill set-up failed: session start answered {(int)response.StatusCode}");
                }
                var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                await Task.Delay(TimeSpan.FromSeconds(liveSeconds));
                var live = new List<double>();
                var liveRows = 0;
                for (var r = 0; r < repeat; r++)
                {
                    liveRows = (await log.TelemetryAfterIdAsync(id, 0, int.MaxValue)).Count;
                    live.AddRange(await TimeAsync(server, cookies, id, liveRows, 1));
                }
                table.Add(Row(database, $"running on this node ({liveSeconds:0} s live)", liveRows, live));
                await http.PostAsync($"/api/v1/sessions/{id}/stop", null);
            }
            finally
            {
                await node.StopAsync();
            }
            return table;
        });

    /// <summary>A session log of <paramref name="rows"/> samples (one cuff, 10/s) and an event per second, as another node would write it.</summary>
    private static async Task<Guid> WriteLogAsync(SessionLog log, Guid athlete, int rows, bool end)
    {
        var id = Guid.NewGuid();
        var now = TimeProvider.System.GetUtcNow();
        var t0 = now - TimeSpan.FromMilliseconds(100.0 * rows);
        await log.StartAsync(new SessionRecord
        {
            Id = id, AthleteId = athlete, ProtocolName = "bench", Simulated = true, StartedByUserId = "bench", StartedAt = t0, NodeId = "another-node",
        });
        var seq = 0;
        for (var from = 0; from < rows; from += 1000)
        {
            var samples = Enumerable.Range(from, Math.Min(1000, rows - from)).Select(i => new TelemetrySample
            {
                CuffId = "left-leg", At = t0.AddMilliseconds(100.0 * i), PressureMmHg = 100 + (i % 50), TargetMmHg = 140,
            }).ToList();
            var events = Enumerable.Range(from, samples.Count).Where(i => i % 10 == 0)
                .Select(i => new SessionEvent { Seq = ++seq, At = t0.AddMilliseconds(100.0 * i), Kind = "rep", Detail = "bench" }).ToList();
            await log.AppendAsync(id, events, samples, TimeProvider.System.GetUtcNow(), default, """{"status":{"phase":"set"},"latest":{}}""");
        }
        if (end)
        {
            await log.EndAsync(id, TimeProvider.System.GetUtcNow(), SessionEndReasons.Stopped);
        }
        return id;
    }

    private static async Task<List<double>> TimeAsync(Uri server, CookieContainer cookies, Guid session, int rows, int repeat)
    {
        var ms = new List<double>();
        for (var r = 0; r < repeat; r++)
        {
            await using var watcher = await HubWatcher.ConnectAsync(server, cookies, session, CancellationToken.None, fromSeq: 0, fromTelemetryId: 0, notifyAtSamples: rows);
            var reached = await watcher.Reached.WaitAsync(TimeSpan.FromSeconds(60));
            ms.Add(Stopwatch.GetElapsedTime(watcher.WatchSentAt, reached).TotalMilliseconds);
        }
        return ms;
    }

    private static string[] Row(string database, string session, int rows, List<double> ms)
    {
        ms.Sort();
        var median = ms[ms.Count / 2];
        return
        [
            database, session, rows.ToString(CultureInfo.InvariantCulture),
            string.Create(CultureInfo.InvariantCulture, $"{median:0.0} ({ms[0]:0.0} / {ms[^1]:0.0})"),
            string.Create(CultureInfo.InvariantCulture, $"{rows / median:0.0}"),
        ];
    }
}
