using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenBfr.Web.Tests;

/// <summary>
/// A form value the page cannot bind ("2026-02-30", "abc" for a number) used to be dropped without a
/// word and the form saved with the field's default (today, no pain score, 0 km, no birth year). Now
/// the form comes back naming the field, the value and what is allowed, and nothing is saved.
/// </summary>
public sealed class UnboundFormFieldTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    private async Task<HttpResponseMessage> PostAsync(string page, string handler, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page);
        return await world.Clinician.PostAsync(page + (handler.Length == 0 ? "" : "?handler=" + handler), new FormUrlEncodedContent(form));
    }

    [Fact]
    public async Task AthletePageStrengthForm_DateThatIsNoDateAndPainNotANumber_IsReshownNamingThemAndSavesNothing()
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostAsync($"/Athletes/{id}", "Strength", new()
        {
            ["exercise"] = "leg-press", ["testedOn"] = "2026-02-30", ["limbA"] = "left-leg", ["involvedA"] = "true", ["loadKgA"] = "80", ["repsA"] = "8", ["painScore"] = "abc",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.ShouldContain("testedOn must be a date like 2026-11-01, was '2026-02-30'");
        html.ShouldContain("painScore must be a whole number (up to 2147483647), was 'abc'");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests")).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task AthletePagePlanForm_WeeklyKmNotANumber_IsReshownNamingItAndSavesNoPlan()
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostAsync($"/Athletes/{id}", "Plan", new()
        {
            ["weeklyKm"] = "lots", ["start"] = RecentDates.Moved("2026-12-07"), ["weeks"] = "4", ["availableDays"] = "mon",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).ShouldContain("weeklyKm must be a finite number, was 'lots'");
        (await world.Clinician.GetAsync($"/api/v1/athletes/{id}/plan")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task StrengthTestEditPage_PainScoreNotANumber_IsReshownAndChangesNothing()
    {
        var id = await world.NewAthleteAsync();
        using var created = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/strength-tests",
            new { exercise = "leg-press", testedOn = RecentDates.Moved("2026-11-02"), painScore = 3, results = new[] { new { limb = "left-leg", loadKg = 80, reps = 8 } } });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var testId = (await created.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("id").GetGuid();

        var page = $"/Athletes/{id}/StrengthTests/{testId}/Edit";
        using var response = await WebAppFactory.PostFormAsync(world.Clinician, page, new()
        {
            ["Form.Exercise"] = "leg-press", ["Form.TestedOn"] = RecentDates.Moved("2026-11-02"), ["Form.Limb"] = "left-leg", ["Form.LoadKg"] = "85", ["Form.Reps"] = "8", ["Form.PainScore"] = "lots",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).ShouldContain("painScore must be a whole number (up to 2147483647), was 'lots'");
        var row = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests/{testId}");
        row.GetProperty("version").GetInt32().ShouldBe(1);
        row.GetProperty("painScore").GetInt32().ShouldBe(3);
        row.GetProperty("loadKg").GetDouble().ShouldBe(80);
    }

    [Fact]
    public async Task ClinicianPageAddAthlete_BirthYearNotANumber_IsReshownAndCreatesNoAthlete()
    {
        var before = (await world.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/athletes")).GetArrayLength();
        using var response = await PostAsync("/Clinician", "Add", new() { ["displayName"] = "Nameless Year", ["birthYear"] = "nineteen-ninety", ["sex"] = "female" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).ShouldContain("birthYear must be a whole number (up to 2147483647), was 'nineteen-ninety'");
        (await world.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/athletes")).GetArrayLength().ShouldBe(before);
    }

    // An empty e-mail bound as null and Email.Trim() answered 500.
    [Fact]
    public async Task SignIn_EmptyEmail_IsReshownSayingItIsRequired()
    {
        var client = world.App.Anonymous();
        using var response = await WebAppFactory.PostLoginAsync(client, "", "some-password-1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).ShouldContain("The Email field is required.");
        world.App.Logs.ShouldNotContain(l => l.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase));
    }

    // Any answer but "yes" was read as "no" and the screening saved.
    [Fact]
    public async Task ScreeningPage_AnswerNeitherYesNorNo_IsReshownNamingItAndSavesNoScreening()
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostAsync($"/Athletes/{id}/Screening", "", new()
        {
            ["ageYears"] = "41", ["systolicMmHg"] = "124", ["diastolicMmHg"] = "80", ["q-diabetes"] = "maybe",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).ShouldContain("q-diabetes must be yes or no, was 'maybe'");
        (await world.Clinician.GetAsync($"/api/v1/athletes/{id}/screening")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }
}
