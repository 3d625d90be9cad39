using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenBfr.Web.Tests.Walkthrough;

/// <summary>
/// Page basics a browser shows: every page named its icon nowhere, so the browser asked for
/// /favicon.ico and logged a 404 on each page; the live page's title was just "Session", the same
/// for every session in a tab list or the browser history.
/// </summary>
public sealed class PageBasicsTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    [Fact]
    public async Task Layout_NamesAnIconThatIsServed()
    {
        var html = await world.Clinician.GetStringAsync("/Clinician");
        var icon = Regex.Match(html, "<link rel=\"icon\" type=\"image/svg\\+xml\" href=\"([^\"]+)\" />");
        icon.Success.ShouldBeTrue("the layout names the page icon");

        using var served = await world.Clinician.GetAsync(WebUtility.HtmlDecode(icon.Groups[1].Value));
        served.StatusCode.ShouldBe(HttpStatusCode.OK);
        served.Content.Headers.ContentType!.MediaType.ShouldBe("image/svg+xml");
        (await served.Content.ReadAsStringAsync()).ShouldStartWith("<svg");
    }

    [Fact]
    public async Task LivePage_Title_NamesTheProtocolAndWhenItStarted()
    {
        var id = await world.NewScreenedAthleteAsync(40);
        using var lop = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/lop", new { limb = "left-leg", position = "standing", cuffWidthCm = 11.5, lopMmHg = 200 });
        var lopId = (await lop.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var rx = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/prescriptions", new { lopId, modality = "resistance" });
        var prescriptionId = (await rx.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var started = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/sessions", new { prescriptionIds = new[] { prescriptionId } });
        started.StatusCode.ShouldBe(HttpStatusCode.Created);
        var session = await started.Content.ReadFromJsonAsync<JsonElement>();
        var sessionId = session.GetProperty("id").GetGuid();
        try
        {
            var html = WebUtility.HtmlDecode(await world.Clinician.GetStringAsync($"/Sessions/{sessionId}"));

            var startedAt = session.GetProperty("startedAt").GetDateTimeOffset().ToUniversalTime();
            Regex.Match(html, "<title>(.*?)</title>").Groups[1].Value
                .ShouldBe($"strength-lower session (simulated), {startedAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC – OpenBFR");
        }
        finally
        {
            (await world.Clinician.PostAsync($"/api/v1/sessions/{sessionId}/stop", null)).IsSuccessStatusCode.ShouldBeTrue();
        }
    }
}
