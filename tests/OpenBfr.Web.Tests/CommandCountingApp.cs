using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace OpenBfr.Web.Tests;

/// <summary>
/// The app on its own SQLite file with EF Core's executed commands logged (appsettings keeps them
/// at Warning), so a test can count the SQL one request sends: take <see cref="Mark"/>, make the
/// request, read <see cref="CommandsSince"/>.
/// </summary>
public sealed class CommandCountingApp : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "openbfr-commands-" + Guid.NewGuid().ToString("N"));

    public CommandCountingApp()
    {
        Directory.CreateDirectory(_dir);
        App = new WebAppFactory(sqlitePath: Path.Combine(_dir, "openbfr.db"),
            settings: new Dictionary<string, string> { ["Logging:LogLevel:" + DbLoggerCategory.Database.Command.Name] = "Information" });
    }

    public WebAppFactory App { get; }

    /// <summary>Where the log stands now.</summary>
    public int Mark => App.Logs.Count;

    /// <summary>The SQL commands executed since <paramref name="mark"/>; never empty when the command log is on and anything was read.</summary>
    public List<string> CommandsSince(int mark)
    {
        var commands = App.Logs.Skip(mark).Where(l => l.StartsWith(DbLoggerCategory.Database.Command.Name + ":", StringComparison.Ordinal)
            && l.Contains("Executed DbCommand", StringComparison.Ordinal)).ToList();
        commands.ShouldNotBeEmpty("EF Core's command log must be on (see the constructor)");
        return commands;
    }

    public void Dispose()
    {
        App.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
