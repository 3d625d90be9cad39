using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Data;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Tests;

/// <summary>
/// The prescription history page over real HTTP: the pressures of each version after a LOP
/// correction, the LOP version each came from, the athlete page's links, who may read it, and a
/// retired prescription's reason.
/// </summary>
public sealed partial class PrescriptionHistoryPageTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    private static string Page(Guid athleteId, Guid prescriptionId) => $"/Athletes/{athleteId}/Prescriptions/{prescriptionId}/History";

    private async Task<(Guid Athlete, Guid Lop, Guid Prescription)> PrescribedAsync(double lopMmHg)
    {
        var id = await world.NewAthleteAsync();
        await LopKit.EligibleAsync(world.App, world.ClinicianUserId, id);
        var lop = (await LopKit.RecordAsync(world.Clinician, id, lopMmHg)).GetProperty("id").GetGuid();
        var rx = (await LopKit.PrescribeAsync(world.Clinician, id, lop, percent: 80)).GetProperty("id").GetGuid();
        return (id, lop, rx);
    }

    /// <summary>The table row of one version (decoded), by its version number.</summary>
    private static string Row(string html, int version)
    {
        var rows = RowPattern().Matches(html).Where(m => m.Groups[1].Value == version.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        rows.Count.ShouldBe(1, $"one row for version {version}");
        return WebUtility.HtmlDecode(rows[0].Value);
    }

    [GeneratedRegex("""<tr data-version="(\d+)"[^>]*>.*?</tr>""", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [Fact]
    public async Task HistoryPage_LopCorrected260To160_ShowsTheOld208AndTheNew128WithTheLopVersionEachCameFrom()
    {
        var (id, lop, rx) = await PrescribedAsync(260);
        var athletePage = await world.Clinician.GetStringAsync($"/Athletes/{id}");
        athletePage.ShouldContain($"class=\"prescription-history\" href=\"{Page(id, rx)}\"");
        var before = await world.Clinician.GetStringAsync(Page(id, rx));
        Row(before, 1).ShouldContain("208 mmHg"); // 80% of 260
        RowPattern().Matches(before).Count.ShouldBe(1);

        using var put = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, LopKit.Lop(id, lop), new { lopMmHg = 160, note = "typed 260 for 160" }, "\"1\"");
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());

        var html = await world.Clinician.GetStringAsync(Page(id, rx));
        var decoded = WebUtility.HtmlDecode(html);
        var current = Row(html, 2);
        var earlier = Row(html, 1);
        decoded.IndexOf(current, StringComparison.Ordinal).ShouldBeLessThan(decoded.IndexOf(earlier, StringComparison.Ordinal)); // newest first
        current.ShouldContain("class=\"status-current\"");
        current.ShouldContain("<td class=\"target\">128 mmHg</td>"); // 80% of 160
        current.ShouldContain("<td class=\"band\">80–128 mmHg</td>"); // 50–80% of 160
        current.ShouldContain("<td class=\"percent\">80%</td>");
        current.ShouldContain("LOP version 2: right-leg standing 160 mmHg (doppler");
        current.ShouldContain("by pt");
        earlier.ShouldContain("class=\"status-corrected\"");
        earlier.ShouldContain("<td class=\"target\">208 mmHg</td>");
        earlier.ShouldContain("<td class=\"band\">130–208 mmHg</td>"); // 50–80% of 260
        earlier.ShouldContain("LOP version 1: right-leg standing 260 mmHg (doppler");
        earlier.ShouldMatch(@"corrected \d{4}-\d\d-\d\d \d\d:\d\d:\d\d by pt");
        decoded.ShouldContain("id=\"prescription-state\" class=\"state-current\"");
        decoded.ShouldContain($"href=\"/Athletes/{id}/Lop/{lop}/History\"");

        // The LOP's own history leads here too.
        (await world.Clinician.GetStringAsync($"/Athletes/{id}/Lop/{lop}/History")).ShouldContain($"href=\"{Page(id, rx)}\"");
    }

    [Fact]
    public async Task HistoryPage_OutsiderUnlinkedOrWrongAthlete_IsNotFound_AndALinkedClinicianReadIsAudited()
    {
        var (id, _, rx) = await PrescribedAsync(200);
        var outsider = $"outsider-{Guid.NewGuid():N}@t.org";
        var outsiderId = (await world.App.CreateUserAsync(outsider, Roles.Clinician)).Id;
        var stranger = await world.App.SignedInAsync(outsider);

        (await world.Clinician.GetAsync(Page(id, rx))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stranger.GetAsync(Page(id, rx))).StatusCode.ShouldBe(HttpStatusCode.NotFound); // a clinician not linked to the athlete
        (await world.Athlete.GetAsync(Page(id, rx))).StatusCode.ShouldBe(HttpStatusCode.NotFound); // another athlete's account
        (await world.Clinician.GetAsync(Page(world.AthleteId, rx))).StatusCode.ShouldBe(HttpStatusCode.NotFound); // this prescription under another athlete
        (await world.Clinician.GetAsync(Page(id, Guid.NewGuid()))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var anonymous = await world.App.Anonymous().GetAsync(Page(id, rx));
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        anonymous.Headers.Location!.OriginalString.ShouldContain("/Account/Login");

        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        var audit = await db.AuditLog.Where(e => e.AthleteId == id && e.Action.EndsWith("prescription.revisions.read")).ToListAsync();
        audit.ShouldContain(e => e.ActorUserId == world.ClinicianUserId && e.Action == "prescription.revisions.read");
        audit.ShouldContain(e => e.ActorUserId == outsiderId && e.Action == "denied:prescription.revisions.read");
    }

    [Fact]
    public async Task HistoryPage_LopWithdrawn_ShowsTheRetiredPrescriptionWithItsReasonAndWho()
    {
        var (id, lop, rx) = await PrescribedAsync(260);
        using var withdraw = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Delete, LopKit.Lop(id, lop) + "?reason=measured%20on%20the%20wrong%20cuff", null, "\"1\"");
        withdraw.StatusCode.ShouldBe(HttpStatusCode.OK, await withdraw.Content.ReadAsStringAsync());

        // The athlete page lists it as retired, with the link.
        (await world.Clinician.GetStringAsync($"/Athletes/{id}")).ShouldContain($"class=\"prescription-history\" href=\"{Page(id, rx)}\"");
        var html = WebUtility.HtmlDecode(await world.Clinician.GetStringAsync(Page(id, rx)));
        html.ShouldContain("class=\"warn state-retired\"");
        html.ShouldMatch(@"Retired \d{4}-\d\d-\d\d \d\d:\d\d by pt:");
        var reason = Regex.Match(html, "<span id=\"retired-reason\">(.*?)</span>", RegexOptions.Singleline);
        reason.Success.ShouldBeTrue();
        reason.Groups[1].Value.ShouldContain("the LOP record right-leg standing 260 mmHg (doppler, measured ");
        reason.Groups[1].Value.ShouldContain("(measured on the wrong cuff)");
        html.ShouldNotContain("id=\"replaced-by\"");
        // Its pressures stay as they were: one version, 208 mmHg, still the row's version (retiring is not a correction).
        Row(html, 1).ShouldContain("<td class=\"target\">208 mmHg</td>");
        RowPattern().Matches(html).Count.ShouldBe(1);
    }

    [Fact]
    public async Task HistoryPage_ReplacedByANewPrescription_SaysSoAndLinksToIt()
    {
        var (id, lop, rx) = await PrescribedAsync(200);
        var newer = (await LopKit.PrescribeAsync(world.Clinician, id, lop, percent: 60)).GetProperty("id").GetGuid();

        var html = WebUtility.HtmlDecode(await world.Clinician.GetStringAsync(Page(id, rx)));
        html.ShouldContain("class=\"warn state-retired\"");
        html.ShouldNotContain("id=\"retired-reason\"");
        var replaced = Regex.Match(html, "<span id=\"replaced-by\">(.*?)</span>", RegexOptions.Singleline);
        replaced.Success.ShouldBeTrue();
        replaced.Groups[1].Value.ShouldContain($"href=\"{Page(id, newer)}\"");
        replaced.Groups[1].Value.ShouldContain("target 120 mmHg at 60% LOP"); // 60% of 200
        html.ShouldMatch(@"Retired \d{4}-\d\d-\d\d \d\d:\d\d by pt:");
        (await world.Clinician.GetStringAsync(Page(id, newer))).ShouldContain("class=\"state-current\"");
    }
}
