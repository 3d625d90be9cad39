using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Athletes;

namespace OpenBfr.Web.Tests.Accounts;

/// <summary>A self-registered clinician sees no athlete until an admin approves the account.</summary>
public sealed class ClinicianApprovalTests : IDisposable
{
    private readonly WebAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private async Task<HttpClient> RegisterClinicianAsync(string email)
    {
        var client = _app.Anonymous();
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Account/Register");
        var response = await client.PostAsync("/Account/Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Role"] = "clinician", ["Input.DisplayName"] = "New Physio", ["Input.Email"] = email, ["Input.Password"] = WebAppFactory.Password,
            ["__RequestVerificationToken"] = token,
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/Account/Pending");
        return client;
    }

    [Fact]
    public async Task Register_AsClinician_WaitsForApprovalAndSeesNoAthlete()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        var athleteUser = await _app.CreateUserAsync("ath@t.org", Roles.Athlete);
        var pending = await RegisterClinicianAsync("new-pt@t.org");

        (await pending.GetAsync("/Account/Pending")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await pending.GetAsync("/")).Headers.Location!.OriginalString.ShouldBe("/Account/Pending");
        var me = await pending.GetFromJsonAsync<JsonElement>("/api/v1/me");
        me.GetProperty("roles").GetArrayLength().ShouldBe(0);
        (await pending.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Sneaky", birthYear = 1990 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await pending.GetAsync("/api/v1/dashboard")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await pending.GetFromJsonAsync<JsonElement>("/api/v1/athletes")).GetArrayLength().ShouldBe(0);
        (await pending.GetAsync("/Clinician")).Headers.Location!.OriginalString.ShouldContain("/Account/Denied");

        // An athlete cannot share a record with an account that is not (yet) a clinician.
        var own = (await _app.Services.GetRequiredService<AthleteDirectory>().CreateForAccountAsync(athleteUser.Id, new NewAthlete("Ath Lete", 1990, null, null))).Id;
        var athlete = await _app.SignedInAsync("ath@t.org");
        (await athlete.PostAsJsonAsync($"/api/v1/athletes/{own}/clinicians", new { clinicianEmail = "new-pt@t.org" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Approve_ByAdmin_GrantsTheClinicianRoleOnce()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        var pending = await RegisterClinicianAsync("new-pt@t.org");
        var admin = await _app.SignedInAsync("admin@t.org");

        var users = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/users");
        var row = users.EnumerateArray().Single(u => u.GetProperty("email").GetString() == "new-pt@t.org");
        row.GetProperty("pendingRole").GetString().ShouldBe("clinician");
        row.GetProperty("roles").GetArrayLength().ShouldBe(0);
        var id = row.GetProperty("id").GetString();
        (await admin.GetStringAsync("/Admin/Users")).ShouldContain("awaiting approval as clinician");

        (await admin.PostAsync($"/api/v1/admin/users/{id}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var again = await admin.PostAsync($"/api/v1/admin/users/{id}/approve", null);
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await again.Content.ReadAsStringAsync()).ShouldContain("not waiting for approval");
        (await admin.PostAsync("/api/v1/admin/users/no-such-user/approve", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The waiting page notices the approval, refreshes the sign-in and moves on.
        var moved = await pending.GetAsync("/Account/Pending");
        moved.Headers.Location!.OriginalString.ShouldBe("/");
        (await pending.GetAsync("/")).Headers.Location!.OriginalString.ShouldBe("/Clinician");
        (await pending.PostAsJsonAsync("/api/v1/athletes", new { displayName = "First Athlete", birthYear = 1990 })).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ApprovePage_AdminButton_ApprovesTheAccount()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        await RegisterClinicianAsync("new-pt@t.org");
        var admin = await _app.SignedInAsync("admin@t.org");
        var id = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/users")).EnumerateArray()
            .Single(u => u.GetProperty("email").GetString() == "new-pt@t.org").GetProperty("id").GetString()!;
        var token = await WebAppFactory.AntiforgeryTokenAsync(admin, "/Admin/Users");
        var posted = await admin.PostAsync("/Admin/Users?handler=Approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = id, ["__RequestVerificationToken"] = token }));
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var row = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/users")).EnumerateArray().Single(u => u.GetProperty("id").GetString() == id);
        row.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe(["clinician"]);
        row.GetProperty("pendingRole").ValueKind.ShouldBe(JsonValueKind.Null);
    }
}
