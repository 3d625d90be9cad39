using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenBfr.Core.Screening;

/// <summary>What a positive answer to an item means.</summary>
public enum ScreeningClass
{
    /// <summary>No BFR on any limb.</summary>
    NotEligible,

    /// <summary>No cuff on the limbs the answer names; other limbs are unaffected.</summary>
    NotEligibleOnAffectedLimb,

    /// <summary>A clinician must record clearance; then BFR at conservative (low-end) pressure.</summary>
    NeedsClearance,

    /// <summary>Changes no limb by itself; counts as an "other risk factor" for items that require one.</summary>
    RiskFactor,
}

/// <summary>How an item is answered.</summary>
public enum ConditionType
{
    /// <summary>Yes or no (with the affected limbs for limb-specific items).</summary>
    YesNo,

    /// <summary>From the resting blood pressure.</summary>
    BloodPressure,

    /// <summary>From the age.</summary>
    Age,
}

/// <summary>When an item applies, beyond a yes. Thresholds are inclusive "from" and exclusive "below".</summary>
public sealed record ScreeningCondition
{
    public ConditionType Type { get; init; } = ConditionType.YesNo;

    public int? SystolicFrom { get; init; }

    public int? SystolicBelow { get; init; }

    public int? DiastolicFrom { get; init; }

    public int? DiastolicBelow { get; init; }

    public int? AgeFrom { get; init; }

    /// <summary>The item applies only when at least one OTHER risk-factor item applies too.</summary>
    public bool RequiresOtherRiskFactor { get; init; }
}

/// <summary>One screening item, as data (Screening/questionnaire.json).</summary>
public sealed record ScreeningItem
{
    /// <summary>Stable kebab-case id, the key of an answer ("vte-history").</summary>
    public required string Id { get; init; }

    /// <summary>The question as asked.</summary>
    public required string Question { get; init; }

    /// <summary>What a positive answer means, in a few words ("history of DVT/VTE").</summary>
    public required string Finding { get; init; }

    public required ScreeningClass Class { get; init; }

    /// <summary>Counts as an "other risk factor" for items that require one.</summary>
    public bool RiskFactor { get; init; }

    public ScreeningCondition Condition { get; init; } = new();

    /// <summary>Keys of <see cref="Sources"/> in the data; the resolved citations after loading.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>True when the answer names the affected limbs.</summary>
    [JsonIgnore]
    public bool IsLimbSpecific => Class == ScreeningClass.NotEligibleOnAffectedLimb;

    /// <summary>True when the person answers it with yes or no (not from age or blood pressure).</summary>
    [JsonIgnore]
    public bool IsYesNo => Condition.Type == ConditionType.YesNo;
}

/// <summary>
/// The screening questionnaire: items are data in the embedded resource Screening/questionnaire.json
/// (DESIGN.md section 3), each with its class and its sources. Load once with <see cref="Default"/>.
/// </summary>
public sealed class Questionnaire
{
    private static readonly Lazy<Questionnaire> DefaultQuestionnaire = new(LoadEmbedded);

    private Questionnaire(int version, IReadOnlyList<ScreeningItem> items)
    {
        Version = version;
        Items = items;
    }

    /// <summary>The questionnaire shipped with OpenBFR.</summary>
    public static Questionnaire Default => DefaultQuestionnaire.Value;

    public int Version { get; }

    /// <summary>Items in the order they are asked.</summary>
    public IReadOnlyList<ScreeningItem> Items { get; }

    /// <summary>The yes/no items (the ones an answers file or a person answers directly).</summary>
    public IEnumerable<ScreeningItem> YesNoItems => Items.Where(i => i.IsYesNo);

    /// <summary>The item with this id.</summary>
    /// <exception cref="KeyNotFoundException">no such item.</exception>
    public ScreeningItem this[string id]
        => Items.FirstOrDefault(i => i.Id == id) ?? throw new KeyNotFoundException($"no screening item '{id}'");

    /// <summary>Parses and validates a questionnaire (unique ids, known source keys, sensible conditions).</summary>
    /// <exception cref="FormatException">the data is not a valid questionnaire.</exception>
    public static Questionnaire Parse(string json)
    {
        QuestionnaireData? data;
        try
        {
            data = JsonSerializer.Deserialize<QuestionnaireData>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"questionnaire: {ex.Message}", ex);
        }
        if (data?.Items is not { Count: > 0 } items) throw new FormatException("questionnaire: no items");

        var citations = typeof(Sources).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        var seen = new HashSet<string>();
        var resolved = new List<ScreeningItem>();
        foreach (var item in items)
        {
            if (string.IsNullOrWhiteSpace(item.Id) || !seen.Add(item.Id)) throw new FormatException($"questionnaire: missing or duplicate id '{item.Id}'");
            if (!Enum.IsDefined(item.Class)) throw new FormatException($"questionnaire: item '{item.Id}' has an unknown class");
            if (item.Sources.Count == 0) throw new FormatException($"questionnaire: item '{item.Id}' names no source");
            var c = item.Condition;
            var ok = c.Type switch
            {
                ConditionType.BloodPressure => c.SystolicFrom is not null && c.DiastolicFrom is not null,
                ConditionType.Age => c.AgeFrom is not null,
                _ => true,
            };
            if (!ok) throw new FormatException($"questionnaire: item '{item.Id}' has an incomplete {c.Type} condition");
            if (item.IsLimbSpecific && c.Type != ConditionType.YesNo) throw new FormatException($"questionnaire: limb-specific item '{item.Id}' must be yes/no");
            var sources = item.Sources.Select(key => citations.TryGetValue(key, out var s)
                ? s
                : throw new FormatException($"questionnaire: item '{item.Id}' names unknown source '{key}'")).ToList();
            resolved.Add(item with { Sources = sources });
        }
        return new Questionnaire(data.Version, resolved);
    }

    private static Questionnaire LoadEmbedded()
    {
        using var stream = typeof(Questionnaire).Assembly.GetManifestResourceStream("OpenBfr.Core.Screening.questionnaire.json")
            ?? throw new InvalidOperationException("the embedded screening questionnaire is missing from OpenBfr.Core");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private sealed record QuestionnaireData(int Version, string? About, List<ScreeningItem> Items);
}
