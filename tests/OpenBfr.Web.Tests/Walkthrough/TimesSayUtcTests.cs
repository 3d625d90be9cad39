using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenBfr.Web.Tests.Walkthrough;

/// <summary>
/// Clock times on the pages are UTC (the live page said so; the dashboard, the athlete page and the
/// history pages showed the same UTC times unlabelled, read as local time by a therapist in
/// another zone): each says UTC, and a time recorded with an offset shows converted.
/// </summary>
public sealed class TimesSayUtcTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    [Fact]
    public async Task LopMeasuredWithAnOffset_ShownInUtcUnderUtcHeadings_OnEveryPage()
    {
        var id = await world.NewScreenedAthleteAsync(40);
        // Yesterday 09:30 at UTC+2 (a LOP is usable for 7 days): 07:30 UTC.
        var day = DateOnly.FromDateTime(TestToday.Clock.GetUtcNow().UtcDateTime).AddDays(-1); // the app's yesterday (TestToday)
        var measured = new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 30)), TimeSpan.FromHours(2));
        var shown = $"<td>{day:yyyy-MM-dd} 07:30</td>";
        using var created = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/lop",
            new { limb = "left-leg", position = "standing", cuffWidthCm = 11.5, lopMmHg = 200, measuredAt = measured });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var lopId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var prescribed = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/prescriptions", new { lopId, modality = "resistance" });
        prescribed.StatusCode.ShouldBe(HttpStatusCode.Created);
        var prescriptionId = (await prescribed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var athlete = WebUtility.HtmlDecode(await world.Clinician.GetStringAsync($"/Athletes/{id}"));
        var lopTable = Regex.Match(athlete, "<table class=\"grid\" id=\"lop-table\">.*?</table>", RegexOptions.Singleline).Value;
        lopTable.ShouldContain("<th>Measured (UTC)</th>");
        lopTable.ShouldContain(shown);
        athlete.ShouldContain("<th>Started (UTC)</th>");

        (await world.Clinician.GetStringAsync("/Clinician")).ShouldContain("<th>Last session (UTC)</th>");

        var lopHistory = await world.Clinician.GetStringAsync($"/Athletes/{id}/Lop/{lopId}/History");
        lopHistory.ShouldContain("<th>Measured (UTC)</th>");
        lopHistory.ShouldContain("<th>Written (UTC)</th>");
        lopHistory.ShouldContain(shown);

        var prescriptionHistory = await world.Clinician.GetStringAsync($"/Athletes/{id}/Prescriptions/{prescriptionId}/History");
        Regex.IsMatch(prescriptionHistory, @"prescribed \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\.").ShouldBeTrue("the prescription's time says UTC");
        prescriptionHistory.ShouldContain("<th>Written (UTC)</th>");
    }
}
