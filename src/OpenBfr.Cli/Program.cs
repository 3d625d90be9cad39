using System.CommandLine;
using OpenBfr.Cli.Commands;

namespace OpenBfr.Cli;

/// <summary>The openbfr entry point: wires the console to <see cref="OpenBfrCli"/>, nothing else.</summary>
public static class Program
{
    public static int Main(string[] args)
        => OpenBfrCli.Run(args, Console.In, Console.Out, Console.Error, TimeProvider.System, interactive: !Console.IsInputRedirected,
            keys: ConsoleKeyInput.ForTerminal());

    /// <summary>Every command group, one line each (see <see cref="OpenBfrCli"/> for the conventions).</summary>
    internal static void AddCommands(RootCommand root)
    {
        root.Subcommands.Add(LopCommands.Create());
        root.Subcommands.Add(CuffCommands.Create());
        root.Subcommands.Add(SessionCommands.Create());
        root.Subcommands.Add(ScreeningCommands.Create());
        root.Subcommands.Add(PrescribeCommands.Create());
        root.Subcommands.Add(ProtocolCommands.Create());
        root.Subcommands.Add(MetricsCommands.Vdot());
        root.Subcommands.Add(MetricsCommands.Vo2Max());
        root.Subcommands.Add(MetricsCommands.OneRm());
        root.Subcommands.Add(MetricsCommands.Lsi());
        foreach (var command in Planning.PlanningCommands.Create()) root.Subcommands.Add(command);
    }
}
