using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Sessions;

namespace OpenBfr.Web.Tests.Sessions;

/// <summary>
/// The test client hears every kind of message the session hub sends a live page
/// (<see cref="LiveMessages"/>), and a message outside that contract fails the wait at once, naming
/// it, instead of being dropped by the SignalR client while the test waits out its deadline. The
/// messages come from the real hub of an in-memory node, through its hub context.
/// </summary>
public sealed class TestHubClientTests : IDisposable
{
    /// <summary>Far longer than anything here takes; a failure must come well before it.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly WebAppFactory _node = new();

    public void Dispose() => _node.Dispose();

    private async Task<TestHubClient> ConnectAsync()
    {
        await _node.CreateUserAsync("admin@t.org", Roles.Admin);
        await _node.CreateUserAsync("pt@t.org", Roles.Clinician);
        return await TestHubClient.ConnectAsync(_node, "pt@t.org");
    }

    /// <summary>The assertion a wait failed with (Shouldly's ThrowAsync lets its own assertion failures through).</summary>
    private static async Task<ShouldAssertException> FailureAsync(Task wait)
    {
        try
        {
            await wait;
        }
        catch (ShouldAssertException e)
        {
            return e;
        }
        throw new ShouldAssertException("the wait ended without failing");
    }

    private IHubClients Clients => _node.Services.GetRequiredService<IHubContext<SessionHub>>().Clients;

    [Fact]
    public async Task EveryKindTheHubSends_IsRecordedInOrderWithItsArgument()
    {
        await using var page = await ConnectAsync();
        var kinds = LiveMessages.All;
        kinds.ShouldBe(["samples", "event", "status", "ended"], "the kinds live.js listens for");
        for (var i = 0; i < kinds.Count; i++)
        {
            await Clients.All.SendAsync(kinds[i], new { n = i });
        }

        await page.WaitForAsync(p => p.Messages.Count == kinds.Count, Deadline, "one message of each kind");
        page.Messages.Select(m => m.Target).ShouldBe(kinds);
        page.Messages.Select(m => m.Argument.GetProperty("n").GetInt32()).ShouldBe([0, 1, 2, 3]);
        page.Unexpected.ShouldBeEmpty();
    }

    [Fact]
    public async Task AKindOutsideTheContract_FailsTheWaitAtOnce_NamingIt()
    {
        await using var page = await ConnectAsync();
        await Clients.All.SendAsync("warning", new { text = "cuff slipping" });
        await Clients.All.SendAsync(LiveMessages.Status, new { status = "after" });

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var failure = await FailureAsync(page.WaitForAsync(p => p.Of(LiveMessages.Ended).Count > 0, Deadline, "the end"));
        watch.Elapsed.ShouldBeLessThan(Deadline / 2, "failed on the message, not at the deadline");
        failure.Message.ShouldContain("'warning' message");
        failure.Message.ShouldContain("not a kind of LiveMessages");
        page.Unexpected.ShouldHaveSingleItem();
        // The connection goes on: the message after it still arrives.
        while (page.Of(LiveMessages.Status).Count == 0)
        {
            watch.Elapsed.ShouldBeLessThan(Deadline, "the status sent after the unexpected message");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task AKnownKindWithArgumentsThatDoNotBind_FailsTheWaitAtOnce_NamingIt()
    {
        await using var page = await ConnectAsync();
        await Clients.All.SendCoreAsync(LiveMessages.Event, [new { seq = 1 }, "a second argument"]);

        var failure = await FailureAsync(page.WaitForAsync(p => p.Of(LiveMessages.Event).Count > 0, Deadline, "the event"));
        failure.Message.ShouldContain("'event' message whose arguments do not bind");
        page.Messages.ShouldBeEmpty("the client could not deliver it");
    }
}
