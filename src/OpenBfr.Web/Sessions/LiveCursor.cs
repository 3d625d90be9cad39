using Microsoft.AspNetCore.SignalR;
using OpenBfr.Data.Sessions;

namespace OpenBfr.Web.Sessions;

/// <summary>
/// Where a page is in a session's log: the last event <see cref="SessionEvent.Seq"/> and the last
/// telemetry row id it has shown (0 when none). Watching from a cursor sends every row after it
/// and then the live rows, each stream in log order, once each.
/// </summary>
/// <param name="Seq">last event seq shown, ≥ 0.</param>
/// <param name="TelemetryId">last telemetry row id shown, ≥ 0.</param>
public sealed record LiveCursor(int Seq, long TelemetryId)
{
    /// <summary>Before the first row: watching from here sends the whole log.</summary>
    public static LiveCursor Start { get; } = new(0, 0);

    /// <summary>The cursor just past what a page was given: the highest seq and id among them (0 when none).</summary>
    public static LiveCursor After(IEnumerable<int> seqs, IEnumerable<long> telemetryIds)
        => new(seqs.DefaultIfEmpty(0).Max(), telemetryIds.DefaultIfEmpty(0).Max());
}

/// <summary>One telemetry row in a "samples" message; <see cref="Id"/> is the row id, the page's telemetry cursor.</summary>
public sealed record LiveSampleMessage(long Id, string Cuff, long T, double P, double Target);

/// <summary>One "event" message; <see cref="Seq"/> is the event's seq, the page's event cursor.</summary>
public sealed record LiveEventMessage(int Seq, string Kind, long At, string? Cuff, string? Detail);

/// <summary>
/// The live messages a page gets, in one shape whichever node sends them (<see cref="LiveSessions"/>
/// directly, <see cref="SessionFeedRelay"/> from the database), and the back-fill of a joining page.
/// </summary>
public static class LiveWire
{
    /// <summary>At most this many samples in one "samples" message of a back-fill.</summary>
    public const int BackfillBatch = 2000;

    public static List<LiveSampleMessage> Samples(IEnumerable<TelemetrySample> samples)
        => samples.Select(s => new LiveSampleMessage(s.Id, s.CuffId, s.At.ToUnixTimeMilliseconds(), s.PressureMmHg, s.TargetMmHg)).ToList();

    public static LiveEventMessage Event(SessionEvent e) => new(e.Seq, e.Kind, e.At.ToUnixTimeMilliseconds(), e.CuffId, e.Detail);

    /// <summary>
    /// Sends <paramref name="client"/> everything the log holds after <paramref name="from"/>: the
    /// telemetry in batches of <see cref="BackfillBatch"/>, then the events, each in log order.
    /// </summary>
    /// <returns>the cursor past what was sent.</returns>
    public static async Task<LiveCursor> BackfillAsync(SessionLog log, IClientProxy client, Guid sessionId, LiveCursor from, CancellationToken ct)
    {
        var telemetryId = from.TelemetryId;
        while (true)
        {
            var samples = await log.TelemetryAfterIdAsync(sessionId, telemetryId, BackfillBatch, ct);
            if (samples.Count > 0)
            {
                await client.SendAsync(LiveMessages.Samples, Samples(samples), ct);
                telemetryId = samples[^1].Id;
            }
            if (samples.Count < BackfillBatch)
            {
                break;
            }
        }
        var seq = from.Seq;
        foreach (var e in await log.EventsAfterAsync(sessionId, from.Seq, ct))
        {
            await client.SendAsync(LiveMessages.Event, Event(e), ct);
            seq = e.Seq;
        }
        return new LiveCursor(seq, telemetryId);
    }
}
