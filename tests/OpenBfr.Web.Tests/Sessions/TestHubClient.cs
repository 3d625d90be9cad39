using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace OpenBfr.Web.Tests.Sessions;

/// <summary>One message the server pushed to a <see cref="TestHubClient"/>, with when it arrived.</summary>
internal sealed record HubMessage(string Target, JsonElement Argument, DateTimeOffset ReceivedAt);

/// <summary>
/// A live-session page's SignalR connection to one in-memory web node, without the .NET SignalR
/// client (not restorable here, DESIGN.md section 2): a TestServer WebSocket speaking SignalR's
/// JSON hub protocol (https://github.com/dotnet/aspnetcore/blob/main/src/SignalR/docs/specs/HubProtocol.md),
/// signed in with the node's cookie. It records every invocation the server sends, in order.
/// </summary>
internal sealed class TestHubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly WebSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<HubMessage> _messages = [];
    private readonly Dictionary<string, TaskCompletionSource<JsonElement>> _calls = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly StringBuilder _pending = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _receive;
    private int _nextId;

    /// <summary>Completes when the connection is closed (by the server, or by <see cref="DisposeAsync"/>) and nothing more is received.</summary>
    public Task Closed => _closed.Task;

    private TestHubClient(WebSocket socket) => _socket = socket;

    /// <summary>Signs <paramref name="email"/> in on <paramref name="node"/> and opens /hubs/session there.</summary>
    public static async Task<TestHubClient> ConnectAsync(WebAppFactory node, string email)
    {
        var jar = new CookieContainer();
        using var http = node.CreateDefaultClient(new CookieContainerHandler(jar));
        var login = await WebAppFactory.PostLoginAsync(http, email, WebAppFactory.Password);
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"sign-in as {email}");
        var ws = node.Server.CreateWebSocketClient();
        var cookie = jar.GetCookieHeader(new Uri("http://localhost/"));
        ws.ConfigureRequest = r => r.Headers.Cookie = cookie;
        // WebSockets only, so negotiation may be skipped (the server makes the connection id).
        var socket = await ws.ConnectAsync(new Uri("ws://localhost/hubs/session"), CancellationToken.None);
        var client = new TestHubClient(socket);
        await client.SendAsync("""{"protocol":"json","version":1}""");
        var handshake = await client.ReceiveRecordsAsync(CancellationToken.None);
        handshake.FirstOrDefault().ShouldBe("{}", "SignalR handshake");
        client._receive = Task.Run(client.ReceiveLoopAsync);
        return client;
    }

    /// <summary>Everything pushed so far, in arrival order.</summary>
    public List<HubMessage> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>The pushed messages of one kind ("samples", "event", "status", "ended").</summary>
    public List<HubMessage> Of(string target) => Messages.Where(m => m.Target == target).ToList();

    /// <summary>Every telemetry sample pushed, in order, with when it arrived.</summary>
    public List<(string Cuff, long T, double P, double Target, DateTimeOffset ReceivedAt)> Samples()
        => Of("samples").SelectMany(m => m.Argument.EnumerateArray().Select(s => (s.GetProperty("cuff").GetString()!, s.GetProperty("t").GetInt64(),
            s.GetProperty("p").GetDouble(), s.GetProperty("target").GetDouble(), m.ReceivedAt))).ToList();

    /// <summary>Calls a hub method and waits for its completion; a hub error throws <see cref="HubCallException"/>.</summary>
    public async Task<JsonElement> InvokeAsync(string target, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var done = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_calls)
        {
            _calls[id] = done;
        }
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }));
        return await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits (the servers run in real time) until <paramref name="done"/> holds for the messages received, or fails at the deadline.</summary>
    public async Task WaitForAsync(Func<TestHubClient, bool> done, TimeSpan deadline, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!done(this))
        {
            watch.Elapsed.ShouldBeLessThan(deadline, $"waiting for {what}; received {string.Join(", ", Messages.GroupBy(m => m.Target).Select(g => $"{g.Count()} {g.Key}"))}");
            await Task.Delay(10);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                foreach (var record in await ReceiveRecordsAsync(_stop.Token))
                {
                    Handle(record);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or InvalidOperationException or IOException)
        {
        }
        finally
        {
            // A call the server did not answer before the connection closed will not be answered.
            List<TaskCompletionSource<JsonElement>> unanswered;
            lock (_calls)
            {
                unanswered = [.. _calls.Values];
                _calls.Clear();
            }
            foreach (var call in unanswered)
            {
                call.TrySetException(new HubConnectionClosedException());
            }
            _closed.TrySetResult();
        }
    }

    private void Handle(string record)
    {
        var at = TimeProvider.System.GetUtcNow();
        using var doc = JsonDocument.Parse(record);
        var root = doc.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1:
                lock (_messages)
                {
                    _messages.Add(new HubMessage(root.GetProperty("target").GetString()!, root.GetProperty("arguments")[0].Clone(), at));
                }
                break;
            case 3:
                TaskCompletionSource<JsonElement>? call;
                lock (_calls)
                {
                    _calls.Remove(root.GetProperty("invocationId").GetString()!, out call);
                }
                if (root.TryGetProperty("error", out var error))
                {
                    call?.TrySetException(new HubCallException(error.GetString()!));
                }
                else
                {
                    call?.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                }
                break;
        }
    }

    private async Task SendAsync(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message + RecordSeparator);
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Reads one WebSocket message and splits it into complete hub records (a record may span messages).</summary>
    private async Task<List<string>> ReceiveRecordsAsync(CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, ct);
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

    private int _disposed;

    /// <summary>Closes the connection (the server sees the page leave); a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
        }
        await _stop.CancelAsync();
        if (_receive is not null)
        {
            await _receive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}

/// <summary>A hub method answered with an error (e.g. "not found").</summary>
internal sealed class HubCallException(string message) : Exception(message);

/// <summary>The connection closed before the server answered a hub call.</summary>
internal sealed class HubConnectionClosedException() : Exception("the connection closed before the server answered");
