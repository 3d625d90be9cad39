namespace OpenBfr.Web.Hosting;

/// <summary>OpenBFR's own command-line switches, taken out before ASP.NET Core reads the rest.</summary>
public static class StartupArguments
{
    /// <summary>Removes <c>--demo</c> (seed an example clinician and athletes) from the arguments.</summary>
    public static (string[] Remaining, bool Demo) Parse(string[] args)
    {
        var demo = args.Any(a => a is "--demo" or "--demo=true");
        return (args.Where(a => a is not ("--demo" or "--demo=true")).ToArray(), demo);
    }
}
