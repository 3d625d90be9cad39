using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using OpenBfr.Web.Sessions;

namespace OpenBfr.Bench.Web;

/// <summary>
/// A live-session page's SignalR connection (the .NET SignalR client, WebSockets): one <c>Watch</c>
/// (or <c>WatchFrom</c>) invocation, then it counts the telemetry samples pushed to it. The client
/// answers the server's pings itself.
/// </summary>
public sealed class HubWatcher : IAsyncDisposable
{
    private readonly HubConnection _hub;
    private readonly long _notifyAt;
    private readonly List<double> _latenciesMs = [];
    private readonly TaskCompletionSource<long> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _samples;
    private volatile bool _stopping;
    private Task _watch = Task.CompletedTask;

    private HubWatcher(HubConnection hub, bool recordLatency, long notifyAt)
    {
        _hub = hub;
        RecordLatency = recordLatency;
        _notifyAt = notifyAt;
        hub.On<List<LiveSampleMessage>>("samples", Count);
        hub.Closed += e =>
        {
            if (!_stopping)
            {
                Failure = "closed by the server" + (e is null ? "" : ": " + e.Message);
            }
            return Task.CompletedTask;
        };
    }

    /// <summary>When set, every sample's age on arrival (arrival minus the sample's time, ms) is kept.</summary>
    public bool RecordLatency { get; }

    /// <summary>Takes the ages kept since the last call (see <see cref="RecordLatency"/>), milliseconds.</summary>
    public List<double> TakeLatencies()
    {
        lock (_latenciesMs)
        {
            var taken = new List<double>(_latenciesMs);
            _latenciesMs.Clear();
            return taken;
        }
    }

    /// <summary>Telemetry samples received so far.</summary>
    public long Samples => Interlocked.Read(ref _samples);

    /// <summary>Set when the connection failed, the server closed it or refused the watch.</summary>
    public string? Failure { get; private set; }

    /// <summary>When the watch request was sent (<see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long WatchSentAt { get; private set; }

    /// <summary>Completes, with the <see cref="System.Diagnostics.Stopwatch"/> timestamp, when the samples received reach the count given at connect.</summary>
    public Task<long> Reached => _reached.Task;

    /// <summary>
    /// Connects with the signed-in cookies and starts watching one session: from now (<c>Watch</c>),
    /// or from a cursor (<c>WatchFrom</c>: the rows after it first) when <paramref name="fromSeq"/> and <paramref name="fromTelemetryId"/> are given.
    /// Returns once the watch is sent; its answer is not waited for (rows may come before it).
    /// </summary>
    public static async Task<HubWatcher> ConnectAsync(Uri server, CookieContainer cookies, Guid sessionId, CancellationToken ct, bool recordLatency = false,
        int? fromSeq = null, long? fromTelemetryId = null, long notifyAtSamples = long.MaxValue)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "/hubs/session"), o =>
            {
                // WebSockets only, so negotiation may be skipped (the server makes the connection id).
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.Cookies = cookies;
            })
            .Build();
        var w = new HubWatcher(hub, recordLatency, notifyAtSamples);
        await hub.StartAsync(ct);
        w.WatchSentAt = System.Diagnostics.Stopwatch.GetTimestamp();
        w._watch = w.WatchAsync(fromSeq is { } seq && fromTelemetryId is { } id
            ? hub.InvokeAsync<JsonElement>("WatchFrom", sessionId, seq, id, ct)
            : hub.InvokeAsync<JsonElement>("Watch", sessionId, ct));
        return w;
    }

    private async Task WatchAsync(Task<JsonElement> answer)
    {
        try
        {
            await answer;
        }
        catch (Exception e) when (!_stopping)
        {
            Failure ??= "watch failed: " + e.Message;
        }
    }

    private void Count(List<LiveSampleMessage> samples)
    {
        if (Interlocked.Add(ref _samples, samples.Count) >= _notifyAt)
        {
            _reached.TrySetResult(System.Diagnostics.Stopwatch.GetTimestamp());
        }
        if (RecordLatency)
        {
            var now = TimeProvider.System.GetUtcNow();
            lock (_latenciesMs)
            {
                foreach (var sample in samples)
                {
                    _latenciesMs.Add((now - DateTimeOffset.FromUnixTimeMilliseconds(sample.T)).TotalMilliseconds);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        await _hub.DisposeAsync();
        await _watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
