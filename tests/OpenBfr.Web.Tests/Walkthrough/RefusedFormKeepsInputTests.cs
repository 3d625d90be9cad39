using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenBfr.Web.Tests.Walkthrough;

/// <summary>
/// A form the server refuses comes back with the error and with what was typed, not with its
/// defaults: a therapist who fixes the one wrong field and saves again gets what they meant (a
/// prescription refused for its % LOP used to come back as "resistance", so fixing the percent
/// and saving prescribed the wrong modality).
/// </summary>
public sealed class RefusedFormKeepsInputTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    private async Task<string> PostAsync(string page, string handler, IEnumerable<KeyValuePair<string, string>> form)
    {
        var fields = form.ToList();
        fields.Add(new("__RequestVerificationToken", await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page)));
        using var response = await world.Clinician.PostAsync($"{page}?handler={handler}", new FormUrlEncodedContent(fields));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, "a refused form comes back as the page with its error, not a redirect");
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<Guid> LopAsync(Guid athlete, string limb, double mmHg)
    {
        using var r = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{athlete}/lop", new { limb, position = "standing", cuffWidthCm = 11.5, lopMmHg = mmHg });
        r.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Prescribe_RefusedPercent_KeepsLopModalityPercentAndSessions()
    {
        var id = await world.NewScreenedAthleteAsync(40);
        await LopAsync(id, "left-leg", 200);
        var second = await LopAsync(id, "right-leg", 210);
        var page = $"/Athletes/{id}";

        // Aerobic is 50–60% LOP (seed); 85 is refused by the prescriber.
        var html = await PostAsync(page, "Prescribe", [new("lopId", second.ToString()), new("modality", "aerobic"), new("percent", "85"), new("sessionsPerWeek", "3")]);

        WebUtility.HtmlDecode(html).ShouldContain("percent must be 50–60 % LOP for aerobic");
        var form = FormHtml.ById(html, "prescribe-form");
        form.Selected("modality").ShouldBe("aerobic");
        form.Selected("lopId").ShouldBe(second.ToString());
        form.Value("percent").ShouldBe("85");
        form.Value("sessionsPerWeek").ShouldBe("3");
        // The other forms on the page keep their defaults.
        FormHtml.ById(html, "doppler-form").Value("cuffWidthCm").ShouldBe("11.5");
    }

    [Fact]
    public async Task Estimate_RefusedForAnArm_KeepsTheMeasurements()
    {
        var id = await world.NewScreenedAthleteAsync(40);
        var html = await PostAsync($"/Athletes/{id}", "Estimate",
            [new("limb", "right-arm"), new("position", "supine"), new("cuffWidthCm", "18"), new("thighCircumferenceCm", "55.5"), new("systolicMmHg", "125"), new("ageYears", "41")]);

        WebUtility.HtmlDecode(html).ShouldContain("LOP can only be estimated for the thigh");
        var form = FormHtml.ById(html, "estimate-form");
        form.Selected("limb").ShouldBe("right-arm");
        form.Selected("position").ShouldBe("supine");
        form.Value("thighCircumferenceCm").ShouldBe("55.5");
        form.Value("systolicMmHg").ShouldBe("125");
        form.Value("ageYears").ShouldBe("41");
        FormHtml.ById(html, "doppler-form").Selected("limb").ShouldBe("left-leg", "only the posted form shows what was posted");
    }

    [Fact]
    public async Task Plan_RefusedWithoutRaceDay_KeepsVolumeWeeksGoalAndDays()
    {
        var id = await world.NewScreenedAthleteAsync(40);
        var html = await PostAsync($"/Athletes/{id}", "Plan",
        [
            new("weeklyKm", "33"), new("start", RecentDates.Moved("2026-12-07")), new("weeks", "8"), new("availableDays", "mon"), new("availableDays", "wed"), new("availableDays", "sat"),
            new("keyWorkoutDays", "wed"), new("longRunDay", "sat"), new("goalDistance", "10k"), new("goalDate", ""), new("injury", ""), new("injuryDate", ""), new("injurySide", "left"),
        ]);

        html.ShouldContain("goalDate is required with a goal race");
        var form = FormHtml.ById(html, "plan-form");
        form.Value("weeklyKm").ShouldBe("33");
        form.Value("start").ShouldBe(RecentDates.Moved("2026-12-07"));
        form.Value("weeks").ShouldBe("8");
        form.Ticked("availableDays").ShouldBe(["mon", "wed", "sat"]);
        form.Ticked("keyWorkoutDays").ShouldBe(["wed"]);
        form.Selected("longRunDay").ShouldBe("sat");
        form.Selected("goalDistance").ShouldBe("10k");
        form.Selected("injurySide").ShouldBe("left");
    }

    [Fact]
    public async Task Strength_RefusedOtherSideWithoutLimb_KeepsTheResults()
    {
        var id = await world.NewScreenedAthleteAsync(40);
        var html = await PostAsync($"/Athletes/{id}", "Strength",
        [
            new("exercise", "leg-press"), new("testedOn", RecentDates.Moved("2026-11-20")), new("painScore", "3"), new("limbA", "left-leg"), new("involvedA", "true"),
            new("loadKgA", "62.5"), new("repsA", "8"), new("limbB", ""), new("loadKgB", "80"), new("repsB", "8"), new("note", "after physio"),
        ]);

        html.ShouldContain("limbB must name the other side");
        var form = FormHtml.ById(html, "strength-form");
        form.Selected("exercise").ShouldBe("leg-press");
        form.Value("testedOn").ShouldBe(RecentDates.Moved("2026-11-20"));
        form.Value("painScore").ShouldBe("3");
        form.Selected("limbA").ShouldBe("left-leg");
        form.Value("loadKgA").ShouldBe("62.5");
        form.Value("repsA").ShouldBe("8");
        form.Value("loadKgB").ShouldBe("80");
        form.Value("note").ShouldBe("after physio");
    }

    [Fact]
    public async Task AddAthlete_RefusedBirthYear_KeepsNameSexAndInjury()
    {
        var html = await PostAsync("/Clinician", "Add", [new("displayName", "Nina Newcomer"), new("birthYear", "2090"), new("sex", "female"), new("injury", "shin splints, left")]);

        WebUtility.HtmlDecode(html).ShouldContain("birthYear must be 1900–");
        var form = FormHtml.ById(html, "add-athlete");
        form.Value("displayName").ShouldBe("Nina Newcomer");
        form.Value("birthYear").ShouldBe("2090");
        form.Selected("sex").ShouldBe("female");
        form.Value("injury").ShouldBe("shin splints, left");
    }
}
