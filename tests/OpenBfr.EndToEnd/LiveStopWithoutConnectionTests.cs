using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace OpenBfr.EndToEnd;

/// <summary>
/// STOP and the symptom buttons deflate also while the live page's connection is down: the page
/// sends them over the HTTP API when the hub cannot take them (before, the hub call failed without
/// a word and the cuffs stayed inflated until the session ended).
/// </summary>
public sealed class LiveStopWithoutConnectionTests : BrowserTests
{
    private const string Password = "stop-password-1";

    [BrowserFact]
    public async Task Stop_WhileTheLiveConnectionIsDown_DeflatesThroughTheApiAndSaysSo()
    {
        await InBrowserAsync("stop.db", "live-stop-offline", async (page, server, shots) =>
        {
            var sessionId = await StartSessionAsync(page);
            await DropConnectionAsync(page);

            await page.ClickAsync("#stop");

            var session = await UntilAsync(page, $"/api/v1/sessions/{sessionId}?seconds=1", d => d.GetProperty("session").GetProperty("state").GetString() != "running");
            session.GetProperty("session").GetProperty("endReason").GetString().ShouldBe("stopped");
            await page.WaitForFunctionAsync("() => window.openbfrLive.httpCommands === 1");
            (await page.TextContentAsync("#banner"))!.ShouldContain("Stop sent without the live connection");
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "01-stopped-while-disconnected.png"), FullPage = true });
        });
    }

    [BrowserFact]
    public async Task Symptom_WhileTheLiveConnectionIsDown_DeflatesThroughTheApi()
    {
        await InBrowserAsync("symptom.db", "live-symptom-offline", async (page, server, shots) =>
        {
            var sessionId = await StartSessionAsync(page);
            await DropConnectionAsync(page);

            await page.ClickAsync("[data-symptom=numbness]");

            var session = await UntilAsync(page, $"/api/v1/sessions/{sessionId}", d => d.GetProperty("session").GetProperty("state").GetString() != "running");
            session.GetProperty("session").GetProperty("symptomReported").GetBoolean().ShouldBeTrue();
            session.GetProperty("events").EnumerateArray().ShouldContain(e => e.GetProperty("kind").GetString() == "symptom");
            (await page.TextContentAsync("#banner"))!.ShouldContain("Symptom (numbness) sent without the live connection");
        });
    }

    /// <summary>A runner signs up, is screened, records a LOP, is prescribed and starts a session; the page is live. Returns the session's id.</summary>
    private static async Task<string> StartSessionAsync(IPage page)
    {
        await BrowserJourney.AdminThenRunnerAsync(page, Password);
        await page.ClickAsync("#start-screening");
        await page.WaitForURLAsync("**/Screening");
        await page.FillAsync("input[name=ageYears]", "34");
        await page.FillAsync("input[name=systolicMmHg]", "118");
        await page.FillAsync("input[name=diastolicMmHg]", "76");
        await page.ClickAsync("#screening-form button[type=submit]");
        await page.WaitForSelectorAsync("#screening :text('Eligible')");
        // Standing: the resistance prescription's strength-lower is done standing, and a LOP sets pressures only in its own position.
        await page.SelectOptionAsync("#doppler-form select[name=position]", "standing");
        await page.FillAsync("#doppler-form input[name=lopMmHg]", "200");
        await page.ClickAsync("#doppler-form button[type=submit]");
        await page.WaitForSelectorAsync("#lop-table td:has-text('200 mmHg')");
        await page.ClickAsync("#prescribe-form button[type=submit]");
        await page.WaitForSelectorAsync("#start-session-form input[name=prescriptionIds]");
        await page.CheckAsync("#start-session-form input[name=prescriptionIds]");
        await page.ClickAsync("#start-session");
        await page.WaitForURLAsync("**/Sessions/**");
        await page.WaitForFunctionAsync("() => window.openbfrLive && window.openbfrLive.points > 5 && window.openbfrLive.connection.state === 'Connected'");
        return page.Url.Split("/Sessions/")[1].Split('?', '#')[0];
    }

    /// <summary>The live connection drops and every reconnect fails while the session runs on.</summary>
    private static async Task DropConnectionAsync(IPage page)
    {
        await page.RouteAsync("**/hubs/session/negotiate**", route => route.AbortAsync());
        await page.EvaluateAsync("() => window.openbfrLive.connection.connection.stop(new Error('dropped by the test'))");
        await page.WaitForFunctionAsync("() => window.openbfrLive.connection.state === 'Reconnecting'");
    }

    /// <summary>Reads the API from the page (its cookie) until <paramref name="done"/>; fails after 20 s, which a deflate never needs.</summary>
    private static async Task<JsonElement> UntilAsync(IPage page, string path, Func<JsonElement, bool> done)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var json = JsonDocument.Parse(await page.EvaluateAsync<string>($"async () => (await fetch('{path}')).text()")).RootElement.Clone();
            if (done(json))
            {
                return json;
            }
            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), $"{path} is still running after the button was pressed: {json}");
            await Task.Delay(100);
        }
    }
}
