using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace OpenBfr.Web.Tests.Sessions;

/// <summary>One message the server pushed to a <see cref="TestHubClient"/>, with when it arrived.</summary>
internal sealed record HubMessage(string Target, JsonElement Argument, DateTimeOffset ReceivedAt);

/// <summary>
/// A live-session page's SignalR connection to one in-memory web node: the .NET SignalR client
/// over the TestServer's WebSocket, signed in with the node's cookie. It records every message
/// the hub sends a page, in order, and says when its connection closed.
/// </summary>
internal sealed class TestHubClient : IAsyncDisposable
{
    /// <summary>What the hub sends a page (live.js listens for the same).</summary>
    private static readonly string[] Targets = ["samples", "event", "status", "ended"];

    /// <summary>How long a call may go unanswered on an open connection before the test fails.</summary>
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    private readonly HubConnection _hub;
    private readonly List<HubMessage> _messages = [];
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestHubClient(HubConnection hub)
    {
        _hub = hub;
        foreach (var target in Targets)
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
        hub.Closed += _ =>
        {
            _closed.TrySetResult();
            return Task.CompletedTask;
        };
    }

    /// <summary>Completes when the connection is closed (by the server, or by <see cref="DisposeAsync"/>).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Signs <paramref name="email"/> in on <paramref name="node"/> and opens /hubs/session there.</summary>
    public static async Task<TestHubClient> ConnectAsync(WebAppFactory node, string email)
    {
        var jar = new CookieContainer();
        using var http = node.CreateDefaultClient(new CookieContainerHandler(jar));
        var login = await WebAppFactory.PostLoginAsync(http, email, WebAppFactory.Password);
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"sign-in as {email}");
        var cookie = jar.GetCookieHeader(new Uri("http://localhost/"));
        var hub = new HubConnectionBuilder()
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
        var client = new TestHubClient(hub);
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

    /// <summary>The pushed messages of one kind ("samples", "event", "status", "ended").</summary>
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

    /// <summary>Closes the connection (the server sees the page leave); a second call does nothing.</summary>
    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}

/// <summary>The connection closed before the server answered a hub call.</summary>
internal sealed class HubConnectionClosedException(Exception inner) : Exception("the connection closed before the server answered", inner);
