using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenBfr.Web.Sessions;

namespace OpenBfr.Web.Tests.Sessions;

/// <summary>
/// The hub's message names are written once, in <see cref="LiveMessages"/>: live.js kept its own
/// copies of the four names. Now the live page renders the list into itself and live.js listens by
/// its keys; the script the app serves may name no message outside the list, nor a name as a literal.
/// </summary>
public sealed class LiveMessagesPageTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    [Fact]
    public async Task LivePage_RendersLiveMessages_AndLiveJsListensOnlyByTheirKeys_ToEachOfThem()
    {
        var (html, sessionId) = await LivePageAsync();
        try
        {
            var rendered = Regex.Match(html, "<script type=\"application/json\" id=\"live-messages\">(.*?)</script>", RegexOptions.Singleline);
            rendered.Success.ShouldBeTrue("the page carries the hub's message names");
            var names = JsonSerializer.Deserialize<Dictionary<string, string>>(rendered.Groups[1].Value)!;
            names.ShouldBe(LiveMessages.ByName, ignoreOrder: true);
            names.Values.ShouldBe(LiveMessages.All, ignoreOrder: true);

            // The script as the app serves it to this page.
            var src = Regex.Match(html, "<script src=\"(/js/live\\.js[^\"]*)\"></script>");
            src.Success.ShouldBeTrue("the page loads live.js");
            var script = await world.Clinician.GetStringAsync(WebUtility.HtmlDecode(src.Groups[1].Value));

            var listeners = Regex.Matches(script, @"connection\.on\(\s*([^,]+?)\s*,").Select(m => m.Groups[1].Value).ToList();
            listeners.ShouldNotBeEmpty();
            var keys = new List<string>();
            foreach (var listener in listeners)
            {
                var key = Regex.Match(listener, @"^message\('([A-Za-z]+)'\)$");
                key.Success.ShouldBeTrue($"live.js listens for {listener}: a hub message is named by its key in LiveMessages, message('Key')");
                names.Keys.ShouldContain(key.Groups[1].Value, $"live.js listens for message('{key.Groups[1].Value}'), which is not in LiveMessages");
                keys.Add(key.Groups[1].Value);
            }
            keys.ShouldBe(LiveMessages.ByName.Keys, ignoreOrder: true, "the page handles every kind the hub sends, each once");
            foreach (var name in LiveMessages.All)
            {
                Regex.IsMatch(script, $"['\"`]{Regex.Escape(name)}['\"`]").ShouldBeFalse($"live.js keeps its own copy of the hub message name '{name}'");
            }
        }
        finally
        {
            (await world.Clinician.PostAsync($"/api/v1/sessions/{sessionId}/stop", null)).IsSuccessStatusCode.ShouldBeTrue();
        }
    }

    /// <summary>A running simulated session's live page, as the clinician's browser gets it.</summary>
    private async Task<(string Html, Guid SessionId)> LivePageAsync()
    {
        var id = await world.NewScreenedAthleteAsync(40);
        using var lop = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/lop", new { limb = "left-leg", position = "standing", cuffWidthCm = 11.5, lopMmHg = 200 });
        var lopId = (await lop.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var rx = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/prescriptions", new { lopId, modality = "resistance" });
        var prescriptionId = (await rx.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var started = await world.Clinician.PostAsJsonAsync($"/api/v1/athletes/{id}/sessions", new { prescriptionIds = new[] { prescriptionId } });
        started.StatusCode.ShouldBe(HttpStatusCode.Created);
        var sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return (await world.Clinician.GetStringAsync($"/Sessions/{sessionId}"), sessionId);
    }
}
