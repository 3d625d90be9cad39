using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Data.Sessions;
using OpenBfr.Web.Tests.Sessions;

namespace OpenBfr.Web.Tests.Exports;

/// <summary>
/// The session history export (GET …/export/sessions.csv) byte for byte: written by the shared
/// CsvTable since it stopped building its own rows, with the bytes it wrote before pinned here
/// (RFC 4180 quoting of commas, quotes and line breaks; text a spreadsheet would run as a formula
/// neutralised with an apostrophe; UTC times to the second; durations to 0.1 s).
/// </summary>
public sealed class SessionsCsvTests : IDisposable
{
    private readonly WebAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private static DateTimeOffset At(int day, int hour, int minute, int second, int ms)
        => new(2026, 3, day, hour, minute, second, ms, TimeSpan.Zero);

    /// <summary>A session as a node stores it: started, <paramref name="events"/> events appended, ended unless <paramref name="end"/> is null.</summary>
    private async Task<Guid> StoreAsync(Guid athlete, string protocol, bool simulated, DateTimeOffset start, DateTimeOffset? end, string? reason, params string[] events)
    {
        var log = _app.Services.GetRequiredService<SessionLog>();
        var id = Guid.NewGuid();
        await log.StartAsync(new SessionRecord { Id = id, AthleteId = athlete, ProtocolName = protocol, Simulated = simulated, StartedByUserId = "x", StartedAt = start, NodeId = "gone-node" });
        var seq = 0;
        await log.AppendAsync(id, events.Select(kind => new SessionEvent { Seq = ++seq, At = start.AddSeconds(seq), Kind = kind, Detail = kind }).ToList(), [], start.AddSeconds(seq + 1));
        if (end is { } at)
        {
            await log.EndAsync(id, at, reason!);
        }
        return id;
    }

    [Fact]
    public async Task SessionsCsv_QuotesNeutralisesAndFormatsEveryColumn_ByteForByte()
    {
        var (athlete, _) = await LiveSeed.AthleteAsync(_app);
        var plain = await StoreAsync(athlete, "Resistance, legs", simulated: true, At(2, 9, 0, 0, 400), At(2, 9, 12, 34, 560), "stopped", "set-start", "symptom");
        var formula = await StoreAsync(athlete, "=HYPERLINK(\"http://x\")", simulated: false, At(3, 10, 0, 0, 0), At(3, 10, 0, 5, 490), "-1+1", "set-start");
        var quoted = await StoreAsync(athlete, "Walk \"easy\"\r\nline 2", simulated: true, At(4, 11, 30, 0, 0), At(4, 11, 30, 0, 50), "@SUM(A1)");
        // Never ended, its node gone: interrupted, its duration up to the last heartbeat.
        var interrupted = await StoreAsync(athlete, "+plus", simulated: true, At(5, 8, 0, 0, 0), null, null, "set-start", "set-start", "set-start");
        var client = await _app.SignedInAsync("pt@t.org");

        using var response = await client.GetAsync($"/api/v1/athletes/{athlete}/export/sessions.csv");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var expected =
            "session_id,protocol,simulated,started_utc,ended_utc,state,end_reason,duration_s,events,symptom_reported\r\n"
            + $"{interrupted:N},'+plus,true,2026-03-05T08:00:00Z,,interrupted,,4,3,false\r\n"
            + $"{quoted:N},\"Walk \"\"easy\"\"\r\nline 2\",true,2026-03-04T11:30:00Z,2026-03-04T11:30:00Z,stopped,'@SUM(A1),0,0,false\r\n"
            + $"{formula:N},\"'=HYPERLINK(\"\"http://x\"\")\",false,2026-03-03T10:00:00Z,2026-03-03T10:00:05Z,stopped,'-1+1,5.5,1,false\r\n"
            + $"{plain:N},\"Resistance, legs\",true,2026-03-02T09:00:00Z,2026-03-02T09:12:34Z,stopped,stopped,754.2,2,true\r\n";
        Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).ShouldBe(expected);
    }
}
