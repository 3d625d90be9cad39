using System.Text.Json;
using Microsoft.Playwright;

namespace OpenBfr.EndToEnd;

/// <summary>
/// The acceptance journey in a real browser against the real app: a new clinician signs up (and is
/// approved by the admin), adds an athlete, screens, records a LOP, prescribes, runs a simulated
/// session, sees the pressure move, stops and sees the cuff deflate, finds the session in history,
/// and in a second session presses a symptom button and sees the cuff deflate with the reason.
/// Plus the crash test.
/// </summary>
public sealed class ClinicianJourneyTests : IAsyncLifetime
{
    private const string Password = "journey-password-1";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "openbfr-e2e-" + Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        if (File.Exists(Browser.ChromiumPath))
        {
            (_playwright, _browser) = await Browser.LaunchAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [BrowserFact]
    public async Task Journey_NewClinicianToStoppedSession_EveryStepWorksAndSessionIsInHistory()
    {
        await using var server = new AppServer(Path.Combine(_dir, "journey.db"));
        await server.StartAsync();
        var shots = Browser.ScreenshotDir("journey");
        var page = await NewPageAsync(server);

        string athleteUrl;
        try
        {
            athleteUrl = await SetUpAthleteWithPrescriptionAsync(page, server, shots);
        }
        catch (Exception e)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "failure.png"), FullPage = true });
            throw new InvalidOperationException("set-up failed at " + page.Url + "; server output:\n" + server.Output[^Math.Min(4000, server.Output.Length)..], e);
        }

        // Start a simulated session on the prescription.
        await page.CheckAsync("#start-session-form input[name=prescriptionIds]");
        await page.ClickAsync("#start-session");
        await page.WaitForURLAsync("**/Sessions/**");
        await page.WaitForFunctionAsync("() => window.openbfrLive && window.openbfrLive.points > 30 && Object.values(window.openbfrLive.latest).some(p => p > 50)",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        var pointsBefore = await page.EvaluateAsync<int>("() => window.openbfrLive.points");
        await page.WaitForFunctionAsync($"() => window.openbfrLive.points > {pointsBefore + 10}", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "07-live-session-pressure-moving.png"), FullPage = true });
        var inflated = await page.EvaluateAsync<double>("() => Math.max(...Object.values(window.openbfrLive.latest))");
        inflated.ShouldBeGreaterThan(50, "the cuff should be inflating towards its target");

        // Stop: the cuff deflates at once.
        await page.ClickAsync("#stop");
        await page.WaitForFunctionAsync("() => window.openbfrLive.ended && Object.values(window.openbfrLive.latest).every(p => p < 20)",
            null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        (await page.IsVisibleAsync("#banner")).ShouldBeTrue();
        (await page.TextContentAsync("#banner"))!.ShouldContain("deflated");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "08-stopped-deflated.png"), FullPage = true });

        // History.
        await page.GotoAsync(athleteUrl + "#sessions");
        var row = await page.TextContentAsync("#session-table tbody tr");
        row.ShouldNotBeNull();
        row.ShouldContain("strength-lower");
        row.ShouldContain("stopped");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "09-session-history.png"), FullPage = true });

        // A second session: a symptom button deflates at once and the page says why.
        await page.GotoAsync(athleteUrl);
        await page.CheckAsync("#start-session-form input[name=prescriptionIds]");
        await page.ClickAsync("#start-session");
        await page.WaitForURLAsync("**/Sessions/**");
        await page.WaitForFunctionAsync("() => window.openbfrLive && window.openbfrLive.points > 30 && Object.values(window.openbfrLive.latest).some(p => p > 50)",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        await page.ClickAsync("[data-symptom=numbness]");
        await page.WaitForFunctionAsync("() => window.openbfrLive.ended && Object.values(window.openbfrLive.latest).every(p => p < 20)",
            null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        (await page.EvaluateAsync<string>("() => window.openbfrLive.endReason")).ShouldBe("symptom");
        var banner = (await page.TextContentAsync("#banner"))!;
        banner.ShouldContain("symptom");
        banner.ShouldContain("numbness reported");
        banner.ShouldContain("deflated");
        (await page.TextContentAsync("#events"))!.ShouldContain("symptom");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "10-symptom-deflated.png"), FullPage = true });
    }

    [BrowserFact]
    public async Task Crash_ServerKilledMidSession_NothingRecordedIsLostAndSessionShowsInterrupted()
    {
        var db = Path.Combine(_dir, "crash.db");
        var shots = Browser.ScreenshotDir("crash");
        string athleteUrl, sessionId;
        int telemetryBefore, eventsBefore;
        await using (var server = new AppServer(db))
        {
            await server.StartAsync();
            var page = await NewPageAsync(server);
            athleteUrl = await SetUpAthleteWithPrescriptionAsync(page, server, shots);
            await page.CheckAsync("#start-session-form input[name=prescriptionIds]");
            await page.ClickAsync("#start-session");
            await page.WaitForURLAsync("**/Sessions/**");
            sessionId = page.Url.Split("/Sessions/")[1].Split('?', '#')[0];
            await page.WaitForFunctionAsync("() => window.openbfrLive && window.openbfrLive.points > 60", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            var before = await FetchJsonAsync(page, $"/api/v1/sessions/{sessionId}");
            telemetryBefore = before.GetProperty("telemetryCount").GetInt32();
            eventsBefore = before.GetProperty("events").GetArrayLength();
            before.GetProperty("session").GetProperty("state").GetString().ShouldBe("running");
            telemetryBefore.ShouldBeGreaterThan(0);
            server.Kill();
        }

        await using (var restarted = new AppServer(db))
        {
            await restarted.StartAsync();
            var page = await NewPageAsync(restarted);
            await SignInAsync(page, restarted, _lastClinicianEmail!);
            var after = await FetchJsonAsync(page, $"/api/v1/sessions/{sessionId}");
            after.GetProperty("telemetryCount").GetInt32().ShouldBeGreaterThanOrEqualTo(telemetryBefore);
            after.GetProperty("events").GetArrayLength().ShouldBeGreaterThanOrEqualTo(eventsBefore);
            after.GetProperty("session").GetProperty("state").GetString().ShouldBe("interrupted");
            await page.GotoAsync(restarted.BaseUrl + new Uri(athleteUrl).AbsolutePath + "#sessions");
            (await page.TextContentAsync("#session-table tbody tr"))!.ShouldContain("interrupted");
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "10-after-restart-interrupted.png"), FullPage = true });
        }
    }

    [BrowserFact]
    public async Task LivePage_ConnectionDroppedAndHeldDown_ShowsEveryStoredSampleOnceAfterReconnecting()
    {
        await using var server = new AppServer(Path.Combine(_dir, "reconnect.db"));
        await server.StartAsync();
        var shots = Browser.ScreenshotDir("live-reconnect");
        var page = await NewPageAsync(server);
        page.SetDefaultTimeout(60_000);
        try
        {
            await SetUpAthleteWithPrescriptionAsync(page, server, shots);
            await page.CheckAsync("#start-session-form input[name=prescriptionIds]");
            await page.ClickAsync("#start-session");
            await page.WaitForURLAsync("**/Sessions/**");
            var sessionId = page.Url.Split("/Sessions/")[1].Split('?', '#')[0];
            await page.WaitForFunctionAsync("() => window.openbfrLive && window.openbfrLive.points > 20 && window.openbfrLive.connection.state === 'Connected'");

            // The connection drops and every reconnect fails (negotiation refused) while the session writes on.
            await page.RouteAsync("**/hubs/session/negotiate**", route => route.AbortAsync());
            await page.EvaluateAsync("() => window.openbfrLive.connection.connection.stop(new Error('dropped by the test'))");
            await page.WaitForFunctionAsync("() => window.openbfrLive.connection.state === 'Reconnecting'");
            var atDrop = await page.EvaluateAsync<int>("() => window.openbfrLive.points");
            var storedAtDrop = (await FetchJsonAsync(page, $"/api/v1/sessions/{sessionId}?seconds=1")).GetProperty("telemetryCount").GetInt32();
            await PollAsync(page, $"/api/v1/sessions/{sessionId}?seconds=1", d => d.GetProperty("telemetryCount").GetInt32() >= storedAtDrop + 30);
            (await page.EvaluateAsync<int>("() => window.openbfrLive.points")).ShouldBe(atDrop, "nothing arrives while disconnected");
            (await page.TextContentAsync("#banner"))!.ShouldContain("reconnecting");
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "01-disconnected-reconnecting.png"), FullPage = true });

            // Back: the page rejoins from what it shows and gets what it missed, then live samples.
            await page.UnrouteAsync("**/hubs/session/negotiate**");
            await page.WaitForFunctionAsync("() => window.openbfrLive.reconnects === 1 && window.openbfrLive.connection.state === 'Connected'");
            await page.WaitForFunctionAsync($"() => window.openbfrLive.points > {atDrop + 40}");
            (await page.IsHiddenAsync("#banner")).ShouldBeTrue("the reconnecting note goes once the page is back");
            await page.ClickAsync("#stop");
            await page.WaitForFunctionAsync("() => window.openbfrLive.ended");
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "02-after-reconnect-stopped.png"), FullPage = true });

            // The session started moments before the page rendered (its 2-minute window holds all of it),
            // so the page holds every stored sample, once: one point per stored telemetry row.
            var stored = await FetchJsonAsync(page, $"/api/v1/sessions/{sessionId}");
            var rows = stored.GetProperty("telemetryCount").GetInt32();
            stored.GetProperty("telemetry").GetArrayLength().ShouldBe(rows);
            (await page.EvaluateAsync<int>("() => window.openbfrLive.repeats")).ShouldBe(0, "no sample or event arrived twice");
            (await page.EvaluateAsync<int>("() => window.openbfrLive.points")).ShouldBe(rows, "every stored sample is on the page");
            var lastId = stored.GetProperty("telemetry").EnumerateArray().Max(t => t.GetProperty("id").GetInt64());
            (await page.EvaluateAsync<long>("() => window.openbfrLive.telemetryId")).ShouldBe(lastId, "the page's cursor stands at the last stored row");
            (await page.EvaluateAsync<int>("() => [...document.querySelectorAll('.cuff-chart')].reduce((n, c) => n + Number(c.dataset.points), 0)")).ShouldBe(rows, "the charts draw them all");
        }
        catch (Exception e)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "failure.png"), FullPage = true });
            throw new InvalidOperationException("failed at " + page.Url + "; server output:\n" + server.Output[^Math.Min(4000, server.Output.Length)..], e);
        }
    }

    [BrowserFact]
    public async Task LivePage_DroppedWhileItsJoinAwaitsTheAnswer_SaysReconnectingNotFailed()
    {
        await using var server = new AppServer(Path.Combine(_dir, "join-pending.db"));
        await server.StartAsync();
        var shots = Browser.ScreenshotDir("live-join-pending");
        var page = await NewPageAsync(server);
        page.SetDefaultTimeout(60_000);
        try
        {
            await SetUpAthleteWithPrescriptionAsync(page, server, shots);

            // Between the page and the hub: while held, the hub's answers to calls (completion messages,
            // type 3) do not reach the page, so its join (WatchFrom) stays unanswered; live samples pass.
            var hold = true;
            var held = 0;
            await page.RouteWebSocketAsync("**/hubs/session**", ws =>
            {
                var hub = ws.ConnectToServer();
                ws.OnMessage(frame => { if (frame.Text is { } t) hub.Send(t); else hub.Send(frame.Binary!); });
                hub.OnMessage(frame =>
                {
                    if (frame.Text is not { } text) { ws.Send(frame.Binary!); return; }
                    var messages = text.Split('\u001e', StringSplitOptions.RemoveEmptyEntries);
                    var pass = messages.Where(m => !(hold && m.Contains("\"type\":3", StringComparison.Ordinal))).ToList();
                    Interlocked.Add(ref held, messages.Length - pass.Count);
                    if (pass.Count > 0) ws.Send(string.Concat(pass.Select(m => m + "\u001e")));
                });
            });
            await page.CheckAsync("#start-session-form input[name=prescriptionIds]");
            await page.ClickAsync("#start-session");
            await page.WaitForURLAsync("**/Sessions/**");
            await page.WaitForFunctionAsync("() => window.openbfrLive && window.openbfrLive.points > 20 && window.openbfrLive.connection.state === 'Connected'");
            // The join's answer can follow the samples it backfills: wait for it to reach the route (it runs on
            // Playwright's thread) rather than read the count once (the fresh-clone CI once read 0 there).
            for (var waited = 0; Volatile.Read(ref held) == 0 && waited < 100; waited++) await Task.Delay(100);
            Volatile.Read(ref held).ShouldBeGreaterThan(0, "the join's answer was held back");

            // The connection drops with the join unanswered; every reconnect fails for now.
            await page.RouteAsync("**/hubs/session/negotiate**", route => route.AbortAsync());
            await page.EvaluateAsync("() => window.openbfrLive.connection.connection.stop(new Error('dropped by the test'))");
            await page.WaitForFunctionAsync("() => window.openbfrLive.connection.state === 'Reconnecting'");
            await page.EvaluateAsync("() => new Promise(r => setTimeout(r, 200))");
            var banner = (await page.TextContentAsync("#banner"))!;
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "01-dropped-join-pending.png"), FullPage = true });
            banner.ShouldContain("reconnecting", Case.Insensitive, "the cancelled join is not reported as a failure while the page reconnects");
            banner.ShouldNotContain("failed", Case.Insensitive);

            // Back: the page joins again, gets its answer this time, and the note goes.
            hold = false;
            await page.UnrouteAsync("**/hubs/session/negotiate**");
            await page.WaitForFunctionAsync("() => window.openbfrLive.reconnects === 1 && window.openbfrLive.connection.state === 'Connected'");
            await page.WaitForFunctionAsync("() => document.getElementById('banner').hidden");
            await page.ClickAsync("#stop");
            await page.WaitForFunctionAsync("() => window.openbfrLive.ended");
        }
        catch (Exception e)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "failure.png"), FullPage = true });
            throw new InvalidOperationException("failed at " + page.Url + "; server output:\n" + server.Output[^Math.Min(4000, server.Output.Length)..], e);
        }
    }

    private static async Task PollAsync(IPage page, string path, Func<JsonElement, bool> done)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var json = await FetchJsonAsync(page, path);
            if (done(json))
            {
                return;
            }
            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), $"{path} did not reach the expected state: {json}");
            await Task.Delay(50);
        }
    }

    private string? _lastClinicianEmail;

    private async Task<IPage> NewPageAsync(AppServer server)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    /// <summary>First-run admin, clinician sign-up, new athlete, screening, Doppler LOP, prescription. Returns the athlete page's URL.</summary>
    private async Task<string> SetUpAthleteWithPrescriptionAsync(IPage page, AppServer server, string shots)
    {
        // First run: the app asks for an admin account.
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/Setup");
        await page.FillAsync("input[name='Input.DisplayName']", "Ada Admin");
        await page.FillAsync("input[name='Input.Email']", "admin@example.org");
        await page.FillAsync("input[name='Input.Password']", Password);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "01-first-run-setup.png"), FullPage = true });
        await page.ClickAsync("button[type=submit]");
        await BrowserJourney.AdminUsersAsync(page);
        await page.ClickAsync("text=Sign out");

        // A new clinician signs up.
        _lastClinicianEmail = $"pt-{Guid.NewGuid():N}@example.org";
        await page.GotoAsync("/Account/Register");
        await page.CheckAsync("input[name=Role][value=clinician]");
        await page.FillAsync("input[name='Input.DisplayName']", "Pat Physio");
        await page.FillAsync("input[name='Input.Email']", _lastClinicianEmail);
        await page.FillAsync("input[name='Input.Password']", Password);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "02-clinician-sign-up.png"), FullPage = true });
        await page.ClickAsync("form button[type=submit]");

        // A self-registered clinician waits for an admin's approval and sees no athlete meanwhile.
        await page.WaitForURLAsync("**/Account/Pending");
        (await page.TextContentAsync("h1"))!.ShouldContain("awaits approval");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "02b-awaiting-approval.png"), FullPage = true });
        await using (var adminContext = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } }))
        {
            var admin = await adminContext.NewPageAsync();
            await admin.GotoAsync("/Account/Login");
            await admin.FillAsync("input[name=Email]", "admin@example.org");
            await admin.FillAsync("input[name=Password]", Password);
            await admin.ClickAsync("form.card button[type=submit]");
            await BrowserJourney.AdminUsersAsync(admin);
            var row = $"tr[data-email='{_lastClinicianEmail}']";
            (await admin.TextContentAsync(row + " td.status"))!.ShouldContain("awaiting approval as clinician");
            await admin.ScreenshotAsync(new() { Path = Path.Combine(shots, "02c-admin-approves-clinician.png"), FullPage = true });
            await admin.ClickAsync(row + " form.approve button");
            await admin.WaitForSelectorAsync(row + " td.status:has-text('active')");
        }
        // The waiting page notices the approval and moves on to the clinician's dashboard.
        await page.ReloadAsync();
        await page.WaitForURLAsync("**/Clinician");

        // Adds an athlete.
        await page.FillAsync("#add-athlete input[name=displayName]", "Riley Runner");
        await page.FillAsync("#add-athlete input[name=birthYear]", "1990");
        await page.SelectOptionAsync("#add-athlete select[name=sex]", "female");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "03-add-athlete.png"), FullPage = true });
        await page.ClickAsync("#add-athlete button[type=submit]");
        await page.WaitForURLAsync("**/Athletes/**");
        var athleteUrl = page.Url.Split('#')[0];
        (await page.TextContentAsync("#athlete-name"))!.ShouldContain("Riley Runner");

        // Screening (the core questionnaire; all answers no).
        await page.ClickAsync("#start-screening");
        await page.WaitForURLAsync("**/Screening");
        await page.FillAsync("input[name=systolicMmHg]", "118");
        await page.FillAsync("input[name=diastolicMmHg]", "76");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "04-screening.png"), FullPage = true });
        await page.ClickAsync("#screening-form button[type=submit]");
        await page.WaitForURLAsync("**/Athletes/**");
        (await page.TextContentAsync("#screening"))!.ShouldContain("Eligible");

        // Doppler LOP.
        // Standing: the resistance prescription's strength-lower is done standing, and a LOP sets pressures only in its own position.
        await page.SelectOptionAsync("#doppler-form select[name=position]", "standing");
        await page.FillAsync("#doppler-form input[name=lopMmHg]", "200");
        await page.ClickAsync("#doppler-form button[type=submit]");
        await page.WaitForSelectorAsync("#lop-table td:has-text('200 mmHg')");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "05-lop-recorded.png"), FullPage = true });

        // Prescription (resistance, default 70% LOP).
        await page.SelectOptionAsync("#prescribe-form select[name=modality]", "resistance");
        await page.ClickAsync("#prescribe-form button[type=submit]");
        await page.WaitForSelectorAsync("#prescription-table td:has-text('140 mmHg')");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "06-prescription.png"), FullPage = true });
        return athleteUrl;
    }

    private static async Task SignInAsync(IPage page, AppServer server, string email)
    {
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("input[name=Email]", email);
        await page.FillAsync("input[name=Password]", Password);
        await page.ClickAsync("form.card button[type=submit]");
        await page.WaitForURLAsync("**/Clinician");
    }

    private static async Task<JsonElement> FetchJsonAsync(IPage page, string path)
    {
        var json = await page.EvaluateAsync<string>($"async () => {{ const r = await fetch('{path}'); return await r.text(); }}");
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
