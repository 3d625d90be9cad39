using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Web.Sessions;

namespace OpenBfr.Web.Tests.Sessions;

/// <summary>
/// The hub's limit on a joining page's back-fill (<see cref="SessionHub.JoinTimeout"/>, 5 s): on the
/// node running the session the back-fill is sent while the session's writes wait, so a join that
/// does not get through within the limit is dropped (the page reconnects and asks again) instead of
/// holding the log back. Deterministic: the back-fill is held by holding the session's flush gate,
/// and the limit's timer fires when the test says, not on the wall clock.
/// </summary>
public sealed class LiveJoinTimeoutTests
{
    /// <summary>How long the test waits for something that happens at once; reaching it is a failure, not a timing.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private const string Refusal = "the rows after your cursor did not reach you within 5 s; reconnect and watch again";

    [Fact]
    public async Task WatchFrom_BackfillHeldUntilTheLimitFires_ConnectionDroppedWithNothingSent_AndTheNextPageJoins()
    {
        var clock = new HeldCancellationClock();
        using var node = new WebAppFactory(services: s => s.AddSingleton<TimeProvider>(clock));
        var (athlete, rx) = await LiveSeed.AthleteAsync(node);
        var client = await node.SignedInAsync("pt@t.org");
        var session = await LiveSeed.StartAsync(client, athlete, rx);
        var live = node.Services.GetRequiredService<LiveSessions>().Find(session).ShouldNotBeNull();

        // A flush under way that does not finish: a joining page's back-fill waits behind it.
        await live.FlushGate.WaitAsync();
        var held = true;
        try
        {
            await using var stalled = await TestHubClient.ConnectAsync(node, "pt@t.org");
            var call = stalled.InvokeAsync("WatchFrom", session, 0, 0L);
            var limit = await clock.NextAsync();
            limit.DueTime.ShouldBe(TimeSpan.FromSeconds(5), "the join's limit");
            limit.DueTime.ShouldBe(SessionHub.JoinTimeout);
            call.IsCompleted.ShouldBeFalse("the back-fill waits behind the flush");

            limit.Fire();

            await stalled.Closed.WaitAsync(Guard); // the server dropped the connection; the page reconnects and asks again
            // The refusal races the close (the hub drops the connection, then refuses the call): the
            // page gets the refusal or sees the connection close first; the server says why either way.
            var outcome = await Should.ThrowAsync<Exception>(() => call.WaitAsync(Guard));
            if (outcome is HubException refused)
            {
                refused.Message.ShouldContain(Refusal);
            }
            else
            {
                outcome.ShouldBeOfType<HubConnectionClosedException>();
            }
            await LivePageClient.Until(() => node.Logs.Any(l => l.Contains(Refusal, StringComparison.Ordinal)), Guard, "the hub's refusal in the log");
            stalled.Messages.ShouldBeEmpty("nothing of the back-fill was sent");

            // The log was not held back: once the flush is done, the next page joins and gets the rows.
            live.FlushGate.Release();
            held = false;
            await using var next = await TestHubClient.ConnectAsync(node, "pt@t.org");
            (await next.InvokeAsync("WatchFrom", session, 0, 0L)).GetProperty("id").GetGuid().ShouldBe(session);
            var nextLimit = await clock.NextAsync();
            nextLimit.Disposed.ShouldBeTrue("a join that got through drops its limit");
            nextLimit.Fired.ShouldBeFalse();
            await next.WaitForAsync(c => c.Samples().Count > 0, Guard, "the next page's samples");
        }
        finally
        {
            if (held)
            {
                live.FlushGate.Release();
            }
            (await client.PostAsync($"/api/v1/sessions/{session}/stop", null)).IsSuccessStatusCode.ShouldBeTrue();
        }
    }

    /// <summary>
    /// The system clock, except that timers of cancellation sources made on it (the app makes one:
    /// the hub's join limit) are held: they fire when the test calls <see cref="HeldTimer.Fire"/>,
    /// whatever the wall clock does. Every other timer (ticks, polls) runs as on the system clock.
    /// </summary>
    private sealed class HeldCancellationClock : TimeProvider
    {
        private readonly Channel<HeldTimer> _created = Channel.CreateUnbounded<HeldTimer>();

        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow();

        public override long GetTimestamp() => TimeProvider.System.GetTimestamp();

        public override long TimestampFrequency => TimeProvider.System.TimestampFrequency;

        public override TimeZoneInfo LocalTimeZone => TimeProvider.System.LocalTimeZone;

        /// <summary>The next held timer made, in order.</summary>
        public async Task<HeldTimer> NextAsync()
        {
            using var guard = new CancellationTokenSource(Guard);
            return await _created.Reader.ReadAsync(guard.Token);
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (state is not CancellationTokenSource)
            {
                return TimeProvider.System.CreateTimer(callback, state, dueTime, period);
            }
            var timer = new HeldTimer(callback, state, dueTime);
            _created.Writer.TryWrite(timer);
            return timer;
        }
    }

    private sealed class HeldTimer(TimerCallback callback, object? state, TimeSpan dueTime) : ITimer
    {
        private int _disposed;
        private int _fired;

        public TimeSpan DueTime { get; private set; } = dueTime;

        public bool Disposed => Volatile.Read(ref _disposed) == 1;

        public bool Fired => Volatile.Read(ref _fired) == 1;

        /// <summary>What the real timer would do at its due time.</summary>
        public void Fire()
        {
            Disposed.ShouldBeFalse("a timer fires only while its owner keeps it");
            Interlocked.Exchange(ref _fired, 1);
            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            DueTime = dueTime;
            return !Disposed;
        }

        public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
