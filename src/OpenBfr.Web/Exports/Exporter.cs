using System.Globalization;
using System.Text;
using OpenBfr.Formats.Csv;
using OpenBfr.Web.Sessions;

namespace OpenBfr.Web.Exports;

/// <summary>Exports of an athlete's records for the clinic's files.</summary>
public sealed class Exporter(SessionQueries sessions)
{
    /// <summary>The session history as CSV (RFC 4180, text fields as <see cref="CsvTable.Field"/> writes them), one row per session.</summary>
    public async Task<string> SessionsCsvAsync(Guid athleteId, CancellationToken ct = default)
    {
        var sb = new StringBuilder("session_id,protocol,simulated,started_utc,ended_utc,state,end_reason,duration_s,events,symptom_reported\r\n");
        foreach (var s in await sessions.ListAsync(athleteId, ct))
        {
            sb.Append(string.Join(',',
                s.Id.ToString("N"), CsvTable.Field(s.ProtocolName), s.Simulated ? "true" : "false",
                s.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                s.EndedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "",
                s.State, CsvTable.Field(s.EndReason), s.DurationSeconds.ToString("0.#", CultureInfo.InvariantCulture),
                s.Events.ToString(CultureInfo.InvariantCulture), s.SymptomReported ? "true" : "false"));
            sb.Append("\r\n");
        }
        return sb.ToString();
    }

}
