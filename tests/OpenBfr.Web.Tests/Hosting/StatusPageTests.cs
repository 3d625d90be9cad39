using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Data;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Tests.Sessions;

namespace OpenBfr.Web.Tests.Hosting;

/// <summary>
/// An error status a browser meets, over real HTTP (Kestrel): an unknown address gave a blank 404
/// page with no title. Now a page gets the layout, a title, what happened to which address and a link
/// home, with the status kept; the API keeps its ProblemDetails JSON.
/// </summary>
public sealed class StatusPageTests : IAsyncLifetime
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private readonly WebAppFactory _app = new();
    private HttpClient _clinician = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _app.UseKestrel(0);
        var server = LivePageClient.OnKestrel(_app);
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        await _app.CreateUserAsync("pt@t.org", Roles.Clinician);
        _clinician = Browser(server);
        (await WebAppFactory.PostLoginAsync(_clinician, "pt@t.org", WebAppFactory.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        _anonymous = Browser(server);
    }

    public Task DisposeAsync()
    {
        _clinician.Dispose();
        _anonymous.Dispose();
        _app.Dispose();
        return Task.CompletedTask;
    }

    private static HttpClient Browser(Uri server)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server };
        client.DefaultRequestHeaders.Accept.ParseAdd(BrowserAccept);
        return client;
    }

    /// <summary>The status page's title, heading, explanation and link home, asserting it is a whole page in the layout.</summary>
    private static async Task<(string Title, string Heading, string Explanation)> StatusPageAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        response.StatusCode.ShouldBe(expected);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldContain("<a class=\"brand\" href=\"/\">OpenBFR</a>", Case.Sensitive, "the layout's header");
        html.ShouldContain("<a class=\"button\" id=\"status-home\" href=\"/\">", Case.Sensitive, "a link home");
        string Text(string pattern) => WebUtility.HtmlDecode(Regex.Match(html, pattern, RegexOptions.Singleline).Groups[1].Value.Trim());
        return (Text("<title>(.*?)</title>"), Text("<h1>(.*?)</h1>"), Text("<p id=\"status-explanation\">(.*?)</p>"));
    }

    [Fact]
    public async Task UnknownAddress_SignedIn_PageNotFoundWithTheAddressAndTitle_Status404()
    {
        using var response = await _clinician.GetAsync("/no-such-page?x=1");

        var (title, heading, explanation) = await StatusPageAsync(response, HttpStatusCode.NotFound);
        title.ShouldBe("Page not found – OpenBFR");
        heading.ShouldBe("Page not found");
        explanation.ShouldStartWith("There is no page at /no-such-page?x=1.");
    }

    [Fact]
    public async Task UnknownAddress_NotSignedIn_SamePageWithTheSignInLinks()
    {
        using var response = await _anonymous.GetAsync("/Athletes/nothing/here");

        var (title, _, explanation) = await StatusPageAsync(response, HttpStatusCode.NotFound);
        title.ShouldBe("Page not found – OpenBFR");
        explanation.ShouldContain("/Athletes/nothing/here");
        (await response.Content.ReadAsStringAsync()).ShouldContain("<a href=\"/Account/Login\">Sign in</a>", Case.Sensitive, "the layout as for anyone not signed in");
    }

    [Fact]
    public async Task RecordNotVisible_PageAnswersNotFound_GetsTheSamePage()
    {
        var id = Guid.NewGuid();
        using var response = await _clinician.GetAsync($"/Athletes/{id}");

        var (title, _, explanation) = await StatusPageAsync(response, HttpStatusCode.NotFound);
        title.ShouldBe("Page not found – OpenBFR");
        explanation.ShouldContain($"/Athletes/{id}");
    }

    [Fact]
    public async Task FormPostedToAnUnknownAddress_PageNotFound()
    {
        using var response = await _clinician.PostAsync("/no-such-form", new FormUrlEncodedContent([new("note", "x")]));

        (await StatusPageAsync(response, HttpStatusCode.NotFound)).Title.ShouldBe("Page not found – OpenBFR");
    }

    [Fact]
    public async Task FormWithoutItsAntiforgeryToken_400_SaysToReloadAndSendAgain()
    {
        using var response = await _clinician.PostAsync("/Clinician?handler=Add", new FormUrlEncodedContent([new("displayName", "No Token")]));

        var (title, heading, explanation) = await StatusPageAsync(response, HttpStatusCode.BadRequest);
        title.ShouldBe("Request not accepted – OpenBFR");
        heading.ShouldBe("Request not accepted");
        explanation.ShouldContain("/Clinician?handler=Add");
        explanation.ShouldContain("reload the page and send the form again");
        (await _clinician.GetFromJsonAsync<JsonElement>("/api/v1/athletes")).GetArrayLength().ShouldBe(0, "nothing saved");
    }

    [Fact]
    public async Task MethodTheAddressDoesNotTake_405_NamesTheMethod()
    {
        using var response = await _anonymous.PostAsync("/healthz", new StringContent(""));

        var (title, _, explanation) = await StatusPageAsync(response, HttpStatusCode.MethodNotAllowed);
        title.ShouldBe("Method not allowed – OpenBFR");
        explanation.ShouldBe("/healthz does not take a POST request.");
    }

    [Fact]
    public async Task PageFailsOnTheServer_500Page_ApiKeepsProblemDetails()
    {
        // A real failure: the database loses a table the dashboard reads.
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<OpenBfrDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Plans\" RENAME TO \"PlansGone\"");
        }

        using var response = await _clinician.GetAsync("/Clinician?tab=1");

        var (title, _, explanation) = await StatusPageAsync(response, HttpStatusCode.InternalServerError);
        title.ShouldBe("Server error – OpenBFR");
        explanation.ShouldStartWith("The server failed to answer the request for /Clinician?tab=1 (500 Internal Server Error).");
        using var api = await _clinician.GetAsync("/api/v1/dashboard");
        api.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        api.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("/api/v1/no-such-thing")]
    [InlineData("/api/no-version")]
    public async Task UnknownApiAddress_KeepsProblemDetailsJson(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _clinician.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().ShouldBe(404);
    }

    [Fact]
    public async Task ApiRecordNotVisible_KeepsProblemDetailsJson()
    {
        using var response = await _clinician.GetAsync($"/api/v1/athletes/{Guid.NewGuid()}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData(400, "Request not accepted")]
    [InlineData(403, "Not allowed")]
    [InlineData(404, "Page not found")]
    [InlineData(405, "Method not allowed")]
    [InlineData(413, "Request too large")]
    [InlineData(415, "Content not accepted")]
    [InlineData(500, "Server error")]
    [InlineData(503, "Server error")]
    [InlineData(409, "Conflict")]
    public void For_EachStatus_HasATitleAndNamesTheAddress(int code, string title)
    {
        var d = OpenBfr.Web.Pages.StatusModel.For(code, "/x/y", "PUT");
        d.Title.ShouldBe(title);
        d.Explanation.ShouldContain("/x/y");
    }
}
