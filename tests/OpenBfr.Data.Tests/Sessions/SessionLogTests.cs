using OpenBfr.Data.Athletes;
using OpenBfr.Data.Schema;
using OpenBfr.Data.Sessions;

namespace OpenBfr.Data.Tests.Sessions;

public sealed class SessionLogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 18, 0, 0, TimeSpan.Zero);

    /// <summary>Each append is committed on its own: after the writer is gone (a crash), a new reader finds all of it.</summary>
    [Theory]
    [MemberData(nameof(ScratchDatabase.Providers), MemberType = typeof(ScratchDatabase))]
    public async Task AppendAsync_WriterGoneWithoutEnding_EverythingAppendedIsReadBackAndSessionIsInterrupted(string provider)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        await SchemaMigrator.MigrateAsync(db.Settings);
        var athleteId = await AddAthleteAsync(db);
        var session = new SessionRecord { Id = Guid.NewGuid(), AthleteId = athleteId, ProtocolName = "strength-lower", Simulated = true, StartedByUserId = "u", StartedAt = T0, NodeId = "node-a" };
        var seq = 0;
        var log = new SessionLog(db.Factory());
        await log.StartAsync(session);
        for (var tick = 1; tick <= 30; tick++)
        {
            var at = T0 + TimeSpan.FromMilliseconds(250 * tick);
            var events = tick % 10 == 0 ? new List<SessionEvent> { new() { Seq = ++seq, At = at, Kind = "set-start", Detail = $"set {tick / 10}" } } : [];
            var samples = new List<TelemetrySample>
            {
                new() { CuffId = "left-leg", At = at, PressureMmHg = 100 + tick, TargetMmHg = 140 },
                new() { CuffId = "right-leg", At = at, PressureMmHg = 101 + tick, TargetMmHg = 141 },
            };
            await log.AppendAsync(session.Id, events, samples, at);
        }

        // A different reader, as after a restart.
        var reader = new SessionLog(db.Factory());
        var readEvents = await reader.EventsAsync(session.Id);
        readEvents.Select(e => e.Seq).ShouldBe([1, 2, 3]);
        var telemetry = await reader.TelemetryAsync(session.Id);
        telemetry.Count.ShouldBe(60);
        telemetry.Where(t => t.CuffId == "left-leg").Select(t => t.PressureMmHg).ShouldBe(Enumerable.Range(1, 30).Select(i => 100.0 + i));
        telemetry[^1].At.ShouldBe(T0 + TimeSpan.FromMilliseconds(7500));
        (await reader.TelemetryAsync(session.Id, after: T0 + TimeSpan.FromSeconds(7))).Count.ShouldBe(4);

        await using var ctx = db.Context();
        var stored = ctx.Sessions.Single(s => s.Id == session.Id);
        stored.LastHeartbeatAt.ShouldBe(T0 + TimeSpan.FromMilliseconds(7500));
        stored.EndedAt.ShouldBeNull();
        var restartedAt = T0 + TimeSpan.FromSeconds(9);
        stored.StateAt(restartedAt, runningInThisProcess: false, processStartedAt: restartedAt).ShouldBe(SessionState.Interrupted);
    }

    [Theory]
    [MemberData(nameof(ScratchDatabase.Providers), MemberType = typeof(ScratchDatabase))]
    public async Task EndAsync_CalledTwice_KeepsTheFirstReason(string provider)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        await SchemaMigrator.MigrateAsync(db.Settings);
        var athleteId = await AddAthleteAsync(db);
        var log = new SessionLog(db.Factory());
        var session = new SessionRecord { Id = Guid.NewGuid(), AthleteId = athleteId, ProtocolName = "aerobic-walk", StartedByUserId = "u", StartedAt = T0 };
        await log.StartAsync(session);
        (await log.EndAsync(session.Id, T0.AddMinutes(3), SessionEndReasons.Symptom)).ShouldBeTrue();
        (await log.EndAsync(session.Id, T0.AddMinutes(4), SessionEndReasons.Completed)).ShouldBeFalse();
        await using var ctx = db.Context();
        var stored = ctx.Sessions.Single();
        stored.EndReason.ShouldBe(SessionEndReasons.Symptom);
        stored.EndedAt.ShouldBe(T0.AddMinutes(3));
        stored.StateAt(T0.AddHours(1), false, T0).ShouldBe(SessionState.Stopped);
    }

    private static async Task<Guid> AddAthleteAsync(ScratchDatabase db)
    {
        await using var ctx = db.Context();
        var a = new Athlete { Id = Guid.NewGuid(), DisplayName = "A", CreatedAt = T0, CalendarToken = Guid.NewGuid().ToString("N") };
        ctx.Athletes.Add(a);
        await ctx.SaveChangesAsync();
        return a.Id;
    }
}

public sealed class SessionStatusRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 18, 0, 0, TimeSpan.Zero);

    private static SessionRecord Session(DateTimeOffset heartbeat, DateTimeOffset? ended = null, string? reason = null)
        => new() { StartedAt = Now.AddMinutes(-20), LastHeartbeatAt = heartbeat, EndedAt = ended, EndReason = reason };

    [Fact]
    public void State_EndedCompleted_IsCompleted()
        => Session(Now, Now, SessionEndReasons.Completed).StateAt(Now, false, Now.AddHours(-1)).ShouldBe(SessionState.Completed);

    [Fact]
    public void State_EndedByFault_IsStopped()
        => Session(Now, Now, SessionEndReasons.Fault).StateAt(Now, false, Now.AddHours(-1)).ShouldBe(SessionState.Stopped);

    [Fact]
    public void State_RunningHere_IsRunningEvenWithOldHeartbeat()
        => Session(Now.AddMinutes(-5)).StateAt(Now, true, Now.AddHours(-1)).ShouldBe(SessionState.Running);

    [Fact]
    public void State_FreshHeartbeatFromAnotherNode_IsRunning()
        => Session(Now.AddSeconds(-2)).StateAt(Now, false, Now.AddHours(-1)).ShouldBe(SessionState.Running);

    [Fact]
    public void State_HeartbeatStale_IsInterrupted()
        => Session(Now - SessionStatusRules.HeartbeatStaleAfter - TimeSpan.FromSeconds(1)).StateAt(Now, false, Now.AddHours(-1)).ShouldBe(SessionState.Interrupted);

    [Fact]
    public void State_HeartbeatFreshButFromBeforeThisProcessStarted_IsInterrupted()
        => Session(Now.AddSeconds(-3)).StateAt(Now, false, Now.AddSeconds(-1)).ShouldBe(SessionState.Interrupted);
}
