using OpenBfr.Core.Limbs;

namespace OpenBfr.Core.Protocols;

/// <summary>The seed protocols as data, each with its source.</summary>
public static class ProtocolCatalog
{
    /// <summary>Rep cadence for BFR resistance sets: 1 s up, 1 s down, as in most BFR studies reviewed by Patterson et al. 2019.</summary>
    public const double SecondsPerRep = 2;

    /// <summary>Rest between BFR sets with the cuff on: 30 s (seed; Patterson et al. 2019: 30–60 s).</summary>
    public static readonly TimeSpan RestBetweenSets = TimeSpan.FromSeconds(30);

    /// <summary>Deflation between exercises: 1 min (Patterson et al. 2019: &gt; 1 min between exercises).</summary>
    public static readonly TimeSpan DeflationBetweenExercises = TimeSpan.FromMinutes(1);

    /// <summary>30-15-15-15 with 30 s rests, cuff on throughout (seed; Patterson et al. 2019).</summary>
    public static IReadOnlyList<ProtocolStep> ThirtyFifteenFifteenFifteen { get; } =
    [
        ProtocolStep.Set(30, SecondsPerRep),
        ProtocolStep.Rest(RestBetweenSets, cuffInflated: true),
        ProtocolStep.Set(15, SecondsPerRep),
        ProtocolStep.Rest(RestBetweenSets, cuffInflated: true),
        ProtocolStep.Set(15, SecondsPerRep),
        ProtocolStep.Rest(RestBetweenSets, cuffInflated: true),
        ProtocolStep.Set(15, SecondsPerRep),
    ];

    private static ProtocolExercise Strength(string name, string description) => new(name, description, ThirtyFifteenFifteenFifteen);

    /// <summary>Lower-limb BFR strength: the seed's runner exercises.</summary>
    public static Protocol StrengthLower { get; } = new(
        "strength-lower",
        "BFR strength, lower limb (runner's circuit)",
        Modality.Resistance,
        LimbKind.Leg,
        // Every exercise is done standing (the bridge, done lying, was replaced by a standing curl): a standing LOP sets it (Hughes et al. 2018).
        [BodyPosition.Standing],
        [
            Strength("squat", "Bodyweight or goblet squat"),
            Strength("reverse-lunge", "Reverse lunge, alternating legs"),
            Strength("step-up", "Step-up onto a knee-height box"),
            Strength("calf-raise", "Standing calf raise"),
            Strength("standing-hamstring-curl", "Standing band hamstring curl, one leg at a time"),
        ],
        DeflationBetweenExercises,
        "20–30% 1RM or bodyweight; 4 sets 30-15-15-15, 30 s rest with the cuff on",
        "2–3x/week in base and build phases; first effects in about 3 weeks, typically 4–6",
        [Sources.SeedRunnersEndurance, Sources.Patterson2019]);

    /// <summary>Upper-limb BFR strength (same dose, arm pressures).</summary>
    public static Protocol StrengthUpper { get; } = new(
        "strength-upper",
        "BFR strength, upper limb",
        Modality.Resistance,
        LimbKind.Arm,
        // Band pushdowns are done standing, curls and overhead extensions standing or seated; arm LOP also moves with position (Hughes et al. 2018).
        [BodyPosition.Standing, BodyPosition.Seated],
        [
            Strength("biceps-curl", "Dumbbell or band biceps curl"),
            Strength("triceps-extension", "Band triceps pushdown or overhead extension"),
        ],
        DeflationBetweenExercises,
        "20–30% 1RM; 4 sets 30-15-15-15, 30 s rest with the cuff on",
        "2–3x/week",
        [Sources.SeedRunnersEndurance, Sources.Patterson2019, Sources.Owens]);

    /// <summary>Aerobic BFR walk: 15 min at RPE 4–6 (seed: 10–20 min).</summary>
    public static Protocol AerobicWalk { get; } = new(
        "aerobic-walk",
        "BFR aerobic walk",
        Modality.Aerobic,
        LimbKind.Leg,
        // Walking is done standing.
        [BodyPosition.Standing],
        [new("walk", "Brisk walk or incline walk, RPE 4–6/10", [ProtocolStep.Work(TimeSpan.FromMinutes(15))])],
        DeflationBetweenExercises,
        "RPE 4–6/10, 10–20 min",
        "1–2x/week on easy or rest days, deloads, taper and after races",
        [Sources.SeedRunnersEndurance]);

    /// <summary>Aerobic BFR cycle: 15 min at RPE 4–6 (seed: 10–20 min).</summary>
    public static Protocol AerobicCycle { get; } = new(
        "aerobic-cycle",
        "BFR aerobic cycle",
        Modality.Aerobic,
        LimbKind.Leg,
        // Cycling is done seated (upright or recumbent bike).
        [BodyPosition.Seated],
        [new("cycle", "Easy cycling, RPE 4–6/10", [ProtocolStep.Work(TimeSpan.FromMinutes(15))])],
        DeflationBetweenExercises,
        "RPE 4–6/10, 10–20 min",
        "1–2x/week on easy or rest days, deloads, taper and after races",
        [Sources.SeedRunnersEndurance]);

    /// <summary>Walk intervals: 5 x 3 min at 4–6 km/h, 1 min rest (Park et al. 2010).</summary>
    public static Protocol WalkIntervals { get; } = new(
        "walk-intervals",
        "BFR walk intervals 5 x 3 min",
        Modality.WalkIntervals,
        LimbKind.Leg,
        // Treadmill walking, standing (Park et al. 2010).
        [BodyPosition.Standing],
        [new("walk-intervals", "5 x 3 min walk at 4–6 km/h, 1 min rest, cuffs on", WalkIntervalSteps())],
        DeflationBetweenExercises,
        "walk at 4–6 km/h",
        "2x/day in the original study; 1–2x/week as recovery for runners",
        [Sources.Park2010, Sources.SeedRunnersEndurance]);

    /// <summary>Cycling: 15 min at 40% VO2max, 3x/week for 8 weeks (Abe et al. 2010).</summary>
    public static Protocol Cycling { get; } = new(
        "cycling",
        "BFR cycling 15 min at 40% VO2max",
        Modality.Cycling,
        LimbKind.Leg,
        // Cycle ergometer, seated (Abe et al. 2010).
        [BodyPosition.Seated],
        [new("cycle", "Cycle at 40% VO2max (easy, RPE about 4/10)", [ProtocolStep.Work(TimeSpan.FromMinutes(15))])],
        DeflationBetweenExercises,
        "40% VO2max",
        "3x/week for 8 weeks",
        [Sources.Abe2010]);

    /// <summary>Passive BFR: 5 cycles of 5 min on, 3 min off, seated or lying (Patterson et al. 2019).</summary>
    public static Protocol Passive { get; } = new(
        "passive",
        "Passive BFR (seated or lying)",
        Modality.Passive,
        null,
        // Lying or seated at rest (Patterson et al. 2019); supine first, the position of most post-op and immobilisation use.
        [BodyPosition.Supine, BodyPosition.Seated],
        [new("passive", "Rest seated or lying; 5 min occlusion, 3 min reperfusion, 5 cycles", PassiveSteps())],
        DeflationBetweenExercises,
        "no external load",
        "daily during immobilisation or early post-op, as the clinician sets",
        [Sources.Patterson2019]);

    /// <summary>Sprint-interval recovery: cuff on for about 2 min early in each recovery (Taylor et al. 2016).</summary>
    public static Protocol SprintRecovery { get; } = new(
        "sprint-recovery",
        "BFR during sprint-interval recovery",
        Modality.SprintRecovery,
        LimbKind.Leg,
        // Recovery between sprints standing or walking slowly (the exercise's description; Taylor et al. 2016).
        [BodyPosition.Standing],
        [new("sprint-recovery", "After each sprint: 2 min cuffs on, standing or walking slowly, then deflate", SprintRecoverySteps())],
        DeflationBetweenExercises,
        "the sprints themselves are unrestricted; cuffs go on only in recovery",
        "1x/week within a sprint-interval session, as the clinician or coach sets",
        [Sources.SeedRunnersKinetix, Sources.Taylor2016]);

    /// <summary>All protocols, in display order.</summary>
    public static IReadOnlyList<Protocol> All { get; } =
        [StrengthLower, StrengthUpper, AerobicWalk, AerobicCycle, WalkIntervals, Cycling, Passive, SprintRecovery];

    /// <summary>Finds a protocol by its name (case-insensitive).</summary>
    public static bool TryGet(string name, out Protocol protocol)
    {
        protocol = All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return protocol is not null;
    }

    /// <summary>The default protocol for a modality and limb kind.</summary>
    public static Protocol For(Modality modality, LimbKind limbKind) => modality switch
    {
        Modality.Resistance => limbKind == LimbKind.Arm ? StrengthUpper : StrengthLower,
        Modality.Aerobic => AerobicWalk,
        Modality.WalkIntervals => WalkIntervals,
        Modality.Cycling => Cycling,
        Modality.Passive => Passive,
        _ => SprintRecovery,
    };

    private static List<ProtocolStep> WalkIntervalSteps()
    {
        var steps = new List<ProtocolStep>();
        for (var i = 0; i < 5; i++)
        {
            steps.Add(ProtocolStep.Work(TimeSpan.FromMinutes(3)));
            if (i < 4) steps.Add(ProtocolStep.Rest(TimeSpan.FromMinutes(1), cuffInflated: true));
        }
        return steps;
    }

    private static List<ProtocolStep> PassiveSteps()
    {
        var steps = new List<ProtocolStep>();
        for (var i = 0; i < 5; i++)
        {
            steps.Add(ProtocolStep.Work(TimeSpan.FromMinutes(5)));
            if (i < 4) steps.Add(ProtocolStep.Rest(TimeSpan.FromMinutes(3), cuffInflated: false));
        }
        return steps;
    }

    private static List<ProtocolStep> SprintRecoverySteps()
    {
        // Six 30 s sprints, each followed by a 4.5 min recovery: 2 min with the cuffs on, then off
        // (Taylor et al. 2016 used 4 x 30 s progressing to 7; 2 min of BFR early in each recovery).
        var steps = new List<ProtocolStep>();
        for (var i = 0; i < 6; i++)
        {
            steps.Add(ProtocolStep.Work(TimeSpan.FromSeconds(30), cuffInflated: false));
            steps.Add(ProtocolStep.Work(TimeSpan.FromMinutes(2)));
            steps.Add(ProtocolStep.Rest(TimeSpan.FromMinutes(2.5), cuffInflated: false));
        }
        return steps;
    }
}
