using System.Reflection;

namespace OpenBfr.Web.Hosting;

/// <summary>
/// Where the app finds its static files and where its SQLite file goes. `dotnet run --project
/// src/OpenBfr.Web` runs the app in the directory the user ran it from (the csproj sets
/// RunWorkingDirectory), so a relative database path lands there (./data/openbfr.db at the
/// repository root); the content root (wwwroot, appsettings.json) is set apart from it.
/// </summary>
public static class AppPaths
{
    /// <summary>Key of the assembly metadata holding the project's folder at build time.</summary>
    public const string ProjectDirectoryKey = "OpenBfrProjectDirectory";

    /// <summary>The web project's folder as built (null when the build did not record it).</summary>
    public static string? BuiltProjectDirectory { get; } = typeof(AppPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == ProjectDirectoryKey)?.Value;

    /// <summary>
    /// The content root to use when none is given on the command line or in the environment: the
    /// app's own folder when it holds wwwroot (a published app), else the project folder it was
    /// built from (a `dotnet run` or a bin/ build), else null (ASP.NET Core's default, the current directory).
    /// </summary>
    /// <param name="args">the command-line arguments.</param>
    /// <param name="environment">reads an environment variable.</param>
    /// <param name="baseDirectory">the app's own folder (AppContext.BaseDirectory).</param>
    /// <param name="projectDirectory">the project folder recorded at build time, or null.</param>
    /// <param name="hasWebRoot">whether a folder holds a wwwroot folder.</param>
    public static string? DefaultContentRoot(IReadOnlyList<string> args, Func<string, string?> environment, string baseDirectory, string? projectDirectory,
        Func<string, bool> hasWebRoot)
    {
        if (GivesContentRoot(args) || !string.IsNullOrEmpty(environment("ASPNETCORE_CONTENTROOT")) || !string.IsNullOrEmpty(environment("DOTNET_CONTENTROOT")))
        {
            return null;
        }
        if (hasWebRoot(baseDirectory))
        {
            return baseDirectory;
        }
        return projectDirectory is not null && hasWebRoot(projectDirectory) ? projectDirectory : null;
    }

    /// <summary>The content root for this process (see the overload).</summary>
    public static string? DefaultContentRoot(IReadOnlyList<string> args)
        => DefaultContentRoot(args, Environment.GetEnvironmentVariable, AppContext.BaseDirectory, BuiltProjectDirectory,
            dir => Directory.Exists(Path.Combine(dir, "wwwroot")));

    /// <summary>The SQLite file's absolute path: a relative path is taken from <paramref name="workingDirectory"/> (where the app was run from).</summary>
    /// <exception cref="InvalidOperationException">the path is empty.</exception>
    public static string DatabaseFile(string? configured, string workingDirectory)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException("OpenBfr:DatabasePath must be a file path (default data/openbfr.db), was empty");
        }
        return Path.GetFullPath(configured, workingDirectory);
    }

    private static bool GivesContentRoot(IReadOnlyList<string> args)
        => args.Any(a => a.TrimStart('-', '/').Split('=', 2)[0].Equals("contentRoot", StringComparison.OrdinalIgnoreCase));
}
