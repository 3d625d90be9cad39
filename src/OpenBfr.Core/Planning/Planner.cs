using System.Globalization;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Planning.Profile;
using OpenBfr.Core.Planning.Rehab;
using OpenBfr.Core.Protocols;

namespace OpenBfr.Core.Planning;

/// <summary>What to plan from.</summary>
/// <param name="Profile">the runner.</param>
/// <param name="Start">the plan's first day; weeks are 7-day blocks from it.</param>
/// <param name="Weeks">number of weeks, 1–104.</param>
/// <param name="Load">imported load at the start, or null without history.</param>
/// <param name="Options">rules; null for the defaults.</param>
public sealed record PlanRequest(RunnerProfile Profile, DateOnly Start, int Weeks, ImportedLoad? Load = null, PlannerOptions? Options = null);

/// <summary>
/// Builds a <see cref="TrainingPlan"/> from a runner profile (and imported load): pure, deterministic
/// and cheap. Healthy runners get periodized phases (base, build, peak, taper, race, recovery) with
/// BFR placed around their running by the rules of DESIGN.md section 4; injured runners get their
/// rehab pathway, a stage entered only when its gate is met by the recorded tests.
/// </summary>
public static class Planner
{
    public const int MaxWeeks = 104;

    /// <summary>How the note stating the imported load's reading starts when it raises no flag (the web shows it as information).</summary>
    public const string UnflaggedLoadNotePrefix = "imported load: ";

    /// <summary>What ends the ratios' range in that note when no flag is raised.</summary>
    public const string NoFlagMarker = ", no flag)";

    /// <summary>Imported history older than this before the start is not acted on.</summary>
    public const int MaxLoadAgeDays = 14;

    /// <summary>Builds the plan.</summary>
    /// <exception cref="ProfileInvalidException">the profile or the options are invalid; every problem is listed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">weeks outside 1–104.</exception>
    public static TrainingPlan Build(PlanRequest request)
    {
        Guard.NotNull(request);
        Guard.InRange(request.Weeks, 1, MaxWeeks, "weeks", "weeks");
        var profile = request.Profile.EnsureValid();
        var options = request.Options ?? new PlannerOptions();
        var optionErrors = options.Validate();
        if (optionErrors.Count > 0) throw new ProfileInvalidException(optionErrors);
        return new Builder(profile, request.Start, request.Weeks, request.Load, options).Build();
    }

    private sealed class Builder
    {
        private readonly RunnerProfile _p;
        private readonly DateOnly _start;
        private readonly int _weeks;
        private readonly PlannerOptions _o;
        private readonly List<string> _warnings = [];
        private readonly DateOnly? _race;
        private readonly int _raceWeek;
        private readonly RehabPathway? _pathway;
        private readonly SessionPrescriber _rx;
        private readonly string? _spike;
        private readonly List<DateOnly> _strengthDates = [];

        public Builder(RunnerProfile profile, DateOnly start, int weeks, ImportedLoad? load, PlannerOptions options)
        {
            _p = profile;
            _start = start;
            _weeks = weeks;
            _o = options;
            _pathway = profile.Injury is { } injury ? RehabPathways.For(injury.Kind) : null;
            _rx = new SessionPrescriber(profile, _pathway?.PostOperative == true);
            if (profile.Goal is { } goal)
            {
                if (goal.Date < start)
                {
                    _warnings.Add($"goal race {goal.Date:yyyy-MM-dd} is before the plan start; planned without a race");
                }
                else if (_pathway is not null)
                {
                    _warnings.Add($"goal race {goal.Date:yyyy-MM-dd}: the rehab pathway comes first; plan the race again once the return-to-sport gate is met");
                }
                else
                {
                    _race = goal.Date;
                    _raceWeek = (goal.Date.DayNumber - start.DayNumber) / 7;
                }
            }
            if (load is not null) _spike = ReadLoad(load);
        }

        private string? ReadLoad(ImportedLoad load)
        {
            var caveat = $"an acute:chronic ratio is a flag, not an injury prediction ({Sources.Williams2017}; {Sources.Gabbett2016})";
            if (load.AsOf.DayNumber < _start.DayNumber - MaxLoadAgeDays)
            {
                _warnings.Add($"imported history ends {load.AsOf:yyyy-MM-dd}, more than {MaxLoadAgeDays} days before the plan; its load ratios are not acted on");
                return null;
            }
            var high = new List<string>();
            if (load.EwmaRatio is { } e && e > _o.AcwrHighThreshold) high.Add($"EWMA {Fmt(e)}");
            if (load.RollingRatio is { } r && r > _o.AcwrHighThreshold) high.Add($"rolling {Fmt(r)}");
            if (high.Count > 0 && _pathway is not null)
            {
                _warnings.Add($"imported load spike: ACWR {string.Join(", ", high)} > {Fmt(_o.AcwrHighThreshold)} on {load.AsOf:yyyy-MM-dd}; the rehab pathway already keeps load low — tell the clinician; {caveat}");
                return null;
            }
            if (high.Count > 0)
            {
                var text = $"ACWR {string.Join(", ", high)} > {Fmt(_o.AcwrHighThreshold)} on {load.AsOf:yyyy-MM-dd}";
                _warnings.Add($"imported load spike: {text}; strength BFR shifted to recovery BFR for the first {_o.SpikeResponseWeeks} week(s) and running volume should not rise; {caveat}");
                return text;
            }
            var low = new List<string>();
            if (load.EwmaRatio is { } el && el < 0.8) low.Add($"EWMA {Fmt(el)}");
            if (load.RollingRatio is { } rl && rl < 0.8) low.Add($"rolling {Fmt(rl)}");
            _warnings.Add(low.Count > 0
                ? $"imported load is low (ACWR {string.Join(", ", low)} < 0.8): build running volume gradually; {caveat}"
                : $"{UnflaggedLoadNotePrefix}ACWR EWMA {FmtOpt(load.EwmaRatio)}, rolling {FmtOpt(load.RollingRatio)} (0.8–{Fmt(_o.AcwrHighThreshold)}{NoFlagMarker}; {caveat}");
            return null;
        }

        public TrainingPlan Build()
        {
            var weeks = new List<PlanWeek>(_weeks);
            for (var w = 0; w < _weeks; w++)
            {
                weeks.Add(_pathway is null ? HealthyWeek(w) : RehabWeek(w));
            }
            var pathway = _pathway is null ? null : $"{_p.Injury!.Kind.ToKebab()}: {_pathway.Title} ({_p.Injury.Side.ToString().ToLowerInvariant()}, since {_p.Injury.Date:yyyy-MM-dd})";
            return new TrainingPlan(_p.Name, _start, weeks, _warnings, pathway, _o);
        }

        // ---- phases ---------------------------------------------------------------------------

        private int WeekOf(DateOnly date) => (date.DayNumber - _start.DayNumber) / 7;

        private PlanPhase PhaseOf(int w)
        {
            if (_race is null) return PlanPhase.Base;
            var distance = _p.Goal!.Distance;
            if (w == _raceWeek) return PlanPhase.Race;
            if (w > _raceWeek) return w - _raceWeek <= PlannerOptions.RecoveryWeeks(distance) ? PlanPhase.Recovery : PlanPhase.Base;
            var before = _raceWeek - w;
            var taper = PlannerOptions.TaperWeeks(distance);
            if (before <= taper) return PlanPhase.Taper;
            if (before <= taper + PlannerOptions.PeakWeeks) return PlanPhase.Peak;
            var runUp = _raceWeek - taper - PlannerOptions.PeakWeeks;
            var build = Math.Min(PlannerOptions.MaxBuildWeeks, (runUp + 1) / 2);
            return w >= runUp - build ? PlanPhase.Build : PlanPhase.Base;
        }

        private bool IsDeload(int w) => (w + 1) % _o.DeloadEveryNthWeek == 0 && PhaseOf(w) is PlanPhase.Base or PlanPhase.Build or PlanPhase.Peak;

        /// <summary>The run on a day of a healthy plan (or a rehab stage with the full schedule), by the profile's days and the week's phase.</summary>
        private SessionKind? ScheduledRun(DateOnly date, PlanPhase phase)
        {
            if (_race == date) return SessionKind.Race;
            if (!_p.AvailableDays.Contains(date.DayOfWeek)) return null;
            if (phase == PlanPhase.Race) return date < _race ? SessionKind.EasyRun : null;
            if (phase is PlanPhase.Recovery) return SessionKind.EasyRun;
            if (_p.LongRunDay == date.DayOfWeek) return SessionKind.LongRun;
            return _p.KeyWorkoutDays.Contains(date.DayOfWeek) ? SessionKind.KeyWorkout : SessionKind.EasyRun;
        }

        private SessionKind? RunOn(DateOnly date)
        {
            var w = WeekOf(date);
            if (_pathway is null) return ScheduledRun(date, PhaseOf(w));
            var stage = StageAt(_start.AddDays(7 * w));
            return stage < 0 ? null : RehabRun(date, _pathway.Stages[stage].Running, _start.AddDays(7 * w));
        }

        private SessionKind? RehabRun(DateOnly date, RunningAllowance allowance, DateOnly weekStart)
        {
            if (!_p.AvailableDays.Contains(date.DayOfWeek)) return null;
            switch (allowance)
            {
                case RunningAllowance.None:
                    return null;
                case RunningAllowance.EasyOnly:
                    return SessionKind.EasyRun;
                case RunningAllowance.Full:
                    return ScheduledRun(date, PlanPhase.Base);
                default:
                    // Walk-run on up to 3 non-consecutive available days, from the start of the week.
                    var days = new List<DateOnly>();
                    for (var d = weekStart; d < weekStart.AddDays(7) && days.Count < 3; d = d.AddDays(1))
                    {
                        if (_p.AvailableDays.Contains(d.DayOfWeek) && (days.Count == 0 || d.DayNumber - days[^1].DayNumber >= 2)) days.Add(d);
                    }
                    return days.Contains(date) ? SessionKind.WalkRun : null;
            }
        }

        private int StageAt(DateOnly date) => GateCheck.CurrentStage(_pathway!, _p, date);

        // ---- healthy weeks --------------------------------------------------------------------

        private PlanWeek HealthyWeek(int w)
        {
            var weekStart = _start.AddDays(7 * w);
            var phase = PhaseOf(w);
            var deload = IsDeload(w);
            var spike = _spike is not null && w < _o.SpikeResponseWeeks;
            var days = Days(weekStart);
            var notes = new List<string>();

            var (strength, recovery, heavy) = phase switch
            {
                PlanPhase.Base or PlanPhase.Build => (_o.StrengthBfrPerWeek, _o.RecoveryBfrPerWeek, _o.HeavyStrengthPerWeek),
                PlanPhase.Peak => (_o.StrengthBfrPerPeakWeek, _o.RecoveryBfrPerWeek, _o.HeavyStrengthPerWeek),
                PlanPhase.Taper => (_o.StrengthBfrPerTaperWeek, _o.RecoveryBfrPerLightWeek, 1),
                PlanPhase.Race => (0, 1, 0),
                _ => (0, _o.RecoveryBfrPerLightWeek, 0),
            };
            if (deload)
            {
                strength = 0;
                recovery = _o.RecoveryBfrPerLightWeek;
                heavy = 1;
                notes.Add("deload week: running volume cut, strength BFR paused, recovery BFR instead");
            }
            if (spike)
            {
                strength = 0;
                recovery = _o.RecoveryBfrPerLightWeek;
                notes.Add($"imported load spike ({_spike}): strength BFR shifted to recovery BFR this week; do not raise running volume");
            }
            if (phase == PlanPhase.Race) notes.Add("race week: no strength work; one recovery BFR session away from race day");
            if (phase == PlanPhase.Recovery) notes.Add("post-race recovery: no strength work; easy running and recovery BFR");

            AddRuns(days, WeekVolumeFactor(w, phase, deload), phase, "");
            var context = PhaseWord(phase, deload);
            PlaceStrength(days, strength, ProtocolCatalog.StrengthLower, [Limb.LeftLeg, Limb.RightLeg], notes,
                (i, n) => phase switch
                {
                    PlanPhase.Peak => $"maintenance in the peak phase, {i} of {n} this week",
                    PlanPhase.Taper => $"maintenance in the taper, {i} of {n}; stops {_o.TaperStrengthStopDays} days before the race",
                    _ => $"{context} phase, {i} of {n} this week (2–3x/week, seed)",
                });
            PlaceHeavy(days, heavy, lighter: deload || spike || phase == PlanPhase.Taper, notes);
            PlaceRecovery(days, recovery, phase, deload, spike, notes);
            var runKm = days.Sum(d => d.Sessions.Where(s => s.Kind.IsRun()).Sum(s => s.DistanceKm ?? 0));
            var label = deload ? $"{phase} (deload)" : phase.ToString();
            return new PlanWeek(w + 1, weekStart, phase, label, deload, Math.Round(runKm, 1), Flatten(days), notes);
        }

        private void AddRuns(List<DayPlan> days, double factor, PlanPhase phase, string suffix)
        {
            var runs = days.Where(d => d.Run is not null).ToList();
            if (runs.Count == 0) return;
            var others = runs.Where(d => d.Run != SessionKind.Race).ToList();
            double Share(SessionKind kind) => kind switch { SessionKind.LongRun => 0.30, SessionKind.KeyWorkout => 0.15, _ => 0 };
            var fixedShare = others.Sum(d => Share(d.Run!.Value));
            var easyCount = others.Count(d => Share(d.Run!.Value) == 0);
            var easyShare = easyCount == 0 ? 0 : Math.Max(0, 1 - fixedShare) / easyCount;
            var total = fixedShare + easyShare * easyCount;
            foreach (var day in runs)
            {
                var kind = day.Run!.Value;
                double? km = kind == SessionKind.Race
                    ? _p.Goal!.DistanceKm
                    : _p.WeeklyKm > 0 && total > 0 ? RoundHalf(_p.WeeklyKm * factor * (Share(kind) == 0 ? easyShare : Share(kind)) / total) : null;
                var (title, reason) = RunText(kind, phase, day.Date);
                var load = kind == SessionKind.WalkRun
                    ? "20–30 min: 1 min run / 1 min walk; progress when pain stays < 2/10 the next morning"
                    : km is { } k && kind != SessionKind.Race ? $"{Guard.Format(k)} km" : null;
                if (kind == SessionKind.WalkRun) km = null;
                day.Sessions.Add(new PlannedSession(day.Date, day.Sessions.Count, kind, title, km, null, load, reason + suffix));
            }
        }

        private double WeekVolumeFactor(int w, PlanPhase phase, bool deload)
        {
            // Bosquet et al. 2007: cut volume 41–60% over the taper, keep intensity.
            switch (phase)
            {
                case PlanPhase.Taper:
                    var before = _raceWeek - w;
                    return PlannerOptions.TaperWeeks(_p.Goal!.Distance) == 1 ? 0.6 : before == 2 ? 0.75 : 0.55;
                case PlanPhase.Race:
                    return 0.35;
                case PlanPhase.Recovery:
                    return w - _raceWeek == 1 ? 0.5 : 0.75;
                default:
                    return deload ? _o.DeloadVolumeFactor : 1.0;
            }
        }

        private (string Title, string Reason) RunText(SessionKind kind, PlanPhase phase, DateOnly date) => kind switch
        {
            SessionKind.Race => (_p.Goal!.Name ?? $"{_p.Goal.Distance} race", "goal race"),
            SessionKind.LongRun => ("long run", phase == PlanPhase.Taper ? "long run, shortened for the taper" : "long run on your long-run day"),
            SessionKind.KeyWorkout => ("key workout", phase == PlanPhase.Taper ? "key workout: the taper keeps intensity, cuts volume (Bosquet 2007)" : "key workout on your key-workout day"),
            SessionKind.WalkRun => ("walk-run", "return-to-run stage: walk-run on non-consecutive days"),
            _ => ("easy run", phase switch
            {
                PlanPhase.Race => date < _race ? "easy run: race week, no hard sessions" : "easy run",
                PlanPhase.Recovery => "easy run: post-race recovery, no key workouts",
                PlanPhase.Rehab => "easy run: the rehab stage allows easy running only",
                _ => "easy run",
            }),
        };

        // ---- rehab weeks ----------------------------------------------------------------------

        private PlanWeek RehabWeek(int w)
        {
            var weekStart = _start.AddDays(7 * w);
            var pathway = _pathway!;
            var stageIndex = StageAt(weekStart);
            var days = Days(weekStart);
            var notes = new List<string>();
            var nextIndex = stageIndex + 1;
            if (nextIndex < pathway.Stages.Count)
            {
                var next = pathway.Stages[nextIndex];
                var missing = GateCheck.Missing(next.Gate, _p, weekStart);
                notes.Add(stageIndex < 0
                    ? $"no BFR yet: the entry gate for '{next.Title}' is not met: {string.Join("; ", missing)}"
                    : $"stays in '{pathway.Stages[stageIndex].Title}': gate for '{next.Title}' not met: {string.Join("; ", missing)}");
            }
            else
            {
                notes.Add($"final stage '{pathway.Stages[stageIndex].Title}' reached: plan a full training block when the clinician agrees");
            }
            if (stageIndex < 0)
            {
                return new PlanWeek(w + 1, weekStart, PlanPhase.Rehab, $"Rehab: before stage 1 ({pathway.Stages[0].Title})", false, 0, [], notes);
            }
            var stage = pathway.Stages[stageIndex];
            var label = $"Rehab {stageIndex + 1}/{pathway.Stages.Count}: {stage.Title}";
            var stageWord = $"stage {stageIndex + 1} '{stage.Title}'";
            var limbs = _p.Injury!.InvolvedLegs;

            // Runs by the stage's allowance, at 50% (easy only) or 80% (full) of the usual volume as the runner returns.
            AddRuns(days, stage.Running == RunningAllowance.EasyOnly ? 0.5 : 0.8, PlanPhase.Rehab, $" ({stageWord})");
            if (stage.Running == RunningAllowance.None) notes.Add("no running in this stage: BFR cycling or walking keeps aerobic fitness");

            // Passive BFR: any days, before anything else of the day is irrelevant (there is nothing else).
            PlaceSimple(days, stage.PassiveBfrPerWeek, SessionKind.PassiveBfr, ProtocolCatalog.Passive, limbs,
                _ => true, d => 0, minGap: 1,
                (i, n) => $"passive BFR: {stageWord}, limits disuse atrophy while loading is restricted (Takarada 2000; Patterson 2019), {i} of {n}",
                notes, "passive BFR");
            PlaceStrength(days, stage.StrengthBfrPerWeek, SessionPrescriber.StrengthSubset(stage.Exercises), limbs, notes,
                (i, n) => $"{stageWord}, {i} of {n} this week: {string.Join(", ", stage.Exercises)} on the {string.Join(" and ", limbs.Select(l => l.ToKebab()))}");
            if (stage.HeavyStrength) PlaceHeavy(days, _o.HeavyStrengthPerWeek, lighter: true, notes);
            var aerobic = ProtocolCatalog.TryGet(stage.AerobicProtocol, out var p) ? p : ProtocolCatalog.Cycling;
            PlaceSimple(days, stage.AerobicBfrPerWeek, SessionKind.AerobicBfr, aerobic, [Limb.LeftLeg, Limb.RightLeg],
                d => d.Run is null or SessionKind.EasyRun or SessionKind.WalkRun,
                d => d.Run is null ? 0 : 1, minGap: 1,
                (i, n) => $"{(aerobic.Modality == Modality.Cycling || aerobic.Name == "aerobic-cycle" ? "BFR cycling" : "BFR walking")}: keeps aerobic fitness {(stage.Running == RunningAllowance.None ? "while not running" : "alongside the return to running")} ({stageWord}), {i} of {n}",
                notes, "aerobic BFR");
            var runKm = days.Sum(d => d.Sessions.Where(s => s.Kind.IsRun()).Sum(s => s.DistanceKm ?? 0));
            if (!string.IsNullOrEmpty(stage.Note)) notes.Add(stage.Note);
            return new PlanWeek(w + 1, weekStart, PlanPhase.Rehab, label, false, Math.Round(runKm, 1), Flatten(days), notes, stage.Id);
        }

        // ---- placement ------------------------------------------------------------------------

        private sealed class DayPlan(DateOnly date, SessionKind? run, SessionKind? tomorrow)
        {
            public DateOnly Date { get; } = date;
            public SessionKind? Run { get; } = run;
            public SessionKind? Tomorrow { get; } = tomorrow;
            public List<PlannedSession> Sessions { get; } = [];
            public bool HasBfr => Sessions.Any(s => s.Kind.IsBfr());
            public bool HasStrength => Sessions.Any(s => s.Kind is SessionKind.StrengthBfr or SessionKind.HeavyStrength);
        }

        private List<DayPlan> Days(DateOnly weekStart)
        {
            var days = new List<DayPlan>(7);
            var runs = new SessionKind?[8];
            for (var i = 0; i < 8; i++) runs[i] = RunOn(weekStart.AddDays(i));
            for (var i = 0; i < 7; i++) days.Add(new DayPlan(weekStart.AddDays(i), runs[i], runs[i + 1]));
            return days;
        }

        /// <summary>Why strength work may not go on this day, or null when it may.</summary>
        private string? StrengthBlock(DayPlan day)
        {
            if (day.Run == SessionKind.Race) return "race day";
            if (day.Tomorrow is { } t && t.IsHardRun())
            {
                return t switch { SessionKind.Race => "race tomorrow", SessionKind.LongRun => "long run tomorrow", _ => "key workout tomorrow" };
            }
            if (_race is { } race && day.Date <= race && day.Date.DayNumber >= race.DayNumber - _o.TaperStrengthStopDays)
            {
                return $"final {_o.TaperStrengthStopDays} days before the race";
            }
            return null;
        }

        private static int StrengthPreference(DayPlan day) => day.Run switch
        {
            // Hard days hard: strength after a key workout keeps the easy days easy.
            SessionKind.KeyWorkout => 0,
            SessionKind.EasyRun or SessionKind.WalkRun => 1,
            null => 2,
            // After a long run only when nothing else fits: legs are tired and the session is long already.
            _ => 8,
        };

        private void PlaceStrength(List<DayPlan> days, int count, Protocol protocol, IReadOnlyList<Limb> limbs, List<string> notes, Func<int, int, string> why)
        {
            if (count <= 0) return;
            var blocked = days.Where(d => StrengthBlock(d) is not null).ToList();
            var candidates = days.Where(d => StrengthBlock(d) is null && !d.HasBfr && !d.HasStrength).ToList();
            var picked = PickDays(candidates, count, _o.MinDaysBetweenStrength, StrengthPreference, _strengthDates);
            for (var i = 0; i < picked.Count; i++)
            {
                var day = picked[i];
                var where = day.Run is { } run ? $"after the {RunName(run)}" : "on a rest day";
                day.Sessions.Add(new PlannedSession(day.Date, day.Sessions.Count, SessionKind.StrengthBfr, "strength BFR",
                    null, _rx.Prescribe(protocol, limbs, day.Date), null, $"strength BFR {where}: {why(i + 1, picked.Count)}"));
                _strengthDates.Add(day.Date);
            }
            foreach (var day in blocked)
            {
                notes.Add($"{day.Date:ddd} {day.Date:MM-dd}: no strength BFR: {StrengthBlock(day)}");
            }
            if (picked.Count < count)
            {
                notes.Add($"only {picked.Count} of {count} strength BFR sessions fit this week: the other days are before key workouts or long runs, in the taper stop, or taken");
            }
        }

        private void PlaceHeavy(List<DayPlan> days, int count, bool lighter, List<string> notes)
        {
            if (count <= 0) return;
            var candidates = days.Where(d => StrengthBlock(d) is null && !d.HasBfr && !d.HasStrength).ToList();
            var picked = PickDays(candidates, count, _o.MinDaysBetweenStrength, StrengthPreference, _strengthDates);
            foreach (var day in picked)
            {
                var where = day.Run is { } run ? $"after the {RunName(run)}" : "on a rest day";
                var reason = $"heavy strength without BFR {where}: heavy loads build bone and tendon, which low-load BFR does not (seed, Kinetix PT)";
                if (lighter) reason += "; lighter this week";
                day.Sessions.Add(new PlannedSession(day.Date, day.Sessions.Count, SessionKind.HeavyStrength, "heavy strength (no BFR)",
                    null, null, _rx.HeavyLoad(lighter), reason));
                _strengthDates.Add(day.Date);
            }
            if (picked.Count < count) notes.Add($"only {picked.Count} of {count} heavy strength sessions fit this week");
        }

        private void PlaceRecovery(List<DayPlan> days, int count, PlanPhase phase, bool deload, bool spike, List<string> notes)
        {
            string Why(DayPlan day) =>
                spike ? $"imported load spike ({_spike}): strength BFR paused"
                : deload ? "deload week"
                : phase == PlanPhase.Taper ? "taper"
                : phase == PlanPhase.Race && day.Date > _race ? "post-race"
                : phase == PlanPhase.Race ? "race week, away from race day"
                : phase == PlanPhase.Recovery ? "post-race recovery"
                : day.Run is null ? "rest day (1–2x/week, seed)" : "easy day (1–2x/week, seed)";
            PlaceSimple(days, count, SessionKind.RecoveryBfr, ProtocolCatalog.AerobicWalk, [Limb.LeftLeg, Limb.RightLeg],
                d => d.Run is null or SessionKind.EasyRun && !(d.Tomorrow == SessionKind.Race) && !d.HasStrength,
                d => phase == PlanPhase.Race ? (d.Date > _race ? 0 : 2) : d.Run is null ? 0 : 1,
                minGap: 2, (_, _) => "", notes, "recovery BFR", Why);
        }

        private void PlaceSimple(List<DayPlan> days, int count, SessionKind kind, Protocol protocol, IReadOnlyList<Limb> limbs,
            Func<DayPlan, bool> allowed, Func<DayPlan, int> preference, int minGap, Func<int, int, string> why, List<string> notes,
            string what, Func<DayPlan, string>? context = null)
        {
            if (count <= 0) return;
            var candidates = days.Where(d => !d.HasBfr && allowed(d)).ToList();
            var picked = PickDays(candidates, count, minGap, preference, []);
            for (var i = 0; i < picked.Count; i++)
            {
                var day = picked[i];
                var activity = protocol.Name switch { "aerobic-cycle" or "cycling" => "ride", "passive" => "session", _ => "walk" };
                var title = kind switch
                {
                    SessionKind.RecoveryBfr => $"recovery BFR {activity}",
                    SessionKind.PassiveBfr => "passive BFR",
                    _ => protocol.Title,
                };
                var reason = context is not null ? $"{title}: {context(day)}" : why(i + 1, picked.Count);
                if (day.Run is { } run) reason += $"; after the {RunName(run)}";
                day.Sessions.Add(new PlannedSession(day.Date, day.Sessions.Count, kind, title, null,
                    _rx.Prescribe(protocol, limbs, day.Date), null, reason));
            }
            if (picked.Count < count) notes.Add($"only {picked.Count} of {count} {what} sessions fit this week");
        }

        /// <summary>
        /// Chooses up to <paramref name="count"/> distinct days: as many as there are candidates, with the lowest
        /// total of preference plus <see cref="CrowdingPenalty"/> for each pair closer than <paramref name="minGap"/>
        /// days (including the last earlier session), earliest first on ties.
        /// </summary>
        private static List<DayPlan> PickDays(List<DayPlan> candidates, int count, int minGap, Func<DayPlan, int> preference, IReadOnlyList<DateOnly> earlier)
        {
            var k = Math.Min(count, candidates.Count);
            if (k <= 0) return [];
            List<DayPlan>? best = null;
            var bestScore = int.MaxValue;
            var last = earlier.Count > 0 ? earlier[^1] : (DateOnly?)null;
            foreach (var combo in Combinations(candidates, k))
            {
                var score = combo.Sum(preference);
                for (var i = 0; i < combo.Count; i++)
                {
                    var previous = i > 0 ? combo[i - 1].Date : last is { } l && l < combo[0].Date ? l : (DateOnly?)null;
                    if (previous is { } p && combo[i].Date.DayNumber - p.DayNumber < minGap) score += CrowdingPenalty;
                }
                if (score < bestScore)
                {
                    best = combo;
                    bestScore = score;
                }
            }
            return best!;
        }

        /// <summary>Cost of two strength sessions closer than the preferred gap, against the day preferences (0–8).</summary>
        private const int CrowdingPenalty = 5;

        private static IEnumerable<List<DayPlan>> Combinations(List<DayPlan> items, int k)
        {
            var index = new int[k];
            for (var i = 0; i < k; i++) index[i] = i;
            while (true)
            {
                var combo = new List<DayPlan>(k);
                for (var i = 0; i < k; i++) combo.Add(items[index[i]]);
                yield return combo;
                var j = k - 1;
                while (j >= 0 && index[j] == items.Count - k + j) j--;
                if (j < 0) yield break;
                index[j]++;
                for (var i = j + 1; i < k; i++) index[i] = index[i - 1] + 1;
            }
        }

        private static List<PlannedSession> Flatten(List<DayPlan> days) => days.SelectMany(d => d.Sessions).ToList();

        private static string RunName(SessionKind kind) => kind switch
        {
            SessionKind.KeyWorkout => "key workout",
            SessionKind.LongRun => "long run",
            SessionKind.WalkRun => "walk-run",
            SessionKind.Race => "race",
            _ => "easy run",
        };

        private static string PhaseWord(PlanPhase phase, bool deload) => deload ? "deload" : phase.ToString().ToLowerInvariant();

        private static double RoundHalf(double km) => Math.Max(1, Math.Round(km * 2, MidpointRounding.AwayFromZero) / 2);

        private static string Fmt(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

        private static string FmtOpt(double? v) => v is { } x ? Fmt(x) : "n/a";
    }
}
