using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Web.Sessions;

namespace OpenBfr.Web.Tests.Sessions;

/// <summary>
/// What a live-session page does, over real HTTP and the real .NET SignalR client against a web
/// node on Kestrel: signs in, reads the rendered page's data (and its cursor), watches from it,
/// and after a dropped connection rejoins from what it has received, as live.js does. The test
/// can cut the WebSocket (<see cref="DropAsync"/>) and hold the reconnect until it lets go.
/// </summary>
internal sealed class LivePageClient : IAsyncDisposable
{
    private readonly Lock _sync = new();
    private readonly List<(string Kind, object Message)> _received = [];
    private HubConnection _hub = null!;
    private WebSocket? _socket;
    private TaskCompletionSource _reconnectGate = Released();
    private Guid _sessionId;
    private int _reconnects;
    private System.Text.Json.JsonElement? _latestStatus;

    private LivePageClient(HttpClient http, CookieContainer cookies, Uri server)
    {
        Http = http;
        Cookies = cookies;
        Server = server;
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies { get; }

    public Uri Server { get; }

    /// <summary>Where this page is: the last event seq and telemetry row id it holds.</summary>
    public LiveCursor Cursor { get; private set; } = LiveCursor.Start;

    /// <summary>Reconnections completed (each followed by a WatchFrom from <see cref="Cursor"/>).</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    public HubConnectionState State => _hub.State;

    /// <summary>Starts <paramref name="node"/> (on which UseKestrel(0) was called) and returns its address.</summary>
    public static Uri OnKestrel(WebAppFactory node)
    {
        node.StartServer();
        var addresses = node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        addresses.ShouldNotBeEmpty("the node listens on Kestrel (UseKestrel(0) before it starts)");
        return new Uri(addresses!.First().TrimEnd('/') + "/");
    }

    /// <summary>Signs <paramref name="email"/> in on the node at <paramref name="server"/> through the sign-in page.</summary>
    public static async Task<LivePageClient> SignInAsync(Uri server, string email)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server };
        var login = await WebAppFactory.PostLoginAsync(http, email, WebAppFactory.Password);
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"sign-in as {email}");
        return new LivePageClient(http, cookies, server);
    }

    /// <summary>Loads the live page as a browser would and returns the data it renders from (JSON in #session-data).</summary>
    public async Task<SessionDetailDto> RenderAsync(Guid sessionId)
    {
        var html = await Http.GetStringAsync($"Sessions/{sessionId}");
        const string open = "<script type=\"application/json\" id=\"session-data\">";
        var start = html.IndexOf(open, StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, "the page carries its data");
        start += open.Length;
        var json = html[start..html.IndexOf("</script>", start, StringComparison.Ordinal)];
        var detail = System.Text.Json.JsonSerializer.Deserialize<SessionDetailDto>(json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Cursor = detail.Cursor;
        return detail;
    }

    /// <summary>Connects the hub (WebSockets, automatic reconnect every 50 ms unless held) and watches from <see cref="Cursor"/>.</summary>
    public async Task<SessionSummaryDto> WatchAsync(Guid sessionId)
    {
        _sessionId = sessionId;
        _hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Server, "hubs/session"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.WebSocketFactory = ConnectSocketAsync;
            })
            .WithAutomaticReconnect(new EveryFiftyMilliseconds())
            .Build();
        _hub.On<List<LiveSampleMessage>>(LiveMessages.Samples, samples =>
        {
            lock (_sync)
            {
                foreach (var s in samples)
                {
                    _received.Add(("sample", s));
                }
                Cursor = Cursor with { TelemetryId = samples.Count > 0 ? Math.Max(Cursor.TelemetryId, samples[^1].Id) : Cursor.TelemetryId };
            }
        });
        _hub.On<LiveEventMessage>(LiveMessages.Event, e =>
        {
            lock (_sync)
            {
                _received.Add(("event", e));
                Cursor = Cursor with { Seq = Math.Max(Cursor.Seq, e.Seq) };
            }
        });
        // As live.js: the status ({ status, latest }) replaces what the page shows of the session's phase and countdown.
        _hub.On<System.Text.Json.JsonElement>(LiveMessages.Status, m =>
        {
            lock (_sync)
            {
                _received.Add(("status", m));
                _latestStatus = m.GetProperty("status");
            }
        });
        _hub.On<System.Text.Json.JsonElement>(LiveMessages.Ended, m =>
        {
            lock (_sync)
            {
                _received.Add(("ended", m));
            }
        });
        // As live.js: a reconnect is a new connection; join again from what this page holds.
        _hub.Reconnected += async _ =>
        {
            await WatchFromCursorAsync();
            Interlocked.Increment(ref _reconnects);
        };
        await _hub.StartAsync();
        return await WatchFromCursorAsync();
    }

    private Task<SessionSummaryDto> WatchFromCursorAsync()
    {
        var from = Cursor;
        return _hub.InvokeAsync<SessionSummaryDto>("WatchFrom", _sessionId, from.Seq, from.TelemetryId);
    }

    /// <summary>Every sample received, in arrival order.</summary>
    public List<LiveSampleMessage> Samples() => Of<LiveSampleMessage>("sample");

    /// <summary>Every event received, in arrival order.</summary>
    public List<LiveEventMessage> Events() => Of<LiveEventMessage>("event");

    /// <summary>What the page shows of the session (phase, countdown, exercise, set, rep): the status of the latest "status" message; null before one.</summary>
    public System.Text.Json.JsonElement? LatestStatus
    {
        get
        {
            lock (_sync)
            {
                return _latestStatus;
            }
        }
    }

    /// <summary>Every "status" message received ({ status, latest }), in arrival order.</summary>
    public List<System.Text.Json.JsonElement> Statuses() => Of<System.Text.Json.JsonElement>("status");

    /// <summary>Message kinds ("sample", "event", "status", "ended") in arrival order.</summary>
    public List<string> Kinds()
    {
        lock (_sync)
        {
            return _received.Select(r => r.Kind).ToList();
        }
    }

    private List<T> Of<T>(string kind)
    {
        lock (_sync)
        {
            return _received.Where(r => r.Kind == kind).Select(r => (T)r.Message).ToList();
        }
    }

    /// <summary>Cuts the WebSocket as a network drop would; the client reconnects once <see cref="Release"/> is called.</summary>
    public async Task DropAsync(TimeSpan deadline)
    {
        Interlocked.Exchange(ref _reconnectGate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _socket!.Abort();
        await Until(() => _hub.State == HubConnectionState.Reconnecting, deadline, "the client to notice the drop");
    }

    /// <summary>Lets the held reconnect through.</summary>
    public void Release() => Volatile.Read(ref _reconnectGate).TrySetResult();

    /// <summary>Polls (the servers run in real time) until <paramref name="done"/> holds, or fails at the deadline.</summary>
    public static async Task Until(Func<bool> done, TimeSpan deadline, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            watch.Elapsed.ShouldBeLessThan(deadline, "waiting for " + what);
            await Task.Delay(10);
        }
    }

    private async ValueTask<WebSocket> ConnectSocketAsync(WebSocketConnectionContext context, CancellationToken ct)
    {
        // Held while the test keeps the page disconnected.
        await Volatile.Read(ref _reconnectGate).Task.WaitAsync(ct);
        var socket = new ClientWebSocket();
        socket.Options.Cookies = Cookies;
        await socket.ConnectAsync(context.Uri, ct);
        _socket = socket;
        return socket;
    }

    private static TaskCompletionSource Released()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }
        Http.Dispose();
    }

    private sealed class EveryFiftyMilliseconds : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) => TimeSpan.FromMilliseconds(50);
    }
}
