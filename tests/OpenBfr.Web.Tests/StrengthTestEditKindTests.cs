using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenBfr.Web.Tests;

/// <summary>
/// The strength correction page shows only the measurement fields of the test's kind (load, hop
/// distance, hop time, none for a check-in); the others are hidden and disabled, so they are not
/// posted. A field of another kind posted anyway is refused, naming the field and its value.
/// </summary>
public sealed partial class StrengthTestEditKindTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    private static readonly string[] Inputs = ["Form.Limb", "Form.Involved", "Form.LoadKg", "Form.Reps", "Form.OneRepMaxKg", "Form.HopDistanceCm", "Form.HopTimeSeconds"];

    /// <summary>Each measurement input on the page and whether it shows: in a group neither hidden nor disabled (a hidden group must be disabled too).</summary>
    internal static Dictionary<string, bool> Shown(string html)
    {
        var shown = new Dictionary<string, bool>();
        foreach (Match group in GroupPattern().Matches(html))
        {
            var hidden = group.Groups["hidden"].Success;
            hidden.ShouldBe(group.Groups["disabled"].Success, $"a hidden group is disabled and a shown one is not: {group.Groups["measures"].Value}");
            foreach (Match input in NamePattern().Matches(group.Groups["body"].Value))
            {
                shown.Add(input.Groups[1].Value, !hidden);
            }
        }
        return shown;
    }

    [GeneratedRegex("""<fieldset class="measure" data-measures="(?<measures>[^"]*)"(?<hidden> hidden="hidden")?(?<disabled> disabled="disabled")?>(?<body>.*?)</fieldset>""", RegexOptions.Singleline)]
    internal static partial Regex GroupPattern();

    [GeneratedRegex("<(?:input|select) [^>]*name=\"([A-Za-z.]+)\"")]
    private static partial Regex NamePattern();

    private async Task<(Guid Athlete, Guid Test)> RecordAsync(string exercise, object[] results, int? pain = null)
    {
        var id = await world.NewAthleteAsync();
        var rows = await RevisionTestKit.RecordAsync(world.Clinician, id, exercise, RecentDates.Moved("2026-11-10"), results, pain);
        return (id, rows[0].GetProperty("id").GetGuid());
    }

    public static readonly TheoryData<string, string, string, string[]> Kinds = new()
    {
        // exercise, one result as JSON (empty for a check-in), its kind, the inputs that show
        { "leg-press", """{"limb":"right-leg","involved":true,"loadKg":80,"reps":8}""", "load", ["Form.Limb", "Form.Involved", "Form.LoadKg", "Form.Reps", "Form.OneRepMaxKg"] },
        { "timed-hop", """{"limb":"right-leg","involved":true,"hopTimeSeconds":2.4}""", "hop-time", ["Form.Limb", "Form.Involved", "Form.HopTimeSeconds"] },
        { "single-leg-hop", """{"limb":"left-leg","hopDistanceCm":140}""", "hop-distance", ["Form.Limb", "Form.Involved", "Form.HopDistanceCm"] },
        { "check-in", "", "check-in", [] },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EditPage_EachKind_ShowsOnlyItsMeasurementFields(string exercise, string result, string measure, string[] expected)
    {
        object[] results = result.Length == 0 ? [] : [JsonSerializer.Deserialize<JsonElement>(result)];
        var (id, test) = await RecordAsync(exercise, results, pain: 2);

        var html = await world.Clinician.GetStringAsync($"/Athletes/{id}/StrengthTests/{test}/Edit");

        var shown = Shown(html);
        shown.Keys.Order().ShouldBe(Inputs.Order(), "every measurement input is in exactly one group");
        shown.Where(s => s.Value).Select(s => s.Key).Order().ShouldBe(expected.Order());
        html.ShouldContain($"value=\"{exercise}\" data-measure=\"{measure}\" selected=\"selected\""); // what the script switches on
    }

    [Fact]
    public async Task EditPage_TimedHopWithHopTime_ValueInTheShownFieldAndNoLoadInputShown()
    {
        var (id, test) = await RecordAsync("timed-hop", [new { limb = "right-leg", involved = true, hopTimeSeconds = 2.4 }]);
        var html = await world.Clinician.GetStringAsync($"/Athletes/{id}/StrengthTests/{test}/Edit");
        html.ShouldContain("name=\"Form.HopTimeSeconds\" type=\"number\" step=\"any\" min=\"1\" max=\"10\" value=\"2.4\"");
        var load = GroupPattern().Matches(html).Single(g => g.Groups["measures"].Value == "load");
        (load.Groups["hidden"].Success, load.Groups["disabled"].Success).ShouldBe((true, true));
        load.Groups["body"].Value.ShouldContain("name=\"Form.LoadKg\"");
    }

    public static readonly TheoryData<string, string, Dictionary<string, string>, string> Foreign = new()
    {
        {
            "timed-hop", """{"limb":"right-leg","involved":true,"hopTimeSeconds":2.4}""",
            new() { ["Form.Exercise"] = "timed-hop", ["Form.TestedOn"] = RecentDates.Moved("2026-11-10"), ["Form.Limb"] = "right-leg", ["Form.Involved"] = "true", ["Form.HopTimeSeconds"] = "2.2", ["Form.OneRepMaxKg"] = "80" },
            "oneRepMaxKg is only for load tests; timed-hop is a hop test: give hopTimeSeconds (1–10 s), not loadKg, reps or oneRepMaxKg; was 80"
        },
        {
            "single-leg-hop", """{"limb":"left-leg","hopDistanceCm":140}""",
            new() { ["Form.Exercise"] = "single-leg-hop", ["Form.TestedOn"] = RecentDates.Moved("2026-11-10"), ["Form.Limb"] = "left-leg", ["Form.HopDistanceCm"] = "150", ["Form.Reps"] = "6" },
            "reps is only for load tests; single-leg-hop is a hop test: give hopDistanceCm (10–1500 cm), not loadKg, reps or oneRepMaxKg; was 6"
        },
        {
            "leg-press", """{"limb":"right-leg","involved":true,"loadKg":80,"reps":8}""",
            new() { ["Form.Exercise"] = "leg-press", ["Form.TestedOn"] = RecentDates.Moved("2026-11-10"), ["Form.Limb"] = "right-leg", ["Form.LoadKg"] = "85", ["Form.Reps"] = "8", ["Form.HopTimeSeconds"] = "2.2" },
            "hopTimeSeconds is only for the timed hop; leg-press takes loadKg and reps or oneRepMaxKg; was 2.2"
        },
        {
            "leg-press", """{"limb":"right-leg","involved":true,"loadKg":80,"reps":8}""",
            new() { ["Form.Exercise"] = "leg-press", ["Form.TestedOn"] = RecentDates.Moved("2026-11-10"), ["Form.Limb"] = "right-leg", ["Form.LoadKg"] = "85", ["Form.Reps"] = "8", ["Form.HopDistanceCm"] = "150" },
            "hopDistanceCm is only for hop tests; leg-press takes loadKg and reps or oneRepMaxKg; was 150"
        },
        {
            // A check-in posted with a limb: refused (it used to be dropped without a word).
            "check-in", "",
            new() { ["Form.Exercise"] = "check-in", ["Form.TestedOn"] = RecentDates.Moved("2026-11-10"), ["Form.PainScore"] = "1", ["Form.Limb"] = "right-leg" },
            "limb must be empty for a check-in (it records pain and the stage decision only), was 'right-leg'"
        },
    };

    [Theory]
    [MemberData(nameof(Foreign))]
    public async Task EditPage_PostWithAFieldOfAnotherKind_RefusedNamingTheFieldAndNothingSaved(string exercise, string result, Dictionary<string, string> form, string message)
    {
        object[] results = result.Length == 0 ? [] : [JsonSerializer.Deserialize<JsonElement>(result)];
        var (id, test) = await RecordAsync(exercise, results, pain: 2);
        var edit = $"/Athletes/{id}/StrengthTests/{test}/Edit";

        using var response = await WebAppFactory.PostFormAsync(world.Clinician, edit, form);

        response.StatusCode.ShouldBe(HttpStatusCode.OK); // the form again, with the error
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.ShouldContain(message);
        var (_, etag, row) = await RevisionTestKit.GetAsync(world.Clinician, $"/api/v1/athletes/{id}/strength-tests/{test}");
        (etag, row.GetProperty("painScore").GetInt32()).ShouldBe(("\"1\"", 2)); // nothing saved
        (await RevisionTestKit.RevisionRowsAsync(world.App, test)).ShouldBeEmpty();
    }

    [Fact]
    public async Task PostStrengthTest_HopTestWithOneRepMax_ProblemNamesOneRepMaxKgAndItsValue()
    {
        using var response = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests",
            new { exercise = "triple-hop", testedOn = RecentDates.Moved("2026-11-10"), results = new[] { new { limb = "right-leg", hopDistanceCm = 400, oneRepMaxKg = 80 } } });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await LopKit.ErrorAsync(response, "results[0].oneRepMaxKg"))
            .ShouldBe("results[0].oneRepMaxKg is only for load tests; triple-hop is a hop test: give hopDistanceCm (10–1500 cm), not loadKg, reps or oneRepMaxKg; was 80");
    }
}
