using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Planning;
using OpenBfr.Core.Planning.Profile;
using OpenBfr.Core.Planning.Rehab;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Core.Protocols;

namespace OpenBfr.Core.Tests.Planning;

/// <summary>
/// The rules of DESIGN.md section 4 checked on plans for 500 seeded, generated profiles (healthy and
/// injured, with and without races, history, LOPs and custom options). A failure names the seed and
/// prints the plan so the case can be replayed with <see cref="ProfileGenerator.Request"/>.
/// </summary>
public class PlannerPropertyTests
{
    private const int Cases = 500;

    private sealed record Case(int Seed, PlanRequest Request, TrainingPlan Plan)
    {
        public PlannerOptions Options => Request.Options ?? new PlannerOptions();
        public RunnerProfile Profile => Request.Profile;
        public DateOnly? Race => Profile.Injury is null && Profile.Goal is { } g && g.Date >= Request.Start ? g.Date : null;

        public bool Spike => Profile.Injury is null && LoadSpike;

        public bool LoadSpike => Request.Load is { } l && l.AsOf.DayNumber >= Request.Start.DayNumber - Planner.MaxLoadAgeDays
            && (l.EwmaRatio > Options.AcwrHighThreshold || l.RollingRatio > Options.AcwrHighThreshold);

        public PlannedSession? RunOn(DateOnly date) => Plan.Sessions.FirstOrDefault(s => s.Date == date && s.Kind.IsRun());
    }

    private static readonly Lazy<List<Case>> All = new(() => Enumerable.Range(1, Cases)
        .Select(seed => { var r = ProfileGenerator.Request(seed); return new Case(seed, r, Planner.Build(r)); })
        .ToList());

    private static void Check(Func<Case, IEnumerable<string>> rule)
    {
        foreach (var c in All.Value)
        {
            var problems = rule(c).ToList();
            if (problems.Count > 0)
            {
                Assert.Fail($"seed {c.Seed}: {string.Join("; ", problems.Take(3))}\n{PlanDump.Render(c.Plan)}");
            }
        }
    }

    [Fact]
    public void Generator_CoversTheCases()
    {
        var cases = All.Value;
        cases.Count(c => c.Profile.Injury is not null).ShouldBeGreaterThan(50);
        cases.Count(c => c.Race is not null && c.Race <= c.Plan.End).ShouldBeGreaterThan(50);
        cases.Count(c => c.Spike).ShouldBeGreaterThan(10);
        cases.Count(c => c.Plan.Weeks.Any(w => w.Deload)).ShouldBeGreaterThan(50);
        cases.Count(c => c.Plan.Sessions.Any(s => s.Bfr?.Pressures.Count > 0)).ShouldBeGreaterThan(20);
        cases.Select(c => c.Plan.Weeks.FirstOrDefault(w => w.RehabStage is not null)?.RehabStage).Distinct().Count().ShouldBeGreaterThan(5);
        cases.Count(c => c.Plan.Sessions.Any(s => s.Kind == SessionKind.PassiveBfr)).ShouldBeGreaterThan(3);
    }

    [Fact]
    public void Build_AnyProfile_IsDeterministic()
    {
        foreach (var c in All.Value.Take(100))
        {
            PlanDump.Render(Planner.Build(c.Request)).ShouldBe(PlanDump.Render(c.Plan), $"seed {c.Seed}");
        }
    }

    [Fact]
    public void Build_AnyProfile_WeeksAreContiguousAndSessionsInside() => Check(c =>
    {
        var problems = new List<string>();
        if (c.Plan.Weeks.Count != c.Request.Weeks) problems.Add($"{c.Plan.Weeks.Count} weeks, asked {c.Request.Weeks}");
        foreach (var w in c.Plan.Weeks)
        {
            if (w.Start != c.Request.Start.AddDays(7 * (w.Number - 1))) problems.Add($"week {w.Number} starts {w.Start}");
            foreach (var s in w.Sessions.Where(s => s.Date < w.Start || s.Date > w.End)) problems.Add($"{s.Date} outside week {w.Number}");
        }
        return problems;
    });

    [Fact]
    public void Build_AnyProfile_EverySessionHasAReasonAndBfrHasAPrescription() => Check(c =>
        c.Plan.Sessions.Where(s => string.IsNullOrWhiteSpace(s.Reason) || s.Kind.IsBfr() != (s.Bfr is not null))
            .Select(s => $"{s.Date} {s.Kind}: reason '{s.Reason}', prescription {(s.Bfr is null ? "missing" : "present")}"));

    [Fact]
    public void Build_AnyProfile_AtMostOneBfrSessionPerDay() => Check(c =>
        c.Plan.Sessions.Where(s => s.Kind.IsBfr()).GroupBy(s => s.Date).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {g.Count()} BFR sessions"));

    [Fact]
    public void Build_AnyProfile_RunsOnlyOnAvailableDaysOrRaceDay() => Check(c =>
        c.Plan.Sessions.Where(s => s.Kind.IsRun() && !c.Profile.AvailableDays.Contains(s.Date.DayOfWeek) && s.Kind != SessionKind.Race)
            .Select(s => $"{s.Kind} on {s.Date:ddd}, not an available day"));

    [Fact]
    public void Build_AnyProfile_NoStrengthWorkTheDayBeforeAKeyWorkoutLongRunOrRace() => Check(c =>
        c.Plan.Sessions.Where(s => s.Kind is SessionKind.StrengthBfr or SessionKind.HeavyStrength)
            .Where(s => c.RunOn(s.Date.AddDays(1)) is { } next && next.Kind is SessionKind.KeyWorkout or SessionKind.LongRun or SessionKind.Race)
            .Select(s => $"{s.Kind} on {s.Date} before a {c.RunOn(s.Date.AddDays(1))!.Kind}"));

    [Fact]
    public void Build_AnyProfile_NonRunSessionsComeAfterTheRun() => Check(c =>
        c.Plan.Sessions.Where(s => !s.Kind.IsRun())
            .Where(s => c.RunOn(s.Date) is { } run && run.Order > s.Order)
            .Select(s => $"{s.Kind} on {s.Date} before the run"));

    [Fact]
    public void Build_HealthyBaseOrBuildWeek_TwoToThreeStrengthBfrWhenDaysAllow() => Check(c =>
    {
        if (c.Profile.Injury is not null) return [];
        var problems = new List<string>();
        foreach (var w in c.Plan.Weeks.Where(w => w.Phase is PlanPhase.Base or PlanPhase.Build && !w.Deload && !(c.Spike && w.Number <= c.Options.SpikeResponseWeeks)))
        {
            var count = w.Sessions.Count(s => s.Kind == SessionKind.StrengthBfr);
            var eligible = Enumerable.Range(0, 7).Select(i => w.Start.AddDays(i)).Count(d => !StrengthBlocked(c, d));
            var expected = Math.Min(c.Options.StrengthBfrPerWeek, eligible);
            if (count > 3 || count != expected) problems.Add($"week {w.Number}: {count} strength BFR, expected {expected} ({eligible} eligible days)");
            if (eligible >= 2 && count < 2) problems.Add($"week {w.Number}: fewer than 2 strength BFR with {eligible} eligible days");
        }
        return problems;
    });

    [Fact]
    public void Build_HealthyRunner_PeakAndTaperKeepStrengthBfrToMaintenance() => Check(c =>
    {
        if (c.Profile.Injury is not null) return [];
        var problems = new List<string>();
        foreach (var w in c.Plan.Weeks)
        {
            var n = w.Sessions.Count(s => s.Kind == SessionKind.StrengthBfr);
            var max = w.Phase switch
            {
                PlanPhase.Peak => c.Options.StrengthBfrPerPeakWeek,
                PlanPhase.Taper => c.Options.StrengthBfrPerTaperWeek,
                PlanPhase.Race or PlanPhase.Recovery => 0,
                _ => c.Options.StrengthBfrPerWeek,
            };
            if (n > max) problems.Add($"week {w.Number} ({w.Phase}): {n} strength BFR, at most {max}");
        }
        return problems;
    });

    [Fact]
    public void Build_InjuredRunner_WalkRunsAreShortOnNonConsecutiveDays() => Check(c =>
    {
        var problems = new List<string>();
        foreach (var w in c.Plan.Weeks)
        {
            var days = w.Sessions.Where(s => s.Kind == SessionKind.WalkRun).Select(s => s.Date).OrderBy(d => d).ToList();
            if (days.Count > 3) problems.Add($"week {w.Number}: {days.Count} walk-runs");
            for (var i = 1; i < days.Count; i++)
            {
                if (days[i].DayNumber - days[i - 1].DayNumber < 2) problems.Add($"week {w.Number}: walk-runs on consecutive days {days[i - 1]} and {days[i]}");
            }
        }
        return problems;
    });

    [Fact]
    public void Build_AnyProfile_NoMoreThanThreeStrengthBfrAWeek() => Check(c =>
        c.Plan.Weeks.Where(w => w.Sessions.Count(s => s.Kind == SessionKind.StrengthBfr) > 3).Select(w => $"week {w.Number}: more than 3 strength BFR"));

    [Fact]
    public void Build_HealthyRunner_RecoveryBfrOnlyOnEasyOrRestDays_OneOrTwoAWeek() => Check(c =>
    {
        if (c.Profile.Injury is not null) return [];
        var problems = new List<string>();
        foreach (var s in c.Plan.Sessions.Where(s => s.Kind == SessionKind.RecoveryBfr))
        {
            if (c.RunOn(s.Date) is { } run && run.Kind != SessionKind.EasyRun) problems.Add($"recovery BFR on {s.Date} with a {run.Kind}");
            if (c.Race is { } race && (s.Date == race || s.Date == race.AddDays(-1))) problems.Add($"recovery BFR on {s.Date}, race {race}");
        }
        foreach (var w in c.Plan.Weeks)
        {
            var n = w.Sessions.Count(s => s.Kind == SessionKind.RecoveryBfr);
            if (n > 2) problems.Add($"week {w.Number}: {n} recovery BFR");
            if (n == 0 && !w.Notes.Any(x => x.Contains("recovery BFR sessions fit", StringComparison.Ordinal))) problems.Add($"week {w.Number}: no recovery BFR and no note why");
        }
        return problems;
    });

    [Fact]
    public void Build_HealthyRunner_LightWeeksGetRecoveryBfrWithTheirReason() => Check(c =>
    {
        if (c.Profile.Injury is not null) return [];
        var problems = new List<string>();
        foreach (var w in c.Plan.Weeks.Where(w => w.Deload || w.Phase is PlanPhase.Taper or PlanPhase.Recovery))
        {
            var recovery = w.Sessions.Where(s => s.Kind == SessionKind.RecoveryBfr).ToList();
            var word = c.Spike && w.Number <= c.Options.SpikeResponseWeeks ? "spike" : w.Deload ? "deload" : w.Phase == PlanPhase.Taper ? "taper" : "post-race";
            if (recovery.Count == 0 && !w.Notes.Any(x => x.Contains("recovery BFR sessions fit", StringComparison.Ordinal))) problems.Add($"week {w.Number} ({w.Label}): no recovery BFR");
            if (recovery.Any(s => !s.Reason.Contains(word, StringComparison.Ordinal))) problems.Add($"week {w.Number}: recovery reason lacks '{word}'");
        }
        return problems;
    });

    [Fact]
    public void Build_HealthyRunner_HeavyStrengthOneToTwoInTrainingWeeks() => Check(c =>
    {
        if (c.Profile.Injury is not null) return [];
        var problems = new List<string>();
        foreach (var w in c.Plan.Weeks)
        {
            var n = w.Sessions.Count(s => s.Kind == SessionKind.HeavyStrength);
            if (n > 2) problems.Add($"week {w.Number}: {n} heavy strength");
            if (w.Phase is PlanPhase.Base or PlanPhase.Build or PlanPhase.Peak && n == 0 && !w.Notes.Any(x => x.Contains("heavy strength sessions fit", StringComparison.Ordinal)))
            {
                problems.Add($"week {w.Number} ({w.Label}): no heavy strength and no note why");
            }
            if (w.Phase is PlanPhase.Race or PlanPhase.Recovery && n > 0) problems.Add($"week {w.Number}: heavy strength in {w.Phase}");
        }
        return problems;
    });

    [Fact]
    public void Build_HealthyRunner_EveryNthTrainingWeekIsADeloadWithoutStrengthBfr() => Check(c =>
    {
        if (c.Profile.Injury is not null) return [];
        var problems = new List<string>();
        foreach (var w in c.Plan.Weeks)
        {
            var expected = w.Number % c.Options.DeloadEveryNthWeek == 0 && w.Phase is PlanPhase.Base or PlanPhase.Build or PlanPhase.Peak;
            if (w.Deload != expected) problems.Add($"week {w.Number} ({w.Phase}) deload {w.Deload}, expected {expected}");
            if (w.Deload && w.Sessions.Any(s => s.Kind == SessionKind.StrengthBfr)) problems.Add($"week {w.Number}: strength BFR in a deload");
            var usual = c.Plan.Weeks.FirstOrDefault(x => x.Phase == w.Phase && !x.Deload && x.RunKm > 0);
            if (w.Deload && usual is not null && w.RunKm > usual.RunKm) problems.Add($"week {w.Number}: deload volume {w.RunKm} above {usual.RunKm}");
        }
        return problems;
    });

    [Fact]
    public void Build_RaceInPlan_StrengthStopsInTheFinalDaysAndRaceDayIsOnlyTheRace() => Check(c =>
    {
        if (c.Race is not { } race || race > c.Plan.End) return [];
        var problems = new List<string>();
        var stop = race.AddDays(-c.Options.TaperStrengthStopDays);
        problems.AddRange(c.Plan.Sessions.Where(s => s.Kind is SessionKind.StrengthBfr or SessionKind.HeavyStrength && s.Date >= stop && s.Date <= race)
            .Select(s => $"{s.Kind} on {s.Date}, within {c.Options.TaperStrengthStopDays} days of the race {race}"));
        var raceDay = c.Plan.Sessions.Where(s => s.Date == race).ToList();
        if (raceDay.Count != 1 || raceDay[0].Kind != SessionKind.Race) problems.Add($"race day has {string.Join(",", raceDay.Select(s => s.Kind))}");
        if (c.Plan.Sessions.Any(s => s.Date == race.AddDays(-1) && s.Kind.IsBfr())) problems.Add("BFR the day before the race");
        var raceWeek = c.Plan.Weeks.Single(w => w.Start <= race && race <= w.End);
        if (raceWeek.Phase != PlanPhase.Race) problems.Add($"race week is {raceWeek.Phase}");
        var phases = c.Plan.Weeks.Where(w => w.End < race).Select(w => w.Phase).ToList();
        for (var i = 1; i < phases.Count; i++)
        {
            if (phases[i] < phases[i - 1]) problems.Add($"phases out of order: {phases[i - 1]} then {phases[i]}");
        }
        if (phases.Count >= 1 && phases[^1] != PlanPhase.Taper) problems.Add("the week before race week is not taper");
        return problems;
    });

    [Fact]
    public void Build_ImportedSpike_PlanSaysSoAndShiftsBfrToRecovery() => Check(c =>
    {
        var problems = new List<string>();
        var warned = c.Plan.Warnings.Any(w => w.StartsWith("imported load spike: ACWR", StringComparison.Ordinal));
        if (warned != c.LoadSpike) problems.Add($"spike warning {warned}, expected {c.LoadSpike}");
        if (c.Request.Load is not null && !c.Plan.Warnings.Any(w => w.Contains("not an injury prediction", StringComparison.Ordinal) || w.Contains("not acted on", StringComparison.Ordinal)))
        {
            problems.Add("imported load without the caveat");
        }
        if (!c.Spike) return problems;
        foreach (var w in c.Plan.Weeks.Take(c.Options.SpikeResponseWeeks))
        {
            if (w.Sessions.Any(s => s.Kind == SessionKind.StrengthBfr)) problems.Add($"week {w.Number}: strength BFR during the spike response");
            var recovery = w.Sessions.Where(s => s.Kind == SessionKind.RecoveryBfr).ToList();
            if (recovery.Any(s => !s.Reason.Contains("ACWR", StringComparison.Ordinal))) problems.Add($"week {w.Number}: recovery reason does not name the ACWR");
        }
        return problems;
    });

    [Fact]
    public void Build_AnyProfile_PrescriptionsStayInCoreRangesAndUseOnlyValidLops() => Check(c =>
    {
        var problems = new List<string>();
        foreach (var s in c.Plan.Sessions.Where(s => s.Bfr is not null))
        {
            var rx = s.Bfr!;
            var range = PressureRange.For(rx.Modality, LimbKind.Leg);
            if (rx.LowPercent != range.LowPercent || rx.HighPercent != range.HighPercent) problems.Add($"{s.Date} {s.Kind}: band {rx.LowPercent}–{rx.HighPercent} not Core's {range.LowPercent}–{range.HighPercent}");
            if (rx.TargetPercent < rx.LowPercent || rx.TargetPercent > rx.HighPercent || rx.TargetPercent > 80) problems.Add($"{s.Date}: target {rx.TargetPercent}%");
            foreach (var p in rx.Pressures)
            {
                var now = new DateTimeOffset(s.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                var lop = c.Profile.Lops.Where(l => l.Limb == p.Limb && l.Position == rx.Position && l.MeasuredAt <= now && now - l.MeasuredAt <= TimeSpan.FromDays(7))
                    .OrderByDescending(l => l.MeasuredAt).FirstOrDefault();
                if (lop is null) { problems.Add($"{s.Date}: {p.Limb} pressure without a valid {rx.Position} LOP"); continue; }
                var reference = lop.Method == LopMethod.Estimated ? lop.Value - lop.Uncertainty : lop.Value;
                if (p.Target.MmHg > 0.8 * lop.Value.MmHg + 0.5 || p.Target.MmHg > 300) problems.Add($"{s.Date}: target {p.Target} above 80% of LOP {lop.Value} or 300");
                if (p.Target.MmHg > reference.MmHg * rx.HighPercent / 100 + 0.5) problems.Add($"{s.Date}: target {p.Target} above the band on {reference}");
            }
            if (rx.Pressures.Count < rx.Limbs.Count && !rx.Notes.Any(n => n.StartsWith("measure", StringComparison.Ordinal) || n.Contains(':', StringComparison.Ordinal)))
            {
                problems.Add($"{s.Date}: a limb without pressure and no note to measure LOP");
            }
        }
        return problems;
    });

    [Fact]
    public void Build_InjuredRunner_FollowsTheGatedPathway() => Check(c =>
    {
        if (c.Profile.Injury is not { } injury) return [];
        var pathway = RehabPathways.For(injury.Kind);
        var problems = new List<string>();
        foreach (var w in c.Plan.Weeks)
        {
            if (w.Phase != PlanPhase.Rehab) problems.Add($"week {w.Number}: {w.Phase} in an injured plan");
            var index = w.RehabStage is null ? -1 : pathway.Stages.ToList().FindIndex(s => s.Id == w.RehabStage);
            if (w.RehabStage is not null && index < 0) problems.Add($"week {w.Number}: unknown stage {w.RehabStage}");
            for (var i = 0; i <= index; i++)
            {
                if (!IndependentGateMet(pathway.Stages[i].Gate, c.Profile, w.Start)) problems.Add($"week {w.Number}: in stage {w.RehabStage} but the gate of {pathway.Stages[i].Id} is not met");
            }
            if (index + 1 < pathway.Stages.Count)
            {
                var next = pathway.Stages[index + 1];
                if (IndependentGateMet(next.Gate, c.Profile, w.Start)) problems.Add($"week {w.Number}: gate of {next.Id} met but the plan stays");
                if (!w.Notes.Any(n => n.Contains(next.Title, StringComparison.Ordinal) && n.Contains("not met", StringComparison.Ordinal))) problems.Add($"week {w.Number}: no note naming the missing gate");
            }
            var stage = index >= 0 ? pathway.Stages[index] : null;
            if (stage is null && w.Sessions.Count > 0) problems.Add($"week {w.Number}: sessions before the entry gate");
            if (stage is null) continue;
            if (stage.Running == RunningAllowance.None && w.Sessions.Any(s => s.Kind.IsRun())) problems.Add($"week {w.Number}: running in a no-running stage");
            if (stage.Running != RunningAllowance.Full && w.Sessions.Any(s => s.Kind is SessionKind.KeyWorkout or SessionKind.LongRun)) problems.Add($"week {w.Number}: hard runs in stage {stage.Id}");
            if (!stage.HeavyStrength && w.Sessions.Any(s => s.Kind == SessionKind.HeavyStrength)) problems.Add($"week {w.Number}: heavy strength in stage {stage.Id}");
            foreach (var s in w.Sessions.Where(s => s.Kind == SessionKind.StrengthBfr))
            {
                if (s.Bfr!.Exercises.Any(e => !stage.Exercises.Contains(e))) problems.Add($"{s.Date}: exercises {string.Join(",", s.Bfr.Exercises)} not in stage {stage.Id}");
                if (!s.Bfr.Limbs.SequenceEqual(injury.InvolvedLegs)) problems.Add($"{s.Date}: strength BFR on {string.Join(",", s.Bfr.Limbs)}");
            }
            if (w.Sessions.Count(s => s.Kind == SessionKind.StrengthBfr) > stage.StrengthBfrPerWeek) problems.Add($"week {w.Number}: too many strength BFR");
            if (w.Sessions.Count(s => s.Kind == SessionKind.PassiveBfr) > stage.PassiveBfrPerWeek) problems.Add($"week {w.Number}: too many passive BFR");
            if (pathway.PostOperative && w.Sessions.Any(s => s.Bfr is { Conservative: false })) problems.Add($"week {w.Number}: post-op BFR not conservative");
            if (stage.Running == RunningAllowance.None && stage.AerobicBfrPerWeek > 0 && !w.Sessions.Any(s => s.Kind == SessionKind.AerobicBfr)) problems.Add($"week {w.Number}: no aerobic BFR while not running");
        }
        return problems;
    });

    private static bool StrengthBlocked(Case c, DateOnly day)
    {
        var next = c.RunOn(day.AddDays(1));
        if (next?.Kind is SessionKind.KeyWorkout or SessionKind.LongRun or SessionKind.Race) return true;
        if (day == c.Plan.End)
        {
            // The day after the plan: the profile's schedule says whether it is a hard day.
            var d = day.AddDays(1).DayOfWeek;
            if (c.Profile.AvailableDays.Contains(d) && (c.Profile.LongRunDay == d || c.Profile.KeyWorkoutDays.Contains(d))) return true;
        }
        if (c.Race is { } race && day <= race && day >= race.AddDays(-c.Options.TaperStrengthStopDays)) return true;
        return false;
    }

    /// <summary>The gate rule written out again from the pathway data, without GateCheck.</summary>
    private static bool IndependentGateMet(StageGate gate, RunnerProfile p, DateOnly date)
    {
        var injury = p.Injury!;
        if (gate.MinDaysSinceInjury is { } days && date.DayNumber - injury.Date.DayNumber < days) return false;
        var recorded = p.Tests.Where(t => t.Date <= date).OrderBy(t => t.Date).ToList();
        if (gate.PainBelow is { } pain && !(recorded.LastOrDefault(t => t.PainScore is not null)?.PainScore < pain)) return false;
        if (gate.MinStrengthLsiPercent is { } lsi)
        {
            var last = recorded.LastOrDefault(t => t.StrengthLsiPercent is not null)?.StrengthLsiPercent;
            if (last is null || (gate.LsiStrictlyAbove ? last <= lsi : last < lsi)) return false;
        }
        if (gate.ClinicianClearance)
        {
            var last = recorded.LastOrDefault(t => t.ClinicianClearance is not null);
            if (last?.ClinicianClearance != true || last.Date < injury.Date.AddDays(gate.MinDaysSinceInjury ?? 0)) return false;
        }
        return true;
    }
}
