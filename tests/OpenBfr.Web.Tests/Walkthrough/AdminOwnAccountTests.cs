using System.Net;
using System.Text.RegularExpressions;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Tests.Walkthrough;

/// <summary>
/// The Accounts page offered a Lock button on the admin's own row that did nothing (locking oneself
/// is refused, and silently): the row now says so instead, and a post anyway says why nothing changed.
/// </summary>
public sealed class AdminOwnAccountTests : IDisposable
{
    private readonly WebAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AccountsPage_OwnRow_NoLockButtonAndALockPostSaysWhy()
    {
        var admin = await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        await _app.CreateUserAsync("pt@t.org", Roles.Clinician);
        var client = await _app.SignedInAsync("admin@t.org");

        var html = await client.GetStringAsync("/Admin/Users");
        string Row(string email) => Regex.Match(html, $"<tr data-email=\"{Regex.Escape(email)}\">.*?</tr>", RegexOptions.Singleline).Value;
        Row("admin@t.org").ShouldNotContain("handler=Lock");
        Row("admin@t.org").ShouldContain("an admin cannot lock their own account");
        Row("pt@t.org").ShouldContain("handler=Lock");

        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Admin/Users");
        using var posted = await client.PostAsync("/Admin/Users?handler=Lock",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = admin.Id, ["locked"] = "true", ["__RequestVerificationToken"] = token }));
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        WebUtility.HtmlDecode(await client.GetStringAsync("/Admin/Users")).ShouldContain("Nothing changed: an admin cannot lock their own account.");
        (await client.GetAsync("/Admin/Users")).StatusCode.ShouldBe(HttpStatusCode.OK, "still signed in and not locked");
    }
}
