using Microsoft.Playwright;

namespace OpenBfr.EndToEnd;

/// <summary>
/// The athlete page's progress charts as a runner sees them: LOPs of different positions are
/// separate lines (a seated and a standing LOP joined by a line read as a rise that is not
/// there), and the date axes show dates near the points, also when every point is from one day
/// (the axis spanned years, labelled "11-14 07-03 02-19 …") or there is none (1970-01-01 repeated).
/// </summary>
public sealed class ProgressChartTests : BrowserTests
{
    private const string Password = "chart-password-1";

    [BrowserFact]
    public async Task ProgressCharts_TwoPositionsOneDay_SeparateLinesAndAxesOfNearbyDates()
    {
        await InBrowserAsync("charts.db", "progress-charts", async (page, server, shots) =>
        {
            var athleteUrl = await BrowserJourney.AdminThenRunnerAsync(page, Password);
            foreach (var (position, mmHg) in new[] { ("seated", "200"), ("standing", "240") })
            {
                await page.SelectOptionAsync("#doppler-form select[name=limb]", "left-leg");
                await page.SelectOptionAsync("#doppler-form select[name=position]", position);
                await page.FillAsync("#doppler-form input[name=lopMmHg]", mmHg);
                await page.ClickAsync("#doppler-form button[type=submit]");
                await page.WaitForSelectorAsync($"#lop-table td:has-text('{mmHg} mmHg')");
            }
            await page.WaitForFunctionAsync("() => window.Chart && Chart.getChart(document.getElementById('chart-lop'))");
            await page.Locator("#progress").ScreenshotAsync(new() { Path = Path.Combine(shots, "01-progress.png") });

            var lines = await page.EvaluateAsync<string[]>("() => Chart.getChart(document.getElementById('chart-lop')).data.datasets.map(d => d.label + ':' + d.data.map(p => p.y).join(','))");
            lines.OrderBy(l => l, StringComparer.Ordinal).ShouldBe(["left-leg seated:200", "left-leg standing:240"]);

            foreach (var chart in new[] { "chart-lop", "chart-1rm", "chart-lsi" })
            {
                // Days from now of each tick, and the labels: within a few weeks of today, one label per tick.
                var days = await page.EvaluateAsync<double[]>($"() => Chart.getChart(document.getElementById('{chart}')).scales.x.ticks.map(t => (t.value - Date.now()) / 864e5)");
                var labels = await page.EvaluateAsync<string[]>($"() => Chart.getChart(document.getElementById('{chart}')).scales.x.ticks.map(t => t.label)");
                days.Length.ShouldBeGreaterThan(2, chart);
                days.ShouldAllBe(d => d > -70 && d < 15, $"{chart}: {string.Join(" ", labels)}");
                labels.Distinct().Count().ShouldBe(labels.Length, $"{chart}: {string.Join(" ", labels)}");
                labels.ShouldAllBe(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d\d-\d\d$"), chart);
            }
        });
    }
}
