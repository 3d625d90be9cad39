namespace OpenBfr.Web.Hosting;

/// <summary>Settings under "OpenBfr" in configuration (appsettings.json, environment OpenBfr__…).</summary>
public sealed class OpenBfrWebOptions
{
    /// <summary>The SQLite file used when no PostgreSQL connection string is configured. Default data/openbfr.db, relative to the directory the app was run from (OpenBfr__DatabasePath overrides).</summary>
    public string DatabasePath { get; set; } = Path.Combine("data", "openbfr.db");

    /// <summary>Seed the demo clinician and athletes at start (same as <c>--demo</c>).</summary>
    public bool Demo { get; set; }

    /// <summary>Wall-clock milliseconds between ticks of the live sessions (20–1000). Default 100.</summary>
    public int SessionTickMilliseconds { get; set; } = 100;
}
