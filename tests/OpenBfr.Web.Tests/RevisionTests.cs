using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Core.Screening;
using OpenBfr.Data;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Revisions;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Screening;
using OpenBfr.Web.Strength;

namespace OpenBfr.Web.Tests;

/// <summary>Helpers shared by the revision and concurrency tests.</summary>
internal static class RevisionTestKit
{
    public static async Task<List<JsonElement>> RecordAsync(HttpClient client, Guid athleteId, string exercise, string on, object[] results, int? pain = null, bool? stage = null)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/strength-tests", new { exercise, testedOn = on, results, painScore = pain, stageClearance = stage });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
    }

    public static object Side(string limb, bool involved, double kg, int reps) => new { limb, involved, loadKg = kg, reps };

    /// <summary>A PUT or DELETE naming the version it read (null: no If-Match).</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, object? body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await client.SendAsync(request);
    }

    public static async Task<(HttpStatusCode Status, string? ETag, JsonElement Body)> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.ETag?.ToString(), text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<List<RecordRevision>> RevisionRowsAsync(WebAppFactory app, Guid recordId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        return await db.RecordRevisions.AsNoTracking().Where(r => r.RecordId == recordId).OrderBy(r => r.Version).ToListAsync();
    }

    /// <summary>A screening of the athlete's that needs clearance for diabetes on every limb, cleared on all limbs by <paramref name="clinician"/>; the clearance's id.</summary>
    public static async Task<Guid> ClearDiabetesAsync(WebAppFactory app, HttpClient clinician, string clinicianUserId, Guid athleteId, string note)
    {
        var answers = Questionnaire.Default.YesNoItems.ToDictionary(i => i.Id, i => i.Id == "diabetes" ? ItemAnswer.YesAnswer : ItemAnswer.No);
        var given = new ScreeningAnswers(45, 124, 80, answers);
        await app.Services.GetRequiredService<ScreeningService>().SaveAsync(new Viewer(clinicianUserId, false, true, false), athleteId, ScreeningAnswerText.Write(given),
            Screener.Evaluate(given).Limbs.ToDictionary(l => l.Limb, l => new LimbOutcome(l.Eligibility.ToString(), l.ReasonIds)));
        var created = await clinician.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/screening/clearances", new { itemId = "diabetes", note, clearedOn = RecentDates.Text(5) });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>The versions of a history as (version, status, a value of the record), newest first.</summary>
    public static List<(int, string, string)> Versions(JsonElement history, Func<JsonElement, string> value)
        => history.GetProperty("versions").EnumerateArray()
            .Select(v => (v.GetProperty("version").GetInt32(), v.GetProperty("status").GetString()!, value(v.GetProperty("record")))).ToList();

    public static string Load(JsonElement r) => r.GetProperty("loadKg").ValueKind == JsonValueKind.Null ? "–" : r.GetProperty("loadKg").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The revision history of strength tests and clearances: every correction, deletion and revocation
/// keeps the earlier version (values, who, when) in the same transaction; the history survives the
/// delete; the API, the history pages and the deleted-entries page show it.
/// </summary>
public sealed class RevisionHistoryTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    [Fact]
    public async Task Revisions_TwoCorrectionsThenDelete_KeepEveryVersionWithWhoAndWhen()
    {
        var id = await world.NewAthleteAsync();
        var test = (await RevisionTestKit.RecordAsync(world.Clinician, id, "leg-press", RecentDates.Moved("2026-11-10"), [new { limb = "left-leg", involved = true, loadKg = 600, reps = 8 }], pain: 2))[0]
            .GetProperty("id").GetGuid();
        var url = $"/api/v1/athletes/{id}/strength-tests/{test}";
        (await world.Clinician.PutAsJsonAsync(url, new { exercise = "leg-press", limb = "left-leg", involved = true, loadKg = 60, reps = 8, painScore = 2 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.Clinician.PutAsJsonAsync(url, new { exercise = "leg-press", limb = "left-leg", involved = true, loadKg = 62.5, reps = 8, painScore = 3, note = "re-tested" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var (status, _, history) = await RevisionTestKit.GetAsync(world.Clinician, url + "/revisions");
        status.ShouldBe(HttpStatusCode.OK);
        history.GetProperty("removed").GetBoolean().ShouldBeFalse();
        history.GetProperty("kind").GetString().ShouldBe("strength-test");
        RevisionTestKit.Versions(history, RevisionTestKit.Load).ShouldBe([(3, "current", "62.5"), (2, "corrected", "60"), (1, "corrected", "600")]);
        var v = history.GetProperty("versions").EnumerateArray().ToList();
        v[2].GetProperty("record").GetProperty("epleyKg").GetDouble().ShouldBe(760); // Epley 600 × (1 + 8/30): the mistyped value, as it was
        v[1].GetProperty("record").GetProperty("painScore").GetInt32().ShouldBe(2);
        v[0].GetProperty("record").GetProperty("note").GetString().ShouldBe("re-tested");
        // Who wrote each version and who ended it: the clinician ("pt") each time; each version ends when the next is written.
        v.ShouldAllBe(x => x.GetProperty("writtenBy").GetString() == "pt" && x.GetProperty("writtenByUserId").GetString() == world.ClinicianUserId);
        v[0].GetProperty("endedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        v[1].GetProperty("endedAt").GetDateTimeOffset().ShouldBe(v[0].GetProperty("writtenAt").GetDateTimeOffset());
        v[2].GetProperty("endedAt").GetDateTimeOffset().ShouldBe(v[1].GetProperty("writtenAt").GetDateTimeOffset());
        v[2].GetProperty("endedBy").GetString().ShouldBe("pt");

        (await world.Clinician.DeleteAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await RevisionTestKit.GetAsync(world.Clinician, url)).Status.ShouldBe(HttpStatusCode.NotFound);
        (status, _, history) = await RevisionTestKit.GetAsync(world.Clinician, url + "/revisions");
        status.ShouldBe(HttpStatusCode.OK); // the history survives the delete
        history.GetProperty("removed").GetBoolean().ShouldBeTrue();
        RevisionTestKit.Versions(history, RevisionTestKit.Load).ShouldBe([(3, "deleted", "62.5"), (2, "corrected", "60"), (1, "corrected", "600")]);
        history.GetProperty("versions")[0].GetProperty("endedBy").GetString().ShouldBe("pt");

        // Stored: one row per ended version, in the same transactions as the changes; the audit log keeps ids only.
        var rows = await RevisionTestKit.RevisionRowsAsync(world.App, test);
        rows.Select(r => (r.Version, r.Change, r.ChangedByUserId)).ShouldBe([(1, RevisionChange.Corrected, world.ClinicianUserId), (2, RevisionChange.Corrected, world.ClinicianUserId),
            (3, RevisionChange.Deleted, world.ClinicianUserId)]);
        RevisionSnapshot.Read<OpenBfr.Data.Strength.StrengthTestRecord>(rows[0].SnapshotJson).LoadKg.ShouldBe(600);
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        var audit = await db.AuditLog.Where(e => e.AthleteId == id && (e.Action == StrengthService.UpdatedAction || e.Action == StrengthService.DeletedAction)).ToListAsync();
        audit.Count.ShouldBe(3);
        audit.ShouldAllBe(e => e.Detail == test.ToString());

        // Listed with the deleted records, as it stood when deleted.
        var deleted = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/deleted-records");
        var d = deleted.GetProperty("strengthTests").EnumerateArray().Single();
        (d.GetProperty("recordId").GetGuid(), d.GetProperty("version").GetInt32(), d.GetProperty("record").GetProperty("loadKg").GetDouble(), d.GetProperty("removedBy").GetString())
            .ShouldBe((test, 3, 62.5, "pt"));
    }

    [Fact]
    public async Task Revisions_CorrectionOfAPair_KeepsTheOtherSidesEarlierVersionToo()
    {
        var id = await world.NewAthleteAsync();
        var rows = await RevisionTestKit.RecordAsync(world.Clinician, id, "calf-raise", RecentDates.Moved("2026-11-16"), [RevisionTestKit.Side("right-leg", true, 34, 10), RevisionTestKit.Side("left-leg", false, 40, 10)], pain: 1);
        var right = rows.Single(r => r.GetProperty("limb").GetString() == "right-leg").GetProperty("id").GetGuid();
        var left = rows.Single(r => r.GetProperty("limb").GetString() == "left-leg").GetProperty("id").GetGuid();
        (await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/strength-tests/{right}",
            new { exercise = "calf-raise", testedOn = RecentDates.Moved("2026-11-15"), limb = "right-leg", involved = true, loadKg = 34, reps = 10, painScore = 4 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var other = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests/{left}/revisions");
        RevisionTestKit.Versions(other, r => $"{r.GetProperty("testedOn").GetString()} pain {r.GetProperty("painScore").GetInt32()}")
            .ShouldBe([(2, "current", $"{RecentDates.Moved("2026-11-15")} pain 4"), (1, "corrected", $"{RecentDates.Moved("2026-11-16")} pain 1")]);
    }

    [Fact]
    public async Task ClearanceRevisions_CorrectedThenRevoked_KeepBothVersions_AndTheListShowsTheRevokedOne()
    {
        var id = await world.NewAthleteAsync();
        var clearance = await RevisionTestKit.ClearDiabetesAsync(world.App, world.Clinician, world.ClinicianUserId, id, "HbA1c 6.1%");
        var url = $"/api/v1/athletes/{id}/screening/clearances/{clearance}";
        var (status, etag, one) = await RevisionTestKit.GetAsync(world.Clinician, url);
        (status, etag, one.GetProperty("version").GetInt32(), one.GetProperty("note").GetString()).ShouldBe((HttpStatusCode.OK, "\"1\"", 1, "HbA1c 6.1%"));
        (await world.Clinician.PutAsJsonAsync(url, new { note = "HbA1c 6.1%, GP letter 2026-11-15", clearedOn = RecentDates.Text(6) })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.Clinician.DeleteAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var history = await world.Clinician.GetFromJsonAsync<JsonElement>(url + "/revisions");
        history.GetProperty("removed").GetBoolean().ShouldBeTrue();
        RevisionTestKit.Versions(history, c => $"{c.GetProperty("clearedOn").GetString()} {c.GetProperty("note").GetString()}")
            .ShouldBe([(2, "revoked", $"{RecentDates.Text(6)} HbA1c 6.1%, GP letter 2026-11-15"), (1, "corrected", $"{RecentDates.Text(5)} HbA1c 6.1%")]);
        history.GetProperty("versions")[0].GetProperty("endedBy").GetString().ShouldBe("pt");
        var revoked = (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/deleted-records")).GetProperty("clearances").EnumerateArray().Single();
        (revoked.GetProperty("recordId").GetGuid(), revoked.GetProperty("record").GetProperty("itemId").GetString()).ShouldBe((clearance, "diabetes"));
        (await RevisionTestKit.RevisionRowsAsync(world.App, clearance)).Select(r => r.Change).ShouldBe([RevisionChange.Corrected, RevisionChange.Revoked]);
    }

    [Fact]
    public async Task Revisions_UnknownIdOrAnotherAthletesTest_Is404_EvenAfterItWasDeleted()
    {
        var other = await world.NewAthleteAsync();
        var test = (await RevisionTestKit.RecordAsync(world.Clinician, other, "squat", RecentDates.Moved("2026-11-01"), [new { limb = "both", loadKg = 100, reps = 5 }]))[0].GetProperty("id").GetGuid();
        (await world.Clinician.DeleteAsync($"/api/v1/athletes/{other}/strength-tests/{test}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await world.Clinician.GetAsync($"/api/v1/athletes/{other}/strength-tests/{test}/revisions")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The same id through another athlete's route: not found, deleted or not.
        (await world.Clinician.GetAsync($"/api/v1/athletes/{world.AthleteId}/strength-tests/{test}/revisions")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await world.Clinician.GetAsync($"/api/v1/athletes/{other}/strength-tests/{Guid.NewGuid()}/revisions")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await world.Clinician.GetAsync($"/api/v1/athletes/{other}/screening/clearances/{test}/revisions")).StatusCode.ShouldBe(HttpStatusCode.NotFound); // a test's id is not a clearance
        (await world.Clinician.GetAsync($"/Athletes/{world.AthleteId}/StrengthTests/{test}/History")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // The athlete (an account) cannot reach the other athlete's history at all.
        (await world.Athlete.GetAsync($"/api/v1/athletes/{other}/strength-tests/{test}/revisions")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AthletePage_CorrectedTest_LinksToItsHistory_WhichListsVersionsNewestFirst_AndDeletedEntriesStayFindable()
    {
        var id = await world.NewAthleteAsync();
        var test = (await RevisionTestKit.RecordAsync(world.Clinician, id, "knee-extension", RecentDates.Moved("2026-11-12"), [new { limb = "right-leg", oneRepMaxKg = 420 }]))[0].GetProperty("id").GetGuid();
        var athletePage = await world.Clinician.GetStringAsync($"/Athletes/{id}");
        athletePage.ShouldNotContain($"/StrengthTests/{test}/History"); // never corrected: nothing to look back at
        athletePage.ShouldNotContain("id=\"deleted-entries\"");
        (await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/strength-tests/{test}", new { exercise = "knee-extension", limb = "right-leg", oneRepMaxKg = 42 }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        athletePage = await world.Clinician.GetStringAsync($"/Athletes/{id}");
        athletePage.ShouldContain($"class=\"history-link small\" href=\"/Athletes/{id}/StrengthTests/{test}/History\"");

        var page = WebUtility.HtmlDecode(await world.Clinician.GetStringAsync($"/Athletes/{id}/StrengthTests/{test}/History"));
        var current = page.IndexOf("1RM 42 kg (measured)", StringComparison.Ordinal);
        var earlier = page.IndexOf("1RM 420 kg (measured)", StringComparison.Ordinal);
        current.ShouldBeGreaterThan(0);
        earlier.ShouldBeGreaterThan(current); // newest first
        page.ShouldContain("data-version=\"2\" class=\"status-current\"");
        page.ShouldContain("data-version=\"1\" class=\"status-corrected\"");
        page.ShouldContain("by pt");

        (await world.Clinician.DeleteAsync($"/api/v1/athletes/{id}/strength-tests/{test}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        athletePage = await world.Clinician.GetStringAsync($"/Athletes/{id}");
        athletePage.ShouldContain($"id=\"deleted-entries\" href=\"/Athletes/{id}/Deleted\"");
        var deleted = WebUtility.HtmlDecode(await world.Clinician.GetStringAsync($"/Athletes/{id}/Deleted"));
        deleted.ShouldContain($"data-test-id=\"{test}\"");
        deleted.ShouldContain("1RM 42 kg (measured)");
        deleted.ShouldContain($"href=\"/Athletes/{id}/StrengthTests/{test}/History\"");
        var after = WebUtility.HtmlDecode(await world.Clinician.GetStringAsync($"/Athletes/{id}/StrengthTests/{test}/History"));
        after.ShouldContain("id=\"removed-note\"");
        after.ShouldContain("1RM 420 kg (measured)");
    }

    [Fact]
    public async Task ClearanceHistoryPage_AthleteReadsTheirOwn_AndARevokedClearanceIsOnTheDeletedPage()
    {
        var clearance = await RevisionTestKit.ClearDiabetesAsync(world.App, world.Clinician, world.ClinicianUserId, world.AthleteId, "HbA1c 5.9%");
        var url = $"/api/v1/athletes/{world.AthleteId}/screening/clearances/{clearance}";
        (await world.Clinician.PutAsJsonAsync(url, new { note = "HbA1c 5.9%, endocrinologist agrees" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.Athlete.GetStringAsync($"/Athletes/{world.AthleteId}")).ShouldContain($"href=\"/Athletes/{world.AthleteId}/Clearances/{clearance}/History\"");
        var page = await world.Athlete.GetStringAsync($"/Athletes/{world.AthleteId}/Clearances/{clearance}/History");
        page.ShouldContain("HbA1c 5.9%, endocrinologist agrees");
        page.ShouldContain("<td class=\"note\">HbA1c 5.9%</td>");
        (await world.Clinician.DeleteAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var deleted = await world.Athlete.GetStringAsync($"/Athletes/{world.AthleteId}/Deleted");
        deleted.ShouldContain($"data-clearance-id=\"{clearance}\"");
        deleted.ShouldContain("HbA1c 5.9%, endocrinologist agrees");
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheHistoryAndSingleRecordEndpoints()
    {
        var paths = (await world.Clinician.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");
        foreach (var path in new[]
        {
            "/api/v1/athletes/{athleteId}/strength-tests/{testId}/revisions", "/api/v1/athletes/{athleteId}/screening/clearances/{clearanceId}/revisions",
            "/api/v1/athletes/{athleteId}/strength-tests/{testId}", "/api/v1/athletes/{athleteId}/screening/clearances/{clearanceId}", "/api/v1/athletes/{athleteId}/deleted-records",
        })
        {
            paths.GetProperty(path).TryGetProperty("get", out _).ShouldBeTrue(path);
        }
    }
}

/// <summary>
/// Optimistic concurrency: GET gives the version as an ETag; a PUT or DELETE naming an older
/// version in If-Match is refused with 409 saying what changed, when and by whom, and the row
/// keeps the winner's values; the pages carry the version in a hidden field and show a conflict
/// with the current values instead of overwriting.
/// </summary>
public sealed class ConcurrencyTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    [Fact]
    public async Task PutStrengthTest_SecondEditorWithStaleVersion_Is409NamingWhoAndWhen_AndTheRowKeepsTheFirstEdit()
    {
        // The athlete's own entry: both the athlete and their clinician may correct it; both open it at version 1.
        var test = (await RevisionTestKit.RecordAsync(world.Athlete, world.AthleteId, "step-up", RecentDates.Moved("2026-11-14"), [RevisionTestKit.Side("left-leg", false, 20, 10)]))[0].GetProperty("id").GetGuid();
        var url = $"/api/v1/athletes/{world.AthleteId}/strength-tests/{test}";
        var (_, athleteTag, _) = await RevisionTestKit.GetAsync(world.Athlete, url);
        var (_, clinicianTag, seen) = await RevisionTestKit.GetAsync(world.Clinician, url);
        (athleteTag, clinicianTag, seen.GetProperty("version").GetInt32()).ShouldBe(("\"1\"", "\"1\"", 1));

        // The athlete saves first.
        using var first = await RevisionTestKit.SendAsync(world.Athlete, HttpMethod.Put, url, new { exercise = "step-up", limb = "left-leg", loadKg = 25, reps = 10 }, athleteTag);
        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        first.Headers.ETag!.ToString().ShouldBe("\"2\"");

        // The clinician's correction was typed over version 1: refused, saying who changed it and when.
        using var second = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, url, new { exercise = "step-up", limb = "left-leg", loadKg = 22, reps = 10 }, clinicianTag);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        second.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        var detail = problem.GetProperty("detail").GetString()!;
        detail.ShouldStartWith("this strength test was changed by runner at ");
        detail.ShouldContain(" UTC after you read version 1; it is now version 2. Nothing was saved");
        problem.GetProperty("title").GetString().ShouldBe("The record changed since you read it");
        problem.GetProperty("currentVersion").GetInt32().ShouldBe(2);
        problem.GetProperty("changedBy").GetString().ShouldBe("runner");
        problem.GetProperty("current").GetProperty("loadKg").GetDouble().ShouldBe(25);

        var (_, tag, row) = await RevisionTestKit.GetAsync(world.Clinician, url);
        (tag, row.GetProperty("loadKg").GetDouble(), row.GetProperty("version").GetInt32()).ShouldBe(("\"2\"", 25.0, 2)); // the loser changed nothing
        (await RevisionTestKit.RevisionRowsAsync(world.App, test)).Select(r => r.Version).ShouldBe([1]); // and left no revision
        await using var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync();
        (await db.AuditLog.CountAsync(e => e.Action == StrengthService.UpdatedAction && e.Detail == test.ToString())).ShouldBe(1);

        // Re-applied on the version now stored, the clinician's correction goes through.
        using var again = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, url, new { exercise = "step-up", limb = "left-leg", loadKg = 22, reps = 10 }, "\"2\"");
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RevisionTestKit.GetAsync(world.Clinician, url)).Body.GetProperty("loadKg").GetDouble().ShouldBe(22);
    }

    [Fact]
    public async Task PutStrengthTest_TwoRequestsRacingWithTheSameVersion_OneWinsTheOtherGets409()
    {
        var id = await world.NewAthleteAsync();
        for (var round = 0; round < 5; round++)
        {
            var test = (await RevisionTestKit.RecordAsync(world.Clinician, id, "squat", RecentDates.Moved("2026-11-01"), [new { limb = "both", loadKg = 100, reps = 5 }]))[0].GetProperty("id").GetGuid();
            var url = $"/api/v1/athletes/{id}/strength-tests/{test}";
            var responses = await Task.WhenAll(
                RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, url, new { exercise = "squat", limb = "both", loadKg = 110, reps = 5 }, "\"1\""),
                RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, url, new { exercise = "squat", limb = "both", loadKg = 120, reps = 5 }, "\"1\""));
            responses.Select(r => (int)r.StatusCode).Order().ToList().ShouldBe([200, 409], $"round {round}");
            var winner = responses[0].StatusCode == HttpStatusCode.OK ? 110.0 : 120.0;
            var (_, tag, row) = await RevisionTestKit.GetAsync(world.Clinician, url);
            (tag, row.GetProperty("loadKg").GetDouble()).ShouldBe(("\"2\"", winner));
            var kept = await RevisionTestKit.RevisionRowsAsync(world.App, test);
            kept.ShouldHaveSingleItem().Version.ShouldBe(1);
            RevisionSnapshot.Read<OpenBfr.Data.Strength.StrengthTestRecord>(kept[0].SnapshotJson).LoadKg.ShouldBe(100);
            foreach (var r in responses) r.Dispose();
        }
    }

    /// <summary>
    /// The race the version check before saving cannot see: both requests read version 1 while the
    /// database's write lock is held elsewhere, then both write. The UPDATE names version 1, so the
    /// second finds nothing to update: 409, nothing written. Without the concurrency token (or the
    /// history's unique version) the second would overwrite the first (the HTTP race test above
    /// almost never gets this far: its requests usually reach the database one after the other).
    /// </summary>
    [Fact]
    public async Task PutStrengthTest_BothRequestsReadVersion1BeforeEitherWrites_TheDatabaseRefusesTheSecond()
    {
        // The same app on the same database, logging each SQL command it runs, so the test can see both reads happen.
        using var app = world.App.WithWebHostBuilder(b => b.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Information"));
        var athlete = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        (await WebAppFactory.PostLoginAsync(athlete, "runner@t.org", WebAppFactory.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var test = (await RevisionTestKit.RecordAsync(athlete, world.AthleteId, "step-up", RecentDates.Moved("2026-11-20"), [RevisionTestKit.Side("right-leg", false, 20, 10)]))[0].GetProperty("id").GetGuid();
        var url = $"/api/v1/athletes/{world.AthleteId}/strength-tests/{test}";
        static bool Read(string line) => line.Contains("Executed DbCommand", StringComparison.Ordinal) && line.Contains("FROM \"StrengthTests\"", StringComparison.Ordinal);
        static bool Refused(string line) => line.Contains("An exception occurred in the database while saving changes", StringComparison.Ordinal);
        var readsBefore = world.App.Logs.Count(Read);
        var refusedBefore = world.App.Logs.Count(Refused);

        // Hold SQLite's write lock (the athlete's own reads audit nothing, so both requests get to their reads).
        await using var blocker = app.Services.GetRequiredService<OpenBfr.Data.Schema.DatabaseSettings>().CreateConnection();
        await blocker.OpenAsync();
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }
        var a = RevisionTestKit.SendAsync(athlete, HttpMethod.Put, url, new { exercise = "step-up", limb = "right-leg", loadKg = 21, reps = 10 }, "\"1\"");
        var b = RevisionTestKit.SendAsync(athlete, HttpMethod.Put, url, new { exercise = "step-up", limb = "right-leg", loadKg = 22, reps = 10 }, "\"1\"");
        // Each request reads the row and looks for the other side of its test (two reads) before it writes.
        var deadline = Stopwatch.StartNew();
        while (world.App.Logs.Count(Read) < readsBefore + 4 && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(10);
        }
        (world.App.Logs.Count(Read) - readsBefore).ShouldBeGreaterThanOrEqualTo(4, "both requests read the row before the lock was released; " + string.Join("\n", world.App.Logs.TakeLast(12).Select(l => l.Length > 300 ? l[..300] : l)));
        await using (var commit = blocker.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
        }
        var responses = await Task.WhenAll(a, b);
        responses.Select(r => (int)r.StatusCode).Order().ToList().ShouldBe([200, 409]);
        (world.App.Logs.Count(Refused) - refusedBefore).ShouldBeGreaterThanOrEqualTo(1); // refused by the database, not by the check before saving
        var loser = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
        (await loser.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("after you read version 1; it is now version 2");
        var winner = responses[0].StatusCode == HttpStatusCode.OK ? 21.0 : 22.0;
        var (_, tag, row) = await RevisionTestKit.GetAsync(athlete, url);
        (tag, row.GetProperty("loadKg").GetDouble()).ShouldBe(("\"2\"", winner));
        (await RevisionTestKit.RevisionRowsAsync(world.App, test)).ShouldHaveSingleItem().Version.ShouldBe(1);
        foreach (var r in responses) r.Dispose();
    }

    [Fact]
    public async Task DeleteStrengthTest_StaleVersion_Is409AndNothingIsDeleted_AfterTheDelete409SaysWhoDeletedIt()
    {
        var id = await world.NewAthleteAsync();
        var test = (await RevisionTestKit.RecordAsync(world.Clinician, id, "hamstring-curl", RecentDates.Moved("2026-11-11"), [new { limb = "left-leg", loadKg = 30, reps = 10 }]))[0].GetProperty("id").GetGuid();
        var url = $"/api/v1/athletes/{id}/strength-tests/{test}";
        (await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, url, new { exercise = "hamstring-curl", limb = "left-leg", loadKg = 35, reps = 10 }, "\"1\"")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var stale = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Delete, url, null, "\"1\"");
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await RevisionTestKit.GetAsync(world.Clinician, url)).Status.ShouldBe(HttpStatusCode.OK); // still there
        (await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Delete, url, null, "\"2\"")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var late = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, url, new { exercise = "hamstring-curl", limb = "left-leg", loadKg = 40, reps = 10 }, "\"2\"");
        late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldStartWith("this strength test was deleted by pt at ");
        // Without If-Match a deleted row is simply not found, as before.
        (await world.Clinician.DeleteAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"0\"")]
    [InlineData("1")]
    [InlineData("\"1\", \"2\"")]
    public async Task PutStrengthTest_MalformedIfMatch_Is400NamingTheHeader(string ifMatch)
    {
        var test = (await RevisionTestKit.RecordAsync(world.Clinician, world.AthleteId, "squat", RecentDates.Moved("2026-11-03"), [new { limb = "both", loadKg = 90, reps = 5 }]))[0].GetProperty("id").GetGuid();
        using var response = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, $"/api/v1/athletes/{world.AthleteId}/strength-tests/{test}",
            new { exercise = "squat", limb = "both", loadKg = 95, reps = 5 }, ifMatch);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("If-Match")[0].GetString()!;
        error.ShouldContain("If-Match must");
        error.ShouldContain(ifMatch);
        (await RevisionTestKit.GetAsync(world.Clinician, $"/api/v1/athletes/{world.AthleteId}/strength-tests/{test}")).Body.GetProperty("loadKg").GetDouble().ShouldBe(90);
    }

    [Fact]
    public async Task PutStrengthTest_WeakOrStarIfMatch_IsAccepted()
    {
        var test = (await RevisionTestKit.RecordAsync(world.Clinician, world.AthleteId, "squat", RecentDates.Moved("2026-11-04"), [new { limb = "both", loadKg = 90, reps = 5 }]))[0].GetProperty("id").GetGuid();
        var url = $"/api/v1/athletes/{world.AthleteId}/strength-tests/{test}";
        (await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, url, new { exercise = "squat", limb = "both", loadKg = 91, reps = 5 }, "W/\"1\"")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, url, new { exercise = "squat", limb = "both", loadKg = 92, reps = 5 }, "*")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RevisionTestKit.GetAsync(world.Clinician, url)).ETag.ShouldBe("\"3\"");
    }

    [Fact]
    public async Task Clearance_StaleVersion_CorrectionAndRevocationAre409_AndTheClearanceStands()
    {
        var id = await world.NewAthleteAsync();
        var clearance = await RevisionTestKit.ClearDiabetesAsync(world.App, world.Clinician, world.ClinicianUserId, id, "HbA1c 6.0%");
        var url = $"/api/v1/athletes/{id}/screening/clearances/{clearance}";
        using var first = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, url, new { note = "HbA1c 6.0%, recheck in 3 months" }, "\"1\"");
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        first.Headers.ETag!.ToString().ShouldBe("\"2\"");
        using var stalePut = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Put, url, new { note = "typed over the old note" }, "\"1\"");
        stalePut.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await stalePut.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("detail").GetString()!.ShouldStartWith("this clearance was changed by pt at ");
        problem.GetProperty("current").GetProperty("note").GetString().ShouldBe("HbA1c 6.0%, recheck in 3 months");
        using var staleRevoke = await RevisionTestKit.SendAsync(world.Clinician, HttpMethod.Delete, url, null, "\"1\"");
        staleRevoke.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var (_, tag, now) = await RevisionTestKit.GetAsync(world.Clinician, url);
        (tag, now.GetProperty("note").GetString()).ShouldBe(("\"2\"", "HbA1c 6.0%, recheck in 3 months"));
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening")).GetProperty("overall").GetString().ShouldBe("Eligible");
    }

    [Fact]
    public async Task EditPage_TestChangedAfterTheFormWasOpened_ShowsTheCurrentValuesAndSavesOnlyWhenReapplied()
    {
        var id = await world.NewAthleteAsync();
        var test = (await RevisionTestKit.RecordAsync(world.Clinician, id, "leg-press", RecentDates.Moved("2026-11-10"), [new { limb = "left-leg", involved = true, loadKg = 600, reps = 8 }]))[0].GetProperty("id").GetGuid();
        var edit = $"/Athletes/{id}/StrengthTests/{test}/Edit";
        var opened = await world.Clinician.GetStringAsync(edit);
        WebAppFactory.HiddenVersion(opened).ShouldBe("1");
        var token = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, edit);

        // Meanwhile another clinician's request (here: the API) corrects the load to 70 kg.
        (await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/strength-tests/{test}", new { exercise = "leg-press", limb = "left-leg", involved = true, loadKg = 70, reps = 8 }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var form = new Dictionary<string, string>
        {
            ["Form.Exercise"] = "leg-press", ["Form.TestedOn"] = RecentDates.Moved("2026-11-10"), ["Form.Limb"] = "left-leg", ["Form.Involved"] = "true", ["Form.LoadKg"] = "60", ["Form.Reps"] = "8",
            ["Version"] = "1", ["__RequestVerificationToken"] = token,
        };
        using var refused = await world.Clinician.PostAsync(edit, new FormUrlEncodedContent(form));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        html.ShouldContain("id=\"conflict\"");
        html.ShouldContain("Not saved:</strong> this strength test was changed by pt at ");
        html.ShouldContain("Stored now (version 2)");
        html.ShouldContain("<strong>70 kg × 8</strong>");
        html.ShouldContain("value=\"60\""); // the typed correction stays in the form
        WebAppFactory.HiddenVersion(html).ShouldBe("2"); // saving again applies it to what is stored now
        (await RevisionTestKit.GetAsync(world.Clinician, $"/api/v1/athletes/{id}/strength-tests/{test}")).Body.GetProperty("loadKg").GetDouble().ShouldBe(70);

        form["Version"] = "2";
        using var saved = await world.Clinician.PostAsync(edit, new FormUrlEncodedContent(form));
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (_, tag, row) = await RevisionTestKit.GetAsync(world.Clinician, $"/api/v1/athletes/{id}/strength-tests/{test}");
        (tag, row.GetProperty("loadKg").GetDouble()).ShouldBe(("\"3\"", 60.0));
        var history = await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests/{test}/revisions");
        RevisionTestKit.Versions(history, RevisionTestKit.Load).ShouldBe([(3, "current", "60"), (2, "corrected", "70"), (1, "corrected", "600")]);
    }

    [Fact]
    public async Task EditPage_PostWithoutTheVersionField_SavesNothing()
    {
        var id = await world.NewAthleteAsync();
        var test = (await RevisionTestKit.RecordAsync(world.Clinician, id, "leg-press", RecentDates.Moved("2026-11-10"), [new { limb = "left-leg", loadKg = 80, reps = 8 }]))[0].GetProperty("id").GetGuid();
        var edit = $"/Athletes/{id}/StrengthTests/{test}/Edit";
        var token = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, edit);
        using var response = await world.Clinician.PostAsync(edit, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.Exercise"] = "leg-press", ["Form.TestedOn"] = RecentDates.Moved("2026-11-10"), ["Form.Limb"] = "left-leg", ["Form.LoadKg"] = "85", ["Form.Reps"] = "8", ["__RequestVerificationToken"] = token,
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).ShouldContain("the form did not say which version of the test it corrects; nothing was saved");
        (await RevisionTestKit.GetAsync(world.Clinician, $"/api/v1/athletes/{id}/strength-tests/{test}")).Body.GetProperty("loadKg").GetDouble().ShouldBe(80);
    }

    [Fact]
    public async Task DeletePage_TestCorrectedAfterTheConfirmPageOpened_DeletesNothingAndAsksAgainWithTheNewValues()
    {
        var id = await world.NewAthleteAsync();
        var test = (await RevisionTestKit.RecordAsync(world.Clinician, id, "calf-raise", RecentDates.Moved("2026-11-10"), [new { limb = "left-leg", loadKg = 30, reps = 12 }]))[0].GetProperty("id").GetGuid();
        var delete = $"/Athletes/{id}/StrengthTests/{test}/Delete";
        WebAppFactory.HiddenVersion(await world.Clinician.GetStringAsync(delete)).ShouldBe("1");
        var token = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, delete);
        (await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/strength-tests/{test}", new { exercise = "calf-raise", limb = "left-leg", loadKg = 35, reps = 12 }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        using var refused = await world.Clinician.PostAsync(delete, new FormUrlEncodedContent(new Dictionary<string, string> { ["Version"] = "1", ["__RequestVerificationToken"] = token }));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        html.ShouldContain("Not deleted:</strong> this strength test was changed by pt");
        html.ShouldContain("35 kg × 12");
        WebAppFactory.HiddenVersion(html).ShouldBe("2");
        (await RevisionTestKit.GetAsync(world.Clinician, $"/api/v1/athletes/{id}/strength-tests/{test}")).Status.ShouldBe(HttpStatusCode.OK);

        using var deleted = await world.Clinician.PostAsync(delete, new FormUrlEncodedContent(new Dictionary<string, string> { ["Version"] = "2", ["__RequestVerificationToken"] = token }));
        deleted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await RevisionTestKit.GetAsync(world.Clinician, $"/api/v1/athletes/{id}/strength-tests/{test}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EditPage_TestDeletedWhileOpen_SavesNothingAndShowsItsHistorySayingWhoDeletedIt()
    {
        var id = await world.NewAthleteAsync();
        var test = (await RevisionTestKit.RecordAsync(world.Clinician, id, "leg-press", RecentDates.Moved("2026-11-10"), [new { limb = "left-leg", loadKg = 80, reps = 8 }]))[0].GetProperty("id").GetGuid();
        var edit = $"/Athletes/{id}/StrengthTests/{test}/Edit";
        var token = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, edit);
        (await world.Clinician.DeleteAsync($"/api/v1/athletes/{id}/strength-tests/{test}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var response = await world.Clinician.PostAsync(edit, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.Exercise"] = "leg-press", ["Form.TestedOn"] = RecentDates.Moved("2026-11-10"), ["Form.Limb"] = "left-leg", ["Form.LoadKg"] = "85", ["Form.Reps"] = "8", ["Version"] = "1",
            ["__RequestVerificationToken"] = token,
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe($"/Athletes/{id}/StrengthTests/{test}/History");
        var history = WebUtility.HtmlDecode(await world.Clinician.GetStringAsync(response.Headers.Location.OriginalString));
        history.ShouldContain("Not corrected: this result was deleted by pt at ");
        history.ShouldContain("80 kg × 8");
        (await RevisionTestKit.RevisionRowsAsync(world.App, test)).Select(r => r.Change).ShouldBe([RevisionChange.Deleted]); // nothing else written
    }

    [Fact]
    public async Task HistoryPage_RowCorrectedBeforeVersionsWereKept_SaysItsEarlierValuesAreUnknown()
    {
        var id = await world.NewAthleteAsync();
        var test = (await RevisionTestKit.RecordAsync(world.Clinician, id, "squat", RecentDates.Moved("2026-11-02"), [new { limb = "both", loadKg = 100, reps = 5 }]))[0].GetProperty("id").GetGuid();
        (await world.Clinician.GetStringAsync($"/Athletes/{id}/StrengthTests/{test}/History")).ShouldNotContain("id=\"unkept-note\"");
        // As a version-5 build left a corrected row: stamped, version 1, nothing kept.
        await using (var db = await world.App.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync())
        {
            await db.StrengthTests.Where(t => t.Id == test).ExecuteUpdateAsync(u => u.SetProperty(t => t.UpdatedAt, DateTimeOffset.UnixEpoch.AddYears(56)).SetProperty(t => t.UpdatedByUserId, world.ClinicianUserId));
        }
        (await world.Clinician.GetStringAsync($"/Athletes/{id}/StrengthTests/{test}/History")).ShouldContain("id=\"unkept-note\"");
        (await world.Clinician.GetStringAsync($"/Athletes/{id}")).ShouldContain($"/StrengthTests/{test}/History"); // still shown as corrected, with its (short) history
    }

    [Fact]
    public async Task ClearancePage_RevokeAfterAnotherCorrection_RevokesNothingAndShowsTheCurrentNote()
    {
        var id = await world.NewAthleteAsync();
        var clearance = await RevisionTestKit.ClearDiabetesAsync(world.App, world.Clinician, world.ClinicianUserId, id, "HbA1c 6.2%");
        var page = $"/Athletes/{id}/Clearances/{clearance}";
        var token = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page + "?revoke=true");
        (await world.Clinician.PutAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances/{clearance}", new { note = "HbA1c 6.2%, GP confirms" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var refused = await world.Clinician.PostAsync(page + "?handler=Revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["Version"] = "1", ["__RequestVerificationToken"] = token }));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        html.ShouldContain("Not saved:</strong> this clearance was changed by pt");
        html.ShouldContain("note: <strong>HbA1c 6.2%, GP confirms</strong>");
        html.ShouldContain("id=\"confirm-revoke\"");
        WebAppFactory.HiddenVersion(html).ShouldBe("2");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening/clearances")).GetProperty("clearances").GetArrayLength().ShouldBe(1);
    }
}

/// <summary>The history and the version checks on the real PostgreSQL test server.</summary>
public sealed class RevisionPostgresTests
{
    /// <summary>
    /// Both requests read version 1 while writes to the table are locked out (readers are not), then
    /// both write: PostgreSQL refuses the second (its UPDATE or DELETE names version 1, or its history
    /// row repeats version 1), for a strength test correction and for a clearance revocation.
    /// </summary>
    [PostgresWebFact]
    public async Task RequestsRacingPastTheVersionCheck_TheDatabaseRefusesTheSecond_OnPostgres()
        => await ScratchPostgres.WithDatabaseAsync("openbfr_rr_", async cs =>
        {
            using var plain = new WebAppFactory(cs);
            using var app = plain.WithWebHostBuilder(b => b.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Information"));
            await plain.CreateUserAsync("admin@t.org", Roles.Admin);
            var pt = await plain.CreateUserAsync("pt@t.org", Roles.Clinician);
            var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            (await WebAppFactory.PostLoginAsync(client, "pt@t.org", WebAppFactory.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
            var created = await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Pg Racer", birthYear = 1985, sex = "male" });
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var test = (await RevisionTestKit.RecordAsync(client, id, "squat", RecentDates.Moved("2026-11-05"), [new { limb = "both", loadKg = 100, reps = 5 }]))[0].GetProperty("id").GetGuid();
            var clearance = await RevisionTestKit.ClearDiabetesAsync(plain, client, pt.Id, id, "HbA1c 6.0%");
            var settings = app.Services.GetRequiredService<OpenBfr.Data.Schema.DatabaseSettings>();

            async Task<HttpResponseMessage[]> RaceAsync(string table, int readsPerRequest, Func<Task<HttpResponseMessage>> one, Func<Task<HttpResponseMessage>> two)
            {
                bool Read(string line) => line.Contains("Executed DbCommand", StringComparison.Ordinal) && line.Contains($"FROM \"{table}\"", StringComparison.Ordinal);
                var before = plain.Logs.Count(Read);
                await using var blocker = settings.CreateConnection();
                await blocker.OpenAsync();
                await using var tx = await blocker.BeginTransactionAsync();
                await using (var lockCmd = blocker.CreateCommand())
                {
                    lockCmd.Transaction = tx;
                    lockCmd.CommandText = $"LOCK TABLE \"{table}\" IN EXCLUSIVE MODE"; // readers pass, writers wait
                    await lockCmd.ExecuteNonQueryAsync();
                }
                var a = one();
                var b = two();
                var waited = Stopwatch.StartNew();
                while (plain.Logs.Count(Read) < before + 2 * readsPerRequest && waited.Elapsed < TimeSpan.FromSeconds(20))
                {
                    await Task.Delay(10);
                }
                (plain.Logs.Count(Read) - before).ShouldBeGreaterThanOrEqualTo(2 * readsPerRequest, $"both requests read {table} before the lock was released");
                await tx.CommitAsync();
                return await Task.WhenAll(a, b);
            }

            static bool SaveFailed(string line) => line.Contains("An exception occurred in the database while saving changes", StringComparison.Ordinal);
            var refusedBefore = plain.Logs.Count(SaveFailed);
            var url = $"/api/v1/athletes/{id}/strength-tests/{test}";
            var puts = await RaceAsync("StrengthTests", 2,
                () => RevisionTestKit.SendAsync(client, HttpMethod.Put, url, new { exercise = "squat", limb = "both", loadKg = 110, reps = 5 }, "\"1\""),
                () => RevisionTestKit.SendAsync(client, HttpMethod.Put, url, new { exercise = "squat", limb = "both", loadKg = 120, reps = 5 }, "\"1\""));
            puts.Select(r => (int)r.StatusCode).Order().ToList().ShouldBe([200, 409]);
            var winner = puts[0].StatusCode == HttpStatusCode.OK ? 110.0 : 120.0;
            var (_, tag, row) = await RevisionTestKit.GetAsync(client, url);
            (tag, row.GetProperty("loadKg").GetDouble()).ShouldBe(("\"2\"", winner));
            (await RevisionTestKit.RevisionRowsAsync(plain, test)).ShouldHaveSingleItem().Version.ShouldBe(1);

            // A correction and a revocation of the same clearance, both from version 1: one of them only.
            var curl = $"/api/v1/athletes/{id}/screening/clearances/{clearance}";
            var both = await RaceAsync("ScreeningClearances", 1,
                () => RevisionTestKit.SendAsync(client, HttpMethod.Put, curl, new { note = "HbA1c 6.0%, recheck in May" }, "\"1\""),
                () => RevisionTestKit.SendAsync(client, HttpMethod.Delete, curl, null, "\"1\""));
            both.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(1, string.Join(", ", both.Select(r => (int)r.StatusCode)));
            var kept = await RevisionTestKit.RevisionRowsAsync(plain, clearance);
            kept.ShouldHaveSingleItem().Version.ShouldBe(1);
            kept[0].Change.ShouldBe(both[0].IsSuccessStatusCode ? RevisionChange.Corrected : RevisionChange.Revoked);
            // Both losers were refused while saving (the UPDATE/DELETE naming version 1, or the history's unique version), not by the check before it.
            (plain.Logs.Count(SaveFailed) - refusedBefore).ShouldBeGreaterThanOrEqualTo(2);
            foreach (var r in puts.Concat(both)) r.Dispose();
        });

    [PostgresWebFact]
    public async Task HistoryOfCorrectedDeletedAndRevokedRecords_AndAStaleEdit_OnPostgres()
        => await ScratchPostgres.WithDatabaseAsync("openbfr_r_", async cs =>
        {
            using var app = new WebAppFactory(cs);
            await app.CreateUserAsync("admin@t.org", Roles.Admin);
            var pt = await app.CreateUserAsync("pt@t.org", Roles.Clinician);
            var client = await app.SignedInAsync("pt@t.org");
            var created = await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Pg Runner", birthYear = 1985, sex = "male" });
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var rows = await RevisionTestKit.RecordAsync(client, id, "knee-extension", RecentDates.Moved("2026-11-09"),
                [RevisionTestKit.Side("left-leg", true, 45, 8), RevisionTestKit.Side("right-leg", false, 600, 8)], pain: 1);
            var right = rows.Single(r => r.GetProperty("limb").GetString() == "right-leg").GetProperty("id").GetGuid();
            var url = $"/api/v1/athletes/{id}/strength-tests/{right}";

            (await RevisionTestKit.SendAsync(client, HttpMethod.Put, url, new { exercise = "knee-extension", limb = "right-leg", loadKg = 60, reps = 8, painScore = 1 }, "\"1\""))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
            using (var stale = await RevisionTestKit.SendAsync(client, HttpMethod.Put, url, new { exercise = "knee-extension", limb = "right-leg", loadKg = 65, reps = 8, painScore = 1 }, "\"1\""))
            {
                stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
                (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("currentVersion").GetInt32().ShouldBe(2);
            }
            var racing = await Task.WhenAll(
                RevisionTestKit.SendAsync(client, HttpMethod.Put, url, new { exercise = "knee-extension", limb = "right-leg", loadKg = 61, reps = 8, painScore = 1 }, "\"2\""),
                RevisionTestKit.SendAsync(client, HttpMethod.Put, url, new { exercise = "knee-extension", limb = "right-leg", loadKg = 62, reps = 8, painScore = 1 }, "\"2\""));
            racing.Select(r => (int)r.StatusCode).Order().ToList().ShouldBe([200, 409]);
            var winner = racing[0].StatusCode == HttpStatusCode.OK ? 61.0 : 62.0;
            (await RevisionTestKit.SendAsync(client, HttpMethod.Delete, url, null, "\"3\"")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            var history = await client.GetFromJsonAsync<JsonElement>(url + "/revisions");
            history.GetProperty("removed").GetBoolean().ShouldBeTrue();
            RevisionTestKit.Versions(history, RevisionTestKit.Load).ShouldBe([(3, "deleted", winner.ToString(System.Globalization.CultureInfo.InvariantCulture)), (2, "corrected", "60"), (1, "corrected", "600")]);

            var clearance = await RevisionTestKit.ClearDiabetesAsync(app, client, pt.Id, id, "eGFR 70");
            var curl = $"/api/v1/athletes/{id}/screening/clearances/{clearance}";
            (await RevisionTestKit.SendAsync(client, HttpMethod.Put, curl, new { note = "eGFR 72", clearedOn = RecentDates.Text(13) }, "\"1\"")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await RevisionTestKit.SendAsync(client, HttpMethod.Delete, curl, null, "\"1\"")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await RevisionTestKit.SendAsync(client, HttpMethod.Delete, curl, null, "\"2\"")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            var ch = await client.GetFromJsonAsync<JsonElement>(curl + "/revisions");
            RevisionTestKit.Versions(ch, c => c.GetProperty("note").GetString()!).ShouldBe([(2, "revoked", "eGFR 72"), (1, "corrected", "eGFR 70")]);
            var deleted = await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/deleted-records");
            (deleted.GetProperty("strengthTests").GetArrayLength(), deleted.GetProperty("clearances").GetArrayLength()).ShouldBe((1, 1));
            foreach (var r in racing) r.Dispose();
        });
}
