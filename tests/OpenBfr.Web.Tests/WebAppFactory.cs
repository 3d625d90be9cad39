using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Tests;

/// <summary>The real app in memory on its own temporary SQLite file, with its log lines captured.</summary>
public sealed partial class WebAppFactory : WebApplicationFactory<Program>
{
    public const string Password = "test-password-1";

    // Test apps watch no files: each file watcher is an inotify instance, the user's limit is 128 on
    // Debian, and with some 500 apps over a run, several alive at once, the fresh-clone CI hit it
    // ("The configured user limit (128) on the number of inotify instances has been reached") and 33
    // apps failed to start. Config is not reloaded, and any other watch polls; both are read from
    // DOTNET_-prefixed environment variables (measured on 57 tests: at most 27 instances at once, now 0).
    static WebAppFactory()
    {
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
    }

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "openbfr-web-" + Guid.NewGuid().ToString("N"));
    private readonly string? _postgres;
    private readonly string? _sqlitePath;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <summary>
    /// An app on a temporary SQLite file, or on the given PostgreSQL database, or on a given SQLite file (shared by several apps as web nodes); <paramref name="settings"/> are configuration values on top;
    /// <paramref name="services"/> replaces services after the app's own registrations (e.g. a clock the test controls).
    /// </summary>
    public WebAppFactory(string? postgresConnectionString = null, string? sqlitePath = null, IReadOnlyDictionary<string, string>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        _postgres = postgresConnectionString;
        _sqlitePath = sqlitePath;
        _settings = settings ?? new Dictionary<string, string>();
        _services = services;
    }

    public ConcurrentQueue<string> Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_dir);
        builder.UseEnvironment("Testing");
        builder.UseSetting("OpenBfr:DatabasePath", _sqlitePath ?? Path.Combine(_dir, "openbfr.db"));
        builder.UseSetting("ConnectionStrings:OpenBfr", _postgres ?? "");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(l => l.AddProvider(new CapturingLoggerProvider(Logs)).SetMinimumLevel(LogLevel.Debug));
        if (TestToday.Offset != TimeSpan.Zero)
        {
            // A run moved in time (TestToday): the app's clock is moved too, before the test's own services so a test's clock still wins.
            builder.ConfigureTestServices(s => s.AddSingleton(TestToday.Clock));
        }
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    /// <summary>A client that does not follow redirects and keeps cookies.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Creates an account in a role.</summary>
    public async Task<OpenBfrUser> CreateUserAsync(string email, string role)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<OpenBfrUser>>();
        var user = new OpenBfrUser { UserName = email, Email = email, DisplayName = email.Split('@')[0] };
        var result = await users.CreateAsync(user, Password);
        result.Succeeded.ShouldBeTrue(string.Join("; ", result.Errors.Select(e => e.Description)));
        (await users.AddToRoleAsync(user, role)).Succeeded.ShouldBeTrue();
        return user;
    }

    /// <summary>An admin, a signed-in clinician (pt@t.org) and one new athlete of theirs (no account): the clinician's client, account and the athlete's id.</summary>
    public async Task<(HttpClient Client, OpenBfrUser Clinician, Guid AthleteId)> ClinicianWithAthleteAsync()
    {
        await CreateUserAsync("admin@t.org", Roles.Admin);
        var clinician = await CreateUserAsync("pt@t.org", Roles.Clinician);
        var client = await SignedInAsync("pt@t.org");
        using var created = await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Pg Runner", birthYear = 1985, sex = "male" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (client, clinician, (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid());
    }

    /// <summary>A client signed in through the real sign-in page (anti-forgery token included).</summary>
    public async Task<HttpClient> SignedInAsync(string email, string password = Password)
    {
        var client = Anonymous();
        var response = await PostLoginAsync(client, email, password);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"sign-in as {email} failed");
        return client;
    }

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password)
    {
        var token = await AntiforgeryTokenAsync(client, "/Account/Login");
        return await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
    }

    /// <summary>The value of the hidden "Version" field of the (first) form on a page: the record version an edit or delete names.</summary>
    public static string HiddenVersion(string html)
        => VersionPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no hidden Version field on the page");

    /// <summary>Posts a page's form as a browser would: with its anti-forgery token and (unless given) the version its hidden field carries.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = await AntiforgeryTokenAsync(client, page);
        form.TryAdd("Version", HiddenVersion(await client.GetStringAsync(page)));
        return await client.PostAsync(page, new FormUrlEncodedContent(form));
    }

    [GeneratedRegex("""<input type="hidden" name="Version" value="(\d+)" />""")]
    private static partial Regex VersionPattern();

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        return TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no anti-forgery token on " + page);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(sink, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> sink, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => sink.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
