using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Core;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Planning;
using OpenBfr.Core.Planning.Load;
using OpenBfr.Core.Planning.Profile;
using OpenBfr.Data;
using OpenBfr.Data.Activities;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Lop;
using OpenBfr.Data.Plans;
using OpenBfr.Data.Strength;
using OpenBfr.Formats;
using OpenBfr.Formats.Calendar;
using OpenBfr.Formats.Import;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Training;

/// <summary>What an import did.</summary>
public sealed record ImportResult(int Added, int AlreadyImported, IReadOnlyList<string> Activities);

/// <summary>The plan form: the runner profile the planner needs beyond the athlete's record.</summary>
/// <param name="WeeklyKm">current weekly volume, 0–300 km.</param>
/// <param name="Start">first day (a Monday is usual).</param>
/// <param name="Weeks">1–52.</param>
/// <param name="AvailableDays">days the runner can train ("mon", "tue", …), 1–7.</param>
/// <param name="KeyWorkoutDays">0–3 of the available days.</param>
/// <param name="LongRunDay">one of the available days, or null.</param>
/// <param name="GoalDistance">5k, 10k, half-marathon, marathon, ultra; or null.</param>
/// <param name="GoalDate">the race day, with a goal.</param>
/// <param name="Injury">runners-knee, shin-splints, … or null when healthy.</param>
/// <param name="InjuryDate">when the injury or operation happened.</param>
/// <param name="InjurySide">left, right or both.</param>
public sealed record PlanRequestForm(double? WeeklyKm, DateOnly? Start, int? Weeks, IReadOnlyList<string> AvailableDays, IReadOnlyList<string>? KeyWorkoutDays,
    string? LongRunDay, string? GoalDistance, DateOnly? GoalDate, string? Injury, DateOnly? InjuryDate, string? InjurySide);

/// <summary>A plan as stored and shown: weeks of dated sessions, each with why it is there.</summary>
public sealed record PlanView(DateOnly Start, int WeekCount, string? Pathway, IReadOnlyList<string> Warnings, IReadOnlyList<PlanWeekView> Weeks);

/// <summary>A stored plan and when it was generated (compliance counts its sessions from that day).</summary>
public sealed record DatedPlan(PlanView Plan, DateTimeOffset GeneratedAt);

public sealed record PlanWeekView(int Number, DateOnly Start, string Label, bool Deload, double RunKm, IReadOnlyList<PlanSessionView> Sessions, IReadOnlyList<string> Notes);

public sealed record PlanSessionView(DateOnly Date, int Order, string Kind, string Title, bool Bfr, string? Prescription, string Reason, double DurationMinutes);

/// <summary>The latest plan's settings and what in the athlete's record changed after it was generated.</summary>
/// <param name="GeneratedAt">when the latest plan was generated.</param>
/// <param name="Inputs">the form it was generated from (what "generate again" uses).</param>
/// <param name="Changes">sentences, one per kind of change the plan does not reflect yet; empty when it is current.</param>
public sealed record PlanStatus(DateTimeOffset GeneratedAt, PlanRequestForm Inputs, IReadOnlyList<string> Changes)
{
    /// <summary>Something the planner reads changed after the plan was generated.</summary>
    public bool Stale => Changes.Count > 0;
}

/// <summary>Imported runs, training load, plans, and the plan's calendar feed.</summary>
public sealed class TrainingService(IDbContextFactory<OpenBfrDbContext> contexts, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Largest upload accepted, bytes (a long FIT file is a few MB).</summary>
    public const int MaxFileBytes = 25 * 1024 * 1024;

    /// <summary>Imports one FIT, TCX or GPX file; the same file twice adds nothing.</summary>
    /// <exception cref="InputException">empty, too big, unknown type, or malformed (the parser's message names the file and what is wrong).</exception>
    public async Task<ImportResult> ImportAsync(Athlete athlete, string fileName, byte[] content, CancellationToken ct = default)
    {
        if (content.Length == 0 || content.Length > MaxFileBytes)
        {
            throw new InputException("file", $"file must be 1 byte–{MaxFileBytes / 1024 / 1024} MB, was {content.Length} bytes");
        }
        IReadOnlyList<RunActivity> activities;
        try
        {
            activities = ActivityImporter.Parse(content, Path.GetFileName(fileName));
        }
        catch (FormatException e)
        {
            throw new InputException("file", e.Message);
        }
        catch (ArgumentException e)
        {
            throw new InputException("file", e.Message);
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        await using var db = await contexts.CreateDbContextAsync(ct);
        var added = 0;
        var skipped = 0;
        var names = new List<string>();
        for (var i = 0; i < activities.Count; i++)
        {
            var a = activities[i];
            var key = activities.Count == 1 ? hash : $"{hash}-{i}";
            if (await db.Activities.AnyAsync(x => x.AthleteId == athlete.Id && x.ContentSha256 == key, ct))
            {
                skipped++;
                continue;
            }
            db.Activities.Add(new ActivityRecord
            {
                Id = Guid.NewGuid(), AthleteId = athlete.Id, StartedAt = a.StartTime, Sport = a.Sport.ToString().ToLowerInvariant(),
                DistanceMeters = a.TotalDistanceMeters, DurationSeconds = a.MovingTime > TimeSpan.Zero ? a.MovingTime.TotalSeconds : a.ElapsedTime.TotalSeconds,
                AverageHeartRate = a.AverageHeartRate, SourceFormat = a.Format.ToString().ToLowerInvariant(), SourceFileName = Path.GetFileName(fileName),
                ContentSha256 = key, ImportedAt = time.GetUtcNow(),
            });
            names.Add(string.Create(CultureInfo.InvariantCulture, $"{a.StartTime:yyyy-MM-dd} {a.Sport.ToString().ToLowerInvariant()} {a.TotalDistanceMeters / 1000:0.0} km"));
            added++;
        }
        await db.SaveChangesAsync(ct);
        return new ImportResult(added, skipped, names);
    }

    /// <summary>Training load of the imported history (Foster session-RPE; EWMA and rolling acute:chronic ratios).</summary>
    public async Task<HistoryLoad> LoadAsync(Athlete athlete, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var activities = await db.Activities.AsNoTracking().Where(a => a.AthleteId == athlete.Id).OrderBy(a => a.StartedAt).ToListAsync(ct);
        return Load(athlete, activities);
    }

    /// <summary>As <see cref="LoadAsync"/> for several athletes, their activities read in one query (the dashboard lists them all).</summary>
    public async Task<Dictionary<Guid, HistoryLoad>> LoadsAsync(IReadOnlyCollection<Athlete> athletes, CancellationToken ct = default)
    {
        var ids = athletes.Select(a => a.Id).ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var activities = (await db.Activities.AsNoTracking().Where(a => ids.Contains(a.AthleteId)).OrderBy(a => a.StartedAt).ToListAsync(ct))
            .ToLookup(a => a.AthleteId);
        return athletes.DistinctBy(a => a.Id).ToDictionary(a => a.Id, a => Load(a, activities[a.Id].ToList()));
    }

    private HistoryLoad Load(Athlete athlete, List<ActivityRecord> activities)
    {
        var age = athlete.BirthYear is { } y ? time.GetUtcNow().Year - y : 35;
        var maxHr = (int)Math.Round(208 - 0.7 * age); // Tanaka et al. 2001, J Am Coll Cardiol 37:153
        return HistoryLoadCalculator.From(
            activities.Select(a => new LoggedSession(a.StartedAt, TimeSpan.FromSeconds(a.DurationSeconds), a.DistanceMeters / 1000, a.Sport == "running",
                a.AverageHeartRate is { } hr ? (int)Math.Round(hr) : null, a.Rpe)),
            maxHr, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
    }

    /// <summary>Builds a plan with the core's planner from the athlete's record, the form, their LOPs and their imported load, and stores it.</summary>
    /// <exception cref="InputException">a form field is missing or out of range, or the athlete's age or sex is unknown.</exception>
    public async Task<PlanRecord> CreatePlanAsync(Viewer viewer, Athlete athlete, PlanRequestForm form, CancellationToken ct = default)
    {
        // Required: left out, they were read as 0 km (a plan was generated for it), year 1 and 0 weeks ("weeks must be 1–52, was 0").
        var weeklyKm = InputException.Required(form.WeeklyKm, "weeklyKm", "0–300 km a week");
        var start = InputException.Required(form.Start, "start", "the plan's first day, e.g. 2026-12-07");
        var weeks = InputException.Required(form.Weeks, "weeks", "1–52");
        if (weeks is < 1 or > 52)
        {
            throw new InputException("weeks", $"weeks must be 1–52, was {weeks}");
        }
        // A start far off built a plan in year 1, or overflowed the calendar in the planner (9999-12-31).
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (earliest, latest) = RecordDates.PlanWindow(today);
        if (start < earliest || start > latest)
        {
            throw new InputException("start", $"start must be within {RecordDates.MaxYearsAhead} years of today ({earliest:yyyy-MM-dd} – {latest:yyyy-MM-dd}), was {start:yyyy-MM-dd}");
        }
        var age = athlete.BirthYear is { } y ? time.GetUtcNow().Year - y : throw new InputException("birthYear", "the athlete's year of birth is needed for a plan");
        var sex = athlete.Sex ?? throw new InputException("sex", "the athlete's sex is needed for a plan (the planner's LOP rules use it)");
        var available = Days(form.AvailableDays ?? [], "availableDays");
        var key = Days(form.KeyWorkoutDays ?? [], "keyWorkoutDays");
        DayOfWeek? longRun = string.IsNullOrWhiteSpace(form.LongRunDay) ? null : Days([form.LongRunDay], "longRunDay").Single();
        GoalRace? goal = null;
        if (!string.IsNullOrWhiteSpace(form.GoalDistance))
        {
            if (!RunnerProfileParser.TryParseDistance(form.GoalDistance, out var distance))
            {
                throw new InputException("goalDistance", $"goalDistance must be one of 5k, 10k, half-marathon, marathon, ultra; was '{form.GoalDistance}'");
            }
            var raceDay = form.GoalDate ?? throw new InputException("goalDate", "goalDate is required with a goal race");
            if (raceDay < earliest || raceDay > latest)
            {
                // 9999-12-31 was planned for without a word.
                throw new InputException("goalDate", $"goalDate must be within {RecordDates.MaxYearsAhead} years of today ({earliest:yyyy-MM-dd} – {latest:yyyy-MM-dd}), was {raceDay:yyyy-MM-dd}");
            }
            goal = new GoalRace(distance, raceDay);
        }
        Injury? injury = null;
        if (!string.IsNullOrWhiteSpace(form.Injury))
        {
            if (!RunnerProfileParser.TryParseInjury(form.Injury, out var kind))
            {
                throw new InputException("injury", $"injury must be one of {string.Join(", ", Enum.GetValues<InjuryKind>().Select(k => k.ToKebab()))}; was '{form.Injury}'");
            }
            var side = (form.InjurySide ?? "both").Trim().ToLowerInvariant() switch
            {
                "left" => Side.Left,
                "right" => Side.Right,
                "both" => Side.Both,
                var s => throw new InputException("injurySide", $"injurySide must be left, right or both; was '{s}'"),
            };
            var injuredOn = form.InjuryDate ?? throw new InputException("injuryDate", "injuryDate is required with an injury");
            var (injuredFrom, injuredTo) = RecordDates.InjuryWindow(today);
            if (injuredOn < injuredFrom || injuredOn > injuredTo)
            {
                // 0001-01-01 and 9999-12-31 went into the plan ("since 9999-12-31"); a planned operation may lie ahead, as far as a plan may start.
                throw new InputException("injuryDate", $"injuryDate must be within the last {RecordDates.MaxAgeYears} years or the next {RecordDates.MaxYearsAhead} ({injuredFrom:yyyy-MM-dd} – {injuredTo:yyyy-MM-dd}), was {injuredOn:yyyy-MM-dd}");
            }
            injury = new Injury(kind, injuredOn, side);
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        // A withdrawn LOP sets no pressure, in a plan either.
        var lops = (await db.LopRecords.AsNoTracking().Where(l => l.AthleteId == athlete.Id && l.WithdrawnAt == null).ToListAsync(ct)).Select(l => l.ToDomain()).ToList();
        // Recorded strength and hop tests: the rehab gates read their pain, strength LSI and stage
        // clearance ("rehab stages advance only on recorded tests"), and 1RMs give strength sessions kilograms.
        var strengthTests = await db.StrengthTests.AsNoTracking().Where(t => t.AthleteId == athlete.Id).ToListAsync(ct);
        var profile = new RunnerProfile
        {
            Name = null, // names stay out of plans and feeds
            AgeYears = age,
            Sex = sex,
            WeeklyKm = weeklyKm,
            Goal = goal,
            AvailableDays = available.ToHashSet(),
            KeyWorkoutDays = key.ToHashSet(),
            LongRunDay = longRun,
            Injury = injury,
            Cuffs = lops.Select(l => l.Cuff).Distinct().ToList(),
            Lops = lops,
            Tests = Strength.StrengthService.RehabTests(strengthTests),
            OneRepMaxes = Strength.StrengthService.OneRepMaxes(strengthTests),
        };
        var errors = profile.Validate();
        if (errors.Count > 0)
        {
            var first = errors[0];
            throw new InputException(first.Field, string.Join("; ", errors.Select(e => e.ToString())));
        }
        var load = await LoadAsync(athlete, ct);
        TrainingPlan plan;
        try
        {
            plan = Planner.Build(new PlanRequest(profile, start, weeks, load.ToImportedLoad()));
        }
        catch (ArgumentException e)
        {
            throw InputException.From(e);
        }
        var view = View(plan);
        var record = new PlanRecord
        {
            Id = Guid.NewGuid(), AthleteId = athlete.Id, CreatedAt = time.GetUtcNow(), CreatedByUserId = viewer.UserId, StartDate = start, Weeks = weeks,
            InputsJson = JsonSerializer.Serialize(form, Json), PlanJson = JsonSerializer.Serialize(view, Json),
        };
        db.Plans.Add(record);
        await db.SaveChangesAsync(ct);
        return record;
    }

    /// <summary>
    /// The latest plan's settings and what the planner reads that changed after it was generated:
    /// strength and hop tests recorded, corrected or deleted (the rehab gates and the kilograms), and
    /// LOPs recorded, corrected or withdrawn since (the BFR sessions' pressures). Imported runs are not listed: a plan is
    /// built to be run, and its load rules look at the history it was built with. Null without a plan.
    /// </summary>
    public async Task<PlanStatus?> PlanStatusAsync(Guid athleteId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var latest = await LatestPlanQuery(db, athleteId).Select(p => new { p.CreatedAt, p.InputsJson }).FirstOrDefaultAsync(ct);
        if (latest is null) return null;
        var tests = (await db.StrengthTests.AsNoTracking().Where(t => t.AthleteId == athleteId)
            .Select(t => new { t.TestedOn, t.Exercise, t.RecordedAt, t.UpdatedAt }).ToListAsync(ct))
            .Select(t => new TestStamp(t.TestedOn, t.Exercise, t.RecordedAt, t.UpdatedAt)).ToList();
        var lops = (await db.LopRecords.AsNoTracking().Where(l => l.AthleteId == athleteId)
            .Select(l => new { l.Limb, l.Position, l.RecordedAt, l.UpdatedAt, l.WithdrawnAt }).ToListAsync(ct))
            .Select(l => new LopStamp(l.Limb, l.Position, l.RecordedAt, l.UpdatedAt, l.WithdrawnAt)).ToList();
        return await StatusAsync(db, athleteId, latest.CreatedAt, latest.InputsJson, tests, lops, ct);
    }

    /// <summary>
    /// The latest plan (as <see cref="LatestPlanAsync"/>) and its status (as <see cref="PlanStatusAsync"/>)
    /// from one read of the plan, with the athlete's strength tests and LOP records the caller has
    /// already read (the athlete page lists them anyway). Null without a plan.
    /// </summary>
    /// <param name="athleteId">the athlete.</param>
    /// <param name="strengthTests">every strength test row of the athlete's (rows of other athletes are ignored).</param>
    /// <param name="lopRecords">every LOP record of the athlete's, withdrawn ones included (rows of other athletes are ignored).</param>
    /// <param name="ct">cancels the reads.</param>
    public async Task<(PlanView Plan, PlanStatus Status)?> LatestPlanWithStatusAsync(Guid athleteId, IEnumerable<StrengthTestRecord> strengthTests,
        IEnumerable<LopRecord> lopRecords, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var record = await LatestPlanQuery(db, athleteId).FirstOrDefaultAsync(ct);
        if (record is null || JsonSerializer.Deserialize<PlanView>(record.PlanJson, Json) is not { } plan)
        {
            return null;
        }
        var tests = strengthTests.Where(t => t.AthleteId == athleteId).Select(t => new TestStamp(t.TestedOn, t.Exercise, t.RecordedAt, t.UpdatedAt)).ToList();
        var lops = lopRecords.Where(l => l.AthleteId == athleteId).Select(l => new LopStamp(l.Limb, l.Position, l.RecordedAt, l.UpdatedAt, l.WithdrawnAt)).ToList();
        return (plan, await StatusAsync(db, athleteId, record.CreatedAt, record.InputsJson, tests, lops, ct));
    }

    /// <summary>The fields of a strength test row the plan status reads.</summary>
    private readonly record struct TestStamp(DateOnly TestedOn, string Exercise, DateTimeOffset RecordedAt, DateTimeOffset? UpdatedAt);

    /// <summary>The fields of a LOP record the plan status reads.</summary>
    private readonly record struct LopStamp(Limb Limb, BodyPosition Position, DateTimeOffset RecordedAt, DateTimeOffset? UpdatedAt, DateTimeOffset? WithdrawnAt);

    /// <summary>The athlete's plans, newest first; the id breaks a tie between plans stamped at the same instant (as in <see cref="LatestPlansAsync"/>).</summary>
    private static IQueryable<PlanRecord> LatestPlanQuery(OpenBfrDbContext db, Guid athleteId)
        => db.Plans.AsNoTracking().Where(p => p.AthleteId == athleteId).OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id);

    /// <summary>The status of the plan generated at <paramref name="made"/> from <paramref name="inputsJson"/>, given the athlete's tests and LOPs; deleted tests are counted from the audit log.</summary>
    private static async Task<PlanStatus> StatusAsync(OpenBfrDbContext db, Guid athleteId, DateTimeOffset made, string inputsJson, List<TestStamp> tests, List<LopStamp> lopRows,
        CancellationToken ct)
    {
        var inputs = JsonSerializer.Deserialize<PlanRequestForm>(inputsJson, Json)
            ?? throw new InvalidOperationException($"the plan of athlete {athleteId} generated at {made:O} has no stored inputs");

        // Two-limb tests are one row per limb: count tests, not rows (a test is its day and exercise).
        var recorded = tests.Where(t => t.RecordedAt > made).Select(t => (t.TestedOn, t.Exercise)).Distinct().ToList();
        var corrected = tests.Where(t => t.RecordedAt <= made && t.UpdatedAt > made).Select(t => (t.TestedOn, t.Exercise)).Distinct().Count();
        // A deleted test leaves only its audit entry (one per deleted test) behind.
        var deleted = await db.AuditLog.CountAsync(e => e.AthleteId == athleteId && e.Action == Strength.StrengthService.DeletedAction && e.At > made, ct);
        var lops = lopRows.Where(l => l.RecordedAt > made && l.WithdrawnAt == null).ToList();
        var lopsCorrected = lopRows.Count(l => l.RecordedAt <= made && l.UpdatedAt > made && l.WithdrawnAt == null);
        var lopsWithdrawn = lopRows.Count(l => l.RecordedAt <= made && l.WithdrawnAt > made);

        var changes = new List<string>();
        if (recorded.Count > 0)
        {
            changes.Add(recorded.Count == 1
                ? $"a test was recorded after it ({recorded[0].Exercise}, {recorded[0].TestedOn:yyyy-MM-dd})"
                : $"{recorded.Count} tests were recorded after it (latest {recorded.Max(t => t.TestedOn):yyyy-MM-dd})");
        }
        if (corrected > 0) changes.Add(corrected == 1 ? "a test was corrected after it" : $"{corrected} tests were corrected after it");
        if (deleted > 0) changes.Add(deleted == 1 ? "a test was deleted after it" : $"{deleted} tests were deleted after it");
        if (lops.Count > 0)
        {
            changes.Add(lops.Count == 1
                ? $"a LOP was recorded after it ({lops[0].Limb.ToKebab()}, {lops[0].Position.ToString().ToLowerInvariant()})"
                : $"{lops.Count} LOPs were recorded after it");
        }
        if (lopsCorrected > 0) changes.Add(lopsCorrected == 1 ? "a LOP was corrected after it" : $"{lopsCorrected} LOPs were corrected after it");
        if (lopsWithdrawn > 0) changes.Add(lopsWithdrawn == 1 ? "a LOP was withdrawn after it" : $"{lopsWithdrawn} LOPs were withdrawn after it");
        return new PlanStatus(made, inputs, changes);
    }

    /// <summary>
    /// Generates the plan again with exactly the latest plan's settings (start, weeks, days, goal,
    /// injury), so tests and LOPs recorded since take effect; the earlier plan stays stored.
    /// </summary>
    /// <exception cref="InputException">no plan yet, or the record no longer allows one (e.g. the athlete's year of birth was removed).</exception>
    public async Task<PlanRecord> RegeneratePlanAsync(Viewer viewer, Athlete athlete, CancellationToken ct = default)
    {
        var status = await PlanStatusAsync(athlete.Id, ct)
            ?? throw new InputException("plan", "there is no plan to generate again: generate one with the form first");
        return await CreatePlanAsync(viewer, athlete, status.Inputs, ct);
    }

    /// <summary>The athlete's latest plan, or null.</summary>
    public async Task<PlanView?> LatestPlanAsync(Guid athleteId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var record = await LatestPlanQuery(db, athleteId).FirstOrDefaultAsync(ct);
        return record is null ? null : JsonSerializer.Deserialize<PlanView>(record.PlanJson, Json);
    }

    /// <summary>
    /// As <see cref="LatestPlanAsync"/> for several athletes in two queries whatever their number:
    /// which plan is each one's latest (ids and dates only), then those plans. Athletes without a plan are not in it.
    /// </summary>
    public async Task<Dictionary<Guid, DatedPlan>> LatestPlansAsync(IReadOnlyCollection<Guid> athleteIds, CancellationToken ct = default)
    {
        var ids = athleteIds.ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var stamps = await db.Plans.AsNoTracking().Where(p => ids.Contains(p.AthleteId)).Select(p => new { p.Id, p.AthleteId, p.CreatedAt }).ToListAsync(ct);
        // Newest first, as LatestPlanAsync; the id breaks a tie between plans stamped at the same instant.
        var latest = stamps.GroupBy(p => p.AthleteId).Select(g => g.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id).First().Id).ToList();
        var plans = await db.Plans.AsNoTracking().Where(p => latest.Contains(p.Id)).Select(p => new { p.AthleteId, p.CreatedAt, p.PlanJson }).ToListAsync(ct);
        return plans.ToDictionary(p => p.AthleteId, p => new DatedPlan(JsonSerializer.Deserialize<PlanView>(p.PlanJson, Json)!, p.CreatedAt));
    }

    /// <summary>The latest plan as an iCalendar feed; stable UIDs per athlete, date and kind, so a new plan updates the subscribed calendar.</summary>
    public async Task<string?> CalendarAsync(Athlete athlete, CancellationToken ct = default)
    {
        var plan = await LatestPlanAsync(athlete.Id, ct);
        var events = (plan?.Weeks ?? []).SelectMany(w => w.Sessions).Select(s => new CalendarEvent(
            CalendarUid.For(athlete.Id.ToString("N"), s.Date, s.Kind, s.Order), s.Title, new AllDayTiming(s.Date))
        {
            Description = s.Prescription is null ? s.Reason : s.Prescription + "\n" + s.Reason,
            Categories = [s.Bfr ? "BFR" : "Running"],
        });
        return new ICalendarWriter(time).Write(events, new CalendarOptions(Name: "OpenBFR plan"));
    }

    /// <summary>The planner's plan as the view stored with it.</summary>
    public static PlanView View(TrainingPlan plan) => new(plan.Start, plan.Weeks.Count, plan.Pathway, plan.Warnings,
        plan.Weeks.Select(w => new PlanWeekView(w.Number, w.Start, w.Label, w.Deload, w.RunKm,
            w.Sessions.Select(s => new PlanSessionView(s.Date, s.Order, s.Kind.ToKebab(), s.Title, s.Bfr is not null, s.Bfr?.Summary ?? s.Load, s.Reason,
                s.Bfr?.Duration.TotalMinutes ?? 0)).ToList(), w.Notes)).ToList());

    private static List<DayOfWeek> Days(IEnumerable<string> names, string field)
    {
        var days = new List<DayOfWeek>();
        foreach (var n in names.Where(n => !string.IsNullOrWhiteSpace(n)))
        {
            if (!RunnerProfileParser.TryParseDay(n, out var d))
            {
                throw new InputException(field, $"{field} must be days like mon, tue, … sun; was '{n}'");
            }
            days.Add(d);
        }
        return days.Distinct().ToList();
    }
}
