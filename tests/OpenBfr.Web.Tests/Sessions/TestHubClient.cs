using System.Buffers;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Web.Sessions;
using ProtocolMessage = Microsoft.AspNetCore.SignalR.Protocol.HubMessage;

namespace OpenBfr.Web.Tests.Sessions;

/// <summary>One message the server pushed to a <see cref="TestHubClient"/>, with when it arrived.</summary>
internal sealed record HubMessage(string Target, JsonElement Argument, DateTimeOffset ReceivedAt);

/// <summary>
/// A live-session page's SignalR connection to one in-memory web node: the .NET SignalR client
/// over the TestServer's WebSocket, signed in with the node's cookie. It records every message
/// the hub sends a page (each kind of <see cref="LiveMessages"/>), in order, and says when its
/// connection closed. Anything else the server sends (a kind outside the contract, arguments that
/// do not bind, a stream item, a call asking for a result, a close with an error) would otherwise be
/// dropped by the SignalR client with a log line; it is kept in <see cref="Unexpected"/> and fails
/// <see cref="WaitForAsync"/> at once, so a test neither waits out its deadline nor passes without it.
/// </summary>
internal sealed class TestHubClient : IAsyncDisposable
{
    /// <summary>How long a call may go unanswered on an open connection before the test fails.</summary>
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    private readonly HubConnection _hub;
    private readonly List<HubMessage> _messages = [];
    private readonly List<string> _unexpected = [];
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestHubClient(HubConnection hub)
    {
        _hub = hub;
        foreach (var target in LiveMessages.All)
        {
            hub.On<JsonElement>(target, argument =>
            {
                var at = TimeProvider.System.GetUtcNow();
                lock (_messages)
                {
                    _messages.Add(new HubMessage(target, argument, at));
                }
            });
        }
        hub.Closed += error =>
        {
            _closed.TrySetResult(error);
            return Task.CompletedTask;
        };
    }

    private void NoteUnexpected(string what)
    {
        lock (_messages)
        {
            _unexpected.Add(what);
        }
    }

    /// <summary>What the server sent that is not a message of the contract (<see cref="LiveMessages"/>), in arrival order.</summary>
    public List<string> Unexpected
    {
        get
        {
            lock (_messages)
            {
                return [.. _unexpected];
            }
        }
    }

    /// <summary>Completes when the connection is closed (by the server, or by <see cref="DisposeAsync"/>).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Why the connection closed (null while open or when closed without an error).</summary>
    public Exception? CloseError => _closed.Task.IsCompleted ? _closed.Task.Result : null;

    /// <summary>Signs <paramref name="email"/> in on <paramref name="node"/> and opens /hubs/session there.</summary>
    public static async Task<TestHubClient> ConnectAsync(WebAppFactory node, string email)
    {
        var jar = new CookieContainer();
        using var http = node.CreateDefaultClient(new CookieContainerHandler(jar));
        var login = await WebAppFactory.PostLoginAsync(http, email, WebAppFactory.Password);
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"sign-in as {email}");
        var cookie = jar.GetCookieHeader(new Uri("http://localhost/"));
        TestHubClient? client = null;
        var builder = new HubConnectionBuilder();
        // Registered after the builder's JSON protocol, so the connection uses it: it sees every message before the client dispatches (or drops) it.
        builder.Services.AddSingleton<IHubProtocol>(new WatchingProtocol(new JsonHubProtocol(), what => client!.NoteUnexpected(what)));
        var hub = builder
            .WithUrl("http://localhost/hubs/session", o =>
            {
                // WebSockets only, so negotiation may be skipped (the server makes the connection id); the socket is the test server's.
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.WebSocketFactory = async (context, ct) =>
                {
                    var ws = node.Server.CreateWebSocketClient();
                    ws.ConfigureRequest = r => r.Headers.Cookie = cookie;
                    return await ws.ConnectAsync(context.Uri, ct);
                };
            })
            .Build();
        client = new TestHubClient(hub);
        await hub.StartAsync();
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

    /// <summary>The pushed messages of one kind (one of <see cref="LiveMessages.All"/>).</summary>
    public List<HubMessage> Of(string target) => Messages.Where(m => m.Target == target).ToList();

    /// <summary>Every telemetry sample pushed, in order, with when it arrived.</summary>
    public List<(string Cuff, long T, double P, double Target, DateTimeOffset ReceivedAt)> Samples()
        => Of("samples").SelectMany(m => m.Argument.EnumerateArray().Select(s => (s.GetProperty("cuff").GetString()!, s.GetProperty("t").GetInt64(),
            s.GetProperty("p").GetDouble(), s.GetProperty("target").GetDouble(), m.ReceivedAt))).ToList();

    /// <summary>
    /// Calls a hub method and waits for its answer (default for a method that returns nothing). A hub
    /// error throws <see cref="HubException"/> with the server's message; a call the connection
    /// closed under throws <see cref="HubConnectionClosedException"/> at once.
    /// </summary>
    public async Task<JsonElement> InvokeAsync(string target, params object?[] arguments)
    {
        try
        {
            return await _hub.InvokeCoreAsync(target, typeof(JsonElement), arguments).WaitAsync(CallDeadline) is JsonElement result ? result : default;
        }
        catch (Exception e) when (e is not (HubException or TimeoutException))
        {
            throw new HubConnectionClosedException(e);
        }
    }

    /// <summary>
    /// Waits (the servers run in real time) until <paramref name="done"/> holds for the messages
    /// received, or fails: at the deadline, or at once when the server sent something outside the
    /// contract (<see cref="Unexpected"/>) or closed the connection with an error.
    /// </summary>
    public async Task WaitForAsync(Func<TestHubClient, bool> done, TimeSpan deadline, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!done(this))
        {
            Unexpected.ShouldBeEmpty($"waiting for {what}, the server sent what the live page does not expect");
            CloseError.ShouldBeNull($"waiting for {what}, the server closed the connection with an error");
            watch.Elapsed.ShouldBeLessThan(deadline, $"waiting for {what}; received {string.Join(", ", Messages.GroupBy(m => m.Target).Select(g => $"{g.Count()} {g.Key}"))}"
                + (Closed.IsCompleted ? " before the connection closed" : ""));
            await Task.Delay(10);
        }
    }

    /// <summary>Closes the connection (the server sees the page leave); a second call does nothing.</summary>
    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}

/// <summary>
/// The client's JSON protocol, watching what it parses: a message the client would drop (or answer
/// with an error) is reported before the client sees it. Only ever reports: a throw here would end
/// the connection's receive loop.
/// </summary>
internal sealed class WatchingProtocol(IHubProtocol inner, Action<string> unexpected) : IHubProtocol
{
    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public ReadOnlyMemory<byte> GetMessageBytes(ProtocolMessage message) => inner.GetMessageBytes(message);

    public void WriteMessage(ProtocolMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProtocolMessage? message)
    {
        if (!inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }
        var what = Describe(message);
        if (what is not null)
        {
            unexpected(what);
        }
        return true;
    }

    /// <summary>What is wrong with a message from the server, or null when the client handles it.</summary>
    internal static string? Describe(ProtocolMessage message) => message switch
    {
        InvocationBindingFailureMessage f when !LiveMessages.All.Contains(f.Target) => $"a '{f.Target}' message, not a kind of LiveMessages",
        InvocationBindingFailureMessage f => $"a '{f.Target}' message whose arguments do not bind to one JSON value: {f.BindingFailure.SourceException.Message}",
        InvocationMessage { InvocationId: not null } i => $"a '{i.Target}' call asking the page for a result",
        InvocationMessage i when !LiveMessages.All.Contains(i.Target) => $"a '{i.Target}' message with {i.Arguments.Length} argument(s), not a kind of LiveMessages",
        InvocationMessage { Arguments.Length: not 1 } i => $"a '{i.Target}' message with {i.Arguments.Length} arguments instead of one",
        StreamInvocationMessage s => $"a '{s.Target}' stream call from the server",
        StreamItemMessage s => $"a stream item for invocation {s.InvocationId}, which no call of the page asked for",
        CloseMessage { Error: not null } c => $"a close with the error '{c.Error}'",
        _ => null, // completions of the page's calls, pings, close without error, acks and sequence numbers: the client handles them
    };
}

/// <summary>The connection closed before the server answered a hub call.</summary>
internal sealed class HubConnectionClosedException(Exception inner) : Exception("the connection closed before the server answered", inner);
