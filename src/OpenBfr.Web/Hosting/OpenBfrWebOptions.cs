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

    /// <summary>
    /// Milliseconds between polls for stop and symptom reports sent to another web node for a
    /// session running here (20–200). Default 100, so a stop pressed on any node deflates within
    /// about 0.1–0.2 s.
    /// </summary>
    public int CommandPollMilliseconds { get; set; } = 100;

    /// <summary>
    /// Milliseconds between looks at the database for a session that runs on another web node while
    /// a page here watches it (50–5000). Default 1000. On PostgreSQL each write of the running node
    /// also wakes the look at once (LISTEN/NOTIFY), so this bounds only a lost notification; on a
    /// SQLite file shared by several nodes it is the delay.
    /// </summary>
    public int FeedPollMilliseconds { get; set; } = 1000;
}
