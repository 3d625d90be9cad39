using System.Net;
using System.Net.Http.Json;

namespace OpenBfr.Web.Tests.Walkthrough;

/// <summary>
/// The prescription form's "From LOP" choices named each LOP's day as "11-21" (no year, read as
/// 11 or 21 November, or as a LOP of last year); they now give the full date and time in UTC, as
/// the LOP table beside them does.
/// </summary>
public sealed class PrescribeFromLopOptionTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    [Fact]
    public async Task PrescribeForm_LopChoice_NamesTheFullDateAndTime()
    {
        var id = await world.NewScreenedAthleteAsync(40);
        var measured = new DateTimeOffset(TestToday.Clock.GetUtcNow().UtcDateTime.Date.AddDays(-2).AddHours(8).AddMinutes(15), TimeSpan.Zero);
        using var lop = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/lop", new { limb = "right-leg", position = "standing", cuffWidthCm = 11.5, lopMmHg = 231, measuredAt = measured });
        lop.StatusCode.ShouldBe(HttpStatusCode.Created);

        var html = WebUtility.HtmlDecode(await world.Clinician.GetStringAsync($"/Athletes/{id}"));

        var form = FormHtml.ById(html, "prescribe-form");
        html.ShouldContain($"right-leg standing 231 mmHg (doppler, {measured.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC)</option>");
        form.Selected("lopId").ShouldNotBeNull();
    }
}
