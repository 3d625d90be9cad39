using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Tests;

public sealed class AccountAndApiTests : IDisposable
{
    private readonly WebAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task FirstRun_NoAdmin_EveryPageLeadsToSetupUntilAnAdminExists()
    {
        var client = _app.Anonymous();
        var response = await client.GetAsync("/Account/Login");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/Setup");

        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Setup");
        var created = await client.PostAsync("/Setup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "First Admin", ["Input.Email"] = "first@t.org", ["Input.Password"] = WebAppFactory.Password, ["__RequestVerificationToken"] = token,
        }));
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        created.Headers.Location!.OriginalString.ShouldBe("/Admin/Users");
        (await _app.Anonymous().GetAsync("/Setup")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await _app.Anonymous().GetAsync("/Account/Login")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheAccountEvenForTheRightOne()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        await _app.CreateUserAsync("victim@t.org", Roles.Athlete);
        var client = _app.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await WebAppFactory.PostLoginAsync(client, "victim@t.org", "wrong-password-9");
            wrong.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var right = await WebAppFactory.PostLoginAsync(client, "victim@t.org", WebAppFactory.Password);
        right.StatusCode.ShouldBe(HttpStatusCode.OK, "a locked account must not sign in");
        (await right.Content.ReadAsStringAsync()).ShouldContain("locked");
    }

    [Fact]
    public async Task SignIn_PostWithoutAntiforgeryToken_IsRejected()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        await _app.CreateUserAsync("someone@t.org", Roles.Athlete);
        var response = await _app.Anonymous().PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "someone@t.org", ["Password"] = WebAppFactory.Password,
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RecordLop_OutOfRange_ProblemDetailsNameTheFieldAndTheAllowedRange()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        var (client, athleteId) = await ClinicianWithAthleteAsync();
        var response = await client.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/lop", new { limb = "left-leg", position = "seated", cuffWidthCm = 11.5, lopMmHg = 450 });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("lopMmHg")[0].GetString().ShouldBe("lopMmHg must be 50–400 mmHg, was 450");

        var limb = await client.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/lop", new { limb = "tail", position = "seated", cuffWidthCm = 11.5, lopMmHg = 200 });
        (await limb.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("limb")[0].GetString()!.ShouldContain("left-leg, right-leg, left-arm, right-arm");
    }

    [Fact]
    public async Task EstimateLop_ArmCuff_IsRefusedNamingTheReason()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        var (client, athleteId) = await ClinicianWithAthleteAsync();
        var response = await client.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/lop/estimate", new { limb = "left-arm", position = "seated", cuffWidthCm = 18, thighCircumferenceCm = 55, systolicMmHg = 120 });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("limb")[0].GetString()!.ShouldContain("only be estimated for the thigh", customMessage: "refused under the field the request names, limb");
    }

    /// <summary>Rev Bras Med Esporte 2019;25(6):494: 65.290 + 1.110·55 + 0.178·120 + 1.153·36 − 7.984·2 = 173.24 mmHg, SEE 15.3.</summary>
    [Fact]
    public async Task EstimateLop_PublishedEquation_ReturnsValueWithItsUncertainty()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        var (client, athleteId) = await ClinicianWithAthleteAsync();
        var response = await client.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/lop/estimate", new { limb = "left-leg", position = "seated", cuffWidthCm = 18, thighCircumferenceCm = 55, systolicMmHg = 120, ageYears = 36, sex = "female" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var e = await response.Content.ReadFromJsonAsync<JsonElement>();
        e.GetProperty("estimateMmHg").GetDouble().ShouldBe(173.2, 0.05);
        e.GetProperty("standardErrorMmHg").GetDouble().ShouldBe(15.3);
        e.GetProperty("record").GetProperty("method").GetString().ShouldBe("estimated");
        e.GetProperty("record").GetProperty("uncertaintyMmHg").GetDouble().ShouldBe(15.3);
    }

    [Fact]
    public async Task Prescribe_WithoutScreening_IsRefusedNamingScreening()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        var (client, athleteId) = await ClinicianWithAthleteAsync();
        var lop = await (await client.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/lop", new { limb = "left-leg", position = "seated", cuffWidthCm = 11.5, lopMmHg = 200 }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var response = await client.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/prescriptions", new { lopId = lop.GetProperty("id").GetGuid(), modality = "resistance" });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("screening")[0].GetString()!.ShouldContain("complete the screening first");
    }

    [Fact]
    public async Task OpenApi_Document_ListsTheApi()
    {
        var doc = await _app.Anonymous().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        paths.TryGetProperty("/api/v1/athletes/{athleteId}/lop", out _).ShouldBeTrue();
        paths.TryGetProperty("/api/v1/sessions/{sessionId}/stop", out _).ShouldBeTrue();
    }

    private async Task<(HttpClient Client, Guid AthleteId)> ClinicianWithAthleteAsync()
    {
        await _app.CreateUserAsync("pt@t.org", Roles.Clinician);
        var client = await _app.SignedInAsync("pt@t.org");
        var created = await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Runner", birthYear = 1990, sex = "female" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (client, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }
}

public sealed class TrainingApiTests : IDisposable
{
    private readonly WebAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private const string Gpx = """
        <?xml version="1.0" encoding="UTF-8"?>
        <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
          <trk><type>running</type><trkseg>
            <trkpt lat="52.0000" lon="4.0000"><time>2026-11-01T07:00:00Z</time></trkpt>
            <trkpt lat="52.0050" lon="4.0000"><time>2026-11-01T07:03:00Z</time></trkpt>
            <trkpt lat="52.0100" lon="4.0000"><time>2026-11-01T07:06:00Z</time></trkpt>
          </trkseg></trk>
        </gpx>
        """;

    [Fact]
    public async Task ImportGpx_SameFileTwice_AddsOnceAndMalformedFileNamesTheProblem()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        await _app.CreateUserAsync("pt@t.org", Roles.Clinician);
        var client = await _app.SignedInAsync("pt@t.org");
        var athlete = await (await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Runner", birthYear = 1990, sex = "female" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = athlete.GetProperty("id").GetGuid();

        var first = await client.PostAsync($"/api/v1/athletes/{id}/activities?fileName=morning.gpx", new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Gpx)));
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("added").GetInt32().ShouldBe(1);
        var again = await client.PostAsync($"/api/v1/athletes/{id}/activities?fileName=morning.gpx", new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Gpx)));
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alreadyImported").GetInt32().ShouldBe(1);

        var list = await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/activities");
        list.GetArrayLength().ShouldBe(1);
        // 0.01° of latitude ≈ 1.11 km.
        list[0].GetProperty("distanceKm").GetDouble().ShouldBe(1.11, 0.02);

        var bad = await client.PostAsync($"/api/v1/athletes/{id}/activities?fileName=broken.gpx", new ByteArrayContent("<gpx><trk>"u8.ToArray()));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString()!.ShouldContain("broken.gpx");
    }

    [Fact]
    public async Task Plan_ThenCalendarFeed_IsValidICalendarWithStableUids()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        await _app.CreateUserAsync("pt@t.org", Roles.Clinician);
        var client = await _app.SignedInAsync("pt@t.org");
        var athlete = await (await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Runner", birthYear = 1990, sex = "female" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = athlete.GetProperty("id").GetGuid();
        var body = new { weeklyKm = 50, start = RecentDates.Moved("2026-12-07"), weeks = 6, availableDays = new[] { "mon", "tue", "thu", "sat", "sun" }, keyWorkoutDays = new[] { "tue" }, longRunDay = "sun" };
        var plan = await client.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", body);
        plan.StatusCode.ShouldBe(HttpStatusCode.Created);
        var view = await plan.Content.ReadFromJsonAsync<JsonElement>();
        view.GetProperty("weeks").GetArrayLength().ShouldBe(6);

        var url = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/export/calendar-url")).GetProperty("url").GetString()!;
        var feed1 = await _app.Anonymous().GetStringAsync(new Uri(url).PathAndQuery);
        feed1.ShouldStartWith("BEGIN:VCALENDAR");
        feed1.ShouldContain("BEGIN:VEVENT");
        feed1.ShouldNotContain("Runner");
        (await client.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", body)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var feed2 = await _app.Anonymous().GetStringAsync(new Uri(url).PathAndQuery);
        Uids(feed2).ShouldBe(Uids(feed1), "a regenerated plan updates the same events instead of duplicating them");

        var bad = await client.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", body with { weeks = 60 });
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("weeks")[0].GetString().ShouldBe("weeks must be 1–52, was 60");
    }

    private static List<string> Uids(string ics) => ics.Split("\r\n").Where(l => l.StartsWith("UID:", StringComparison.Ordinal)).Order().ToList();
}

public sealed class AutomaticLopApiTests : IDisposable
{
    private readonly WebAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    /// <summary>DESIGN.md section 5 target: |error| ≤ 15 mmHg when reported as success; the stored record is Automatic.</summary>
    [Fact]
    public async Task Automatic_SimulatedSeatedLeg_StoresAnAutomaticLopCloseToTheTruth()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        await _app.CreateUserAsync("pt@t.org", Roles.Clinician);
        var client = await _app.SignedInAsync("pt@t.org");
        var athlete = await (await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Runner", birthYear = 1990, sex = "female" })).Content.ReadFromJsonAsync<JsonElement>();
        var response = await client.PostAsJsonAsync($"/api/v1/athletes/{athlete.GetProperty("id").GetGuid()}/lop/automatic", new { limb = "right-leg", position = "seated", simulatedTrueLopMmHg = 210, seed = 5 });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var dto = await response.Content.ReadFromJsonAsync<JsonElement>();
        dto.GetProperty("record").GetProperty("method").GetString().ShouldBe("automatic");
        dto.GetProperty("record").GetProperty("lopMmHg").GetDouble().ShouldBe(210, 15);
        dto.GetProperty("record").GetProperty("position").GetString().ShouldBe("seated");
    }

    /// <summary>An automatic LOP carries the finder's ± and a prescription from it uses the low end (LOP − ±), like an estimate.</summary>
    [Fact]
    public async Task Automatic_ThenPrescribe_StoresTheUncertaintyAndPrescribesFromTheLowEnd()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        var clinicianUser = await _app.CreateUserAsync("pt@t.org", Roles.Clinician);
        var client = await _app.SignedInAsync("pt@t.org");
        var id = (await (await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Runner", birthYear = 1990, sex = "female" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var eligible = OpenBfr.Core.Limbs.LimbExtensions.All.ToDictionary(l => l, _ => new OpenBfr.Web.Screening.LimbOutcome("Eligible", []));
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<OpenBfr.Web.Screening.ScreeningService>(_app.Services)
            .SaveAsync(new Viewer(clinicianUser.Id, false, true, false), id, new Dictionary<string, string>(), eligible);

        var response = await client.PostAsJsonAsync($"/api/v1/athletes/{id}/lop/automatic", new { limb = "left-leg", position = "supine", simulatedTrueLopMmHg = 190, seed = 4 });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var record = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("record");
        var value = record.GetProperty("lopMmHg").GetDouble();
        var uncertainty = record.GetProperty("uncertaintyMmHg").GetDouble();
        uncertainty.ShouldBeInRange(1, 10, "the finder refuses when its ± is wider than 10 mmHg; a success always has one");
        (uncertainty % 1).ShouldBe(0, "rounded up to a whole mmHg");

        var prescribed = await client.PostAsJsonAsync($"/api/v1/athletes/{id}/prescriptions", new { lopId = record.GetProperty("id").GetGuid(), modality = "passive" }); // done supine, as the LOP
        prescribed.StatusCode.ShouldBe(HttpStatusCode.Created);
        var prescription = await prescribed.Content.ReadFromJsonAsync<JsonElement>();
        prescription.GetProperty("referenceLopMmHg").GetDouble().ShouldBe(value - uncertainty);
        prescription.GetProperty("targetMmHg").GetDouble().ShouldBeLessThanOrEqualTo(0.8 * (value - uncertainty) + 0.5);
    }
}

public sealed class DashboardApiTests : IDisposable
{
    private readonly WebAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Dashboard_CompletedSessionWithSymptom_CountsComplianceAndRaisesFlags()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        var clinicianUser = await _app.CreateUserAsync("pt@t.org", Roles.Clinician);
        var client = await _app.SignedInAsync("pt@t.org");
        var id = (await (await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Runner", birthYear = 1990, sex = "female" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var before = await client.GetFromJsonAsync<JsonElement>("/api/v1/dashboard");
        before[0].GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ShouldContain("screening not done");

        var sp = _app.Services;
        var viewer = new Viewer(clinicianUser.Id, false, true, false);
        var eligible = OpenBfr.Core.Limbs.LimbExtensions.All.ToDictionary(l => l, _ => new OpenBfr.Web.Screening.LimbOutcome("Eligible", []));
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<OpenBfr.Web.Screening.ScreeningService>(sp).SaveAsync(viewer, id, new Dictionary<string, string>(), eligible);
        var lop = await (await client.PostAsJsonAsync($"/api/v1/athletes/{id}/lop", new { limb = "left-leg", position = "standing", cuffWidthCm = 11.5, lopMmHg = 200 })).Content.ReadFromJsonAsync<JsonElement>();
        (await client.PostAsJsonAsync($"/api/v1/athletes/{id}/prescriptions", new { lopId = lop.GetProperty("id").GetGuid(), modality = "resistance", sessionsPerWeek = 3 }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var log = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<OpenBfr.Data.Sessions.SessionLog>(sp);
        var now = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<TimeProvider>(sp).GetUtcNow();
        var session = new OpenBfr.Data.Sessions.SessionRecord { Id = Guid.NewGuid(), AthleteId = id, ProtocolName = "strength-lower", StartedByUserId = clinicianUser.Id, StartedAt = now.AddDays(-2) };
        await log.StartAsync(session);
        await log.AppendAsync(session.Id, [new OpenBfr.Data.Sessions.SessionEvent { Seq = 1, At = session.StartedAt.AddMinutes(3), Kind = "symptom", Detail = "pain 5/10" }], [], session.StartedAt.AddMinutes(3));
        await log.EndAsync(session.Id, session.StartedAt.AddMinutes(20), OpenBfr.Data.Sessions.SessionEndReasons.Completed);

        var row = (await client.GetFromJsonAsync<JsonElement>("/api/v1/dashboard"))[0];
        row.GetProperty("done").GetInt32().ShouldBe(1);
        // Prescribed just now: no session of it could have been due yet (Dashboard/ComplianceTests pro-rate over time).
        row.GetProperty("planned").GetInt32().ShouldBe(0, "3 per week, prescribed just now");
        row.GetProperty("compliancePercent").ValueKind.ShouldBe(JsonValueKind.Null);
        var flags = row.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToList();
        flags.ShouldContain("symptom reported");
        flags.ShouldNotContain("screening not done");
        flags.ShouldNotContain("LOP out of date");
    }
}
