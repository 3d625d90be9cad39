using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenBfr.Web.Tests;

/// <summary>
/// The athlete page's new-test form shows only the result fields of the chosen exercise's kind,
/// for both sides (the same groups as the correction page: <see cref="StrengthTestEditKindTests"/>);
/// the others are hidden and disabled, so they are not posted. A field of another kind posted
/// anyway is refused, naming the field and its value, and nothing is saved.
/// </summary>
public sealed class StrengthTestCreateKindTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    private static readonly string[] Inputs =
        ["limbA", "involvedA", "loadKgA", "repsA", "oneRepMaxKgA", "hopCmA", "hopSecondsA", "limbB", "loadKgB", "repsB", "oneRepMaxKgB", "hopCmB", "hopSecondsB"];

    private async Task<HttpResponseMessage> PostAsync(Guid id, Dictionary<string, string> form)
    {
        var page = $"/Athletes/{id}";
        form["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page);
        return await world.Clinician.PostAsync(page + "?handler=Strength", new FormUrlEncodedContent(form));
    }

    private async Task<JsonElement> TestsAsync(Guid id) => await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests");

    [Fact]
    public async Task AthletePage_NewTest_ShowsTheFirstExercisesLoadFieldsAndEachOptionsKind()
    {
        var id = await world.NewAthleteAsync();

        var html = await world.Clinician.GetStringAsync($"/Athletes/{id}");

        var shown = StrengthTestEditKindTests.Shown(html);
        shown.Keys.Order().ShouldBe(Inputs.Order(), "every result input of both sides is in exactly one group");
        shown.Where(s => s.Value).Select(s => s.Key).Order()
            .ShouldBe(new[] { "limbA", "involvedA", "loadKgA", "repsA", "oneRepMaxKgA", "limbB", "loadKgB", "repsB", "oneRepMaxKgB" }.Order()); // leg press, the first
        // What the script switches on: each option's kind.
        html.ShouldContain("<option value=\"leg-press\" data-measure=\"load\">");
        html.ShouldContain("<option value=\"single-leg-hop\" data-measure=\"hop-distance\">");
        html.ShouldContain("<option value=\"timed-hop\" data-measure=\"hop-time\">");
        html.ShouldContain("<option value=\"check-in\" data-measure=\"check-in\">");
    }

    public static readonly TheoryData<Dictionary<string, string>, string, string[]> Refused = new()
    {
        // a post refused for a reason of its own kind, the error, the inputs the form shows again
        {
            new() { ["exercise"] = "timed-hop", ["testedOn"] = RecentDates.Moved("2026-11-10"), ["limbA"] = "right-leg", ["hopSecondsA"] = "20" },
            "results[0].hopTimeSeconds must be", ["limbA", "involvedA", "hopSecondsA", "limbB", "hopSecondsB"]
        },
        {
            new() { ["exercise"] = "single-leg-hop", ["testedOn"] = RecentDates.Moved("2026-11-10"), ["limbA"] = "right-leg", ["hopCmA"] = "5" },
            "results[0].hopDistanceCm must be", ["limbA", "involvedA", "hopCmA", "limbB", "hopCmB"]
        },
        {
            new() { ["exercise"] = "check-in", ["testedOn"] = RecentDates.Moved("2026-11-10") },
            "a check-in needs painScore (0–10) or a clinician's stageClearance", []
        },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task AthletePage_RefusedPost_FormShowsThePostedExercisesFields(Dictionary<string, string> form, string error, string[] expected)
    {
        var id = await world.NewAthleteAsync();

        using var response = await PostAsync(id, form);

        response.StatusCode.ShouldBe(HttpStatusCode.OK); // the page again, with the error
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.ShouldContain(error);
        html.ShouldContain($"value=\"{form["exercise"]}\" data-measure=\"");
        html[html.IndexOf($"value=\"{form["exercise"]}\" data-measure=\"", StringComparison.Ordinal)..].Split('>')[0].ShouldEndWith("selected=\"selected\"");
        StrengthTestEditKindTests.Shown(html).Where(s => s.Value).Select(s => s.Key).Order().ShouldBe(expected.Order());
    }

    public static readonly TheoryData<Dictionary<string, string>, string> Foreign = new()
    {
        {
            new() { ["exercise"] = "timed-hop", ["testedOn"] = RecentDates.Moved("2026-11-10"), ["limbA"] = "right-leg", ["involvedA"] = "true", ["hopSecondsA"] = "2.2", ["oneRepMaxKgA"] = "80" },
            "results[0].oneRepMaxKg is only for load tests; timed-hop is a hop test: give hopTimeSeconds (1–10 s), not loadKg, reps or oneRepMaxKg; was 80"
        },
        {
            // the other side's field
            new() { ["exercise"] = "single-leg-hop", ["testedOn"] = RecentDates.Moved("2026-11-10"), ["limbA"] = "right-leg", ["hopCmA"] = "150", ["limbB"] = "left-leg", ["hopCmB"] = "160", ["repsB"] = "6" },
            "results[1].reps is only for load tests; single-leg-hop is a hop test: give hopDistanceCm (10–1500 cm), not loadKg, reps or oneRepMaxKg; was 6"
        },
        {
            new() { ["exercise"] = "leg-press", ["testedOn"] = RecentDates.Moved("2026-11-10"), ["limbA"] = "right-leg", ["loadKgA"] = "85", ["repsA"] = "8", ["hopSecondsA"] = "2.2" },
            "results[0].hopTimeSeconds is only for the timed hop; leg-press takes loadKg and reps or oneRepMaxKg; was 2.2"
        },
        {
            new() { ["exercise"] = "leg-press", ["testedOn"] = RecentDates.Moved("2026-11-10"), ["limbA"] = "right-leg", ["loadKgA"] = "85", ["repsA"] = "8", ["limbB"] = "left-leg", ["loadKgB"] = "80", ["repsB"] = "8", ["hopCmB"] = "150" },
            "results[1].hopDistanceCm is only for hop tests; leg-press takes loadKg and reps or oneRepMaxKg; was 150"
        },
        {
            // A check-in posted with a limb or a load: refused (the page used to drop them without a word).
            new() { ["exercise"] = "check-in", ["testedOn"] = RecentDates.Moved("2026-11-10"), ["painScore"] = "1", ["limbA"] = "right-leg", ["involvedA"] = "true" },
            "results[0].limb must be empty for a check-in (it records pain and the stage decision only: no results), was 'right-leg'"
        },
        {
            new() { ["exercise"] = "check-in", ["testedOn"] = RecentDates.Moved("2026-11-10"), ["painScore"] = "1", ["loadKgA"] = "60" },
            "results[0].loadKg must be empty for a check-in (it records pain and the stage decision only: no results), was 60"
        },
    };

    // The other side's values without its limb: the page used to drop them without a word.
    public static readonly TheoryData<Dictionary<string, string>, string> OtherSideWithoutLimb = new()
    {
        {
            new() { ["exercise"] = "leg-press", ["testedOn"] = RecentDates.Moved("2026-11-10"), ["limbA"] = "right-leg", ["loadKgA"] = "85", ["repsA"] = "8", ["limbB"] = "", ["loadKgB"] = "80.5", ["repsB"] = "8" },
            "limbB must name the other side (left-leg, right-leg, left-arm or right-arm) when its values are given; was empty with loadKgB 80.5"
        },
        {
            new() { ["exercise"] = "timed-hop", ["testedOn"] = RecentDates.Moved("2026-11-10"), ["limbA"] = "right-leg", ["hopSecondsA"] = "2.2", ["hopSecondsB"] = "2.4" },
            "limbB must name the other side (left-leg, right-leg, left-arm or right-arm) when its values are given; was empty with hopSecondsB 2.4"
        },
    };

    [Theory]
    [MemberData(nameof(Foreign))]
    public Task AthletePage_PostWithAFieldOfAnotherKind_RefusedNamingTheFieldAndNothingSaved(Dictionary<string, string> form, string message)
        => RefusedAndNothingSavedAsync(form, message);

    [Theory]
    [MemberData(nameof(OtherSideWithoutLimb))]
    public Task AthletePage_OtherSidesValuesWithoutItsLimb_RefusedNamingLimbBAndNothingSaved(Dictionary<string, string> form, string message)
        => RefusedAndNothingSavedAsync(form, message);

    private async Task RefusedAndNothingSavedAsync(Dictionary<string, string> form, string message)
    {
        var id = await world.NewAthleteAsync();

        using var response = await PostAsync(id, form);

        response.StatusCode.ShouldBe(HttpStatusCode.OK); // the page again, with the error
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).ShouldContain(message);
        (await TestsAsync(id)).GetArrayLength().ShouldBe(0); // nothing saved
    }

    [Fact]
    public async Task AthletePage_CheckInWithoutResultFields_Recorded()
    {
        // What the form posts for a check-in now that its result fields are disabled: no limb, no tick.
        var id = await world.NewAthleteAsync();

        using var response = await PostAsync(id, new() { ["exercise"] = "check-in", ["testedOn"] = RecentDates.Moved("2026-11-10"), ["painScore"] = "2" });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var row = (await TestsAsync(id)).EnumerateArray().ShouldHaveSingleItem();
        (row.GetProperty("exercise").GetString(), row.GetProperty("painScore").GetInt32()).ShouldBe(("check-in", 2));
    }
}
