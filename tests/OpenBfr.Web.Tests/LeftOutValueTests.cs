using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OpenBfr.Web.Tests;

/// <summary>
/// A number a record needs, left out of a request (API body or form), was read as 0 and refused as
/// "… was 0", as if the user had sent 0. Now it is "… is required" naming the field and what is
/// allowed; "was 0" stays for a 0 actually sent. Nothing is saved either way.
/// </summary>
public sealed class LeftOutValueTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    [Theory]
    [InlineData("""{"limb":"left-leg","position":"seated","cuffWidthCm":11.5}""", "lopMmHg", "lopMmHg is required (50–400 mmHg)")]
    [InlineData("""{"limb":"left-leg","position":"seated","cuffWidthCm":11.5,"lopMmHg":null}""", "lopMmHg", "lopMmHg is required (50–400 mmHg)")]
    [InlineData("""{"limb":"left-leg","position":"seated","lopMmHg":200}""", "cuffWidthCm", "cuffWidthCm is required (2–30 cm)")]
    [InlineData("""{"limb":"left-leg","position":"seated","cuffWidthCm":11.5,"lopMmHg":0}""", "lopMmHg", "lopMmHg must be 50–400 mmHg, was 0")]
    [InlineData("""{"limb":"left-leg","position":"seated","cuffWidthCm":0,"lopMmHg":200}""", "cuffWidthCm", "cuffWidthCm must be 2–30 cm, was 0")]
    public async Task RecordLop_ValueLeftOutOrZero_SaysRequiredOrWasZeroAndSavesNothing(string json, string field, string message)
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/lop", json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, field)).ShouldBe(message);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop")).GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("""{"limb":"left-leg","position":"seated","cuffWidthCm":18,"systolicMmHg":120}""", "thighCircumferenceCm", "thighCircumferenceCm is required (30–100 cm)")]
    [InlineData("""{"limb":"left-leg","position":"seated","cuffWidthCm":18,"thighCircumferenceCm":55}""", "systolicMmHg", "systolicMmHg is required (70–250 mmHg)")]
    [InlineData("""{"limb":"left-leg","position":"seated","thighCircumferenceCm":55,"systolicMmHg":120}""", "cuffWidthCm", "cuffWidthCm is required (18 cm, the only cuff the equation holds for)")]
    [InlineData("""{"limb":"left-leg","position":"seated","cuffWidthCm":18,"thighCircumferenceCm":0,"systolicMmHg":120}""", "thighCircumferenceCm", "thighCircumferenceCm must be 30–100 cm, was 0")]
    public async Task EstimateLop_ValueLeftOutOrZero_SaysRequiredOrWasZeroAndSavesNothing(string json, string field, string message)
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/lop/estimate", json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, field)).ShouldBe(message);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop")).GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("""{"weeklyKm":40,"start":"2026-12-07","availableDays":["mon","wed","sat"]}""", "weeks is required (1–52)")]
    [InlineData("""{"weeklyKm":40,"start":"2026-12-07","weeks":0,"availableDays":["mon","wed","sat"]}""", "weeks must be 1–52, was 0")]
    public async Task CreatePlan_WeeksLeftOutOrZero_SaysRequiredOrWasZeroAndSavesNoPlan(string json, string message)
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/plan", json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, "weeks")).ShouldBe(message);
        (await world.Clinician.GetAsync($"/api/v1/athletes/{id}/plan")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    // Left out, lopId was the empty id and refused as "must be one of this athlete's LOP records".
    [Fact]
    public async Task CreatePrescription_LopIdLeftOut_SaysRequired()
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/prescriptions", """{"modality":"resistance"}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, "lopId")).ShouldBe("lopId is required (the id of one of this athlete's LOP records)");
    }

    // Left out, the note was "was 0 characters"; an empty one still is.
    [Theory]
    [InlineData("""{"itemId":"diabetes"}""", "note is required: who cleared the athlete and on what grounds (1–300 characters)")]
    [InlineData("""{"itemId":"diabetes","note":" "}""", "note must say who cleared the athlete and on what grounds (1–300 characters), was 0 characters")]
    public async Task RecordClearance_NoteLeftOutOrEmpty_SaysRequiredOrWasEmpty(string json, string message)
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/screening/clearances", json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, "note")).ShouldBe(message);
    }

    // Text and lists left out were refused as "was 0" (characters, items) or "was ''", as if sent empty; sent empty they still are.
    [Theory]
    [InlineData("/api/v1/athletes", """{"birthYear":1990}""", "displayName", "displayName is required (1–100 characters)")]
    [InlineData("/api/v1/athletes", """{"displayName":" ","birthYear":1990}""", "displayName", "displayName must be 1–100 characters, was 0")]
    [InlineData("/api/v1/athletes/{id}/strength-tests", """{"exercise":"leg-press","testedOn":"{moved:2026-11-01}"}""", "results", "results is required: 1–2 limbs' results (the two sides of a pair)")]
    [InlineData("/api/v1/athletes/{id}/strength-tests", """{"exercise":"leg-press","testedOn":"{moved:2026-11-01}","results":[]}""", "results", "results must hold 1–2 limbs (the two sides of a pair), was 0")]
    [InlineData("/api/v1/athletes/{id}/sessions", """{}""", "prescriptionIds", "prescriptionIds is required: 1–2 current prescriptions (one per cuff)")]
    [InlineData("/api/v1/athletes/{id}/sessions", """{"prescriptionIds":[]}""", "prescriptionIds", "prescriptionIds must name 1–2 current prescriptions (one per cuff), was 0")]
    [InlineData("/api/v1/athletes/{id}/lop", """{"position":"seated","cuffWidthCm":11.5,"lopMmHg":200}""", "limb", "limb is required (one of left-leg, right-leg, left-arm, right-arm)")]
    [InlineData("/api/v1/athletes/{id}/lop", """{"limb":"","position":"seated","cuffWidthCm":11.5,"lopMmHg":200}""", "limb", "limb must be one of left-leg, right-leg, left-arm, right-arm; was ''")]
    [InlineData("/api/v1/athletes/{id}/lop/automatic", """{"limb":"left-leg"}""", "position", "position is required (one of supine, seated, standing)")]
    public async Task Create_TextOrListLeftOutOrEmpty_SaysRequiredOrWasEmpty(string url, string json, string field, string message)
    {
        var id = await world.NewAthleteAsync();
        var athletes = (await world.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/athletes")).GetArrayLength();
        using var response = await PostJsonAsync(url.Replace("{id}", id.ToString(), StringComparison.Ordinal), RecentDates.Fill(json));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, field)).ShouldBe(message);
        (await world.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/athletes")).GetArrayLength().ShouldBe(athletes);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop")).GetArrayLength().ShouldBe(0);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests")).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task ClinicianPageAddAthlete_NameEmptied_IsReshownSayingRequired()
    {
        // It was MVC's "The displayName field is required.", which says nothing of what is allowed.
        (await PostFormAsync("/Clinician", "Add", new() { ["displayName"] = "", ["birthYear"] = "1990" })).ShouldContain("displayName is required (1–100 characters)");
    }

    // The forms: a field left out (or emptied in the browser) was read as 0 ("was 0", or "a finite number, was ''").
    [Theory]
    [InlineData("Lop", "lopMmHg", null, "lopMmHg is required (50–400 mmHg)")]
    [InlineData("Lop", "lopMmHg", "", "lopMmHg is required (50–400 mmHg)")]
    [InlineData("Lop", "cuffWidthCm", "", "cuffWidthCm is required (2–30 cm)")]
    [InlineData("Lop", "lopMmHg", "0", "lopMmHg must be 50–400 mmHg, was 0")]
    [InlineData("Estimate", "thighCircumferenceCm", null, "thighCircumferenceCm is required (30–100 cm)")]
    [InlineData("Estimate", "systolicMmHg", "", "systolicMmHg is required (70–250 mmHg)")]
    public async Task AthletePageLopForms_ValueLeftOut_IsReshownSayingRequiredAndSavesNothing(string handler, string field, string? value, string message)
    {
        var id = await world.NewAthleteAsync();
        var form = handler == "Lop"
            ? new Dictionary<string, string> { ["limb"] = "left-leg", ["position"] = "seated", ["cuffWidthCm"] = "11.5", ["lopMmHg"] = "200" }
            : new Dictionary<string, string> { ["limb"] = "left-leg", ["position"] = "seated", ["cuffWidthCm"] = "18", ["thighCircumferenceCm"] = "55", ["systolicMmHg"] = "120", ["ageYears"] = "40" };
        Set(form, field, value);

        var html = await PostFormAsync($"/Athletes/{id}", handler, form);

        html.ShouldContain(message);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop")).GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData(null, "weeks is required (1–52)")]
    [InlineData("", "weeks is required (1–52)")]
    public async Task AthletePagePlanForm_WeeksLeftOut_IsReshownSayingRequiredAndSavesNoPlan(string? weeks, string message)
    {
        var id = await world.NewAthleteAsync();
        var form = new Dictionary<string, string> { ["weeklyKm"] = "40", ["start"] = RecentDates.Moved("2026-12-07"), ["availableDays"] = "mon" };
        Set(form, "weeks", weeks);

        (await PostFormAsync($"/Athletes/{id}", "Plan", form)).ShouldContain(message);
        (await world.Clinician.GetAsync($"/api/v1/athletes/{id}/plan")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task AthletePagePrescribeForm_SessionsPerWeekEmptied_IsReshownSayingRequired()
    {
        var id = await world.NewAthleteAsync();
        var html = await PostFormAsync($"/Athletes/{id}", "Prescribe", new() { ["lopId"] = Guid.NewGuid().ToString(), ["modality"] = "resistance", ["sessionsPerWeek"] = "" });

        html.ShouldContain("sessionsPerWeek is required (1–14 sessions a week)");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/prescriptions")).GetArrayLength().ShouldBe(0);
    }

    // The core's own names (age, systolic) were shown for the form's ageYears and systolicMmHg.
    [Theory]
    [InlineData("ageYears", null, "ageYears is required (10–110 years)")]
    [InlineData("systolicMmHg", "", "systolicMmHg is required (70–260 mmHg)")]
    [InlineData("diastolicMmHg", null, "diastolicMmHg is required (40–160 mmHg)")]
    [InlineData("ageYears", "0", "ageYears must be 10–110 years, was 0")]
    public async Task ScreeningPage_NumberLeftOutOrZero_IsReshownNamingTheFieldAndSavesNoScreening(string field, string? value, string message)
    {
        var id = await world.NewAthleteAsync();
        var form = new Dictionary<string, string> { ["ageYears"] = "41", ["systolicMmHg"] = "124", ["diastolicMmHg"] = "80" };
        Set(form, field, value);

        (await PostFormAsync($"/Athletes/{id}/Screening", "", form)).ShouldContain(message);
        (await world.Clinician.GetAsync($"/api/v1/athletes/{id}/screening")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    private static void Set(Dictionary<string, string> form, string field, string? value)
    {
        if (value is null)
        {
            form.Remove(field);
        }
        else
        {
            form[field] = value;
        }
    }

    /// <summary>Posts a page's form with its anti-forgery token; the page must come back (200), and its HTML is returned decoded.</summary>
    private async Task<string> PostFormAsync(string page, string handler, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page);
        using var response = await world.Clinician.PostAsync(page + (handler.Length == 0 ? "" : "?handler=" + handler), new FormUrlEncodedContent(form));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> PostJsonAsync(string url, string json)
        => world.Clinician.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<string> ErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
    }
}
