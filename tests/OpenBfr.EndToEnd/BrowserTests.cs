using Microsoft.Playwright;

namespace OpenBfr.EndToEnd;

/// <summary>A browser test class: Chromium launched once for its tests (when it is installed) and a scratch folder for their databases.</summary>
public abstract class BrowserTests : IAsyncLifetime
{
    private IPlaywright? _playwright;

    /// <summary>The launched browser; null when Chromium is missing (the tests are skipped then, see <see cref="BrowserFactAttribute"/>).</summary>
    protected IBrowser? LaunchedBrowser { get; private set; }

    /// <summary>A folder of the class's own, deleted afterwards.</summary>
    protected string Dir { get; } = Path.Combine(Path.GetTempPath(), "openbfr-e2e-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Dir);
        if (File.Exists(Browser.ChromiumPath))
        {
            (_playwright, LaunchedBrowser) = await Browser.LaunchAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (LaunchedBrowser is not null) await LaunchedBrowser.CloseAsync();
        _playwright?.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>Runs <paramref name="body"/> in a new page against a new app on its own database (<see cref="BrowserJourney.InBrowserAsync"/>).</summary>
    protected Task InBrowserAsync(string database, string screenshots, Func<IPage, AppServer, string, Task> body)
        => BrowserJourney.InBrowserAsync(LaunchedBrowser!, Path.Combine(Dir, database), screenshots, body);
}
