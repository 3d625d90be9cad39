using System.Globalization;
using System.Text;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;

namespace OpenBfr.Formats.Fit;

/// <summary>
/// Writes a BFR session as a FIT workout file (file_id type workout, a workout message and one
/// workout_step per step), so a watch can guide it: an "inflate" step per exercise (open, lap
/// to go on), each set as a reps step, timed work and rests as time steps, and the deflations
/// between exercises, with the cuff pressure in every step's notes.
/// </summary>
public static class FitWorkoutWriter
{
    /// <summary>Bytes for wkt_step_name (NUL included); longer names are cut at a character boundary.</summary>
    public const int StepNameBytes = 40;

    /// <summary>Bytes for notes (NUL included).</summary>
    public const int NotesBytes = 128;

    /// <summary>Bytes for wkt_name (NUL included).</summary>
    public const int WorkoutNameBytes = 64;

    /// <summary>Writes the workout for a prescription (its target and protocol have passed the safety limits).</summary>
    public static byte[] Write(Prescription prescription, DateTimeOffset created)
        => Write(prescription.Protocol, prescription.Target, prescription.Lop.Value, created);

    /// <summary>Writes the workout for a protocol at a target pressure.</summary>
    /// <param name="protocol">the protocol (its steps and deflations).</param>
    /// <param name="target">the cuff pressure for the inflated steps.</param>
    /// <param name="lop">the limb occlusion pressure the target was set from.</param>
    /// <param name="created">file_id.time_created (from the caller's clock).</param>
    /// <exception cref="SafetyLimitExceededException">the target breaks a hard limit for this LOP (≥ 100% or &gt; 80% LOP, or &gt; 300 mmHg).</exception>
    public static byte[] Write(Protocol protocol, Pressure target, Pressure lop, DateTimeOffset created)
    {
        SafetyLimits.CheckTarget(target, lop);
        SafetyLimits.CheckInflation(protocol.MaxContinuousInflation, protocol.InflationKind);
        var cuff = $"Cuff {target} ({target.PercentOf(lop).ToString("0", CultureInfo.InvariantCulture)}% LOP)";
        var steps = Steps(protocol, cuff, target);

        var e = new FitEncoder(capacity: 1024 + steps.Count * 200);
        e.Define(0, new FitMessageDefinition(FitMessageNumber.FileId,
        [
            new(FitFieldNumber.FileId.Type, FitBaseType.Enum),
            new(FitFieldNumber.FileId.Manufacturer, FitBaseType.UInt16),
            new(FitFieldNumber.FileId.Product, FitBaseType.UInt16),
            new(FitFieldNumber.FileId.SerialNumber, FitBaseType.UInt32z),
            new(FitFieldNumber.FileId.TimeCreated, FitBaseType.UInt32),
        ]));
        e.Write(0, FitEnum.FileWorkout, FitEnum.ManufacturerDevelopment, 1, 0x0BF2, FitValue.Time(created));

        var (sport, subSport) = protocol.Modality switch
        {
            Modality.Cycling => (FitEnum.SportCycling, (byte)0),
            Modality.Aerobic or Modality.WalkIntervals when protocol.Name.Contains("cycle", StringComparison.Ordinal) => (FitEnum.SportCycling, (byte)0),
            Modality.Aerobic or Modality.WalkIntervals => (FitEnum.SportWalking, (byte)0),
            _ => (FitEnum.SportTraining, SubSportStrengthTraining),
        };
        e.Define(1, new FitMessageDefinition(FitMessageNumber.Workout,
        [
            new(FitFieldNumber.Workout.Name, FitBaseType.String, WorkoutNameBytes),
            new(FitFieldNumber.Workout.Sport, FitBaseType.Enum),
            new(FitFieldNumber.Workout.SubSport, FitBaseType.Enum),
            new(FitFieldNumber.Workout.NumValidSteps, FitBaseType.UInt16),
        ]));
        e.Write(1, Cut(protocol.Title, WorkoutNameBytes), sport, subSport, steps.Count);

        e.Define(2, new FitMessageDefinition(FitMessageNumber.WorkoutStep,
        [
            new(FitFieldNumber.MessageIndex, FitBaseType.UInt16),
            new(FitFieldNumber.WorkoutStep.Name, FitBaseType.String, StepNameBytes),
            new(FitFieldNumber.WorkoutStep.DurationType, FitBaseType.Enum),
            new(FitFieldNumber.WorkoutStep.DurationValue, FitBaseType.UInt32),
            new(FitFieldNumber.WorkoutStep.TargetType, FitBaseType.Enum),
            new(FitFieldNumber.WorkoutStep.TargetValue, FitBaseType.UInt32),
            new(FitFieldNumber.WorkoutStep.Intensity, FitBaseType.Enum),
            new(FitFieldNumber.WorkoutStep.Notes, FitBaseType.String, NotesBytes),
        ]));
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            e.Write(2, i, Cut(s.Name, StepNameBytes), s.DurationType, s.DurationValue is { } v ? v : FitValue.Invalid,
                FitEnum.TargetOpen, FitValue.Invalid, s.Intensity, Cut(s.Notes, NotesBytes));
        }
        return e.ToArray();
    }

    /// <summary>sub_sport strength_training (20).</summary>
    public const byte SubSportStrengthTraining = 20;

    /// <summary>One workout_step as written.</summary>
    /// <param name="Name">wkt_step_name.</param>
    /// <param name="DurationType">wkt_step_duration: time (0), open (5) or reps (29).</param>
    /// <param name="DurationValue">ms for time, count for reps, null for open.</param>
    /// <param name="Intensity">active (0), rest (1).</param>
    /// <param name="Notes">what to do with the cuff.</param>
    public sealed record WorkoutStep(string Name, byte DurationType, long? DurationValue, byte Intensity, string Notes);

    /// <summary>The steps the file will hold for a protocol (also what a UI could show).</summary>
    public static IReadOnlyList<WorkoutStep> Steps(Protocol protocol, string cuff, Pressure target)
    {
        var steps = new List<WorkoutStep>();
        for (var x = 0; x < protocol.Exercises.Count; x++)
        {
            var exercise = protocol.Exercises[x];
            steps.Add(new WorkoutStep($"Inflate: {exercise.Name}", FitEnum.DurationOpen, null, FitEnum.IntensityRest,
                $"Inflate cuff to {target}, then lap to start. {exercise.Description}"));
            int set = 0, work = 0;
            foreach (var step in exercise.Steps)
            {
                switch (step.Kind)
                {
                    case StepKind.Set:
                        set++;
                        steps.Add(new WorkoutStep($"{exercise.Name} set {set}", FitEnum.DurationReps, step.Reps, FitEnum.IntensityActive,
                            $"{cuff}; {step.Reps} reps, {step.SecondsPerRep.ToString("0.#", CultureInfo.InvariantCulture)} s each"));
                        break;
                    case StepKind.Work:
                        work++;
                        steps.Add(new WorkoutStep(work == 1 ? exercise.Name : $"{exercise.Name} {work}", FitEnum.DurationTime, Milliseconds(step.Duration),
                            FitEnum.IntensityActive, step.CuffInflated ? cuff : "Cuff deflated"));
                        break;
                    default:
                        steps.Add(step.CuffInflated
                            ? new WorkoutStep("Rest", FitEnum.DurationTime, Milliseconds(step.Duration), FitEnum.IntensityRest, $"Rest; {cuff} stays on")
                            : new WorkoutStep("Deflate", FitEnum.DurationTime, Milliseconds(step.Duration), FitEnum.IntensityRest, "Deflate cuff fully; rest"));
                        break;
                }
            }
            var last = x == protocol.Exercises.Count - 1;
            var deflation = last ? SafetyLimits.MinDeflation : protocol.DeflationBetweenExercises;
            steps.Add(new WorkoutStep("Deflate", FitEnum.DurationTime, Milliseconds(deflation), FitEnum.IntensityRest,
                last ? "Deflate cuff fully; session done" : $"Deflate cuff fully for {deflation.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min before the next exercise"));
        }
        return steps;
    }

    private static long Milliseconds(TimeSpan duration) => (long)Math.Round(duration.TotalMilliseconds);

    /// <summary>Cuts text to fit <paramref name="bytes"/> − 1 UTF-8 octets without splitting a character.</summary>
    public static string Cut(string text, int bytes)
    {
        if (Encoding.UTF8.GetByteCount(text) < bytes)
        {
            return text;
        }
        var sb = new StringBuilder();
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > bytes - 1)
            {
                break;
            }
            sb.Append(rune.ToString());
            used += rune.Utf8SequenceLength;
        }
        return sb.ToString();
    }
}
