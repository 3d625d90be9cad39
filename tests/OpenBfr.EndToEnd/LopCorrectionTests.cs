using Microsoft.Playwright;

namespace OpenBfr.EndToEnd;

/// <summary>
/// The LOP pages in a real browser against the real app: a runner records a Doppler LOP mistyped
/// as 260 mmHg (meant 160) and prescribes at 80% from it (208 mmHg, above the limb's real LOP),
/// corrects it through the Edit form and sees the prescription follow (128 mmHg), reads the history,
/// then withdraws it after the confirm step and sees it and its prescription gone from use.
/// </summary>
public sealed class LopCorrectionTests : BrowserTests
{
    private const string Password = "lop-password-1";

    [BrowserFact]
    public async Task LopForms_CorrectThenWithdraw_PrescriptionFollowsAndThePageShowsEachChange()
    {
        await InBrowserAsync("lop.db", "lop-corrections", async (page, server, shots) =>
        {
            var athleteUrl = await BrowserJourney.AdminThenRunnerAsync(page, Password);

            // Screening first (all answers no): no prescription without it.
            await page.ClickAsync("#start-screening");
            await page.WaitForURLAsync("**/Screening");
            await page.FillAsync("input[name=ageYears]", "34"); // a runner who signed up gave no year of birth
            await page.FillAsync("input[name=systolicMmHg]", "118");
            await page.FillAsync("input[name=diastolicMmHg]", "76");
            await page.ClickAsync("#screening-form button[type=submit]");
            await page.WaitForURLAsync(athleteUrl + "**");
            (await page.TextContentAsync("#screening"))!.ShouldContain("Eligible");

            // A Doppler LOP typed 260 instead of 160, and a resistance prescription at 80% from it: 208 mmHg.
            await page.SelectOptionAsync("#doppler-form select[name=limb]", "right-leg");
            await page.SelectOptionAsync("#doppler-form select[name=position]", "standing");
            await page.FillAsync("#doppler-form input[name=lopMmHg]", "260");
            await page.ClickAsync("#doppler-form button[type=submit]");
            var row = "#lop-table tbody tr[data-lop-id]";
            await page.WaitForSelectorAsync(row + " td.value:has-text('260 mmHg')");
            await page.SelectOptionAsync("#prescribe-form select[name=modality]", "resistance");
            await page.FillAsync("#prescribe-form input[name=percent]", "80");
            await page.ClickAsync("#prescribe-form button[type=submit]");
            await page.WaitForSelectorAsync("#prescription-table td.target:has-text('208 mmHg')"); // 80% of 260
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "01-typo-and-prescription.png"), FullPage = true });

            // Edit: the form holds the stored values; correct the value.
            await page.ClickAsync(row + " a.edit-lop");
            await page.WaitForURLAsync("**/Lop/**/Edit");
            (await page.InputValueAsync("input[name=Version]")).ShouldBe("1");
            (await page.InputValueAsync("input[name='Form.LopMmHg']")).ShouldBe("260");
            (await page.TextContentAsync("#prescriptions-follow"))!.ShouldContain("target 208 mmHg at 80% LOP");
            (await page.TextContentAsync("#limb-fixed"))!.ShouldContain("right-leg, standing"); // a prescription took them from it
            // Out of range first: the page names the field, the value and what is allowed, and saves nothing.
            await page.EvaluateAsync("() => document.querySelector(\"input[name='Form.LopMmHg']\").removeAttribute('max')");
            await page.FillAsync("input[name='Form.LopMmHg']", "450");
            await page.ClickAsync("#save-lop");
            await page.WaitForSelectorAsync(".errors li");
            (await page.TextContentAsync(".errors"))!.ShouldContain("lopMmHg must be 50–400 mmHg, was 450");
            await page.FillAsync("input[name='Form.LopMmHg']", "160");
            await page.FillAsync("input[name='Form.Note']", "typed 260 for 160");
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "02-edit-form.png"), FullPage = true });
            await page.ClickAsync("#save-lop");
            await page.WaitForURLAsync(athleteUrl + "#lop");
            (await page.TextContentAsync(".flash"))!.ShouldContain("resistance (strength-lower) on the right-leg: 208 → 128 mmHg at 80% LOP");
            (await page.TextContentAsync(row + " td.value"))!.ShouldContain("160 mmHg");
            (await page.TextContentAsync(row + " td.value"))!.ShouldContain("corrected");
            (await page.TextContentAsync("#prescription-table td.target"))!.ShouldContain("128 mmHg"); // 80% of 160
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "03-corrected.png"), FullPage = true });

            // History: newest first, the corrected value above the mistyped one, with who and when.
            await page.ClickAsync(row + " a.lop-history");
            await page.WaitForURLAsync("**/History");
            var versions = page.Locator("#history-table tbody tr");
            (await versions.CountAsync()).ShouldBe(2);
            (await versions.Nth(0).GetAttributeAsync("class")).ShouldBe("status-current");
            (await versions.Nth(0).Locator("td.value").TextContentAsync())!.ShouldContain("160 mmHg");
            (await versions.Nth(1).GetAttributeAsync("class")).ShouldBe("status-corrected");
            (await versions.Nth(1).Locator("td.value").TextContentAsync())!.ShouldContain("260 mmHg");
            (await versions.Nth(1).Locator("td.ended").TextContentAsync())!.ShouldContain("by Robin Runner");
            (await page.TextContentAsync("#lop-prescriptions"))!.ShouldContain("recomputed");
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "04-history.png"), FullPage = true });
            await page.GotoAsync(athleteUrl);

            // Withdraw: a confirm page first (saying which prescription stops), Cancel changes nothing; then with a reason.
            await page.ClickAsync(row + " a.withdraw-lop");
            await page.WaitForURLAsync("**/Withdraw");
            (await page.TextContentAsync("#retire-list"))!.ShouldContain("target 128 mmHg");
            await page.ClickAsync("text=Cancel");
            await page.WaitForURLAsync(athleteUrl + "#lop");
            (await page.Locator(row).CountAsync()).ShouldBe(1);
            await page.ClickAsync(row + " a.withdraw-lop");
            await page.FillAsync("#lop-withdraw-form input[name=Reason]", "measured on the wrong cuff");
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "05-withdraw-confirm.png"), FullPage = true });
            await page.ClickAsync("#confirm-withdraw");
            await page.WaitForURLAsync(athleteUrl + "#lop");
            (await page.TextContentAsync(".flash"))!.ShouldContain("LOP withdrawn: it sets no pressure from now on.");
            (await page.Locator(row).CountAsync()).ShouldBe(0);
            (await page.TextContentAsync("#lop-table"))!.ShouldContain("No LOP recorded.");
            (await page.TextContentAsync("#prescription-table"))!.ShouldContain("No prescription.");
            (await page.TextContentAsync("#retired-by-lop"))!.ShouldContain("was withdrawn on ");
            (await page.TextContentAsync("#retired-by-lop"))!.ShouldContain("measured on the wrong cuff");
            (await page.Locator("#prescribe-form").CountAsync()).ShouldBe(0); // nothing left to prescribe from
            await page.ClickAsync("#withdrawn-lops summary");
            (await page.TextContentAsync("#lop-withdrawn-table"))!.ShouldContain("160 mmHg");
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "06-withdrawn.png"), FullPage = true });
        });
    }
}
