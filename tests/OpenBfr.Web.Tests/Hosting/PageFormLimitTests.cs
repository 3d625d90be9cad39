using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Tests.Sessions;

namespace OpenBfr.Web.Tests.Hosting;

/// <summary>
/// A page's URL-encoded form over 1 MB (<see cref="PageFormLimit.MaxBytes"/>), over real HTTP
/// (Kestrel): holding a NUL it got ASP.NET Core's bare 400 naming nothing, without one it was read
/// whole and answered field by field. Now both get the same 413 page naming the limit, the form's
/// size and its largest field, and nothing is saved; a form within the limit is answered as before.
/// </summary>
public sealed class PageFormLimitTests : IAsyncLifetime
{
    private readonly WebAppFactory _app = new();
    private HttpClient _clinician = null!;

    public async Task InitializeAsync()
    {
        _app.UseKestrel(0);
        var server = LivePageClient.OnKestrel(_app);
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        await _app.CreateUserAsync("pt@t.org", Roles.Clinician);
        _clinician = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server };
        (await WebAppFactory.PostLoginAsync(_clinician, "pt@t.org", WebAppFactory.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    public Task DisposeAsync()
    {
        _clinician.Dispose();
        _app.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The clinician page's add-athlete form, URL-encoded as a browser sends it, with the name given.</summary>
    private async Task<string> AddFormAsync(string displayName)
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(_clinician, "/Clinician");
        return "__RequestVerificationToken=" + Uri.EscapeDataString(token) + "&displayName=" + Uri.EscapeDataString(displayName) + "&birthYear=1990&sex=female";
    }

    private async Task<int> AthletesAsync() => (await _clinician.GetFromJsonAsync<JsonElement>("/api/v1/athletes")).GetArrayLength();

    /// <summary>Posts the add-athlete form as a body of known length, or chunked (no length) as a streaming client sends it.</summary>
    private Task<HttpResponseMessage> PostAsync(string form, bool chunked)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(form));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        var request = new HttpRequestMessage(HttpMethod.Post, "/Clinician?handler=Add") { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        return _clinician.SendAsync(request);
    }

    [Theory]
    [InlineData("with a NUL", "\0", false)]
    [InlineData("without a NUL", "", false)]
    [InlineData("with a NUL, chunked", "\0", true)]
    [InlineData("without a NUL, chunked", "", true)]
    public async Task AddAthlete_FormOverOneMegabyte_413PageNamingTheLimitTheSizeAndTheField_NothingSaved(string what, string nul, bool chunked)
    {
        var before = await AthletesAsync();
        var name = "Big" + nul + new string('x', 1_100_000);
        var form = await AddFormAsync(name);
        var formBytes = Encoding.UTF8.GetByteCount(form);
        var fieldBytes = Encoding.UTF8.GetByteCount("displayName=" + Uri.EscapeDataString(name));

        using var response = await PostAsync(form, chunked);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, what);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.ShouldContain(PageFormLimit.Message(formBytes, "displayName", fieldBytes));
        html.ShouldContain("may be at most 1 MB (1,048,576 bytes)");
        html.ShouldContain($"This form is 1.0 MB ({formBytes:N0} bytes)");
        html.ShouldContain("Nothing was saved");
        (await AthletesAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AddAthlete_FormWithinTheLimitHoldingANul_IsReshownNamingTheField(bool chunked)
    {
        var before = await AthletesAsync();
        var form = await AddFormAsync("Nul\0Name");

        using var response = await PostAsync(form, chunked);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync())
            .ShouldContain("displayName must be text without control characters (tab and line breaks are allowed), was 'Nul\\u0000Name' (U+0000 at character 4)");
        (await AthletesAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task AddAthlete_MultipartFormOverOneMegabyte_IsNotAPageFormForTheLimit()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await WebAppFactory.AntiforgeryTokenAsync(_clinician, "/Clinician")), "__RequestVerificationToken" },
            { new StringContent(new string('x', 1_100_000)), "displayName" },
            { new StringContent("1990"), "birthYear" },
        };

        using var response = await _clinician.PostAsync("/Clinician?handler=Add", form);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, "answered by the page (the name is too long), not by the form limit");
    }
}
