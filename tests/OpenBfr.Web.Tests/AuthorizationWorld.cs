using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Core.Limbs;
using OpenBfr.Data.Sessions;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Lop;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Tests;

/// <summary>Who asks.</summary>
public enum Persona
{
    Anonymous,
    Admin,
    /// <summary>The clinician linked to athlete X.</summary>
    ClinicianA,
    /// <summary>A clinician not linked to X.</summary>
    ClinicianB,
    /// <summary>Athlete X, owner of the record.</summary>
    AthleteX,
    /// <summary>Another athlete.</summary>
    AthleteY,
}

/// <summary>
/// One app with: an admin, clinician A linked to athlete X (an account), clinician B, athlete Y;
/// X has an eligible screening, a LOP, a prescription and a finished session.
/// </summary>
public sealed class AuthorizationWorld : IAsyncLifetime
{
    public WebAppFactory App { get; } = new();

    public Dictionary<Persona, HttpClient> Clients { get; } = [];

    public Dictionary<Persona, string> UserIds { get; } = [];

    public Guid AthleteX { get; private set; }

    public Guid AthleteY { get; private set; }

    public Guid LopX { get; private set; }

    public Guid PrescriptionX { get; private set; }

    /// <summary>A LOP of X's recorded by clinician A (corrected by the matrix).</summary>
    public Guid LopX2 { get; private set; }

    /// <summary>Another one (withdrawn by the matrix).</summary>
    public Guid LopX3 { get; private set; }

    public Guid SessionX { get; private set; }

    /// <summary>A strength test of X's recorded by clinician A (corrected by the matrix).</summary>
    public Guid TestX { get; private set; }

    /// <summary>Another one (deleted by the matrix).</summary>
    public Guid TestX2 { get; private set; }

    /// <summary>A clearance of X's signed by clinician A (corrected by the matrix).</summary>
    public Guid ClearanceX { get; private set; }

    /// <summary>Another one (revoked by the matrix).</summary>
    public Guid ClearanceX2 { get; private set; }

    /// <summary>A stop relayed for X's session (never applied: its node is gone).</summary>
    public long CommandX { get; private set; }

    public async Task InitializeAsync()
    {
        Clients[Persona.Anonymous] = App.Anonymous();
        var admin = await App.CreateUserAsync("admin@t.org", Roles.Admin);
        var a = await App.CreateUserAsync("clin-a@t.org", Roles.Clinician);
        var b = await App.CreateUserAsync("clin-b@t.org", Roles.Clinician);
        var x = await App.CreateUserAsync("ath-x@t.org", Roles.Athlete);
        var y = await App.CreateUserAsync("ath-y@t.org", Roles.Athlete);
        UserIds[Persona.Admin] = admin.Id;
        UserIds[Persona.ClinicianA] = a.Id;
        UserIds[Persona.ClinicianB] = b.Id;
        UserIds[Persona.AthleteX] = x.Id;
        UserIds[Persona.AthleteY] = y.Id;

        var sp = App.Services;
        var directory = sp.GetRequiredService<AthleteDirectory>();
        var ax = await directory.CreateForAccountAsync(x.Id, new NewAthlete("Xena Secretname", 1988, "female", null));
        var ay = await directory.CreateForAccountAsync(y.Id, new NewAthlete("Yuri Othername", 1979, "male", null));
        AthleteX = ax.Id;
        CalendarTokenX = ax.CalendarToken;
        AthleteY = ay.Id;
        await directory.LinkClinicianAsync(new Viewer(x.Id, false, false, true), ax.Id, a.Id);
        var clinician = new Viewer(a.Id, false, true, false);
        var eligible = LimbExtensions.All.ToDictionary(l => l, _ => new LimbOutcome(ScreeningOutcomes.Eligible, []));
        await sp.GetRequiredService<ScreeningService>().SaveAsync(clinician, ax.Id, new Dictionary<string, string>(), eligible);
        var lop = await sp.GetRequiredService<LopService>().RecordAsync(clinician, ax, new RecordLopRequest("left-leg", "standing", 11.5, 200));
        LopX = lop.Id;
        PrescriptionX = (await sp.GetRequiredService<PrescriptionService>().CreateAsync(clinician, ax, new CreatePrescriptionRequest(lop.Id, "resistance"))).Id;
        LopX2 = (await sp.GetRequiredService<LopService>().RecordAsync(clinician, ax, new RecordLopRequest("right-leg", "standing", 11.5, 210))).Id;
        LopX3 = (await sp.GetRequiredService<LopService>().RecordAsync(clinician, ax, new RecordLopRequest("right-arm", "seated", 11.5, 150))).Id;
        await sp.GetRequiredService<OpenBfr.Web.Training.TrainingService>().CreatePlanAsync(clinician, ax,
            new OpenBfr.Web.Training.PlanRequestForm(40, RecentDates.Moved(new DateOnly(2026, 12, 7)), 4, ["mon", "tue", "thu", "sat", "sun"], ["tue"], "sun", null, null, null, null, null));
        var log = sp.GetRequiredService<SessionLog>();
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
        var session = new SessionRecord { Id = Guid.NewGuid(), AthleteId = ax.Id, ProtocolName = "strength-lower", Simulated = true, StartedByUserId = a.Id, StartedAt = now.AddMinutes(-30) };
        await log.StartAsync(session);
        await log.AppendAsync(session.Id, [new SessionEvent { Seq = 1, At = session.StartedAt, Kind = "start" }], [new TelemetrySample { CuffId = "left-leg", At = session.StartedAt, PressureMmHg = 10, TargetMmHg = 140 }], session.StartedAt);
        await log.EndAsync(session.Id, now.AddMinutes(-10), SessionEndReasons.Completed);
        SessionX = session.Id;
        var command = await sp.GetRequiredService<SessionCommandQueue>().EnqueueAsync(new SessionCommand
        {
            SessionId = session.Id, TargetNodeId = "node-gone", Kind = SessionCommandKinds.Stop, RequestedByUserId = a.Id, RequestedOnNodeId = "node-here", RequestedAt = now.AddMinutes(-11),
        });
        CommandX = command.Id;
        // Two strength tests and two clearances recorded by clinician A (one of each to correct, one to delete).
        var strength = sp.GetRequiredService<OpenBfr.Web.Strength.StrengthService>();
        TestX = (await strength.RecordAsync(clinician, ax, new OpenBfr.Web.Strength.RecordStrengthTestRequest("leg-press", [new("left-leg", false, 80, 8)], RecentDates.Moved(new DateOnly(2026, 11, 2))))).Single().Id;
        TestX2 = (await strength.RecordAsync(clinician, ax, new OpenBfr.Web.Strength.RecordStrengthTestRequest("leg-press", [new("right-leg", false, 82, 8)], RecentDates.Moved(new DateOnly(2026, 11, 3))))).Single().Id;
        await using (var db = await sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<OpenBfr.Data.OpenBfrDbContext>>().CreateDbContextAsync())
        {
            var screeningId = (await sp.GetRequiredService<ScreeningService>().LatestAsync(ax.Id))!.Id;
            foreach (var item in new[] { "diabetes", "varicose-veins" })
            {
                var c = new OpenBfr.Data.Screening.ScreeningClearanceRecord
                {
                    Id = Guid.NewGuid(), AthleteId = ax.Id, ScreeningId = screeningId, ItemId = item, ClinicianUserId = a.Id, ClinicianName = "clin-a",
                    ClearedOn = RecentDates.DaysAgo(23), RecordedAt = now, Note = "cleared",
                };
                db.ScreeningClearances.Add(c);
                if (item == "diabetes") ClearanceX = c.Id; else ClearanceX2 = c.Id;
            }
            await db.SaveChangesAsync();
        }

        Clients[Persona.Admin] = await App.SignedInAsync("admin@t.org");
        Clients[Persona.ClinicianA] = await App.SignedInAsync("clin-a@t.org");
        Clients[Persona.ClinicianB] = await App.SignedInAsync("clin-b@t.org");
        Clients[Persona.AthleteX] = await App.SignedInAsync("ath-x@t.org");
        Clients[Persona.AthleteY] = await App.SignedInAsync("ath-y@t.org");
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// A day a few days before today on the app's (real) clock: clearances are dated from it, because
    /// one dated 12 months back or more no longer counts (PAR-Q+), so a fixed date would expire a year on.
    /// </summary>
    public static DateOnly Recent => RecentDates.DaysAgo(3);

    /// <summary>
    /// Fills {x}, {y}, {lop}, {lop2}, {lop3}, {rx}, {session}, {test}, {test2}, {clearance}, {clearance2}, {userB}, {recent} (<see cref="Recent"/>),
    /// {planStart} and {testedOn} (a plan's first day and a strength test's day, <see cref="RecentDates.Moved(string)"/>) in a path or body.
    /// </summary>
    public string Fill(string template) => template
        .Replace("{recent}", Recent.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{planStart}", RecentDates.Moved("2026-12-07"), StringComparison.Ordinal)
        .Replace("{testedOn}", RecentDates.Moved("2026-11-02"), StringComparison.Ordinal)
        .Replace("{x}", AthleteX.ToString(), StringComparison.Ordinal)
        .Replace("{y}", AthleteY.ToString(), StringComparison.Ordinal)
        .Replace("{lop}", LopX.ToString(), StringComparison.Ordinal)
        .Replace("{lop2}", LopX2.ToString(), StringComparison.Ordinal)
        .Replace("{lop3}", LopX3.ToString(), StringComparison.Ordinal)
        .Replace("{rx}", PrescriptionX.ToString(), StringComparison.Ordinal)
        .Replace("{session}", SessionX.ToString(), StringComparison.Ordinal)
        .Replace("{test}", TestX.ToString(), StringComparison.Ordinal)
        .Replace("{test2}", TestX2.ToString(), StringComparison.Ordinal)
        .Replace("{clearance}", ClearanceX.ToString(), StringComparison.Ordinal)
        .Replace("{clearance2}", ClearanceX2.ToString(), StringComparison.Ordinal)
        .Replace("{command}", CommandX.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{userB}", UserIds[Persona.ClinicianB], StringComparison.Ordinal)
        .Replace("{token}", CalendarTokenX, StringComparison.Ordinal);

    public string CalendarTokenX { get; private set; } = "";

    public async Task<HttpResponseMessage> SendAsync(Persona persona, string method, string path, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        if (body is not null)
        {
            request.Content = new StringContent(Fill(body), System.Text.Encoding.UTF8, "application/json");
        }
        return await Clients[persona].SendAsync(request);
    }
}
