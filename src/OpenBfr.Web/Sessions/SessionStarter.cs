using Microsoft.EntityFrameworkCore;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Data;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Prescriptions;
using OpenBfr.Data.Schema;
using OpenBfr.Data.Sessions;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Sessions;

/// <summary>Start a simulated guided session from one or two current prescriptions of one protocol (e.g. both thighs).</summary>
public sealed record StartSessionRequest(IReadOnlyList<Guid> PrescriptionIds);

/// <summary>Checks everything a session needs (screening, clearance, a usable LOP), then starts it on simulated cuffs.</summary>
public sealed class SessionStarter(IDbContextFactory<OpenBfrDbContext> contexts, DatabaseSettings settings, PrescriptionService prescriptions, ScreeningService screening,
    LiveSessions live, TimeProvider time)
{
    /// <exception cref="InputException">no or unknown prescriptions, screening or clearance missing, LOP no longer usable, or protocols that differ.</exception>
    /// <exception cref="ConflictException">the athlete already has a live session.</exception>
    public async Task<Guid> StartAsync(Viewer viewer, Athlete athlete, StartSessionRequest input, CancellationToken ct = default)
    {
        // Left out, it was refused as "was 0", as if an empty list had been sent.
        var ids = (input.PrescriptionIds ?? throw new InputException("prescriptionIds", "prescriptionIds is required: 1–2 current prescriptions (one per cuff)")).Distinct().ToList();
        if (ids.Count is < 1 or > 2)
        {
            throw new InputException("prescriptionIds", $"prescriptionIds must name 1–2 current prescriptions (one per cuff), was {ids.Count}");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var records = await db.Prescriptions.AsNoTracking().Where(p => ids.Contains(p.Id) && p.AthleteId == athlete.Id && p.RetiredAt == null).ToListAsync(ct);
        if (records.Count != ids.Count)
        {
            // A prescription retired because its LOP was withdrawn or corrected out of use says so (naming the LOP and what to do).
            throw new InputException("prescriptionIds", await prescriptions.RetiredReasonAsync(athlete.Id, ids, ct) ?? "prescriptionIds must be this athlete's current prescriptions");
        }
        var computed = new List<Prescription>();
        foreach (var r in records)
        {
            var gate = await screening.GateAsync(athlete.Id, r.Limb, ct);
            if (gate.SessionRefusal is { } refusal)
            {
                throw new InputException("screening", refusal);
            }
            computed.Add(await prescriptions.RecomputeAsync(r, ct));
        }
        // One live session per athlete: the check and the header's insert are one step, on this
        // node (a semaphore) and, on PostgreSQL, across the nodes sharing it (an advisory lock
        // per athlete held on its own connection).
        await _startLock.WaitAsync(ct);
        try
        {
            await using var across = await AcrossNodesLockAsync(athlete.Id, ct);
            await RefuseSecondLiveSessionAsync(db, athlete.Id, ct);
            return await StartRunAsync(viewer, athlete, records, computed, ct);
        }
        finally
        {
            _startLock.Release();
        }
    }

    /// <summary>First key of the two-key advisory locks OpenBFR takes per athlete ("BF" for BFR).</summary>
    private const int AdvisoryLockSpace = 0x0BF2;

    /// <summary>On PostgreSQL, holds pg_advisory_lock(space, athlete) until disposed; nothing on SQLite (one node).</summary>
    private async Task<IAsyncDisposable?> AcrossNodesLockAsync(Guid athleteId, CancellationToken ct)
    {
        if (settings.Provider != DatabaseProvider.Postgres)
        {
            return null;
        }
        var connection = settings.CreateConnection();
        await connection.OpenAsync(ct);
        var key = athleteId.GetHashCode();
        await using (var take = connection.CreateCommand())
        {
            take.CommandText = $"SELECT pg_advisory_lock({AdvisoryLockSpace}, {key})";
            await take.ExecuteNonQueryAsync(ct);
        }
        return new AdvisoryLock(connection, key);
    }

    private sealed class AdvisoryLock(System.Data.Common.DbConnection connection, int key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var release = connection.CreateCommand())
            {
                release.CommandText = $"SELECT pg_advisory_unlock({AdvisoryLockSpace}, {key})";
                await release.ExecuteNonQueryAsync();
            }
            await connection.DisposeAsync();
        }
    }

    private readonly SemaphoreSlim _startLock = new(1, 1);

    /// <exception cref="ConflictException">the athlete has a session running (on this node or, by its heartbeat, on another).</exception>
    private async Task RefuseSecondLiveSessionAsync(OpenBfrDbContext db, Guid athleteId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var open = await db.Sessions.AsNoTracking().Where(s => s.AthleteId == athleteId && s.EndedAt == null).ToListAsync(ct);
        if (open.FirstOrDefault(s => s.StateAt(now, live.IsRunningHere(s.Id), live.ProcessStartedAt) == SessionState.Running) is { } running)
        {
            throw new ConflictException("A live session is already running",
                $"this athlete already has a live session (started {running.StartedAt:yyyy-MM-dd HH:mm:ss} UTC); stop it before starting another",
                new Dictionary<string, object?> { ["sessionId"] = running.Id, ["session"] = $"/Sessions/{running.Id}" });
        }
    }

    private async Task<Guid> StartRunAsync(Viewer viewer, Athlete athlete, List<PrescriptionRecord> records, List<Prescription> computed, CancellationToken ct)
    {
        var sessionId = Guid.NewGuid();
        var buffer = new LiveBuffer();
        SimulatedRun run;
        try
        {
            run = new SimulatedRun(computed, time, buffer, seed: sessionId.GetHashCode() & 0x7fff);
        }
        catch (ArgumentException e)
        {
            throw new InputException("prescriptionIds", e.Message.Split(" (Parameter", 2)[0]);
        }
        var header = new SessionRecord
        {
            Id = sessionId,
            AthleteId = athlete.Id,
            PrescriptionId = records[0].Id,
            ProtocolName = computed[0].Protocol.Name,
            Simulated = true,
            StartedByUserId = viewer.UserId,
            StartedAt = time.GetUtcNow(),
        };
        await live.StartAsync(header, run, buffer, ct);
        return sessionId;
    }
}
