using System.CommandLine;
using System.CommandLine.Parsing;
using OpenBfr.Cli.Infrastructure;

namespace OpenBfr.Cli;

/// <summary>
/// The openbfr command line, runnable in-process (tests call <see cref="Run"/> with string
/// readers and writers and a ManualTimeProvider).
///
/// Conventions every command follows (see Infrastructure/):
/// <list type="bullet">
/// <item>Add a command group: write <c>XCommands.Create()</c> returning a <see cref="Command"/>, and add
/// one line for it in <see cref="Program.AddCommands"/>.</item>
/// <item>Options: <see cref="CliOptions"/> factories (numbers, durations, enums, limbs) so parse
/// errors are already one line naming the option.</item>
/// <item>Action: <c>command.SetOpenBfrAction((parseResult, cli) =&gt; ..., new CoreErrorMap().Field("systolic", systolicOption))</c>;
/// read values with <c>parseResult.GetValue(option)</c>; use <c>cli.Out</c>, <c>cli.In</c>, <c>cli.Clock</c>.</item>
/// <item>Output: <c>return cli.Write(dto, d =&gt; "text")</c>: camelCase JSON with the global --json, text otherwise.</item>
/// <item>Errors: throw <see cref="UsageException"/>(option, value, problem) for a bad argument (exit 2);
/// Core's refusals are translated by the <see cref="CoreErrorMap"/> (exit 2); anything else exits 1.
/// Each error is ONE line on stderr, never a stack trace.</item>
/// </list>
/// </summary>
public static class OpenBfrCli
{
    /// <summary>Runs one command line and returns its exit code (0 success, 1 internal failure, 2 usage).</summary>
    /// <param name="args">the arguments after "openbfr".</param>
    /// <param name="stdin">standard input.</param>
    /// <param name="stdout">standard output: results only.</param>
    /// <param name="stderr">standard error: one-line errors, prompts.</param>
    /// <param name="clock">the only clock commands read.</param>
    /// <param name="interactive">true when a terminal is attached to standard input.</param>
    /// <param name="keys">key presses during live commands (session run); null for none.</param>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, TimeProvider clock, bool interactive = false, Commands.IKeyInput? keys = null)
        => RunWith(args, stdin, stdout, stderr, clock, interactive, Program.AddCommands, keys);

    /// <summary>As <see cref="Run(string[],TextReader,TextWriter,TextWriter,TimeProvider,bool,Commands.IKeyInput)"/> with a chosen set of commands (tests).</summary>
    internal static int RunWith(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, TimeProvider clock, bool interactive,
        Action<RootCommand> addCommands, Commands.IKeyInput? keys = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(stdin, stdout, stderr, clock, interactive) { Keys = keys };
        try
        {
            var root = BuildRoot(context, addCommands);
            var parseResult = root.Parse(args);
            if (ParseErrorLine(parseResult) is { } line)
            {
                stderr.WriteLine(line);
                return ExitCodes.Usage;
            }
            var configuration = new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            };
            return parseResult.Invoke(configuration);
        }
        catch (UsageException ex)
        {
            stderr.WriteLine(ex.Message);
            return ExitCodes.Usage;
        }
        catch (Exception ex)
        {
            // A bug or an I/O failure: one line, no stack trace.
            stderr.WriteLine($"openbfr: internal error: {ex.GetType().Name}: {ex.Message.Split('\n')[0].TrimEnd('\r')}");
            return ExitCodes.InternalFailure;
        }
    }

    /// <summary>The root command with every command group.</summary>
    internal static RootCommand BuildRoot(CliContext context, Action<RootCommand> addCommands)
    {
        var root = new OpenBfrRootCommand(context,
            "OpenBFR: blood flow restriction training for runners — screening, LOP, prescriptions, protocols, running metrics. Every number names its source.");
        addCommands(root);
        return root;
    }

    /// <summary>
    /// One line for the first parse error, naming the option, the value and what is allowed; null
    /// when the command line parsed. Replaces System.CommandLine's default (help text, exit 1).
    /// </summary>
    internal static string? ParseErrorLine(ParseResult parseResult)
    {
        if (parseResult.Errors.Count == 0) return null;
        var command = parseResult.CommandResult.Command;
        var path = CommandPath(parseResult.CommandResult);

        // Our own parsers' errors already read "--option: 'value' problem".
        var own = parseResult.Errors.FirstOrDefault(e => e.Message.StartsWith("--", StringComparison.Ordinal));
        if (own is not null) return own.Message;

        if (parseResult.UnmatchedTokens.Count > 0)
        {
            var token = parseResult.UnmatchedTokens[0];
            var subcommands = command.Subcommands.Select(c => c.Name).ToList();
            var options = AllOptions(parseResult.CommandResult).Select(o => o.Name).Where(n => n != "-?").ToList();
            var allowed = subcommands.Count > 0
                ? $"commands: {string.Join(", ", subcommands)}"
                : $"options: {string.Join(", ", options)}";
            return $"{token}: unknown {(token.StartsWith('-') ? "option" : "command or argument")} for '{path}'; {allowed}";
        }

        foreach (var option in command.Options)
        {
            var result = parseResult.GetResult(option);
            if (option.Required && result is not OptionResult { IdentifierTokenCount: > 0 })
            {
                return $"{option.Name}: missing; '{path}' requires it ({option.Description})";
            }
            if (result is OptionResult { IdentifierTokenCount: > 0, Tokens.Count: 0 } && option.Arity.MinimumNumberOfValues > 0)
            {
                return $"{option.Name}: a value is required ({option.Description})";
            }
        }

        if (command.Subcommands.Count > 0 && command.Action is null)
        {
            return $"{path}: a command is required; one of: {string.Join(", ", command.Subcommands.Select(c => c.Name))} (see {path} --help)";
        }

        var first = parseResult.Errors[0];
        var where = first.SymbolResult is OptionResult o ? o.Option.Name + ": " : "";
        return $"{where}{first.Message}";
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c) names.Add(c.Parent is null ? "openbfr" : c.Command.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }

    private static IEnumerable<Option> AllOptions(CommandResult result)
    {
        var seen = new HashSet<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is not CommandResult c) continue;
            foreach (var option in c.Command.Options.Where(o => r == result || o.Recursive))
            {
                if (seen.Add(option.Name)) yield return option;
            }
        }
    }
}
