using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace OpenBfr.Bench.Web;

/// <summary>
/// A live-session page's SignalR connection without the .NET client (not restorable here,
/// DESIGN.md section 2): a WebSocket speaking SignalR's JSON hub protocol
/// (https://github.com/dotnet/aspnetcore/blob/main/src/SignalR/docs/specs/HubProtocol.md):
/// handshake, one <c>Watch</c> (or <c>WatchFrom</c>) invocation, then it counts the telemetry samples pushed to it
/// and answers the server's pings.
/// </summary>
public sealed class HubWatcher : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _receive;
    private Task? _ping;
    private long _samples;

    private readonly List<double> _latenciesMs = [];

    /// <summary>When set, every sample's age on arrival (arrival minus the sample's time, ms) is kept.</summary>
    public bool RecordLatency { get; init; }

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

    /// <summary>Set when the connection failed or the server closed it.</summary>
    public string? Failure { get; private set; }

    /// <summary>
    /// Connects with the signed-in cookies and starts watching one session: from now (<c>Watch</c>),
    /// or from a cursor (<c>WatchFrom</c>: the rows after it first) when <paramref name="fromSeq"/> and <paramref name="fromTelemetryId"/> are given.
    /// </summary>
    public static async Task<HubWatcher> ConnectAsync(Uri server, CookieContainer cookies, Guid sessionId, CancellationToken ct, bool recordLatency = false,
        int? fromSeq = null, long? fromTelemetryId = null, long notifyAtSamples = long.MaxValue)
    {
        var w = new HubWatcher { RecordLatency = recordLatency, _notifyAt = notifyAtSamples };
        w._socket.Options.Cookies = cookies;
        // WebSockets only, so negotiation may be skipped (the server makes the connection id).
        var uri = new UriBuilder(server) { Scheme = server.Scheme == "https" ? "wss" : "ws", Path = "/hubs/session" }.Uri;
        await w._socket.ConnectAsync(uri, ct);
        await w.SendAsync("""{"protocol":"json","version":1}""", ct);
        var handshake = await w.ReceiveRecordsAsync(ct);
        if (handshake.Count == 0 || handshake[0] != "{}")
        {
            throw new InvalidOperationException("SignalR handshake refused: " + string.Join(" ", handshake));
        }
        w._receive = Task.Run(w.ReceiveLoopAsync, CancellationToken.None);
        w._ping = Task.Run(w.PingLoopAsync, CancellationToken.None);
        w.WatchSentAt = System.Diagnostics.Stopwatch.GetTimestamp();
        await w.SendAsync(fromSeq is { } seq && fromTelemetryId is { } id
            ? $$"""{"type":1,"invocationId":"1","target":"WatchFrom","arguments":["{{sessionId}}",{{seq}},{{id}}]}"""
            : $$"""{"type":1,"invocationId":"1","target":"Watch","arguments":["{{sessionId}}"]}""", ct);
        return w;
    }

    private long _notifyAt;
    private readonly TaskCompletionSource<long> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When the watch request was sent (<see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long WatchSentAt { get; private set; }

    /// <summary>Completes, with the <see cref="System.Diagnostics.Stopwatch"/> timestamp, when the samples received reach the count given at connect.</summary>
    public Task<long> Reached => _reached.Task;

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                foreach (var record in await ReceiveRecordsAsync(_stop.Token))
                {
                    Count(record);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or InvalidOperationException)
        {
            if (!_stop.IsCancellationRequested)
            {
                Failure = e.Message;
            }
        }
    }

    private void Count(string record)
    {
        if (record.StartsWith("{\"type\":7", StringComparison.Ordinal))
        {
            Failure = "closed by the server: " + record;
            return;
        }
        // Only invocations of "samples" matter; parse those alone (a cheap text check first).
        if (!record.Contains("\"samples\"", StringComparison.Ordinal))
        {
            return;
        }
        using var doc = JsonDocument.Parse(record);
        var root = doc.RootElement;
        if (root.GetProperty("type").GetInt32() == 1 && root.GetProperty("target").GetString() == "samples")
        {
            var samples = root.GetProperty("arguments")[0];
            if (Interlocked.Add(ref _samples, samples.GetArrayLength()) >= _notifyAt)
            {
                _reached.TrySetResult(System.Diagnostics.Stopwatch.GetTimestamp());
            }
            if (RecordLatency)
            {
                var now = TimeProvider.System.GetUtcNow();
                lock (_latenciesMs)
                {
                    foreach (var sample in samples.EnumerateArray())
                    {
                        _latenciesMs.Add((now - DateTimeOffset.FromUnixTimeMilliseconds(sample.GetProperty("t").GetInt64())).TotalMilliseconds);
                    }
                }
            }
        }
    }

    private async Task PingLoopAsync()
    {
        // The server drops a client silent for 30 s (ClientTimeoutInterval); ping every 10 s.
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                await SendAsync("""{"type":6}""", _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or InvalidOperationException)
        {
        }
    }

    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private async Task SendAsync(string message, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(message + RecordSeparator);
        await _sendLock.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private readonly StringBuilder _pending = new();

    /// <summary>Reads one WebSocket message and splits it into complete hub records (a record may span messages).</summary>
    private async Task<List<string>> ReceiveRecordsAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var message = new MemoryStream();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(buffer.AsMemory(), ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException("the server closed the WebSocket");
                }
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            _pending.Append(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
            var text = _pending.ToString();
            var last = text.LastIndexOf(RecordSeparator);
            if (last < 0)
            {
                return [];
            }
            _pending.Clear().Append(text, last + 1, text.Length - last - 1);
            return text[..last].Split(RecordSeparator).ToList();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        if (_receive is not null) await _receive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_ping is not null) await _ping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
