using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Planning;
using OpenBfr.Core.Planning.Profile;
using OpenBfr.Core.Units;

namespace OpenBfr.Core.Tests.Planning;

/// <summary>Seeded random runner profiles and plan requests for the property tests.</summary>
public static class ProfileGenerator
{
    public static readonly DateOnly BaseStart = new(2026, 12, 7);

    public static PlanRequest Request(int seed)
    {
        var rng = new Random(seed);
        var start = BaseStart.AddDays(rng.Next(0, 60));
        var profile = Profile(rng, start);
        var weeks = rng.Next(1, 53);
        ImportedLoad? load = rng.NextDouble() < 0.3
            ? new ImportedLoad(start.AddDays(-rng.Next(1, 20)), Ratio(rng), Ratio(rng))
            : null;
        var options = rng.NextDouble() < 0.3
            ? new PlannerOptions
            {
                StrengthBfrPerWeek = rng.Next(2, 4),
                RecoveryBfrPerWeek = rng.Next(1, 3),
                RecoveryBfrPerLightWeek = rng.Next(1, 3),
                HeavyStrengthPerWeek = rng.Next(1, 3),
                DeloadEveryNthWeek = rng.Next(3, 7),
                TaperStrengthStopDays = rng.Next(7, 11),
                SpikeResponseWeeks = rng.Next(1, 5),
                MinDaysBetweenStrength = rng.Next(1, 4),
            }
            : null;
        return new PlanRequest(profile, start, weeks, load, options);
    }

    private static double? Ratio(Random rng) => rng.NextDouble() < 0.1 ? null : Math.Round(0.5 + rng.NextDouble() * 1.5, 2);

    public static RunnerProfile Profile(Random rng, DateOnly start)
    {
        var allDays = Enum.GetValues<DayOfWeek>();
        var available = allDays.Where(_ => rng.NextDouble() < 0.7).ToHashSet();
        if (available.Count == 0) available.Add(allDays[rng.Next(7)]);
        var pool = available.OrderBy(_ => rng.Next()).ToList();
        DayOfWeek? longRun = rng.NextDouble() < 0.8 ? pool[0] : null;
        var keys = pool.Skip(longRun is null ? 0 : 1).Take(rng.Next(0, 4)).ToHashSet();
        GoalRace? goal = rng.NextDouble() < 0.75
            ? new GoalRace((RaceDistance)rng.Next(0, 5), start.AddDays(rng.Next(-20, 400)), rng.NextDouble() < 0.5 ? "Goal race" : null)
            : null;
        Injury? injury = null;
        var tests = new List<RehabTest>();
        if (rng.NextDouble() < 0.3)
        {
            var injuryDate = start.AddDays(-rng.Next(0, 300));
            injury = new Injury((InjuryKind)rng.Next(0, 9), injuryDate, (Side)rng.Next(0, 3));
            if (rng.NextDouble() < 0.5) tests.Add(new RehabTest(injuryDate.AddDays(rng.Next(0, 20)), null, null, true));
            var n = rng.Next(0, 8);
            for (var i = 0; i < n; i++)
            {
                tests.Add(new RehabTest(
                    injuryDate.AddDays(rng.Next(0, 400)),
                    rng.NextDouble() < 0.7 ? rng.Next(0, 6) : null,
                    rng.NextDouble() < 0.6 ? Math.Round(50 + rng.NextDouble() * 55, 1) : null,
                    rng.NextDouble() < 0.6 ? rng.NextDouble() < 0.8 : null));
            }
        }
        var cuffs = new List<CuffDescription>();
        var legCuffs = rng.Next(0, 3);
        for (var i = 0; i < legCuffs; i++) cuffs.Add(new CuffDescription(rng.NextDouble() < 0.5 ? 11.5 : 18, LimbKind.Leg));
        var lops = new List<LimbOcclusionPressure>();
        if (cuffs.Count > 0)
        {
            foreach (var limb in new[] { Limb.LeftLeg, Limb.RightLeg })
            {
                if (rng.NextDouble() < 0.5) continue;
                var position = (BodyPosition)rng.Next(0, 3);
                var estimated = rng.NextDouble() < 0.2;
                lops.Add(new LimbOcclusionPressure(Pressure.FromMmHg(rng.Next(120, 390)), limb, position, cuffs[0],
                    estimated ? LopMethod.Estimated : LopMethod.Doppler,
                    new DateTimeOffset(start.AddDays(rng.Next(-10, 60)).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                    estimated ? Pressure.FromMmHg(15.3) : null));
            }
        }
        return new RunnerProfile
        {
            Name = $"runner",
            AgeYears = rng.Next(RunnerProfile.MinAge, RunnerProfile.MaxAge + 1),
            Sex = rng.NextDouble() < 0.5 ? Sex.Male : Sex.Female,
            WeeklyKm = rng.NextDouble() < 0.1 ? 0 : Math.Round(rng.NextDouble() * 150, 1),
            Goal = goal,
            AvailableDays = available,
            KeyWorkoutDays = keys,
            LongRunDay = longRun,
            Injury = injury,
            Cuffs = cuffs,
            Lops = lops,
            Tests = tests,
            OneRepMaxes = rng.NextDouble() < 0.3 ? [new OneRepMax("squat", rng.Next(40, 180))] : [],
        };
    }
}
