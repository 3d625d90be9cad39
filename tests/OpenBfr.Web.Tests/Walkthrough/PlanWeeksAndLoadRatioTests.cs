using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace OpenBfr.Web.Tests.Walkthrough;

/// <summary>
/// The athlete page shows the whole plan (it showed weeks 1–2 of a 12-week plan and nothing said
/// where the other ten were), and the acute:chronic ratio as a reader can take it: an ISO date (it
/// was "11/23/2026"), the flag in words with its thresholds (it was "InRange") and its sources.
/// </summary>
public sealed class PlanWeeksAndLoadRatioTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    [Fact]
    public async Task Plan_TwelveWeeks_EveryWeekOnThePageTheFirstTwoOpen()
    {
        var id = await world.NewScreenedAthleteAsync(40);
        var today = DateOnly.FromDateTime(TestToday.Clock.GetUtcNow().UtcDateTime); // the app's today (TestToday)
        var monday = today.AddDays(((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7 is 0 ? 7 : ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7);
        var plan = new { weeklyKm = 40, start = monday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), weeks = 12, availableDays = new[] { "mon", "tue", "thu", "sat", "sun" }, keyWorkoutDays = new[] { "tue" }, longRunDay = "sun" };
        (await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/plan", plan)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var html = await world.Clinician.GetStringAsync($"/Athletes/{id}");

        var weeks = Regex.Matches(html, "<details class=\"plan-week\" data-week-number=\"(\\d+)\"( open=\"open\")?>").Select(m => (Number: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Open: m.Groups[2].Success)).ToList();
        weeks.Select(w => w.Number).ShouldBe(Enumerable.Range(1, 12));
        weeks.Where(w => w.Open).Select(w => w.Number).ShouldBe([1, 2], "a plan that starts next Monday opens its first two weeks");
        html.ShouldContain("data-week=\"12\"");
        html.ShouldContain($"Week 12 ·");
        html.ShouldContain($"from {monday.AddDays(77):yyyy-MM-dd}");
    }

    [Fact]
    public async Task LoadRatio_AfterAnImport_IsoDateFlagInWordsAndSources()
    {
        var id = await world.NewScreenedAthleteAsync(40);
        var day = TestToday.Clock.GetUtcNow().UtcDateTime.Date.AddDays(-3); // three days before the app's today (TestToday)
        string At(int minutes) => day.AddHours(7).AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var gpx = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
              <trk><type>running</type><trkseg>
                <trkpt lat="52.0000" lon="4.0000"><time>{At(0)}</time></trkpt>
                <trkpt lat="52.0300" lon="4.0000"><time>{At(18)}</time></trkpt>
                <trkpt lat="52.0600" lon="4.0000"><time>{At(36)}</time></trkpt>
              </trkseg></trk>
            </gpx>
            """;
        using var imported = await world.Clinician.PostAsync($"/api/v1/athletes/{id}/activities?fileName=run.gpx", new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(gpx)));
        imported.StatusCode.ShouldBe(HttpStatusCode.OK);

        var html = WebUtility.HtmlDecode(await world.Clinician.GetStringAsync($"/Athletes/{id}"));

        var line = Regex.Match(html, "<p id=\"load-ratio\">(.*?)</p>\\s*<p class=\"source\">(.*?)</p>", RegexOptions.Singleline);
        line.Success.ShouldBeTrue("the ratio's paragraph and its sources");
        var text = Regex.Replace(line.Groups[1].Value, "<[^>]+>|\\s+", " ");
        text.ShouldMatch(@"Acute:chronic load ratio on \d{4}-\d{2}-\d{2}, from the imported runs");
        // One run of history: no ratio yet, said in words (the enum's name was shown before).
        text.ShouldContain("not enough history: 28 days are needed");
        text.ShouldNotContain("InsufficientData");
        text.ShouldContain("not an injury prediction");
        line.Groups[2].Value.ShouldContain(OpenBfr.Core.Sources.Williams2017);
        line.Groups[2].Value.ShouldContain(OpenBfr.Core.Sources.Gabbett2016);
    }

    [Theory]
    [InlineData(OpenBfr.Core.Metrics.WorkloadFlag.High, "high: above 1.5, a spike in load")]
    [InlineData(OpenBfr.Core.Metrics.WorkloadFlag.Low, "low: below 0.8")]
    [InlineData(OpenBfr.Core.Metrics.WorkloadFlag.InRange, "within 0.8–1.5")]
    public void FlagText_EachFlag_NamesItsThreshold(OpenBfr.Core.Metrics.WorkloadFlag flag, string expected)
        => OpenBfr.Web.Pages.Athletes.DetailModel.FlagText(flag).ShouldBe(expected);
}
