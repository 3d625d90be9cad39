using System.Text.Json;
using Microsoft.Playwright;

namespace OpenBfr.EndToEnd;

/// <summary>
/// The strength forms in a real browser against the real app: a runner records a leg-press pair
/// with a mistyped load, corrects it through the Edit form and sees the new value and the new limb
/// symmetry on the page, then deletes the result after the confirm step and sees it gone.
/// </summary>
public sealed class StrengthCorrectionTests : BrowserTests
{
    private const string Password = "strength-password-1";

    [BrowserFact]
    public async Task StrengthForm_RecordEditDelete_PageShowsEachChange()
    {
        await InBrowserAsync("strength.db", "strength-corrections", async (page, server, shots) =>
        {
            await RunAsync(page, shots);
        });
    }

    /// <summary>First run: the admin account; then a runner signs up and lands on their own record. Returns the record's URL.</summary>
    private static Task<string> AdminThenRunnerAsync(IPage page) => BrowserJourney.AdminThenRunnerAsync(page, Password);

    private static async Task RunAsync(IPage page, string shots)
    {
        var athleteUrl = await AdminThenRunnerAsync(page);

        // Record a leg-press pair through the form, with the involved side mistyped: 1000 kg instead of 100.
        await page.SelectOptionAsync("#strength-form select[name=exercise]", "leg-press");
        await page.FillAsync("#strength-form input[name=testedOn]", "2026-11-16");
        await page.SelectOptionAsync("#strength-form select[name=limbA]", "right-leg");
        await page.FillAsync("#strength-form input[name=loadKgA]", "1000");
        await page.FillAsync("#strength-form input[name=repsA]", "5");
        await page.SelectOptionAsync("#strength-form select[name=limbB]", "left-leg");
        await page.FillAsync("#strength-form input[name=loadKgB]", "110");
        await page.FillAsync("#strength-form input[name=repsB]", "5");
        await page.FillAsync("#strength-form input[name=painScore]", "1");
        await page.ClickAsync("#strength-form button[type=submit]");
        await page.WaitForSelectorAsync("#strength-table tbody tr[data-test-id]:has-text('right-leg')");
        var right = "#strength-table tbody tr[data-test-id]:has-text('right-leg')";
        (await page.TextContentAsync(right + " td.result"))!.ShouldContain("1000 kg × 5");
        (await page.TextContentAsync(right + " td.one-rm"))!.ShouldContain("1166.7 kg"); // Epley 1000 × (1 + 5/30)
        (await LatestLsiAsync(page)).ShouldBe(909.1); // 1166.7 / 128.3: the typo makes the injured leg nine times the healthy one
        (await page.Locator("#strength-table tbody tr[data-test-id]").CountAsync()).ShouldBe(2);
        var testId = await page.GetAttributeAsync(right, "data-test-id");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "01-recorded-with-typo.png"), FullPage = true });

        // Edit: the form holds the stored values; correct the load.
        await page.ClickAsync(right + " a.edit-test");
        await page.WaitForURLAsync($"**/StrengthTests/{testId}/Edit");
        (await page.InputValueAsync("input[name='Form.LoadKg']")).ShouldBe("1000");
        (await page.InputValueAsync("input[name='Form.Reps']")).ShouldBe("5");
        (await page.InputValueAsync("select[name='Form.Limb']")).ShouldBe("right-leg");
        (await page.IsCheckedAsync("input[name='Form.Involved']")).ShouldBeTrue();
        // A mistake the browser cannot catch first (the other side of this test is the left leg): the
        // page names the field, the value and what is allowed, and nothing is saved.
        await page.FillAsync("input[name='Form.LoadKg']", "100");
        await page.SelectOptionAsync("select[name='Form.Limb']", "left-leg");
        await page.ClickAsync("#save-test");
        await page.WaitForSelectorAsync(".errors li:has-text('limb')");
        (await page.TextContentAsync(".errors"))!.ShouldContain("limb must be right-leg: the other side of this test is left-leg; was 'left-leg'");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "02-edit-form-error.png"), FullPage = true });
        (await page.InputValueAsync("input[name='Form.LoadKg']")).ShouldBe("100"); // what was typed stays in the form
        await page.SelectOptionAsync("select[name='Form.Limb']", "right-leg");
        await page.ClickAsync("#save-test");
        await page.WaitForURLAsync(athleteUrl + "#strength");
        (await page.TextContentAsync(".flash"))!.ShouldContain("Strength test corrected.");
        (await page.TextContentAsync(right + " td.result"))!.ShouldContain("100 kg × 5");
        (await page.TextContentAsync(right + " td.one-rm"))!.ShouldContain("116.7 kg"); // Epley 100 × (1 + 5/30)
        (await page.TextContentAsync(right))!.ShouldContain("corrected");
        (await LatestLsiAsync(page)).ShouldBe(90.9); // 116.7 / 128.3 (Grindem 2016: ≥ 90% for return to sport)
        (await page.TextContentAsync("#gate-status"))!.ShouldContain("start-running: met");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "03-corrected.png"), FullPage = true });

        // Delete: a confirm page first (nothing deleted yet), then the POST.
        await page.ClickAsync(right + " a.delete-test");
        await page.WaitForURLAsync($"**/StrengthTests/{testId}/Delete");
        (await page.TextContentAsync("#test-summary"))!.ShouldContain("100 kg × 5");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "04-delete-confirm.png"), FullPage = true });
        await page.ClickAsync("text=Cancel");
        await page.WaitForURLAsync(athleteUrl + "#strength");
        (await page.Locator("#strength-table tbody tr[data-test-id]").CountAsync()).ShouldBe(2);
        await page.ClickAsync(right + " a.delete-test");
        await page.ClickAsync("#confirm-delete");
        await page.WaitForURLAsync(athleteUrl + "#strength");
        (await page.TextContentAsync(".flash"))!.ShouldContain("Strength test deleted.");
        (await page.Locator(right).CountAsync()).ShouldBe(0);
        var rows = page.Locator("#strength-table tbody tr[data-test-id]");
        (await rows.CountAsync()).ShouldBe(1);
        (await rows.First.TextContentAsync())!.ShouldContain("110 kg × 5");
        (await LatestLsiAsync(page)).ShouldBeNull(); // no involved side left to compare
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "05-deleted.png"), FullPage = true });
        var gone = await page.GotoAsync($"{athleteUrl}/StrengthTests/{testId}/Edit");
        gone!.Status.ShouldBe(404);
    }

    [BrowserFact]
    public async Task StrengthForm_CorrectThenOpenHistory_ShowsTheOldAndTheNewValueWithWhoAndWhen()
    {
        await InBrowserAsync("history.db", "strength-history", async (page, server, shots) =>
        {
            var athleteUrl = await AdminThenRunnerAsync(page);
            // A single-leg result with a typo (640 kg for 64), corrected through the Edit form.
            await page.SelectOptionAsync("#strength-form select[name=exercise]", "leg-press");
            await page.FillAsync("#strength-form input[name=testedOn]", "2026-11-17");
            await page.SelectOptionAsync("#strength-form select[name=limbA]", "left-leg");
            await page.FillAsync("#strength-form input[name=loadKgA]", "640");
            await page.FillAsync("#strength-form input[name=repsA]", "8");
            await page.ClickAsync("#strength-form button[type=submit]");
            var row = "#strength-table tbody tr[data-test-id]:has-text('left-leg')";
            await page.WaitForSelectorAsync(row);
            (await page.Locator(row + " a.history-link").CountAsync()).ShouldBe(0); // never corrected: no history yet
            await page.ClickAsync(row + " a.edit-test");
            await page.WaitForURLAsync("**/Edit");
            (await page.InputValueAsync("input[name=Version]")).ShouldBe("1"); // the form names the version it corrects
            await page.FillAsync("input[name='Form.LoadKg']", "64");
            await page.ClickAsync("#save-test");
            await page.WaitForURLAsync(athleteUrl + "#strength");
            (await page.TextContentAsync(row + " td.result"))!.ShouldContain("64 kg × 8");

            // "corrected" links to the history: newest first, the corrected value above the mistyped one, with who and when.
            await page.ClickAsync(row + " a.history-link");
            await page.WaitForURLAsync("**/History");
            var versions = page.Locator("#history-table tbody tr");
            (await versions.CountAsync()).ShouldBe(2);
            (await versions.Nth(0).GetAttributeAsync("class")).ShouldBe("status-current");
            (await versions.Nth(0).Locator("td.result").TextContentAsync())!.ShouldContain("64 kg × 8");
            (await versions.Nth(0).Locator("td.one-rm").TextContentAsync())!.ShouldContain("81.1 kg"); // Epley 64 × (1 + 8/30)
            (await versions.Nth(1).GetAttributeAsync("class")).ShouldBe("status-corrected");
            (await versions.Nth(1).Locator("td.result").TextContentAsync())!.ShouldContain("640 kg × 8");
            (await versions.Nth(1).Locator("td.one-rm").TextContentAsync())!.ShouldContain("810.7 kg"); // Epley 640 × (1 + 8/30)
            (await versions.Nth(1).Locator("td.written").TextContentAsync())!.ShouldContain("by Robin Runner");
            (await versions.Nth(1).Locator("td.ended").TextContentAsync())!.ShouldContain("corrected");
            (await versions.Nth(1).Locator("td.ended").TextContentAsync())!.ShouldContain("by Robin Runner");
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "01-history-after-correction.png"), FullPage = true });
        });
    }

    [BrowserFact]
    public async Task StrengthForm_TimedHopPair_PageShowsTheTimesAndTheTimedLsi()
    {
        await InBrowserAsync("timed-hop.db", "timed-hop", async (page, server, shots) =>
        {
            await AdminThenRunnerAsync(page);
            // The seconds field shows only for the timed hop.
            (await page.IsVisibleAsync("#strength-form input[name=hopSecondsA]")).ShouldBeFalse();
            await page.SelectOptionAsync("#strength-form select[name=exercise]", "timed-hop");
            (await page.IsVisibleAsync("#strength-form input[name=hopSecondsA]")).ShouldBeTrue();
            await page.FillAsync("#strength-form input[name=testedOn]", "2026-11-18");
            await page.SelectOptionAsync("#strength-form select[name=limbA]", "right-leg");
            await page.FillAsync("#strength-form input[name=hopSecondsA]", "2.5");
            await page.SelectOptionAsync("#strength-form select[name=limbB]", "left-leg");
            await page.FillAsync("#strength-form input[name=hopSecondsB]", "2.2");
            await page.FillAsync("#strength-form input[name=painScore]", "0");
            await page.ClickAsync("#strength-form button[type=submit]");
            var right = "#strength-table tbody tr[data-test-id]:has-text('right-leg')";
            await page.WaitForSelectorAsync(right);
            (await page.TextContentAsync(right + " td.result"))!.ShouldContain("2.50 s");
            (await page.TextContentAsync("#strength-table tbody tr[data-test-id]:has-text('left-leg') td.result"))!.ShouldContain("2.20 s");
            // Involved 2.5 s, uninvolved 2.2 s: LSI = 2.2 / 2.5 × 100 = 88.0% (Noyes et al. 1991), below return to sport's 90% (Grindem 2016).
            (await page.TextContentAsync("#lsi-table tr[data-exercise='timed-hop'] td.lsi"))!.Trim().ShouldBe("88.0%");
            (await LatestLsiAsync(page, "timed-hop")).ShouldBe(88.0);
            var gates = (await page.TextContentAsync("#gate-status"))!;
            // A hop is not a strength test: starting to run still waits for one (Rambaud 2018); return to sport reads the hop.
            gates.ShouldContain("start-running: not met");
            gates.ShouldContain("no strength LSI recorded");
            gates.ShouldContain("return-to-sport: not met");
            gates.ShouldContain("hop limb symmetry 88% must be ≥ 90%");
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "01-timed-hop-recorded.png"), FullPage = true });
        });
    }

    [BrowserFact]
    public async Task ClinicianForms_StageDecisionCorrectedAndClearanceEditedThenRevoked_PageShowsEachChange()
    {
        await InBrowserAsync("clinician.db", "clearance-corrections", async (page, server, shots) =>
        {
            await RunClinicianAsync(page, server, shots);
        });
    }

    /// <summary>First run: the admin account, then sign out and sign up as <paramref name="role"/> (the page is left on what the sign-up answers).</summary>
    private static Task AdminThenSignUpAsync(IPage page, string role, string name, string email) => BrowserJourney.AdminThenSignUpAsync(page, Password, role, name, email);

    private async Task RunClinicianAsync(IPage page, AppServer server, string shots)
    {
        // First-run admin; a clinician signs up and the admin approves them.
        await AdminThenSignUpAsync(page, "clinician", "Pat Physio", "pat@example.org");
        await page.WaitForURLAsync("**/Account/Pending");
        await using (var adminContext = await LaunchedBrowser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl }))
        {
            adminContext.SetDefaultTimeout(60_000);
            var admin = await adminContext.NewPageAsync();
            await admin.GotoAsync("/Account/Login");
            await admin.FillAsync("input[name=Email]", "admin@example.org");
            await admin.FillAsync("input[name=Password]", Password);
            await admin.ClickAsync("form.card button[type=submit]");
            await BrowserJourney.AdminUsersAsync(admin);
            await admin.ClickAsync("tr[data-email='pat@example.org'] form.approve button");
            await admin.WaitForSelectorAsync("tr[data-email='pat@example.org'] td.status:has-text('active')");
        }
        await page.ReloadAsync();
        await page.WaitForURLAsync("**/Clinician");

        // An athlete screened with diabetes: needs clearance on every limb.
        await page.FillAsync("#add-athlete input[name=displayName]", "Casey Runner");
        await page.FillAsync("#add-athlete input[name=birthYear]", "1980");
        await page.ClickAsync("#add-athlete button[type=submit]");
        await page.WaitForURLAsync("**/Athletes/**");
        var athleteUrl = page.Url.Split('#')[0];
        await page.ClickAsync("#start-screening");
        await page.WaitForURLAsync("**/Screening");
        await page.FillAsync("input[name=systolicMmHg]", "124");
        await page.FillAsync("input[name=diastolicMmHg]", "80");
        await page.CheckAsync("input[name=q-diabetes][value=yes]");
        await page.ClickAsync("#screening-form button[type=submit]");
        await page.WaitForURLAsync(athleteUrl + "**");
        var pending = ".pending-clearance[data-item=diabetes]";
        await page.FillAsync(pending + " input[name=note]", "HbA1c 6.1%");
        await page.ClickAsync(pending + " button[type=submit]");
        await page.WaitForSelectorAsync("#clearance-table tr[data-clearance-id]");
        (await page.Locator(pending).CountAsync()).ShouldBe(0);
        (await page.TextContentAsync("#screening-limbs"))!.ShouldContain("left-leg: Eligible (cleared by a clinician");

        // Correct the clearance's note, then revoke it after the confirm step: the finding is pending again.
        await page.ClickAsync("#clearance-table a.edit-clearance");
        await page.WaitForURLAsync("**/Clearances/**");
        (await page.InputValueAsync("input[name=Note]")).ShouldBe("HbA1c 6.1%");
        await page.FillAsync("input[name=Note]", "HbA1c 6.1%, GP letter 2026-11-15");
        await page.ClickAsync("#save-clearance");
        await page.WaitForURLAsync(athleteUrl + "#screening");
        (await page.TextContentAsync("#clearance-table"))!.ShouldContain("HbA1c 6.1%, GP letter 2026-11-15");
        (await page.TextContentAsync("#clearance-table"))!.ShouldContain("corrected");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "01-clearance-corrected.png"), FullPage = true });
        await page.ClickAsync("#clearance-table a.revoke-clearance");
        await page.WaitForSelectorAsync("#confirm-revoke");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "02-revoke-confirm.png"), FullPage = true });
        await page.ClickAsync("#confirm-revoke");
        await page.WaitForURLAsync(athleteUrl + "#screening");
        (await page.TextContentAsync(".flash"))!.ShouldContain("Clearance revoked");
        (await page.Locator("#clearance-table").CountAsync()).ShouldBe(0);
        (await page.TextContentAsync(pending))!.ShouldContain("Needs clearance: diabetes");
        (await page.TextContentAsync("#screening-limbs"))!.ShouldContain("left-leg: NeedsClearance");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "03-revoked-pending-again.png"), FullPage = true });

        // A clinician's single-limb test with a stage decision, corrected: the stage decision and the load change.
        await page.SelectOptionAsync("#strength-form select[name=exercise]", "knee-extension");
        await page.FillAsync("#strength-form input[name=testedOn]", "2026-11-18");
        await page.SelectOptionAsync("#strength-form select[name=limbA]", "left-leg");
        await page.FillAsync("#strength-form input[name=oneRepMaxKgA]", "420");
        await page.SelectOptionAsync("#strength-form select[name=stageClearance]", "cleared");
        await page.ClickAsync("#strength-form button[type=submit]");
        var row = "#strength-table tbody tr[data-test-id]:has-text('knee-extension')";
        await page.WaitForSelectorAsync(row);
        (await page.TextContentAsync(row))!.ShouldContain("cleared");
        (await page.TextContentAsync(row + " td.result"))!.ShouldContain("1RM 420 kg (measured)");
        await page.ClickAsync(row + " a.edit-test");
        await page.WaitForURLAsync("**/Edit");
        (await page.InputValueAsync("select[name='Form.StageClearance']")).ShouldBe("cleared");
        await page.FillAsync("input[name='Form.OneRepMaxKg']", "42");
        await page.SelectOptionAsync("select[name='Form.StageClearance']", "withheld");
        await page.ClickAsync("#save-test");
        await page.WaitForURLAsync(athleteUrl + "#strength");
        (await page.TextContentAsync(row + " td.result"))!.ShouldContain("1RM 42 kg (measured)");
        (await page.TextContentAsync(row))!.ShouldContain("withheld");
        await page.ClickAsync(row + " a.delete-test");
        await page.ClickAsync("#confirm-delete");
        await page.WaitForURLAsync(athleteUrl + "#strength");
        (await page.Locator("#strength-table tbody tr[data-test-id]").CountAsync()).ShouldBe(0);
        (await page.TextContentAsync("#strength-table"))!.ShouldContain("No tests recorded.");
    }

    /// <summary>The latest point of the leg-press LSI chart in the page's chart data (the numbers the chart draws), or null when there is none.</summary>
    private static async Task<double?> LatestLsiAsync(IPage page, string exercise = "leg-press")
    {
        var json = await page.TextContentAsync("#chart-data");
        var series = JsonDocument.Parse(json!).RootElement.GetProperty("strength").GetProperty("lsi").EnumerateArray()
            .Where(s => s.GetProperty("exercise").GetString() == exercise).ToList();
        return series.Count == 0 ? null : series[0].GetProperty("points").EnumerateArray().Last().GetProperty("percent").GetDouble();
    }
}
