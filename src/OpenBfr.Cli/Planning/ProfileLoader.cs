using OpenBfr.Cli.Infrastructure;
using OpenBfr.Core.Planning.Profile;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace OpenBfr.Cli.Planning;

/// <summary>
/// Reads a runner profile file (YAML, or JSON, which the YAML parser also reads) into Core's
/// <see cref="RunnerProfileDocument"/> and parses it. Every problem becomes one usage line naming the option and the file.
/// </summary>
public static class ProfileLoader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithDuplicateKeyChecking()
        .Build();

    /// <summary>Parses profile text; <paramref name="label"/> names the file in errors.</summary>
    /// <exception cref="UsageException">the text is not valid YAML/JSON, has unknown keys, or invalid fields.</exception>
    public static RunnerProfile Parse(string text, string label, string option = "--profile")
    {
        RunnerProfileDocument? document;
        try
        {
            document = Yaml.Deserialize<RunnerProfileDocument>(text);
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message ?? e.Message;
            var message = inner.Split('\n')[0].TrimEnd('\r');
            // YamlDotNet: "Property 'x' not found on type '...RunnerProfileDocument'." → name the key only.
            var notFound = System.Text.RegularExpressions.Regex.Match(message, "Property '([^']+)' not found on type");
            if (notFound.Success) message = $"unknown key '{notFound.Groups[1].Value}'";
            // YamlDotNet names .NET types (or parser events) when a value has the wrong shape: say what belongs there instead.
            else if (WrongShape(message) is { } expected) message = expected;
            throw new UsageException(option, label, $"line {e.Start.Line}, column {e.Start.Column}: {message}");
        }
        if (document is null) throw new UsageException(option, label, "is empty; it needs at least age, sex, weeklyKm and availableDays");
        try
        {
            return RunnerProfileParser.Parse(document);
        }
        catch (ProfileInvalidException e)
        {
            throw new UsageException(option, label, $"has {e.Errors.Count} invalid field{(e.Errors.Count == 1 ? "" : "s")}: {e.Message}");
        }
    }

    /// <summary>"expected a list here" and the like for YamlDotNet's shape errors, or null for any other message.</summary>
    private static string? WrongShape(string message)
    {
        var target = System.Text.RegularExpressions.Regex.Match(message,
            "^(?:No node deserializer was able to deserialize the node into type (?<t>[^,]+)|Invalid cast from '[^']+' to '(?<t>[^']+)'|Expected '(?<t>SequenceStart|MappingStart|Scalar)', got)");
        if (!target.Success) return null;
        var type = target.Groups["t"].Value;
        return type switch
        {
            _ when type.Contains("List", StringComparison.Ordinal) || type == "SequenceStart" => "expected a list here ([a, b] or one '- item' per line)",
            _ when type.EndsWith("Document", StringComparison.Ordinal) || type == "MappingStart" => "expected a mapping here (key: value lines)",
            _ => "expected a single value here (text or a number), not a list or a mapping",
        };
    }

    /// <summary>Reads and parses a profile file.</summary>
    /// <exception cref="UsageException">the file is missing or invalid.</exception>
    public static RunnerProfile Load(string path, string option = "--profile")
    {
        if (!File.Exists(path)) throw new UsageException(option, path, "does not exist; give a runner profile (.yaml or .json)");
        return Parse(File.ReadAllText(path), path, option);
    }
}
