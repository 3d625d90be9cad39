using OpenBfr.Core.Protocols;
using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;
using OpenBfr.Formats.Fit;
using OpenBfr.Formats.Tests.Support;

namespace OpenBfr.Formats.Tests.Fit;

public class FitWorkoutWriterTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly Pressure Lop = Pressure.FromMmHg(200);
    private static readonly Pressure Target = Pressure.FromMmHg(140);

    [Fact]
    public void Write_StrengthLower_StepsFollowTheProtocol()
    {
        var bytes = FitWorkoutWriter.Write(ProtocolCatalog.StrengthLower, Target, Lop, Created);
        var file = FitDecoder.Decode(bytes, "wkt.fit");

        file.OfType(FitMessageNumber.FileId).Single().Field(FitFieldNumber.FileId.Type)!.Value.ShouldBe((long)FitEnum.FileWorkout);
        var steps = file.OfType(FitMessageNumber.WorkoutStep).ToList();
        // 5 exercises × (inflate + 4 sets + 3 rests + deflate) = 45
        steps.Count.ShouldBe(45);
        var workout = file.OfType(FitMessageNumber.Workout).Single();
        workout.Field(FitFieldNumber.Workout.NumValidSteps)!.Value.ShouldBe(45L);
        steps[1].Field(FitFieldNumber.WorkoutStep.DurationValue)!.Value.ShouldBe(30L);
        steps[1].Field(FitFieldNumber.WorkoutStep.Notes)!.Value.ShouldBe("Cuff 140 mmHg (70% LOP); 30 reps, 2 s each");
        steps[2].Field(FitFieldNumber.WorkoutStep.DurationValue)!.Value.ShouldBe(30_000L);
        steps[8].Field(FitFieldNumber.WorkoutStep.DurationValue)!.Value.ShouldBe(60_000L);
        steps.Select((s, i) => (long)s.Field(FitFieldNumber.MessageIndex)!.Value! == i).ShouldAllBe(ok => ok);
    }

    public static TheoryData<string> CatalogProtocols => [.. ProtocolCatalog.All.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(CatalogProtocols))]
    public void Write_EveryCatalogProtocol_StepsAddUpToTheProtocol(string name)
    {
        ProtocolCatalog.TryGet(name, out var protocol).ShouldBeTrue();
        var file = FitDecoder.Decode(FitWorkoutWriter.Write(protocol, Pressure.FromMmHg(100), Lop, Created), name + ".fit");

        var steps = file.OfType(FitMessageNumber.WorkoutStep).ToList();
        file.OfType(FitMessageNumber.Workout).Single().Field(FitFieldNumber.Workout.NumValidSteps)!.Value.ShouldBe((long)steps.Count);
        // One open "inflate" step and one deflation per exercise, plus the protocol's own steps.
        steps.Count.ShouldBe(protocol.Exercises.Sum(e => e.Steps.Count + 2));
        steps.Count(s => (long)s.Field(FitFieldNumber.WorkoutStep.DurationType)!.Value! == FitEnum.DurationOpen).ShouldBe(protocol.Exercises.Count);
        // Timed steps plus sets (reps × cadence) give the protocol's total time, plus the final 1 min deflation.
        var seconds = protocol.Exercises.SelectMany(e => e.Steps).Where(st => st.Kind == StepKind.Set).Sum(st => st.Duration.TotalSeconds)
            + steps.Where(s => (long)s.Field(FitFieldNumber.WorkoutStep.DurationType)!.Value! == FitEnum.DurationTime)
                   .Sum(s => (long)s.Field(FitFieldNumber.WorkoutStep.DurationValue)!.Value! / 1000.0);
        seconds.ShouldBe(protocol.TotalDuration.TotalSeconds + SafetyLimits.MinDeflation.TotalSeconds, 0.001);
        steps.Where(s => (long)s.Field(FitFieldNumber.WorkoutStep.DurationType)!.Value! == FitEnum.DurationReps)
             .Select(s => (long)s.Field(FitFieldNumber.WorkoutStep.DurationValue)!.Value!)
             .ShouldBe(protocol.Exercises.SelectMany(e => e.Steps).Where(st => st.Kind == StepKind.Set).Select(st => (long)st.Reps));
    }

    [Fact]
    public void Write_TargetAbove80PercentLop_IsRefusedBySafetyLimits()
    {
        var ex = Should.Throw<SafetyLimitExceededException>(() => FitWorkoutWriter.Write(ProtocolCatalog.StrengthLower, Pressure.FromMmHg(170), Lop, Created));
        ex.Limit.ShouldBe(SafetyLimit.ExercisePercentOfLop);
    }

    [Fact]
    public void Cut_LongUtf8Text_NeverSplitsACharacter()
    {
        var cut = FitWorkoutWriter.Cut(new string('a', 38) + "€€", 40);
        cut.ShouldBe(new string('a', 38)); // "€" is 3 octets: 38 + 3 > 39
    }

    [Fact]
    public void Write_DecodedByFitSdk_MessageNamesAndValuesMatch()
    {
        var dir = NodePeer.ScratchDirectory("fit-workout");
        var files = new Dictionary<string, byte[]>
        {
            ["strength-lower.fit"] = FitWorkoutWriter.Write(ProtocolCatalog.StrengthLower, Target, Lop, Created),
            ["walk-intervals.fit"] = FitWorkoutWriter.Write(ProtocolCatalog.WalkIntervals, Pressure.FromMmHg(110), Lop, Created),
            ["passive.fit"] = FitWorkoutWriter.Write(ProtocolCatalog.Passive, Pressure.FromMmHg(100), Lop, Created),
        };
        foreach (var (name, bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(dir, name), bytes);
        }
        var paths = files.Keys.Select(k => Path.Combine(dir, k)).ToArray();

        var raw = NodePeer.Run("fit-decode.mjs", paths);
        var named = NodePeer.Run("fit-decode.mjs", ["--strings", .. paths]);

        var i = 0;
        foreach (var (name, bytes) in files)
        {
            raw[i].GetProperty("integrity").GetBoolean().ShouldBeTrue(name);
            FitPeerTests.AssertSameMessages(name, FitDecoder.Decode(bytes, name).Messages, [.. raw[i].GetProperty("messages").EnumerateArray()]);
            i++;
        }
        var strength = named[0].GetProperty("messages").EnumerateArray().ToList();
        strength[0].GetProperty("name").GetString().ShouldBe("fileId");
        strength[0].GetProperty("fields").GetProperty("0").GetString().ShouldBe("workout");
        strength[1].GetProperty("name").GetString().ShouldBe("workout");
        strength[1].GetProperty("fields").GetProperty("8").GetString().ShouldBe("BFR strength, lower limb (runner's circuit)");
        strength[1].GetProperty("fields").GetProperty("4").GetString().ShouldBe("training");
        strength[1].GetProperty("fields").GetProperty("11").GetString().ShouldBe("strengthTraining");
        strength[1].GetProperty("fields").GetProperty("6").GetInt32().ShouldBe(45);
        var set = strength[3].GetProperty("fields");
        strength[3].GetProperty("name").GetString().ShouldBe("workoutStep");
        set.GetProperty("0").GetString().ShouldBe("squat set 1");
        set.GetProperty("1").GetString().ShouldBe("reps");
        set.GetProperty("2").GetInt32().ShouldBe(30);
        set.GetProperty("3").GetString().ShouldBe("open");
        set.GetProperty("7").GetString().ShouldBe("active");
        set.GetProperty("8").GetString().ShouldBe("Cuff 140 mmHg (70% LOP); 30 reps, 2 s each");
        var rest = strength[4].GetProperty("fields");
        rest.GetProperty("1").GetString().ShouldBe("time");
        rest.GetProperty("2").GetInt32().ShouldBe(30_000);
        rest.GetProperty("7").GetString().ShouldBe("rest");
        strength[2].GetProperty("fields").GetProperty("1").GetString().ShouldBe("open");
        var deflate = strength[10].GetProperty("fields");
        deflate.GetProperty("0").GetString().ShouldBe("Deflate");
        deflate.GetProperty("2").GetInt32().ShouldBe(60_000);
        named[1].GetProperty("messages")[1].GetProperty("fields").GetProperty("4").GetString().ShouldBe("walking");
        var passiveSteps = named[2].GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("name").GetString() == "workoutStep").ToList();
        passiveSteps.Count(s => s.GetProperty("fields").GetProperty("8").GetString() == "Deflate cuff fully; rest").ShouldBe(4);
    }
}
