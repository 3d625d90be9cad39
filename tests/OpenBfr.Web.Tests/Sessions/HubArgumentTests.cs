using Microsoft.AspNetCore.SignalR;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Tests.Sessions;

/// <summary>A signed-in clinician's hub connection to one in-memory node.</summary>
public sealed class HubArgumentWorld : IAsyncLifetime
{
    public WebAppFactory App { get; } = new();

    public async Task InitializeAsync()
    {
        await App.CreateUserAsync("admin@t.org", Roles.Admin);
        await App.CreateUserAsync("pt@t.org", Roles.Clinician);
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// A hub call whose arguments do not bind (a string for a session id, null, one missing, one too
/// many, a fraction for a whole number) was answered only "Failed to invoke 'Watch' due to an error
/// on the server.": SignalR binds before any hub code runs. Now the answer goes on to name the method,
/// the argument, the value and what is allowed (SignalR's own first sentence stays), and the
/// connection stays open for the next call.
/// </summary>
public sealed class HubArgumentTests(HubArgumentWorld world) : IClassFixture<HubArgumentWorld>
{
    private const string AnId = "an id like \"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"";

    /// <summary>Stands for a new session id in the arguments below.</summary>
    private const string Id = "$id";

    [Theory]
    [InlineData("Watch", new object?[] { "abc" }, "Watch(sessionId): sessionId must be " + AnId + ", was \"abc\"")]
    [InlineData("Watch", new object?[] { null }, "Watch(sessionId): sessionId must be " + AnId + ", was null")]
    [InlineData("Watch", new object?[] { 42 }, "Watch(sessionId): sessionId must be " + AnId + ", was 42")]
    [InlineData("Watch", new object?[0], "Watch(sessionId): sessionId is required (" + AnId + ")")]
    [InlineData("Watch", new object?[] { Id, 5 }, "Watch(sessionId) takes 1 argument, was given 2")]
    [InlineData("Stop", new object?[] { "" }, "Stop(sessionId): sessionId must be " + AnId + ", was \"\"")]
    [InlineData("WatchFrom", new object?[] { Id, "x", 0 }, "WatchFrom(sessionId, afterSeq, afterTelemetryId): afterSeq must be a whole number (up to 2147483647), was \"x\"")]
    [InlineData("WatchFrom", new object?[] { Id, 0, 1.5 }, "WatchFrom(sessionId, afterSeq, afterTelemetryId): afterTelemetryId must be a whole number, was 1.5")]
    [InlineData("WatchFrom", new object?[] { Id, 0 }, "WatchFrom(sessionId, afterSeq, afterTelemetryId): afterTelemetryId is required (a whole number)")]
    [InlineData("Symptom", new object?[] { Id, "pain", "7" }, "Symptom(sessionId, kind, pain): pain must be a whole number (up to 2147483647) or null, was \"7\"")]
    [InlineData("Symptom", new object?[] { Id, 5, 3 }, "Symptom(sessionId, kind, pain): kind must be text in quotes, was 5")]
    public async Task HubMethod_ArgumentThatDoesNotBind_IsRefusedNamingMethodArgumentValueAndAllowed(string method, object?[] arguments, string message)
    {
        await using var hub = await TestHubClient.ConnectAsync(world.App, "pt@t.org");
        var sent = arguments.Select(a => a is Id ? (object)Guid.NewGuid() : a).ToArray();

        var refused = await Should.ThrowAsync<HubException>(() => hub.InvokeAsync(method, sent));

        refused.Message.ShouldBe($"Failed to invoke '{method}' due to an error on the server. HubException: {message}");
        // The connection is still open: the next call reaches the hub (and is refused there, the session being unknown).
        (await Should.ThrowAsync<HubException>(() => hub.InvokeAsync("Watch", Guid.NewGuid()))).Message.ShouldEndWith("HubException: not found");
    }

    // A kind with a control character or of any length was echoed back as sent.
    [Fact]
    public async Task Symptom_KindWithAControlCharacter_IsRefusedShowingItEscaped()
    {
        await using var hub = await TestHubClient.ConnectAsync(world.App, "pt@t.org");

        var refused = await Should.ThrowAsync<HubException>(() => hub.InvokeAsync("Symptom", Guid.NewGuid(), "pain\u0000" + new string('x', 100), 5));

        refused.Message.ShouldEndWith("HubException: kind must be one of pain, numbness, tingling, dizziness, skin-colour-change; was 'pain\\u0000" + new string('x', 50) + "… (105 characters)'");
    }
}
