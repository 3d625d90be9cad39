namespace OpenBfr.Core.Metrics;

/// <summary>
/// A return-to-running gate: a stage may start when pain is below a ceiling and the limb
/// symmetry index reaches a floor. Gates are data so a clinician can set others.
/// </summary>
/// <param name="Name">kebab-case identifier ("start-running").</param>
/// <param name="Description">what passing the gate allows.</param>
/// <param name="PainBelow">pain (0–10) must be strictly below this.</param>
/// <param name="MinLimbSymmetryPercent">LSI must be at least this, % (strictly above when <paramref name="Strict"/>).</param>
/// <param name="Strict">true for "LSI &gt; floor", false for "LSI ≥ floor".</param>
/// <param name="Source">the citation.</param>
public sealed record ReturnToRunGate(string Name, string Description, double PainBelow, double MinLimbSymmetryPercent, bool Strict, string Source)
{
    /// <summary>Start running: pain &lt; 2/10 and strength LSI &gt; 70% (Rambaud et al. 2018).</summary>
    public static ReturnToRunGate StartRunning { get; } = new("start-running", "start a walk-run progression", 2, 70, true, Sources.Rambaud2018);

    /// <summary>Return to sport: pain &lt; 2/10, strength LSI ≥ 90% and every recorded hop test's LSI ≥ 90% (Grindem et al. 2016/2020).</summary>
    public static ReturnToRunGate ReturnToSport { get; } = new("return-to-sport", "return to full training and racing", 2, 90, false, Sources.Grindem2020) { HopTests = true };

    /// <summary>
    /// True when the hop tests' LSI must reach the floor too (Grindem: quadriceps strength and the hop
    /// battery); false when strength alone is the criterion (Rambaud: strength LSI for starting to run).
    /// </summary>
    public bool HopTests { get; init; }

    /// <summary>The default gates, in order.</summary>
    public static IReadOnlyList<ReturnToRunGate> Defaults { get; } = [StartRunning, ReturnToSport];

    /// <summary>Why the gate is not passed, or an empty list when it is.</summary>
    /// <param name="painOutOf10">0–10.</param>
    /// <param name="limbSymmetryPercent">0–200 %.</param>
    /// <exception cref="ArgumentOutOfRangeException">a value out of range.</exception>
    public IReadOnlyList<string> Unmet(double painOutOf10, double limbSymmetryPercent)
    {
        Guard.InRange(painOutOf10, 0, 10, "", "pain");
        Guard.InRange(limbSymmetryPercent, 0, 200, "%", "lsi");
        var unmet = new List<string>();
        if (painOutOf10 >= PainBelow) unmet.Add($"pain {painOutOf10:0.#}/10 must be below {PainBelow:0.#}/10");
        var lsiOk = Strict ? limbSymmetryPercent > MinLimbSymmetryPercent : limbSymmetryPercent >= MinLimbSymmetryPercent;
        if (!lsiOk) unmet.Add($"limb symmetry {limbSymmetryPercent:0.#}% must be {(Strict ? ">" : "≥")} {MinLimbSymmetryPercent:0.#}%");
        return unmet;
    }

    /// <summary>True when pain and symmetry pass the gate.</summary>
    public bool IsMet(double painOutOf10, double limbSymmetryPercent) => Unmet(painOutOf10, limbSymmetryPercent).Count == 0;
}
