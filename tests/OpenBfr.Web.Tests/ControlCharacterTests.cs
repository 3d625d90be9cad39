using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Core.Screening;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Tests;

/// <summary>
/// Control characters (C0, DEL, C1; tab and line breaks excepted) in text a client sends. A NUL in a
/// page's form got a bare 400 naming nothing (the form reader refused the whole form); other control
/// characters, and any in JSON ("\u0000"), were saved and shown later. Now each is refused naming the
/// field, showing the value escaped and saying what is allowed; the page comes back and nothing is saved.
/// </summary>
public sealed class ControlCharacterTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    private const string Rule = "must be text without control characters (tab and line breaks are allowed)";

    [Theory]
    [InlineData("Nul\0Name", "'Nul\\u0000Name' (U+0000 at character 4)")]
    [InlineData("Soh\u0001Name", "'Soh\\u0001Name' (U+0001 at character 4)")]
    [InlineData("Bell\u0007", "'Bell\\u0007' (U+0007 at character 5)")]
    [InlineData("\u001b[31mRed", "'\\u001B[31mRed' (U+001B at character 1)")]
    [InlineData("Del\u007f", "'Del\\u007F' (U+007F at character 4)")]
    [InlineData("Nel\u0085", "'Nel\\u0085' (U+0085 at character 4)")]
    public async Task ClinicianPageAddAthlete_NameWithControlCharacter_IsReshownNamingItAndCreatesNoAthlete(string name, string shown)
    {
        var before = (await world.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/athletes")).GetArrayLength();

        using var response = await PostFormAsync("/Clinician", "Add", new() { ["displayName"] = name, ["birthYear"] = "1990", ["sex"] = "female" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await HtmlAsync(response)).ShouldContain($"displayName {Rule}, was {shown}");
        (await world.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/athletes")).GetArrayLength().ShouldBe(before);
        world.App.Logs.ShouldNotContain(l => l.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase));
    }

    // A multipart form (the import form's encoding) is read by another reader, which lets a NUL through to the field.
    [Fact]
    public async Task ClinicianPageAddAthlete_NulInAMultipartForm_IsReshownNamingItAndCreatesNoAthlete()
    {
        var before = (await world.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/athletes")).GetArrayLength();
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, "/Clinician")), "__RequestVerificationToken" },
            { new StringContent("Multi\0Part"), "displayName" },
            { new StringContent("1990"), "birthYear" },
        };

        using var response = await world.Clinician.PostAsync("/Clinician?handler=Add", form);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await HtmlAsync(response)).ShouldContain($"displayName {Rule}, was 'Multi\\u0000Part' (U+0000 at character 6)");
        (await world.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/athletes")).GetArrayLength().ShouldBe(before);
    }

    [Fact]
    public async Task AthletePageLopForm_NulInTheNumberAndInTheNote_IsReshownNamingBothAndSavesNothing()
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostFormAsync($"/Athletes/{id}", "Lop", new()
        {
            ["limb"] = "left-leg", ["position"] = "seated", ["cuffWidthCm"] = "11.5", ["lopMmHg"] = "200\0", ["note"] = "\0",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await HtmlAsync(response);
        html.ShouldContain($"lopMmHg {Rule}, was '200\\u0000' (U+0000 at character 4)");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop")).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task AthletePageStrengthForm_ControlCharacterInTheNote_IsReshownAndSavesNoTest()
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostFormAsync($"/Athletes/{id}", "Strength", new()
        {
            ["exercise"] = "leg-press", ["testedOn"] = RecentDates.Moved("2026-11-01"), ["limbA"] = "left-leg", ["involvedA"] = "true", ["loadKgA"] = "80", ["repsA"] = "8", ["note"] = "felt ok\u0008\u0008\u0008bad",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await HtmlAsync(response)).ShouldContain($"note {Rule}, was 'felt ok\\u0008\\u0008\\u0008bad' (U+0008 at character 8)");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests")).GetArrayLength().ShouldBe(0);
    }

    // Tab and line breaks are what a text area sends: they are kept.
    [Fact]
    public async Task AthletePageLopForm_TabAndLineBreaksInTheNote_AreSaved()
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostFormAsync($"/Athletes/{id}", "Lop", new()
        {
            ["limb"] = "left-leg", ["position"] = "seated", ["cuffWidthCm"] = "11.5", ["lopMmHg"] = "200", ["note"] = "line one\r\nline\ttwo",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop"))[0].GetProperty("note").GetString().ShouldBe("line one\r\nline\ttwo");
    }

    // Without the check the NUL was taken out and the rest ("pt@t.org") signed in.
    [Fact]
    public async Task SignIn_NulInTheEmail_IsReshownAndDoesNotSignIn()
    {
        var client = world.App.Anonymous();
        using var response = await WebAppFactory.PostLoginAsync(client, "pt@t.org\0", WebAppFactory.Password);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await HtmlAsync(response)).ShouldContain($"email {Rule}, was 'pt@t.org\\u0000' (U+0000 at character 9)");
        (await client.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    // A password is never shown back, not even escaped.
    [Fact]
    public async Task Register_NulInThePassword_IsReshownWithoutTheValueAndCreatesNoAccount()
    {
        var client = world.App.Anonymous();
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Account/Register");
        var email = $"nul-{Guid.NewGuid():N}@t.org";
        using var response = await client.PostAsync("/Account/Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Role"] = "athlete", ["Input.DisplayName"] = "Nul Pass", ["Input.Email"] = email, ["Input.Password"] = "secret\0pass-1", ["__RequestVerificationToken"] = token,
        }));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await HtmlAsync(response);
        html.ShouldContain($"password {Rule}; it has U+0000 at character 7 (the value is not shown)");
        html.ShouldNotContain("secret");
        (await WebAppFactory.PostLoginAsync(world.App.Anonymous(), email, "secretpass-1")).StatusCode.ShouldBe(HttpStatusCode.OK, "no account was created");
    }

    // The version with its NUL taken out was "1": the test was deleted.
    [Fact]
    public async Task StrengthTestDeletePage_NulInTheVersion_IsReshownAndDeletesNothing()
    {
        var id = await world.NewAthleteAsync();
        using var created = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/strength-tests",
            new { exercise = "leg-press", testedOn = RecentDates.Moved("2026-11-02"), results = new[] { new { limb = "left-leg", loadKg = 80, reps = 8 } } });
        var testId = (await created.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("id").GetGuid();

        using var response = await WebAppFactory.PostFormAsync(world.Clinician, $"/Athletes/{id}/StrengthTests/{testId}/Delete", new() { ["Version"] = "1\0" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await HtmlAsync(response)).ShouldContain($"version {Rule}, was '1\\u0000' (U+0000 at character 2)");
        (await world.Clinician.GetAsync($"/api/v1/athletes/{id}/strength-tests/{testId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ClearanceRevokePage_NulInTheVersion_IsReshownAndRevokesNothing()
    {
        var id = await world.NewScreenedAthleteAsync(41, "diabetes");
        using var created = await PostJsonAsync($"/api/v1/athletes/{id}/screening/clearances", """{"itemId":"diabetes","note":"GP letter"}""");
        var clearanceId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var page = $"/Athletes/{id}/Clearances/{clearanceId}";
        var token = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page + "?revoke=true");

        using var response = await world.Clinician.PostAsync(page + "?handler=Revoke",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Version"] = "1\0" }));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await HtmlAsync(response)).ShouldContain($"version {Rule}, was '1\\u0000' (U+0000 at character 2)");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening/clearances")).GetProperty("clearances").GetArrayLength().ShouldBe(1);
    }

    // The uploaded file's name is stored with the activities it brought (their source file).
    [Theory]
    [InlineData("run\0.gpx", "'run\\u0000.gpx' (U+0000 at character 4)")]
    [InlineData("run\u0007.gpx", "'run\\u0007.gpx' (U+0007 at character 4)")]
    public async Task AthletePageImport_ControlCharacterInTheFileName_IsReshownNamingItAndImportsNothing(string fileName, string shown)
    {
        var id = await world.NewAthleteAsync();
        var page = $"/Athletes/{id}";
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page)), "__RequestVerificationToken");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("""
            <?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>
            <trkpt lat="52.0" lon="13.0"><time>2026-11-01T10:00:00Z</time></trkpt><trkpt lat="52.01" lon="13.0"><time>2026-11-01T10:06:00Z</time></trkpt></trkseg></trk></gpx>
            """));
        // filename* (RFC 5987): HttpClient refuses a control character in a plain filename; a browser or script need not.
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileNameStar = fileName };
        form.Add(file);

        using var response = await world.Clinician.PostAsync(page + "?handler=Import", form);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await HtmlAsync(response)).ShouldContain($"file's file name {Rule}, was {shown}");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/activities")).GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("/api/v1/athletes", """{"displayName":"Json\u0000Nul","birthYear":1990}""", "displayName", "\"Json\\u0000Nul\" (U+0000 at character 5)")]
    [InlineData("/api/v1/athletes", """{"displayName":"Ok","injury":"knee\u001b[2J"}""", "injury", "\"knee\\u001B[2J\" (U+001B at character 5)")]
    [InlineData("/api/v1/athletes", "{\"displayName\":\"Raw del \u007f\"}", "displayName", "\"Raw del \\u007F\" (U+007F at character 9)")]
    [InlineData("/api/v1/athletes", "{\"displayName\":\"Raw c1 \u009b\"}", "displayName", "\"Raw c1 \\u009B\" (U+009B at character 8)")]
    [InlineData("/api/v1/athletes", """{"displayName":"Ok","x\u0000":1}""", "body", "\"x\\u0000\" (U+0000 at character 2)")]
    public async Task CreateAthlete_ControlCharacterInText_Is400NamingTheFieldAndCreatesNothing(string url, string json, string field, string shown)
    {
        var before = (await world.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/athletes")).GetArrayLength();
        using var response = await PostJsonAsync(url, json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, field)).ShouldBe($"{(field == "body" ? "a property name" : field)} {Rule}, was {shown}");
        (await world.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/athletes")).GetArrayLength().ShouldBe(before);
    }

    [Fact]
    public async Task RecordStrengthTest_ControlCharacterInANestedField_Is400NamingThePathAndSavesNothing()
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/strength-tests",
            $$"""{"exercise":"leg-press","testedOn":"{{RecentDates.Moved("2026-11-01")}}","results":[{"limb":"left-leg","loadKg":80,"reps":8},{"limb":"right-leg\u0000","loadKg":80,"reps":8}]}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, "results[1].limb")).ShouldBe($"results[1].limb {Rule}, was \"right-leg\\u0000\" (U+0000 at character 10)");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/strength-tests")).GetArrayLength().ShouldBe(0);
    }

    // The body is scanned in 16 KiB reads: an escape split across two of them is still found.
    [Theory]
    [InlineData(16378)]
    [InlineData(16380)]
    [InlineData(16382)]
    [InlineData(16383)]
    [InlineData(16384)]
    public async Task RecordLop_NulEscapeAcrossTheScansReadBoundary_Is400NamingTheNote(int backslashAt)
    {
        var id = await world.NewAthleteAsync();
        const string Start = "{\"limb\":\"left-leg\",\"position\":\"seated\",\"cuffWidthCm\":11.5,\"lopMmHg\":200,\"note\":\"";
        var filler = backslashAt - Start.Length;
        var json = Start + new string('a', filler) + "\\u0000\"}";
        Encoding.UTF8.GetBytes(json).AsSpan(backslashAt, 6).SequenceEqual("\\u0000"u8).ShouldBeTrue();

        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/lop", json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, "note")).ShouldBe($"note {Rule}, was \"{new string('a', 60)}… ({filler + 1} characters)\" (U+0000 at character {filler + 1})");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop")).GetArrayLength().ShouldBe(0);
    }

    // A withdrawal's reason comes in the query string and is shown on the LOP's history.
    [Fact]
    public async Task WithdrawLop_ControlCharacterInTheReason_Is400NamingItAndWithdrawsNothing()
    {
        var id = await world.NewAthleteAsync();
        using var created = await PostJsonAsync($"/api/v1/athletes/{id}/lop", """{"limb":"left-leg","position":"seated","cuffWidthCm":11.5,"lopMmHg":200}""");
        var lopId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var response = await world.Clinician.DeleteAsync($"/api/v1/athletes/{id}/lop/{lopId}?reason=wrong%00cuff");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response, "reason")).ShouldBe($"reason {Rule}, was 'wrong\\u0000cuff' (U+0000 at character 6)");
        (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop/{lopId}")).GetProperty("withdrawnAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    // Tab and line breaks are kept; a backslash followed by "u0000" is text, not a NUL.
    [Fact]
    public async Task RecordLop_NoteWithTabLineBreaksAndAnEscapedBackslash_IsSavedAsSent()
    {
        var id = await world.NewAthleteAsync();
        using var response = await PostJsonAsync($"/api/v1/athletes/{id}/lop",
            """{"limb":"left-leg","position":"seated","cuffWidthCm":11.5,"lopMmHg":200,"note":"a\tb\r\nc \\u0000"}""");

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("note").GetString().ShouldBe("a\tb\r\nc \\u0000");
    }

    private async Task<HttpResponseMessage> PostFormAsync(string page, string handler, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page);
        return await world.Clinician.PostAsync(page + (handler.Length == 0 ? "" : "?handler=" + handler), new FormUrlEncodedContent(form));
    }

    private static async Task<string> HtmlAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    private Task<HttpResponseMessage> PostJsonAsync(string url, string json)
        => world.Clinician.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<string> ErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
    }
}
