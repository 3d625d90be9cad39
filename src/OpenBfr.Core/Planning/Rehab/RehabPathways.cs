using System.Text.Json;
using System.Text.Json.Serialization;
using OpenBfr.Core.Planning.Profile;
using OpenBfr.Core.Protocols;

namespace OpenBfr.Core.Planning.Rehab;

/// <summary>
/// The rehab pathways, read once from the embedded <c>pathways.json</c> (data, not code) and checked:
/// every injury has a pathway, every exercise is one of the seed's <c>strength-lower</c> exercises,
/// every aerobic protocol exists and is aerobic, and every source key resolves.
/// </summary>
public static class RehabPathways
{
    private const string ResourceName = "OpenBfr.Core.Planning.Rehab.pathways.json";

    private static readonly Lazy<IReadOnlyDictionary<InjuryKind, RehabPathway>> Loaded = new(() => Parse(ReadResource()));

    /// <summary>All pathways by injury.</summary>
    public static IReadOnlyDictionary<InjuryKind, RehabPathway> All => Loaded.Value;

    /// <summary>The pathway for an injury.</summary>
    public static RehabPathway For(InjuryKind injury) => All[injury];

    /// <summary>The embedded JSON text.</summary>
    public static string ReadResource()
    {
        using var stream = typeof(RehabPathways).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Parses and checks pathway JSON.</summary>
    /// <exception cref="FormatException">the JSON is malformed or refers to unknown exercises, protocols, sources or injuries.</exception>
    public static IReadOnlyDictionary<InjuryKind, RehabPathway> Parse(string json)
    {
        FileDto file;
        try
        {
            file = JsonSerializer.Deserialize<FileDto>(json, JsonOptions) ?? throw new FormatException("pathways: empty document");
        }
        catch (JsonException e)
        {
            throw new FormatException($"pathways: {e.Message}", e);
        }
        var sources = file.Sources ?? [];
        string Source(string key, string where) => sources.TryGetValue(key, out var text)
            ? text
            : throw new FormatException($"{where}: source '{key}' is not one of {string.Join(", ", sources.Keys)}");
        var exercises = ProtocolCatalog.StrengthLower.Exercises.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<InjuryKind, RehabPathway>();
        foreach (var p in file.Pathways ?? [])
        {
            if (!RunnerProfileParser.TryParseInjury(p.Injury ?? "", out var injury))
            {
                throw new FormatException($"pathways: injury '{p.Injury}' must be one of {RunnerProfileParser.InjuryNames}");
            }
            var where = $"pathway {p.Injury}";
            if (result.ContainsKey(injury)) throw new FormatException($"{where}: defined twice");
            var stages = new List<RehabStage>();
            foreach (var s in p.Stages ?? [])
            {
                var at = $"{where} stage {s.Id}";
                if (string.IsNullOrWhiteSpace(s.Id) || string.IsNullOrWhiteSpace(s.Title)) throw new FormatException($"{at}: id and title are required");
                foreach (var name in s.Exercises ?? [])
                {
                    if (!exercises.Contains(name)) throw new FormatException($"{at}: exercise '{name}' must be one of {string.Join(", ", exercises)}");
                }
                if (!ProtocolCatalog.TryGet(s.AerobicProtocol ?? "", out var aerobic) || aerobic.InflationKind != Safety.InflationKind.Aerobic)
                {
                    throw new FormatException($"{at}: aerobicProtocol '{s.AerobicProtocol}' must be aerobic-walk, aerobic-cycle, walk-intervals or cycling");
                }
                CheckCount(s.StrengthBfrPerWeek, 0, 4, at, "strengthBfrPerWeek");
                CheckCount(s.PassiveBfrPerWeek, 0, 7, at, "passiveBfrPerWeek");
                CheckCount(s.AerobicBfrPerWeek, 0, 4, at, "aerobicBfrPerWeek");
                if (s.StrengthBfrPerWeek > 0 && (s.Exercises ?? []).Count == 0) throw new FormatException($"{at}: strength BFR without exercises");
                var g = s.Gate ?? new GateDto();
                if (g.PainBelow is { } pain && pain is < 1 or > 10) throw new FormatException($"{at}: gate.painBelow must be 1–10, was {pain}");
                if (g.MinStrengthLsi is { } lsi && lsi is < 0 or > 150) throw new FormatException($"{at}: gate.minStrengthLsi must be 0–150 %, was {lsi}");
                if (g.MinHopLsi is { } hop && hop is < 0 or > 150) throw new FormatException($"{at}: gate.minHopLsi must be 0–150 %, was {hop}");
                if (g.MinDaysSinceInjury is { } days && days is < 0 or > 1000) throw new FormatException($"{at}: gate.minDaysSinceInjury must be 0–1000, was {days}");
                var gate = new StageGate(g.MinDaysSinceInjury, g.PainBelow, g.MinStrengthLsi, g.LsiStrictlyAbove, g.Clearance,
                    g.Source is null ? null : Source(g.Source, at), g.MinHopLsi);
                stages.Add(new RehabStage(s.Id!, s.Title!, gate, s.StrengthBfrPerWeek, s.Exercises ?? [], s.PassiveBfrPerWeek,
                    s.AerobicBfrPerWeek, s.AerobicProtocol!, ParseRunning(s.Running, at), s.HeavyStrength, s.Note ?? ""));
            }
            if (stages.Count == 0) throw new FormatException($"{where}: no stages");
            result[injury] = new RehabPathway(injury, p.Title ?? p.Injury!, p.PostOperative, stages,
                (p.Sources ?? []).Select(k => Source(k, where)).ToList());
        }
        var missing = Enum.GetValues<InjuryKind>().Where(k => !result.ContainsKey(k)).ToList();
        if (missing.Count > 0) throw new FormatException($"pathways: no pathway for {string.Join(", ", missing.Select(m => m.ToKebab()))}");
        return result;
    }

    private static void CheckCount(int value, int min, int max, string at, string field)
    {
        if (value < min || value > max) throw new FormatException($"{at}: {field} must be {min}–{max}, was {value}");
    }

    private static RunningAllowance ParseRunning(string? text, string at) => text switch
    {
        "none" => RunningAllowance.None,
        "walkRun" => RunningAllowance.WalkRun,
        "easyOnly" => RunningAllowance.EasyOnly,
        "full" => RunningAllowance.Full,
        _ => throw new FormatException($"{at}: running '{text}' must be none, walkRun, easyOnly or full"),
    };

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private sealed class FileDto
    {
        public string? Comment { get; set; }
        public Dictionary<string, string>? Sources { get; set; }
        public List<PathwayDto>? Pathways { get; set; }
    }

    private sealed class PathwayDto
    {
        public string? Injury { get; set; }
        public string? Title { get; set; }
        public bool PostOperative { get; set; }
        public List<string>? Sources { get; set; }
        public List<StageDto>? Stages { get; set; }
    }

    private sealed class StageDto
    {
        public string? Id { get; set; }
        public string? Title { get; set; }
        public GateDto? Gate { get; set; }
        public int StrengthBfrPerWeek { get; set; }
        public List<string>? Exercises { get; set; }
        public int PassiveBfrPerWeek { get; set; }
        public int AerobicBfrPerWeek { get; set; }
        public string? AerobicProtocol { get; set; }
        public string? Running { get; set; }
        public bool HeavyStrength { get; set; }
        public string? Note { get; set; }
    }

    private sealed class GateDto
    {
        public int? MinDaysSinceInjury { get; set; }
        public int? PainBelow { get; set; }
        public double? MinStrengthLsi { get; set; }
        public double? MinHopLsi { get; set; }
        public bool LsiStrictlyAbove { get; set; }
        public bool Clearance { get; set; }
        public string? Source { get; set; }
    }
}
