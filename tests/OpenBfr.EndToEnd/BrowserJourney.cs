using Microsoft.Playwright;

namespace OpenBfr.EndToEnd;

/// <summary>What the browser tests share: a new app on its own database with a page on it, and the first-run sign-ups.</summary>
public static class BrowserJourney
{
    /// <summary>
    /// Runs <paramref name="body"/> in a new page of <paramref name="browser"/> against a new app on
    /// the database at <paramref name="databasePath"/>; on failure, a screenshot and the end of the server's output.
    /// </summary>
    public static async Task InBrowserAsync(IBrowser browser, string databasePath, string screenshots, Func<IPage, AppServer, string, Task> body)
    {
        await using var server = new AppServer(databasePath);
        await server.StartAsync();
        var shots = Browser.ScreenshotDir(screenshots);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        // The build machine is shared with CPU-heavy jobs: allow slow page loads rather than fail on them.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        try
        {
            await body(page, server, shots);
        }
        catch (Exception e)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "failure.png"), FullPage = true });
            throw new InvalidOperationException("failed at " + page.Url + "; server output:\n" + server.Output[^Math.Min(4000, server.Output.Length)..], e);
        }
    }

    /// <summary>
    /// Waits for the admin's user list after a form that signs the admin in and redirects there,
    /// until its DOM is ready rather than its load event: twice, on a fresh clone's first run, the
    /// URL had changed but the load event never came within the 30–60 s wait (no request was in
    /// flight). What follows waits for its own elements.
    /// </summary>
    public static Task AdminUsersAsync(IPage page)
        => page.WaitForURLAsync("**/Admin/Users", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

    /// <summary>First run: the admin account, then sign out and sign up as <paramref name="role"/> (the page is left on what the sign-up answers).</summary>
    public static async Task AdminThenSignUpAsync(IPage page, string password, string role, string name, string email)
    {
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/Setup");
        await page.FillAsync("input[name='Input.DisplayName']", "Ada Admin");
        await page.FillAsync("input[name='Input.Email']", "admin@example.org");
        await page.FillAsync("input[name='Input.Password']", password);
        await page.ClickAsync("button[type=submit]");
        await AdminUsersAsync(page);
        await page.ClickAsync("text=Sign out");
        await page.GotoAsync("/Account/Register");
        await page.CheckAsync("input[name=Role][value=" + role + "]");
        await page.FillAsync("input[name='Input.DisplayName']", name);
        await page.FillAsync("input[name='Input.Email']", email);
        await page.FillAsync("input[name='Input.Password']", password);
        await page.ClickAsync("form button[type=submit]");
    }

    /// <summary>First run: the admin account; then a runner (Robin Runner) signs up and lands on their own record. Returns the record's URL.</summary>
    public static async Task<string> AdminThenRunnerAsync(IPage page, string password)
    {
        await AdminThenSignUpAsync(page, password, "athlete", "Robin Runner", "robin@example.org");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Register", StringComparison.Ordinal));
        await page.GotoAsync("/Me");
        await page.WaitForURLAsync("**/Athletes/**");
        return page.Url.Split('#')[0];
    }
}
