using OpenBfr.Core.Safety;

namespace OpenBfr.Cuff.Safety;

/// <summary>Symptoms an athlete can report during BFR (SmartCuffs manual; Brandner et al. 2018 side effects).</summary>
public enum SymptomKind
{
    /// <summary>Pain, with a 0–10 score; above 7/10 means deflate now.</summary>
    Pain,
    Numbness,
    Tingling,
    Dizziness,

    /// <summary>Pale, blue or mottled skin below the cuff.</summary>
    SkinColourChange,
}

/// <summary>A symptom report.</summary>
public sealed record SymptomReport
{
    /// <exception cref="ArgumentOutOfRangeException">pain score outside 0–10, or an undefined kind.</exception>
    public SymptomReport(SymptomKind kind, int painOutOf10 = 0)
    {
        Kind = Core.Guard.Defined(kind);
        PainOutOf10 = kind == SymptomKind.Pain ? Core.Guard.InRange(painOutOf10, 0, 10, "/10", "pain") : 0;
    }

    public SymptomKind Kind { get; }

    /// <summary>Pain score 0–10 for <see cref="SymptomKind.Pain"/>; 0 otherwise.</summary>
    public int PainOutOf10 { get; }

    /// <summary>
    /// True when the symptom means deflate now: pain above 7/10, or any numbness, tingling,
    /// dizziness or skin colour change (SmartCuffs manual; Brandner et al. 2018).
    /// </summary>
    public bool RequiresDeflation => Kind != SymptomKind.Pain || SafetyLimits.PainRequiresDeflation(PainOutOf10);

    /// <summary>"pain 8/10", "numbness", "skin-colour-change".</summary>
    public override string ToString() => Kind switch
    {
        SymptomKind.Pain => $"pain {PainOutOf10}/10",
        SymptomKind.SkinColourChange => "skin-colour-change",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses "pain:8", "pain=8", "numbness", "tingling", "dizziness", "skin-colour-change".</summary>
    public static bool TryParse(string? text, out SymptomReport? report)
    {
        report = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Trim().ToLowerInvariant().Split([':', '='], 2);
        var name = parts[0].Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (name is "skincolorchange") name = "skincolourchange";
        if (!Enum.TryParse<SymptomKind>(name, ignoreCase: true, out var kind) || !Enum.IsDefined(kind)) return false;
        if (kind == SymptomKind.Pain)
        {
            if (parts.Length < 2 || !int.TryParse(parts[1], out var pain) || pain is < 0 or > 10) return false;
            report = new SymptomReport(kind, pain);
            return true;
        }
        if (parts.Length > 1) return false;
        report = new SymptomReport(kind);
        return true;
    }
}
