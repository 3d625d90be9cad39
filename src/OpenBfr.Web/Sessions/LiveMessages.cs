namespace OpenBfr.Web.Sessions;

/// <summary>
/// What the session hub sends a live page (the client contract): every server-to-page message is
/// one of these, with one argument. A new kind is added here first, so the test client (which
/// listens for <see cref="All"/>) and the page (which gets <see cref="ByName"/> rendered into it)
/// learn of it.
/// </summary>
public static class LiveMessages
{
    /// <summary>Telemetry rows: a list of <see cref="LiveSampleMessage"/>.</summary>
    public const string Samples = "samples";

    /// <summary>One session event: a <see cref="LiveEventMessage"/>.</summary>
    public const string Event = "event";

    /// <summary>The session's status and each cuff's latest pressure: { status, latest }.</summary>
    public const string Status = "status";

    /// <summary>The session is over: { reason, message }; nothing follows for that session.</summary>
    public const string Ended = "ended";

    /// <summary>Every kind, in the order a page first meets them.</summary>
    public static IReadOnlyList<string> All { get; } = [Samples, Event, Status, Ended];

    /// <summary>
    /// Every kind by its name here (<c>"Samples"</c> → <c>"samples"</c>): the live page renders this
    /// into itself and live.js listens by these keys, so the names are written once, here.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ByName { get; } = new Dictionary<string, string>
    {
        [nameof(Samples)] = Samples,
        [nameof(Event)] = Event,
        [nameof(Status)] = Status,
        [nameof(Ended)] = Ended,
    };
}
