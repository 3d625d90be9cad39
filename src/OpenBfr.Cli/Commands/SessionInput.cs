using System.Globalization;
using OpenBfr.Cli.Infrastructure;
using OpenBfr.Cuff.Safety;

namespace OpenBfr.Cli.Commands;

/// <summary>
/// Single key presses while <c>openbfr session run</c> runs. The real program reads the terminal
/// (<see cref="ConsoleKeyInput"/>, only when standard input is an interactive terminal); tests and
/// reproducible runs inject their own (<see cref="ScriptedKeyInput"/>).
/// </summary>
public interface IKeyInput
{
    /// <summary>The next key pressed, if any, without waiting.</summary>
    /// <param name="sessionTime">virtual time since the session started (a scripted source presses its keys by it; a terminal ignores it).</param>
    /// <param name="key">the key, as typed.</param>
    bool TryReadKey(TimeSpan sessionTime, out char key);
}

/// <summary>Keys typed at the terminal, read without echo and without waiting.</summary>
public sealed class ConsoleKeyInput : IKeyInput
{
    /// <summary>A terminal's keys, or null when standard input or output is redirected (no one is there to press them).</summary>
    public static IKeyInput? ForTerminal() => Console.IsInputRedirected || Console.IsOutputRedirected ? null : new ConsoleKeyInput();

    /// <inheritdoc />
    public bool TryReadKey(TimeSpan sessionTime, out char key)
    {
        key = default;
        try
        {
            if (!Console.KeyAvailable) return false;
            key = Console.ReadKey(intercept: true).KeyChar;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // no console after all (e.g. detached): no keys
        }
    }
}

/// <summary>Keys pressed at given session times (tests, demos).</summary>
/// <param name="presses">each key with the session time it is pressed at.</param>
public sealed class ScriptedKeyInput(IEnumerable<(TimeSpan At, char Key)> presses) : IKeyInput
{
    private readonly Queue<(TimeSpan At, char Key)> _presses = new(presses.OrderBy(p => p.At));

    /// <inheritdoc />
    public bool TryReadKey(TimeSpan sessionTime, out char key)
    {
        key = default;
        if (_presses.Count == 0 || _presses.Peek().At > sessionTime) return false;
        key = _presses.Dequeue().Key;
        return true;
    }
}

/// <summary>What the athlete or clinician does during a session: pause, resume, stop, or report a symptom.</summary>
public enum SessionActionKind
{
    Pause,
    Resume,
    Stop,
    Symptom,
}

/// <summary>One action, at a session time when scripted.</summary>
/// <param name="Kind">the action.</param>
/// <param name="At">session time (for a script).</param>
/// <param name="Symptom">the symptom, for <see cref="SessionActionKind.Symptom"/>.</param>
public sealed record SessionAction(SessionActionKind Kind, TimeSpan At, SymptomReport? Symptom = null)
{
    /// <summary>The keys of a live session and what they do: p pause, r resume, s stop, 1–5 the symptoms that mean deflate now.</summary>
    public const string KeyHelp = "keys: p pause, r resume, s stop; symptoms: 1 pain > 7/10, 2 numbness, 3 tingling, 4 dizziness, 5 skin colour change";

    /// <summary>The action of a key, or null for a key that does nothing.</summary>
    public static SessionAction? ForKey(char key, TimeSpan at) => char.ToLowerInvariant(key) switch
    {
        'p' => new(SessionActionKind.Pause, at),
        'r' => new(SessionActionKind.Resume, at),
        's' => new(SessionActionKind.Stop, at),
        '1' => new(SessionActionKind.Symptom, at, new SymptomReport(SymptomKind.Pain, 8)),
        '2' => new(SessionActionKind.Symptom, at, new SymptomReport(SymptomKind.Numbness)),
        '3' => new(SessionActionKind.Symptom, at, new SymptomReport(SymptomKind.Tingling)),
        '4' => new(SessionActionKind.Symptom, at, new SymptomReport(SymptomKind.Dizziness)),
        '5' => new(SessionActionKind.Symptom, at, new SymptomReport(SymptomKind.SkinColourChange)),
        _ => null,
    };

    /// <summary>
    /// Parses a script: comma-separated ACTION@TIME items, ACTION one of pause, resume, stop,
    /// symptom:NAME (pain:0–10, numbness, tingling, dizziness, skin-colour-change); TIME in seconds
    /// (90s, 90) or m:ss (1:30). E.g. "pause@60s,resume@90s,symptom:numbness@200s".
    /// </summary>
    /// <exception cref="UsageException">an item that is not of that form, naming it.</exception>
    public static IReadOnlyList<SessionAction> ParseScript(string option, IEnumerable<string> scripts)
    {
        var actions = new List<SessionAction>();
        foreach (var item in scripts.SelectMany(s => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            var at = item.LastIndexOf('@');
            if (at <= 0) throw new UsageException(option, item, "must be ACTION@TIME: pause, resume, stop or symptom:NAME, e.g. pause@60s,resume@90s,symptom:numbness@200s");
            var action = item[..at].Trim().ToLowerInvariant();
            var time = ParseTime(option, item[(at + 1)..]);
            actions.Add(action switch
            {
                "pause" => new SessionAction(SessionActionKind.Pause, time),
                "resume" => new SessionAction(SessionActionKind.Resume, time),
                "stop" => new SessionAction(SessionActionKind.Stop, time),
                _ when action.StartsWith("symptom:", StringComparison.Ordinal) && SymptomReport.TryParse(action["symptom:".Length..], out var symptom)
                    => new SessionAction(SessionActionKind.Symptom, time, symptom),
                _ => throw new UsageException(option, item,
                    "is not an action; use pause, resume, stop or symptom:NAME (pain:0–10, numbness, tingling, dizziness, skin-colour-change), each @TIME"),
            });
        }
        // OrderBy is a stable sort: two actions at the same time keep their order.
        return actions.OrderBy(a => a.At).ToList();
    }

    /// <summary>The latest session time a fault, symptom or scripted action may be set at: a day, far past any protocol's end.</summary>
    public static readonly TimeSpan MaxTime = TimeSpan.FromHours(24);

    /// <summary>Seconds (120s, 120) or m:ss / h:mm:ss, at most <see cref="MaxTime"/>.</summary>
    /// <exception cref="UsageException">not a time, or later than <see cref="MaxTime"/>.</exception>
    public static TimeSpan ParseTime(string option, string text)
    {
        var t = text.Trim();
        double? seconds = null;
        if (t.EndsWith('s') && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0 && double.IsFinite(s)) seconds = s;
        else if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && plain >= 0 && double.IsFinite(plain)) seconds = plain;
        else if (CliOptions.TryParseDuration(t, out var d)) seconds = d.TotalSeconds;
        if (seconds > MaxTime.TotalSeconds) throw new UsageException(option, text, $"is outside 0–{MaxTime.TotalSeconds:0} s (0–24:00:00): a session time");
        if (seconds is { } v) return TimeSpan.FromSeconds(v);
        throw new UsageException(option, text, "is not a time; use seconds (120s) or m:ss (2:00)");
    }
}
