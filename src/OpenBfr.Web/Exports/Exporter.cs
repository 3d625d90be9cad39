using OpenBfr.Formats.Csv;
using OpenBfr.Web.Sessions;

namespace OpenBfr.Web.Exports;

/// <summary>Exports of an athlete's records for the clinic's files.</summary>
public sealed class Exporter(SessionQueries sessions)
{
    /// <summary>The session history's columns, in order.</summary>
    public static IReadOnlyList<string> SessionsHeader { get; } =
        ["session_id", "protocol", "simulated", "started_utc", "ended_utc", "state", "end_reason", "duration_s", "events", "symptom_reported"];

    /// <summary>
    /// The session history as CSV, one row per session, written by <see cref="CsvTable"/> like every
    /// CSV the app writes (RFC 4180 quoting, CRLF, invariant numbers, ISO 8601 UTC times, text a
    /// spreadsheet would run as a formula neutralised).
    /// </summary>
    public async Task<string> SessionsCsvAsync(Guid athleteId, CancellationToken ct = default)
        => CsvTable.Write(SessionsHeader, (await sessions.ListAsync(athleteId, ct)).Select(s => (IReadOnlyList<object?>)
        [
            s.Id.ToString("N"), s.ProtocolName, s.Simulated, s.StartedAt.ToUniversalTime(), s.EndedAt?.ToUniversalTime(),
            // Already to 0.1 s (SessionQueries), so written as before ("0.#").
            s.State, s.EndReason, s.DurationSeconds, s.Events, s.SymptomReported,
        ]));
}
