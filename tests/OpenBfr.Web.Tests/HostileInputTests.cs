using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Core.Screening;
using OpenBfr.Data.Sessions;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Tests;

/// <summary>
/// Input a client can send that the forms never do (found by sending hostile JSON to every endpoint):
/// each is a 400 naming the field, the value and what is allowed, never a 500, and nothing is saved.
/// </summary>
public sealed class HostileInputTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    [Fact]
    public async Task CreatePlan_AvailableDaysNull_Is400NamingTheFieldAndSavesNothing()
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/plan",
            $$"""{"weeklyKm":40,"start":"{{RecentDates.Moved("2026-12-07")}}","weeks":4,"availableDays":null}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, "availableDays")).ShouldBe("availableDays must be 1–7 distinct weekdays, was (none)");
        (await world.Clinician.GetAsync($"/api/v1/athletes/{id}/plan")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task RecordStrengthTest_NullResult_Is400NamingTheResultAndSavesNothing()
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/strength-tests",
            $$"""{"exercise":"leg-press","testedOn":"{{RecentDates.Moved("2026-11-01")}}","results":[{"limb":"left-leg","loadKg":80,"reps":8},null]}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, "results[1]")).ShouldBe("results[1] must be one limb's result (limb and its values), was null");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests")).GetArrayLength().ShouldBe(0);
    }

    // A body that does not bind: the framework's bare "Bad Request" named nothing; now the field, the value and the JSON type allowed.
    [Theory]
    [InlineData("""{"limb":"left-leg","position":"seated","cuffWidthCm":"wide","lopMmHg":200}""", "cuffWidthCm", "cuffWidthCm must be a finite number, was \"wide\"")]
    [InlineData("""{"limb":"left-leg","position":"seated","cuffWidthCm":11.5,"lopMmHg":true}""", "lopMmHg", "lopMmHg must be a finite number, was true")]
    [InlineData("""{"limb":["left-leg"],"position":"seated","cuffWidthCm":11.5,"lopMmHg":200}""", "limb", "limb must be text in quotes, was [\"left-leg\"]")]
    [InlineData("""{"limb":"left-leg","position":"seated","cuffWidthCm":11.5,"lopMmHg":200,"measuredAt":"2026-02-30T10:00:00Z"}""", "measuredAt", "measuredAt must be a date and time like \"2026-11-01T10:00:00Z\", was \"2026-02-30T10:00:00Z\"")]
    [InlineData("""{"limb":"left-leg","position":"seated",""", "body", "body must be valid JSON: ")]
    [InlineData("""[]""", "body", "body must be a JSON object, was []")]
    [InlineData("", "body", "body must be a JSON object (Content-Type: application/json), was empty")]
    public async Task RecordLop_BodyThatDoesNotBind_Is400NamingFieldValueAndAllowedAndSavesNothing(string json, string field, string message)
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/lop", json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, field)).ShouldStartWith(message);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop")).GetArrayLength().ShouldBe(0);
        world.App.Logs.ShouldNotContain(l => l.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task RecordStrengthTest_NestedFieldOfWrongType_Is400NamingThePathAndSavesNothing()
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/strength-tests",
            $$"""{"exercise":"leg-press","testedOn":"{{RecentDates.Moved("2026-11-01")}}","results":[{"limb":"left-leg","loadKg":80,"reps":2147483648}]}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, "results[0].reps")).ShouldBe("results[0].reps must be a whole number (up to 2147483647), was 2147483648");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests")).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task ListLop_QueryValueNotABoolean_Is400NamingItAndTheValue()
    {
        var id = await world.NewAthleteAsync();
        using var response = await world.Clinician.GetAsync($"/api/v1/athletes/{id}/lop?includeWithdrawn=maybe");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, "includeWithdrawn")).ShouldBe("includeWithdrawn must be true or false, was 'maybe'");
    }

    [Fact]
    public async Task RecordLop_NotJsonContentType_Is415NamingTheHeaderAndSavesNothing()
    {
        var id = await world.NewAthleteAsync();
        using var response = await world.Clinician.PostAsync($"/api/v1/athletes/{id}/lop",
            new StringContent("""{"limb":"left-leg","position":"seated","cuffWidthCm":11.5,"lopMmHg":200}""", Encoding.UTF8, "text/plain"));

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldBe("Content-Type must be application/json, was 'text/plain; charset=utf-8'");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop")).GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e999")]
    [InlineData("-1")]
    [InlineData("86401")]
    public async Task SessionDetail_TelemetryWindowNotFiniteOrOutOfRange_Is400NamingSecondsAndTheValue(string seconds)
    {
        var id = await world.NewAthleteAsync();
        var sessionId = await EndedSessionAsync(id);

        using var response = await world.Clinician.GetAsync($"/api/v1/sessions/{sessionId}?seconds={seconds}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var shown = double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);
        (await ErrorAsync(response, "seconds")).ShouldBe($"seconds must be 0–86400 (the last seconds of telemetry to return), was {shown}");
        world.App.Logs.ShouldNotContain(l => l.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase));
        (await world.Clinician.GetAsync($"/api/v1/sessions/{sessionId}?seconds=30")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // 9999-12-31 overflowed the planner's calendar ("Value to add was out of range." under the key "value"); year 1 built a plan in year 1.
    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("0001-01-01")]
    public async Task CreatePlan_StartYearsAway_Is400NamingStartAndSavesNothing(string start)
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/plan",
            $$"""{"weeklyKm":40,"start":"{{start}}","weeks":4,"availableDays":["mon","wed","sat"]}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var message = await ErrorAsync(response, "start");
        message.ShouldStartWith("start must be within 5 years of today (");
        message.ShouldEndWith($"), was {start}");
        (await world.Clinician.GetAsync($"/api/v1/athletes/{id}/plan")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    // Left out, weeklyKm was read as 0 and a plan generated for 0 km a week; start as year 1.
    [Theory]
    [InlineData("""{"start":"2026-12-07","weeks":4,"availableDays":["mon","wed","sat"]}""", "weeklyKm", "weeklyKm is required (0–300 km a week)")]
    [InlineData("""{"weeklyKm":40,"weeks":4,"availableDays":["mon","wed","sat"]}""", "start", "start is required (the plan's first day, e.g. 2026-12-07)")]
    public async Task CreatePlan_RequiredValueLeftOut_Is400NamingItAndSavesNothing(string json, string field, string message)
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/plan", json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, field)).ShouldBe(message);
        (await world.Clinician.GetAsync($"/api/v1/athletes/{id}/plan")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    // Left out, locked was read as false: an admin's {} unlocked the account.
    [Fact]
    public async Task LockAccount_LockedLeftOut_Is400AndTheAccountStaysLocked()
    {
        var admin = await world.App.SignedInAsync("admin@t.org");
        var target = await world.App.CreateUserAsync($"locked-{Guid.NewGuid():N}@t.org", Roles.Athlete);
        (await admin.PostAsJsonAsync($"/api/v1/admin/users/{target.Id}/lock", new { locked = true })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var response = await admin.PostAsync($"/api/v1/admin/users/{target.Id}/lock", new StringContent("{}", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, "locked")).ShouldBe("locked is required: true to lock the account, false to unlock it");
        var users = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/users");
        users.EnumerateArray().Single(u => u.GetProperty("id").GetString() == target.Id).GetProperty("lockedOut").GetBoolean().ShouldBeTrue();
    }

    // A race or an injury in year 9999 (or 1) went into the plan without a word ("since 9999-12-31").
    [Theory]
    [InlineData("\"goalDistance\":\"10k\",\"goalDate\":\"9999-12-31\"", "goalDate", "goalDate must be within 5 years of today (", "), was 9999-12-31")]
    [InlineData("\"injury\":\"runners-knee\",\"injuryDate\":\"9999-12-31\"", "injuryDate", "injuryDate must be within the last 20 years or the next 5 (", "), was 9999-12-31")]
    [InlineData("\"injury\":\"acl-reconstruction\",\"injuryDate\":\"0001-01-01\"", "injuryDate", "injuryDate must be within the last 20 years or the next 5 (", "), was 0001-01-01")]
    public async Task CreatePlan_RaceOrInjuryYearsAway_Is400NamingTheDateAndSavesNothing(string fields, string field, string starts, string ends)
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/plan",
            "{\"weeklyKm\":40,\"start\":\"" + RecentDates.Moved("2026-12-07") + "\",\"weeks\":4,\"availableDays\":[\"mon\",\"wed\",\"sat\"]," + fields + "}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var message = await ErrorAsync(response, field);
        message.ShouldStartWith(starts);
        message.ShouldEndWith(ends);
        (await world.Clinician.GetAsync($"/api/v1/athletes/{id}/plan")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    // Year 1 was stored as a LOP "739942.1 days old" (create and correction alike); strength tests already refused it.
    [Fact]
    public async Task RecordAndCorrectLop_MeasuredInYearOne_Is400NamingMeasuredAtAndChangesNothing()
    {
        var id = await world.NewAthleteAsync();
        using var created = await PostJsonAsync($"/api/v1/athletes/{id}/lop",
            """{"limb":"left-leg","position":"seated","cuffWidthCm":11.5,"lopMmHg":200,"measuredAt":"0001-01-01T00:00:00Z"}""");
        created.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var message = await ErrorAsync(created, "measuredAt");
        message.ShouldStartWith("measuredAt must be within the last 20 years (");
        message.ShouldEndWith("or later), was 0001-01-01 00:00");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop")).GetArrayLength().ShouldBe(0);

        using var good = await PostJsonAsync($"/api/v1/athletes/{id}/lop", """{"limb":"left-leg","position":"seated","cuffWidthCm":11.5,"lopMmHg":200}""");
        good.StatusCode.ShouldBe(HttpStatusCode.Created);
        var lopId = (await good.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var corrected = await world.Clinician.PutAsync($"/api/v1/athletes/{id}/lop/{lopId}",
            new StringContent("""{"measuredAt":"0001-01-01T00:00:00Z"}""", Encoding.UTF8, "application/json"));
        corrected.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(corrected, "measuredAt")).ShouldEndWith("or later), was 0001-01-01 00:00");
        var row = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop/{lopId}");
        row.GetProperty("version").GetInt32().ShouldBe(1);
        row.GetProperty("measuredAt").GetDateTimeOffset().Year.ShouldBeGreaterThan(2000);
    }

    // The day of a clearance: year 1 was accepted on a correction (strength tests already refused it).
    [Fact]
    public async Task CorrectClearance_ClearedInYearOne_Is400NamingClearedOnAndChangesNothing()
    {
        var id = await world.NewScreenedAthleteAsync(41, "diabetes");

        using var first = await PostJsonAsync($"/api/v1/athletes/{id}/screening/clearances", """{"itemId":"diabetes","note":"ok","clearedOn":"0001-01-01"}""");
        first.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(first, "clearedOn")).ShouldEndWith("or later), was 0001-01-01");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening/clearances")).GetProperty("clearances").GetArrayLength().ShouldBe(0);

        using var created = await PostJsonAsync($"/api/v1/athletes/{id}/screening/clearances", """{"itemId":"diabetes","note":"ok"}""");
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var clearanceId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var corrected = await world.Clinician.PutAsync($"/api/v1/athletes/{id}/screening/clearances/{clearanceId}",
            new StringContent("""{"note":"ok","clearedOn":"0001-01-01"}""", Encoding.UTF8, "application/json"));

        corrected.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var message = await ErrorAsync(corrected, "clearedOn");
        message.ShouldStartWith("clearedOn must be within the last 20 years (");
        message.ShouldEndWith("or later), was 0001-01-01");
        var row = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening/clearances/{clearanceId}");
        row.GetProperty("version").GetInt32().ShouldBe(1);
        row.GetProperty("clearedOn").GetString().ShouldNotBe("0001-01-01");
    }

    // The core names its parameter (widthCm, systolic); the message now names the field the client sent, as the error's key does.
    [Theory]
    [InlineData("lop", """{"limb":"left-leg","position":"seated","cuffWidthCm":40,"lopMmHg":200}""", "cuffWidthCm", "cuffWidthCm must be 2–30 cm, was 40")]
    [InlineData("lop/estimate", """{"limb":"left-leg","position":"seated","cuffWidthCm":18,"thighCircumferenceCm":55,"systolicMmHg":400}""", "systolicMmHg", "systolicMmHg must be 70–250 mmHg, was 400")]
    public async Task RecordLop_CoreRangeRefusal_MessageNamesTheFieldSent(string path, string json, string field, string message)
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/{path}", json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, field)).ShouldBe(message);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop")).GetArrayLength().ShouldBe(0);
    }

    /// <summary>A finished session of one telemetry row on the athlete's record.</summary>
    private async Task<Guid> EndedSessionAsync(Guid athleteId)
    {
        var log = world.App.Services.GetRequiredService<SessionLog>();
        var now = world.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var session = new SessionRecord { Id = Guid.NewGuid(), AthleteId = athleteId, ProtocolName = "strength-lower", Simulated = true, StartedByUserId = world.ClinicianUserId, StartedAt = now.AddMinutes(-30) };
        await log.StartAsync(session);
        await log.AppendAsync(session.Id, [new SessionEvent { Seq = 1, At = session.StartedAt, Kind = "start" }],
            [new TelemetrySample { CuffId = "left-leg", At = session.StartedAt, PressureMmHg = 10, TargetMmHg = 140 }], session.StartedAt);
        await log.EndAsync(session.Id, now.AddMinutes(-10), SessionEndReasons.Completed);
        return session.Id;
    }

    private Task<HttpResponseMessage> PostJsonAsync(string url, string json)
        => world.Clinician.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<string> ErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
    }
}
