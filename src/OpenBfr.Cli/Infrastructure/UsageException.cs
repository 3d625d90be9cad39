namespace OpenBfr.Cli.Infrastructure;

/// <summary>
/// A wrong or out-of-range argument. The CLI prints its message as ONE line on stderr and exits 2.
/// The message reads "{option}: {value} {problem}", e.g.
/// "--percent: 90 is outside 50–80 % LOP for resistance on the leg", or "{option}: {problem}"
/// when there is no value ("--answers: required when no terminal is attached").
/// </summary>
public sealed class UsageException : Exception
{
    /// <param name="option">the option as typed on the command line ("--percent").</param>
    /// <param name="value">the offending value as given, or null when the option is missing.</param>
    /// <param name="problem">what is wrong and what is allowed, continuing the sentence after the value
    /// ("is outside 50–80 % LOP", "is not a time; use m:ss or h:mm:ss").</param>
    public UsageException(string option, string? value, string problem)
        : base(value is null ? $"{option}: {problem}" : $"{option}: {value} {problem}")
    {
        Option = option;
        Value = value;
        Problem = problem;
    }

    /// <summary>The option as typed on the command line ("--percent").</summary>
    public string Option { get; }

    /// <summary>The offending value, or null when the option was missing.</summary>
    public string? Value { get; }

    /// <summary>What is wrong and what is allowed.</summary>
    public string Problem { get; }
}
