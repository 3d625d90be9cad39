using OpenBfr.Core.Limbs;
using OpenBfr.Core.Safety;

namespace OpenBfr.Core.Protocols;

/// <summary>The kind of BFR training, which sets the pressure range and the dose.</summary>
public enum Modality
{
    /// <summary>Low-load resistance exercise (20–30% 1RM).</summary>
    Resistance,

    /// <summary>Continuous aerobic exercise, walking or cycling, 10–20 min.</summary>
    Aerobic,

    /// <summary>Walk intervals: 5 x 3 min walk, 1 min rest (Park et al. 2010).</summary>
    WalkIntervals,

    /// <summary>Cycling 15 min at 40% VO2max (Abe et al. 2010).</summary>
    Cycling,

    /// <summary>Passive BFR, seated or lying: 5 min on, 3–5 min off.</summary>
    Passive,

    /// <summary>Cuff on for about 2 min early in each sprint-interval recovery.</summary>
    SprintRecovery,
}

/// <summary>What happens in one step of an exercise.</summary>
public enum StepKind
{
    /// <summary>A set of repetitions at a cadence.</summary>
    Set,

    /// <summary>Timed work (walking, cycling, passive occlusion, sprint recovery).</summary>
    Work,

    /// <summary>Rest; the cuff may stay inflated (between sets) or be deflated.</summary>
    Rest,
}

/// <summary>One step of an exercise. Build with <see cref="Set"/>, <see cref="Work"/> or <see cref="Rest"/>.</summary>
public sealed record ProtocolStep
{
    private ProtocolStep(StepKind kind, int reps, TimeSpan duration, bool cuffInflated)
    {
        Kind = kind;
        Reps = reps;
        Duration = duration;
        CuffInflated = cuffInflated;
    }

    public StepKind Kind { get; }

    /// <summary>Repetitions in a set; 0 for timed steps.</summary>
    public int Reps { get; }

    /// <summary>Duration: reps × cadence for a set, the time for work and rest.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Whether the cuff is inflated during the step.</summary>
    public bool CuffInflated { get; }

    /// <summary>A set of <paramref name="reps"/> repetitions at <paramref name="secondsPerRep"/> each, cuff inflated.</summary>
    public static ProtocolStep Set(int reps, double secondsPerRep)
    {
        Guard.InRange(reps, 1, 100, "reps");
        Guard.InRange(secondsPerRep, 0.5, 10, "s", "secondsPerRep");
        return new(StepKind.Set, reps, TimeSpan.FromSeconds(reps * secondsPerRep), true);
    }

    /// <summary>Timed work, cuff inflated unless said otherwise.</summary>
    public static ProtocolStep Work(TimeSpan duration, bool cuffInflated = true)
    {
        Guard.InRange(duration.TotalMinutes, 0.05, 60, "min", "duration");
        return new(StepKind.Work, 0, duration, cuffInflated);
    }

    /// <summary>Rest, with the cuff inflated (between sets) or deflated.</summary>
    public static ProtocolStep Rest(TimeSpan duration, bool cuffInflated)
    {
        Guard.InRange(duration.TotalMinutes, 0.05, 60, "min", "duration");
        return new(StepKind.Rest, 0, duration, cuffInflated);
    }

    /// <summary>Seconds per repetition for a set.</summary>
    public double SecondsPerRep => Reps == 0 ? 0 : Duration.TotalSeconds / Reps;
}

/// <summary>One exercise of a protocol: its steps run with the cuff as each step says.</summary>
public sealed record ProtocolExercise(string Name, string Description, IReadOnlyList<ProtocolStep> Steps)
{
    /// <summary>The longest stretch of consecutive inflated steps.</summary>
    public TimeSpan LongestContinuousInflation
    {
        get
        {
            TimeSpan longest = TimeSpan.Zero, run = TimeSpan.Zero;
            foreach (var step in Steps)
            {
                run = step.CuffInflated ? run + step.Duration : TimeSpan.Zero;
                longest = longest > run ? longest : run;
            }
            return longest;
        }
    }

    public TimeSpan Duration => Steps.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);
}

/// <summary>
/// A BFR protocol: exercises with their steps, the deflation between exercises, the dose and
/// frequency, each with its source. Immutable data; <see cref="ProtocolCatalog"/> holds the seeds.
/// </summary>
public sealed record Protocol
{
    /// <remarks><see cref="Positions"/>: the body positions its exercises are done in, the usual one first; a LOP
    /// measured in any other position cannot set its pressure (Hughes et al. 2018).</remarks>
    /// <exception cref="SafetyLimitExceededException">an exercise inflates longer than the limit for its kind, or the deflation is under 1 min.</exception>
    /// <exception cref="ArgumentException">no positions, a position twice, or one that is not defined (param "positions").</exception>
    public Protocol(
        string name,
        string title,
        Modality modality,
        LimbKind? limbKind,
        IReadOnlyList<BodyPosition> positions,
        IReadOnlyList<ProtocolExercise> exercises,
        TimeSpan deflationBetweenExercises,
        string load,
        string frequency,
        IReadOnlyList<string> sources)
    {
        Name = name;
        Title = title;
        Modality = modality;
        LimbKind = limbKind;
        Guard.NotNull(positions);
        if (positions.Count == 0 || positions.Distinct().Count() != positions.Count || positions.Any(p => !Enum.IsDefined(p)))
        {
            throw new ArgumentException(
                $"positions of protocol {name} must be one or more of supine, seated, standing, each once; was [{string.Join(", ", positions.Select(p => p.ToString().ToLowerInvariant()))}]", nameof(positions));
        }
        Positions = [.. positions];
        Exercises = exercises;
        DeflationBetweenExercises = exercises.Count > 1 ? SafetyLimits.CheckDeflation(deflationBetweenExercises) : deflationBetweenExercises;
        Load = load;
        Frequency = frequency;
        Sources = sources;
        foreach (var exercise in exercises)
        {
            SafetyLimits.CheckInflation(exercise.LongestContinuousInflation, InflationKind);
            foreach (var off in exercise.Steps.Where(s => s.Kind == StepKind.Rest && !s.CuffInflated))
            {
                SafetyLimits.CheckDeflation(off.Duration);
            }
        }
    }

    /// <summary>Kebab-case identifier ("strength-lower").</summary>
    public string Name { get; }

    public string Title { get; }

    public Modality Modality { get; }

    /// <summary>The limb kind it is for, or null when either.</summary>
    public LimbKind? LimbKind { get; }

    /// <summary>
    /// The body positions its exercises are done in, the usual one first. A LOP is valid only in the
    /// position it was measured in (Hughes et al. 2018: leg LOP supine/seated/standing 187/204/242 mmHg),
    /// so only a LOP measured in one of these can set this protocol's pressure (<see cref="Prescriptions.Prescriber"/>).
    /// </summary>
    public IReadOnlyList<BodyPosition> Positions { get; }

    /// <summary>The position it is usually done in (the first of <see cref="Positions"/>).</summary>
    public BodyPosition UsualPosition => Positions[0];

    /// <summary>Whether its exercises are done in <paramref name="position"/>.</summary>
    public bool IsDoneIn(BodyPosition position) => Positions.Contains(position);

    /// <summary>
    /// The position to prescribe in for an athlete with LOPs measured in <paramref name="measured"/>:
    /// the first of <see cref="Positions"/> among them, else <see cref="UsualPosition"/> (so the LOP to measure is named).
    /// </summary>
    public BodyPosition PositionFor(IEnumerable<BodyPosition> measured)
    {
        var have = measured.ToHashSet();
        return Positions.FirstOrDefault(have.Contains, UsualPosition);
    }

    /// <summary>The positions in words: "standing", "supine or seated".</summary>
    public string PositionsText => DescribePositions(Positions);

    /// <summary>Positions in words, joined with "or": "supine or seated".</summary>
    public static string DescribePositions(IEnumerable<BodyPosition> positions)
    {
        var words = positions.Select(p => p.ToString().ToLowerInvariant()).ToList();
        return words.Count <= 1 ? string.Concat(words) : $"{string.Join(", ", words[..^1])} or {words[^1]}";
    }

    public IReadOnlyList<ProtocolExercise> Exercises { get; }

    /// <summary>Cuffs deflated between exercises for at least this long (≥ 1 min).</summary>
    public TimeSpan DeflationBetweenExercises { get; }

    /// <summary>External load, in words (e.g. "20–30% 1RM or bodyweight").</summary>
    public string Load { get; }

    /// <summary>How often per week, in words.</summary>
    public string Frequency { get; }

    public IReadOnlyList<string> Sources { get; }

    /// <summary>Which continuous-inflation limit applies.</summary>
    public InflationKind InflationKind => Modality is Modality.Aerobic or Modality.WalkIntervals or Modality.Cycling
        ? InflationKind.Aerobic
        : InflationKind.Exercise;

    /// <summary>The longest continuous inflation of any exercise.</summary>
    public TimeSpan MaxContinuousInflation => Exercises.Max(e => e.LongestContinuousInflation);

    /// <summary>Total time including deflation between exercises.</summary>
    public TimeSpan TotalDuration => Exercises.Aggregate(TimeSpan.Zero, (s, e) => s + e.Duration)
        + DeflationBetweenExercises * Math.Max(0, Exercises.Count - 1);
}
