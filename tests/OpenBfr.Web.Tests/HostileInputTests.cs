using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

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
            """{"weeklyKm":40,"start":"2026-12-07","weeks":4,"availableDays":null}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, "availableDays")).ShouldBe("availableDays must be 1–7 distinct weekdays, was (none)");
        (await world.Clinician.GetAsync($"/api/v1/athletes/{id}/plan")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task RecordStrengthTest_NullResult_Is400NamingTheResultAndSavesNothing()
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/strength-tests",
            """{"exercise":"leg-press","testedOn":"2026-11-01","results":[{"limb":"left-leg","loadKg":80,"reps":8},null]}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, "results[1]")).ShouldBe("results[1] must be one limb's result (limb and its values), was null");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests")).GetArrayLength().ShouldBe(0);
    }

    private Task<HttpResponseMessage> PostJsonAsync(string url, string json)
        => world.Clinician.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<string> ErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
    }
}
