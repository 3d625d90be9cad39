using System.CommandLine;

namespace OpenBfr.Cli.Infrastructure;

/// <summary>
/// What a command may touch: its streams, the clock and whether a person is at a terminal.
/// Commands get it from the parse result (<see cref="From"/>), never from <see cref="Console"/>,
/// so tests run the whole CLI in-process with string readers and writers.
/// </summary>
public sealed class CliContext
{
    public CliContext(TextReader input, TextWriter output, TextWriter error, TimeProvider clock, bool interactive)
    {
        In = input;
        Out = output;
        Error = error;
        Clock = clock;
        IsInteractive = interactive;
    }

    /// <summary>Standard input (answers typed interactively, piped data).</summary>
    public TextReader In { get; }

    /// <summary>Standard output: the result, and nothing else.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: the one-line error, prompts and warnings.</summary>
    public TextWriter Error { get; }

    /// <summary>The only clock commands may read.</summary>
    public TimeProvider Clock { get; }

    /// <summary>Today by <see cref="Clock"/> (UTC).</summary>
    public DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    /// <summary>True when a terminal is attached to standard input, so questions may be asked.</summary>
    public bool IsInteractive { get; }

    /// <summary>Keys pressed during a live command (<c>session run</c>); null when no one is at a terminal.</summary>
    public Commands.IKeyInput? Keys { get; init; }

    /// <summary>True when --json was given: write machine output.</summary>
    public bool Json { get; private init; }

    /// <summary>The context of the running command line.</summary>
    public static CliContext From(ParseResult parseResult)
    {
        var root = (OpenBfrRootCommand)parseResult.RootCommandResult.Command;
        var context = root.Context;
        return new CliContext(context.In, context.Out, context.Error, context.Clock, context.IsInteractive)
        {
            Json = parseResult.GetValue(root.JsonOption),
            Keys = context.Keys,
        };
    }

    /// <summary>Writes <paramref name="result"/> as camelCase JSON with --json, else as <paramref name="text"/>.</summary>
    public int Write<T>(T result, Func<T, string> text)
    {
        if (Json)
        {
            Out.WriteLine(CliJson.Serialize(result));
        }
        else
        {
            var s = text(result);
            Out.Write(s);
            if (!s.EndsWith('\n')) Out.WriteLine();
        }
        return ExitCodes.Success;
    }
}

/// <summary>The root command, carrying the context and the global --json option.</summary>
internal sealed class OpenBfrRootCommand : RootCommand
{
    public OpenBfrRootCommand(CliContext context, string description) : base(description)
    {
        Context = context;
        JsonOption = new Option<bool>("--json")
        {
            Description = "Write the result as JSON (camelCase) instead of text",
            Recursive = true,
        };
        Options.Add(JsonOption);
    }

    public CliContext Context { get; }

    public Option<bool> JsonOption { get; }
}

/// <summary>Process exit codes of every openbfr command.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Something failed inside openbfr (a bug or an I/O failure); one line on stderr.</summary>
    public const int InternalFailure = 1;

    /// <summary>A wrong, missing or out-of-range argument; one line on stderr naming the option.</summary>
    public const int Usage = 2;
}
