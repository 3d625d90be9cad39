using Microsoft.Playwright;

namespace OpenBfr.EndToEnd;

/// <summary>Debian's Chromium driven by Playwright (never `playwright install`).</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }

    /// <summary>Where screenshots go: $OPENBFR_TEST_OUTPUT/e2e (test.sh sets it), else a temp folder.</summary>
    public static string ScreenshotDir(string test)
    {
        var root = Environment.GetEnvironmentVariable("OPENBFR_TEST_OUTPUT") is { Length: > 0 } o ? o : Path.Combine(Path.GetTempPath(), "openbfr-e2e");
        var dir = Path.Combine(root, "e2e", test);
        Directory.CreateDirectory(dir);
        return dir;
    }
}

/// <summary>A fact that needs Chromium; skipped, saying why, when it is missing.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(Browser.ChromiumPath))
        {
            Skip = $"{Browser.ChromiumPath} is missing: run ./test.sh, which installs Debian's chromium (tests/setup.d/40-chromium.sh)";
        }
    }
}
