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
        (await response.Content.ReadAsStringAsync()).ShouldContain("only be estimated for the thigh");
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
