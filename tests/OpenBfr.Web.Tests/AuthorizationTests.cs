using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Data;

namespace OpenBfr.Web.Tests;

/// <summary>
/// Every API endpoint and every page, for each role, for someone else's athlete, and with no
/// session. Expected codes: 401 anonymous on the API (302 to sign-in on pages), 403 wrong role
/// (302 to the access-denied page on pages), 404 someone else's athlete (not told apart from a
/// missing one), 2xx when allowed.
/// </summary>
public sealed class AuthorizationTests(AuthorizationWorld world) : IClassFixture<AuthorizationWorld>
{
    private const int Login = 3020; // page redirect to sign-in
    private const int Denied = 3021; // page redirect to access denied

    // method, path, body, then expected status for: Anonymous, Admin, ClinicianA, ClinicianB, AthleteX, AthleteY.
    public static readonly TheoryData<string, string, string?, int[]> Api = new()
    {
        { "GET", "/api/v1/me", null, [401, 200, 200, 200, 200, 200] },
        { "GET", "/api/v1/athletes", null, [401, 200, 200, 200, 200, 200] },
        { "POST", "/api/v1/athletes", """{"displayName":"New One","birthYear":1995,"sex":"male"}""", [401, 403, 201, 201, 403, 403] },
        { "GET", "/api/v1/athletes/{x}", null, [401, 404, 200, 404, 200, 404] },
        { "POST", "/api/v1/athletes/{x}/clinicians", """{"clinicianEmail":"clin-a@t.org"}""", [401, 403, 403, 403, 204, 404] },
        { "GET", "/api/v1/dashboard", null, [401, 403, 200, 200, 403, 403] },
        { "GET", "/api/v1/athletes/{x}/screening", null, [401, 404, 200, 404, 200, 404] },
        { "POST", "/api/v1/athletes/{x}/screening/clearance", """{"note":"Dr Who, 2026-11-01"}""", [401, 403, 400, 404, 403, 403] },
        { "GET", "/api/v1/athletes/{x}/lop", null, [401, 404, 200, 404, 200, 404] },
        { "POST", "/api/v1/athletes/{x}/lop", """{"limb":"right-leg","position":"seated","cuffWidthCm":11.5,"lopMmHg":205}""", [401, 404, 201, 404, 201, 404] },
        { "POST", "/api/v1/athletes/{x}/lop/estimate", """{"limb":"right-leg","position":"seated","cuffWidthCm":18,"thighCircumferenceCm":55,"systolicMmHg":120}""", [401, 404, 201, 404, 201, 404] },
        { "POST", "/api/v1/athletes/{x}/lop/automatic", """{"limb":"left-leg","position":"seated","simulatedTrueLopMmHg":200,"seed":3}""", [401, 404, 201, 404, 201, 404] },
        { "GET", "/api/v1/lop/doppler-protocol", null, [401, 200, 200, 200, 200, 200] },
        // LOP corrections: a linked clinician may; athlete X may not change a LOP clinician A recorded (403, saying why).
        { "GET", "/api/v1/athletes/{x}/lop/{lop2}", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/athletes/{y}/lop/{lop2}", null, [401, 404, 404, 404, 404, 404] },
        { "GET", "/api/v1/athletes/{x}/lop/{lop2}/revisions", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/athletes/{y}/lop/{lop2}/revisions", null, [401, 404, 404, 404, 404, 404] },
        { "PUT", "/api/v1/athletes/{x}/lop/{lop2}", """{"lopMmHg":205}""", [401, 404, 200, 404, 403, 404] },
        { "PUT", "/api/v1/athletes/{y}/lop/{lop2}", """{"lopMmHg":205}""", [401, 404, 404, 404, 404, 404] },
        // Run in persona order: A withdraws it first; the record stays, so X is told it is withdrawn (409), not that it is missing.
        { "DELETE", "/api/v1/athletes/{x}/lop/{lop3}", null, [401, 404, 200, 404, 409, 404] },
        { "GET", "/api/v1/athletes/{x}/prescriptions", null, [401, 404, 200, 404, 200, 404] },
        { "POST", "/api/v1/athletes/{x}/prescriptions", """{"lopId":"{lop}","modality":"aerobic","sessionsPerWeek":2}""", [401, 404, 201, 404, 201, 404] },
        { "GET", "/api/v1/athletes/{x}/prescriptions/{rx}/revisions", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/athletes/{y}/prescriptions/{rx}/revisions", null, [401, 404, 404, 404, 404, 404] },
        { "GET", "/api/v1/protocols", null, [401, 200, 200, 200, 200, 200] },
        { "GET", "/api/v1/athletes/{x}/sessions", null, [401, 404, 200, 404, 200, 404] },
        { "POST", "/api/v1/athletes/{x}/sessions", """{"prescriptionIds":[]}""", [401, 404, 400, 404, 400, 404] },
        { "GET", "/api/v1/sessions/{session}", null, [401, 404, 200, 404, 200, 404] },
        { "POST", "/api/v1/sessions/{session}/stop", null, [401, 404, 409, 404, 409, 404] },
        { "POST", "/api/v1/sessions/{session}/symptom", """{"kind":"numbness"}""", [401, 404, 409, 404, 409, 404] },
        { "GET", "/api/v1/sessions/{session}/commands/{command}", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/athletes/{x}/export/sessions.csv", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/admin/users", null, [401, 200, 403, 403, 403, 403] },
        { "POST", "/api/v1/admin/users/{userB}/lock", """{"locked":false}""", [401, 204, 403, 403, 403, 403] },
        { "POST", "/api/v1/admin/users/{userB}/approve", null, [401, 400, 403, 403, 403, 403] },
        { "GET", "/api/v1/athletes/{x}/activities", null, [401, 404, 200, 404, 200, 404] },
        { "POST", "/api/v1/athletes/{x}/activities?fileName=run.gpx", "not an activity file", [401, 404, 400, 404, 400, 404] },
        { "GET", "/api/v1/athletes/{x}/load", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/athletes/{x}/plan", null, [401, 404, 200, 404, 200, 404] },
        { "POST", "/api/v1/athletes/{x}/plan", """{"weeklyKm":40,"start":"{planStart}","weeks":4,"availableDays":["mon","tue","thu","sat","sun"],"keyWorkoutDays":["tue"],"longRunDay":"sun"}""", [401, 404, 201, 404, 201, 404] },
        { "GET", "/api/v1/athletes/{x}/plan/status", null, [401, 404, 200, 404, 200, 404] },
        { "POST", "/api/v1/athletes/{x}/plan/regenerate", null, [401, 404, 201, 404, 201, 404] },
        { "GET", "/api/v1/athletes/{x}/export/prescriptions/{rx}/workout.fit", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/athletes/{x}/export/calendar-url", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/athletes/{x}/strength-tests", null, [401, 404, 200, 404, 200, 404] },
        { "POST", "/api/v1/athletes/{x}/strength-tests", """{"exercise":"calf-raise","testedOn":"{testedOn}","results":[{"limb":"right-leg","involved":true,"loadKg":30,"reps":10},{"limb":"left-leg","loadKg":40,"reps":10}],"painScore":1}""", [401, 404, 201, 404, 201, 404] },
        // Corrections: who may record may correct; athlete X may not change a test clinician A recorded (403, saying why).
        { "PUT", "/api/v1/athletes/{x}/strength-tests/{test}", """{"exercise":"leg-press","testedOn":"{testedOn}","limb":"left-leg","loadKg":85,"reps":8}""", [401, 404, 200, 404, 403, 404] },
        { "PUT", "/api/v1/athletes/{y}/strength-tests/{test}", """{"exercise":"leg-press","testedOn":"{testedOn}","limb":"left-leg","loadKg":85,"reps":8}""", [401, 404, 404, 404, 404, 404] },
        // Run in persona order: A deletes it first, so X and Y find nothing left (X's 403 on A's test is the row above and CorrectionTests).
        { "DELETE", "/api/v1/athletes/{x}/strength-tests/{test2}", null, [401, 404, 204, 404, 404, 404] },
        // One test with its ETag, and its history (read like the tests; also once deleted: {test2} is deleted by the row above, before or after this one).
        { "GET", "/api/v1/athletes/{x}/strength-tests/{test}", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/athletes/{y}/strength-tests/{test}", null, [401, 404, 404, 404, 404, 404] },
        { "GET", "/api/v1/athletes/{x}/strength-tests/{test}/revisions", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/athletes/{x}/strength-tests/{test2}/revisions", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/athletes/{y}/strength-tests/{test}/revisions", null, [401, 404, 404, 404, 404, 404] },
        { "GET", "/api/v1/athletes/{x}/deleted-records", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/athletes/{x}/progress/strength", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/strength-exercises", null, [401, 200, 200, 200, 200, 200] },
        { "GET", "/api/v1/athletes/{x}/screening/clearances", null, [401, 404, 200, 404, 200, 404] },
        { "POST", "/api/v1/athletes/{x}/screening/clearances", """{"itemId":"diabetes","note":"Dr Who, HbA1c fine"}""", [401, 403, 400, 404, 403, 403] },
        { "GET", "/api/v1/athletes/{x}/screening/clearances/{clearance}", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/athletes/{x}/screening/clearances/{clearance}/revisions", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/athletes/{x}/screening/clearances/{clearance2}/revisions", null, [401, 404, 200, 404, 200, 404] },
        { "GET", "/api/v1/athletes/{y}/screening/clearances/{clearance}/revisions", null, [401, 404, 404, 404, 404, 404] },
        { "PUT", "/api/v1/athletes/{x}/screening/clearances/{clearance}", """{"note":"HbA1c 6.0%","clearedOn":"{recent}"}""", [401, 403, 200, 404, 403, 403] },
        { "DELETE", "/api/v1/athletes/{x}/screening/clearances/{clearance2}", null, [401, 403, 204, 404, 403, 403] },
        { "GET", "/api/v1/calendar/{token}.ics", null, [200, 200, 200, 200, 200, 200] },
        { "GET", "/api/v1/calendar/0000000000000000000000000000000000000000.ics", null, [404, 404, 404, 404, 404, 404] },
    };

    public static readonly TheoryData<string, int[]> Pages = new()
    {
        { "/", [200, 302, 302, 302, 302, 302] },
        { "/Account/Login", [200, 200, 200, 200, 200, 200] },
        { "/Account/Register", [200, 200, 200, 200, 200, 200] },
        { "/Setup", [302, 302, 302, 302, 302, 302] },
        { "/Clinician", [Login, Denied, 200, 200, Denied, Denied] },
        { "/Admin/Users", [Login, 200, Denied, Denied, Denied, Denied] },
        { "/Me", [Login, 200, 200, 200, 302, 302] },
        { "/Athletes/{x}", [Login, 404, 200, 404, 200, 404] },
        { "/Athletes/{x}/Screening", [Login, 404, 200, 404, 200, 404] },
        { "/Sessions/{session}", [Login, 404, 200, 404, 200, 404] },
        { "/Athletes/{x}/StrengthTests/{test}/Edit", [Login, 404, 200, 404, 200, 404] },
        { "/Athletes/{x}/StrengthTests/{test}/Delete", [Login, 404, 200, 404, 200, 404] },
        { "/Athletes/{y}/StrengthTests/{test}/Edit", [Login, 404, 404, 404, 404, 404] },
        { "/Athletes/{x}/Clearances/{clearance}", [Login, Denied, 200, 404, Denied, Denied] },
        { "/Athletes/{x}/StrengthTests/{test}/History", [Login, 404, 200, 404, 200, 404] },
        { "/Athletes/{x}/StrengthTests/{test2}/History", [Login, 404, 200, 404, 200, 404] },
        { "/Athletes/{y}/StrengthTests/{test}/History", [Login, 404, 404, 404, 404, 404] },
        { "/Athletes/{x}/Clearances/{clearance}/History", [Login, 404, 200, 404, 200, 404] },
        { "/Athletes/{y}/Clearances/{clearance}/History", [Login, 404, 404, 404, 404, 404] },
        { "/Athletes/{x}/Deleted", [Login, 404, 200, 404, 200, 404] },
        { "/Athletes/{x}/Lop/{lop2}/Edit", [Login, 404, 200, 404, 200, 404] },
        { "/Athletes/{x}/Lop/{lop2}/Withdraw", [Login, 404, 200, 404, 200, 404] },
        { "/Athletes/{x}/Lop/{lop2}/History", [Login, 404, 200, 404, 200, 404] },
        { "/Athletes/{y}/Lop/{lop2}/Edit", [Login, 404, 404, 404, 404, 404] },
        { "/Athletes/{x}/Prescriptions/{rx}/History", [Login, 404, 200, 404, 200, 404] },
        { "/Athletes/{y}/Prescriptions/{rx}/History", [Login, 404, 404, 404, 404, 404] },
        { "/healthz", [200, 200, 200, 200, 200, 200] },
        { "/Account/Pending", [Login, 302, 302, 302, 302, 302] },
    };

    [Theory]
    [MemberData(nameof(Api))]
    public async Task Api_EachPersona_GetsExpectedStatus(string method, string path, string? body, int[] expected)
    {
        var personas = Enum.GetValues<Persona>();
        var actual = new List<string>();
        foreach (var persona in personas)
        {
            using var response = await world.SendAsync(persona, method, path, body);
            actual.Add($"{persona}={(int)response.StatusCode}");
        }
        actual.ShouldBe(personas.Select((p, i) => $"{p}={expected[i]}").ToList(), $"{method} {path}");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_EachPersona_GetsExpectedStatus(string path, int[] expected)
    {
        var personas = Enum.GetValues<Persona>();
        var actual = new List<string>();
        foreach (var persona in personas)
        {
            using var response = await world.SendAsync(persona, "GET", path, null);
            var code = (int)response.StatusCode;
            if (code == 302 && response.Headers.Location?.OriginalString is { } to)
            {
                code = to.Contains("/Account/Login", StringComparison.Ordinal) ? Login : to.Contains("/Account/Denied", StringComparison.Ordinal) ? Denied : 302;
            }
            actual.Add($"{persona}={code}");
        }
        actual.ShouldBe(personas.Select((p, i) => $"{p}={expected[i]}").ToList(), path);
    }

    /// <summary>Nothing under /api/v1 escapes the matrix: a new endpoint must be added to it.</summary>
    [Fact]
    public void Api_EveryMappedEndpoint_IsInTheMatrix()
    {
        var mapped = world.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => $"{m} {Normalise(e.RoutePattern.RawText!)}"))
            .ToHashSet();
        var tested = Api.Select(row => $"{row[0]} {Normalise((string)row[1])}").ToHashSet();
        mapped.Except(tested).ShouldBeEmpty();
        mapped.Count.ShouldBeGreaterThan(20);
    }

    [Fact]
    public async Task Read_ByLinkedClinician_IsAudited_ButOwnReadIsNot()
    {
        await world.SendAsync(Persona.ClinicianA, "GET", "/api/v1/athletes/{x}/lop", null);
        await world.SendAsync(Persona.AthleteX, "GET", "/api/v1/athletes/{x}/lop", null);
        await world.SendAsync(Persona.ClinicianB, "GET", "/api/v1/athletes/{x}/lop", null);
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditLog.Where(e => e.AthleteId == world.AthleteX && (e.Action == "lop.read" || e.Action == "denied:lop.read")).ToListAsync();
        entries.ShouldContain(e => e.ActorUserId == world.UserIds[Persona.ClinicianA] && e.Action == "lop.read");
        entries.ShouldContain(e => e.ActorUserId == world.UserIds[Persona.ClinicianB] && e.Action == "denied:lop.read");
        entries.ShouldNotContain(e => e.ActorUserId == world.UserIds[Persona.AthleteX]);
    }

    /// <summary>A record's history is part of the record: a clinician's read is audited (ids only), the athlete's own is not, and a refused one is.</summary>
    [Fact]
    public async Task HistoryRead_ByLinkedClinician_IsAudited_ButOwnReadIsNot()
    {
        await world.SendAsync(Persona.ClinicianA, "GET", "/api/v1/athletes/{x}/strength-tests/{test}/revisions", null);
        await world.SendAsync(Persona.AthleteX, "GET", "/api/v1/athletes/{x}/strength-tests/{test}/revisions", null);
        await world.SendAsync(Persona.ClinicianB, "GET", "/api/v1/athletes/{x}/strength-tests/{test}/revisions", null);
        await world.SendAsync(Persona.ClinicianA, "GET", "/Athletes/{x}/Clearances/{clearance}/History", null);
        await world.SendAsync(Persona.AthleteX, "GET", "/Athletes/{x}/Clearances/{clearance}/History", null);
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditLog.Where(e => e.AthleteId == world.AthleteX && e.Action.Contains("revisions.read")).ToListAsync();
        entries.ShouldContain(e => e.ActorUserId == world.UserIds[Persona.ClinicianA] && e.Action == "strength.revisions.read");
        entries.ShouldContain(e => e.ActorUserId == world.UserIds[Persona.ClinicianA] && e.Action == "clearance.revisions.read");
        entries.ShouldContain(e => e.ActorUserId == world.UserIds[Persona.ClinicianB] && e.Action == "denied:strength.revisions.read");
        entries.ShouldNotContain(e => e.ActorUserId == world.UserIds[Persona.AthleteX]);
        entries.ShouldAllBe(e => e.Detail == null); // ids only, no values
    }

    [Fact]
    public async Task Logs_AfterRequestsOnARecord_HoldNoAthleteName()
    {
        await world.SendAsync(Persona.ClinicianA, "GET", "/Athletes/{x}", null);
        await world.SendAsync(Persona.ClinicianA, "GET", "/api/v1/athletes/{x}", null);
        await world.SendAsync(Persona.ClinicianB, "GET", "/api/v1/athletes/{x}", null);
        world.App.Logs.ShouldNotBeEmpty();
        world.App.Logs.ShouldNotContain(line => line.Contains("Secretname", StringComparison.Ordinal));
    }

    private static string Normalise(string pattern)
        => System.Text.RegularExpressions.Regex.Replace(pattern.Split('?')[0].TrimEnd('/'), @"\{[^}]+\}", "{}");
}
