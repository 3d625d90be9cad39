using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Data;
using OpenBfr.Data.Athletes;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Lop;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Screening;
using OpenBfr.Web.Sessions;
using OpenBfr.Web.Strength;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>The athlete page: screening, LOP, prescriptions, sessions, progress, imports and exports.</summary>
public sealed class DetailModel(
    AthleteDirectory directory, LopService lops, PrescriptionService prescriptions, ScreeningService screening,
    SessionQueries sessions, SessionStarter starter, OpenBfr.Web.Training.TrainingService training, StrengthService strength, IDbContextFactory<OpenBfrDbContext> contexts,
    UserManager<OpenBfrUser> users, TimeProvider time, OpenBfr.Web.Revisions.RevisionHistory history) : OpenBfrPageModel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Athlete Athlete { get; private set; } = new();

    public List<LopDto> Lops { get; private set; } = [];

    public List<PrescriptionDto> Prescriptions { get; private set; } = [];

    /// <summary>The LOP records the viewer may correct (<see cref="LopService.WhyNotCorrectable"/>) and withdraw (<see cref="LopService.WhyNotWithdrawable"/>).</summary>
    public HashSet<Guid> CorrectableLops { get; private set; } = [];

    /// <inheritdoc cref="CorrectableLops"/>
    public HashSet<Guid> WithdrawableLops { get; private set; } = [];

    /// <summary>Withdrawn LOP records, newest measurement first: kept, with their history, but setting no pressure.</summary>
    public List<LopDto> WithdrawnLops { get; private set; } = [];

    /// <summary>Prescriptions retired because their LOP was withdrawn or corrected out of use, newest first, with why.</summary>
    public List<PrescriptionDto> RetiredByLop { get; private set; } = [];

    public ScreeningDto? Screening { get; private set; }

    public List<SessionSummaryDto> Sessions { get; private set; } = [];

    /// <summary>Recorded strength and hop tests, newest first.</summary>
    public List<StrengthTestDto> StrengthTests { get; private set; } = [];

    /// <summary>1RM and limb symmetry over time, and the return-to-run gates (the charts show the same numbers).</summary>
    public StrengthProgressDto? StrengthProgress { get; private set; }

    /// <summary>The tests the viewer may correct or delete (<see cref="StrengthService.WhyNotChangeable"/>).</summary>
    public HashSet<Guid> ChangeableTests { get; private set; } = [];

    /// <summary>The latest plan's settings and what changed after it was generated (tests, LOPs); null without a plan.</summary>
    public OpenBfr.Web.Training.PlanStatus? PlanStatus { get; private set; }

    /// <summary>Strength tests deleted and clearances revoked on this record (the "Deleted entries" page lists them).</summary>
    public int DeletedCount { get; private set; }

    /// <summary>The exercise selected on the new-test form: the one posted when the page comes back with an error, else null (the first).</summary>
    public string? StrengthExercise { get; private set; }

    /// <summary>The new-test form's first and other side as posted, shown again when the page comes back with an error; null on a GET (the defaults).</summary>
    public StrengthResultInput? StrengthFirstSide { get; private set; }

    /// <inheritdoc cref="StrengthFirstSide"/>
    public StrengthResultInput? StrengthOtherSide { get; private set; }

    /// <summary>The kind of test whose result fields the new-test form shows (<see cref="StrengthResultFields.MeasureOf"/> of <see cref="StrengthExercise"/>, or of the first exercise).</summary>
    public string StrengthMeasure => StrengthResultFields.MeasureOf(StrengthExercise) ?? StrengthResultFields.MeasureOf(StrengthExercises.All[0].Name)!;

    /// <summary>Today, the strength form's default date.</summary>
    public DateOnly Today { get; private set; }

    public List<string> Clinicians { get; private set; } = [];

    public OpenBfr.Web.Training.PlanView? Plan { get; private set; }

    public string CalendarUrl { get; private set; } = "";

    /// <summary>Next Monday: the plan form's default start.</summary>
    public DateOnly DefaultPlanStart { get; private set; }

    public OpenBfr.Core.Planning.Load.HistoryLoad? Load { get; private set; }

    public bool IsOwnRecord { get; private set; }

    /// <summary>The progress charts' data as JSON (weekly running km, BFR minutes, LOP history).</summary>
    public string ChartJson { get; private set; } = "{}";

    /// <summary>The last estimate made on this page, shown with its uncertainty.</summary>
    [TempData]
    public string? EstimateText { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id, "athlete.read") ? Page() : NotFound();

    public Task<IActionResult> OnPostLopAsync(Guid id, string limb, string position, double? cuffWidthCm, double? lopMmHg, string? note)
        => ActAsync(id, "lop.create", a => lops.RecordAsync(Me, a, new RecordLopRequest(limb, position, cuffWidthCm, lopMmHg, null, note)), "LOP recorded.");

    public Task<IActionResult> OnPostEstimateAsync(Guid id, string limb, string position, double? cuffWidthCm, double? thighCircumferenceCm, double? systolicMmHg, double? ageYears)
        => ActAsync(id, "lop.estimate", async a =>
        {
            var (_, e) = await lops.EstimateAsync(Me, a, new EstimateLopRequest(limb, position, cuffWidthCm, thighCircumferenceCm, systolicMmHg, ageYears));
            EstimateText = string.Create(CultureInfo.InvariantCulture,
                $"Estimated LOP {e.Lop.MmHg:0} mmHg ± {e.StandardErrorOfEstimate.MmHg:0.#} (SEE); 95% range {e.Low95.MmHg:0}–{e.High95.MmHg:0} mmHg; R² {e.RSquared:0.###}. Prescriptions from it use the low end. Source: {e.Source}.");
        }, "LOP estimated.");

    public Task<IActionResult> OnPostAutomaticAsync(Guid id, string limb, string position, double? simulatedTrueLopMmHg)
        => ActAsync(id, "lop.automatic", async a =>
        {
            var (r, m, truth) = await lops.MeasureAutomaticAsync(Me, a, new AutomaticLopRequest(limb, position, simulatedTrueLopMmHg));
            EstimateText = string.Create(CultureInfo.InvariantCulture,
                $"Automatic LOP {r.ValueMmHg:0} mmHg (simulated limb's true LOP {truth:0}; error {r.ValueMmHg - truth:+0;-0;0} mmHg), confidence {m.Confidence:0.00}, {m.Duration.TotalSeconds:0} s, {m.Steps.Count} steps.");
        }, "LOP measured automatically.");

    // The form carries sessions per week (2 unless changed); left empty it was read as 0 ("was 0").
    public Task<IActionResult> OnPostPrescribeAsync(Guid id, Guid? lopId, string modality, double? percent, int? sessionsPerWeek, string? protocol)
        => ActAsync(id, "prescription.create", a => prescriptions.CreateAsync(Me, a,
            new CreatePrescriptionRequest(lopId, modality, percent, InputException.Required(sessionsPerWeek, "sessionsPerWeek", "1–14 sessions a week"), protocol)), "Prescription saved.");

    public async Task<IActionResult> OnPostStartAsync(Guid id, List<Guid> prescriptionIds)
    {
        Guid sessionId = Guid.Empty;
        var result = await ActAsync(id, "session.start", async a =>
        {
            try
            {
                sessionId = await starter.StartAsync(Me, a, new StartSessionRequest(prescriptionIds));
            }
            catch (ConflictException e)
            {
                throw new InputException("session", e.Message);
            }
        }, "Session started.");
        return sessionId == Guid.Empty ? result : Redirect($"/Sessions/{sessionId}");
    }

    public Task<IActionResult> OnPostImportAsync(Guid id, IFormFile? file)
        => ActAsync(id, "activity.import", async a =>
        {
            if (file is null)
            {
                throw new InputException("file", "file is required: a FIT, TCX or GPX activity");
            }
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer);
            var r = await training.ImportAsync(a, file.FileName, buffer.ToArray());
            Flash = $"Imported {r.Added} activit{(r.Added == 1 ? "y" : "ies")}" + (r.AlreadyImported > 0 ? $" ({r.AlreadyImported} already there)" : "") + ".";
        }, null);

    public Task<IActionResult> OnPostPlanAsync(Guid id, double? weeklyKm, DateOnly? start, int? weeks, List<string> availableDays, List<string> keyWorkoutDays,
        string? longRunDay, string? goalDistance, DateOnly? goalDate, string? injury, DateOnly? injuryDate, string? injurySide)
        => ActAsync(id, "plan.create", a => training.CreatePlanAsync(Me, a, new OpenBfr.Web.Training.PlanRequestForm(weeklyKm, start, weeks, availableDays, keyWorkoutDays,
            longRunDay, goalDistance, goalDate, injury, injuryDate, injurySide)), "Plan generated.");

    /// <summary>How an acute:chronic ratio reads, in words with its thresholds (a flag, never an injury prediction).</summary>
    public static string FlagText(OpenBfr.Core.Metrics.WorkloadFlag? flag) => flag switch
    {
        OpenBfr.Core.Metrics.WorkloadFlag.High => string.Create(CultureInfo.InvariantCulture, $"high: above {OpenBfr.Core.Metrics.TrainingLoad.HighAbove:0.0#}, a spike in load"),
        OpenBfr.Core.Metrics.WorkloadFlag.Low => string.Create(CultureInfo.InvariantCulture, $"low: below {OpenBfr.Core.Metrics.TrainingLoad.LowBelow:0.0#}"),
        OpenBfr.Core.Metrics.WorkloadFlag.InRange => string.Create(CultureInfo.InvariantCulture, $"within {OpenBfr.Core.Metrics.TrainingLoad.LowBelow:0.0#}–{OpenBfr.Core.Metrics.TrainingLoad.HighAbove:0.0#}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"not enough history: {OpenBfr.Core.Metrics.TrainingLoad.DefaultChronicDays} days are needed"),
    };

    /// <summary>Whether <paramref name="day"/> ("mon" …) is among <paramref name="days"/> as the plan form stored them (any spelling the planner accepts).</summary>
    public static bool HasDay(IEnumerable<string>? days, string day)
        => OpenBfr.Core.Planning.Profile.RunnerProfileParser.TryParseDay(day, out var d)
           && (days ?? []).Any(x => OpenBfr.Core.Planning.Profile.RunnerProfileParser.TryParseDay(x ?? "", out var y) && y == d);

    /// <summary>Whether the stored goal distance names the option (any spelling the planner's parser accepts).</summary>
    public static bool SameDistance(string? stored, string option)
        => OpenBfr.Core.Planning.Profile.RunnerProfileParser.TryParseDistance(stored ?? "", out var a)
           && OpenBfr.Core.Planning.Profile.RunnerProfileParser.TryParseDistance(option, out var b) && a == b;

    /// <summary>Whether the stored injury names the option (any spelling the planner's parser accepts).</summary>
    public static bool SameInjury(string? stored, string option)
        => OpenBfr.Core.Planning.Profile.RunnerProfileParser.TryParseInjury(stored ?? "", out var a)
           && OpenBfr.Core.Planning.Profile.RunnerProfileParser.TryParseInjury(option, out var b) && a == b;

    public Task<IActionResult> OnPostRegeneratePlanAsync(Guid id)
        => ActAsync(id, "plan.create", a => training.RegeneratePlanAsync(Me, a), "Plan generated again with the same settings.");

    public Task<IActionResult> OnPostClearanceAsync(Guid id, string note)
        => ActAsync(id, "screening.clear", async a => await screening.RecordClearanceAsync(Me, await ScreeningApi.NameAsync(users, User), a.Id, note), "Clearance recorded.");

    public Task<IActionResult> OnPostItemClearanceAsync(Guid id, string itemId, string? limb, string note, DateOnly? clearedOn)
        => ActAsync(id, "screening.clear", async a => await screening.RecordItemClearanceAsync(Me, await ScreeningApi.NameAsync(users, User), a.Id,
            new ItemClearanceRequest(itemId, limb, note, clearedOn)), "Clearance recorded for that item.");

    /// <summary>
    /// A test: the first side (usually the involved limb) and, optionally, the other side of the
    /// pair. The form posts only the fields of the exercise's kind (none for a check-in); every
    /// field posted goes to the service, which refuses one of another kind naming it.
    /// </summary>
    public Task<IActionResult> OnPostStrengthAsync(Guid id, string exercise, DateOnly? testedOn, string? limbA, bool involvedA, double? loadKgA, int? repsA, double? oneRepMaxKgA,
        double? hopCmA, string? limbB, double? loadKgB, int? repsB, double? oneRepMaxKgB, double? hopCmB, int? painScore, string? stageClearance, string? note,
        double? hopSecondsA = null, double? hopSecondsB = null)
    {
        StrengthExercise = StrengthResultFields.MeasureOf(exercise) is null ? null : exercise.Trim();
        StrengthFirstSide = new StrengthResultInput(limbA, involvedA, loadKgA, repsA, oneRepMaxKgA, hopCmA, hopSecondsA);
        StrengthOtherSide = new StrengthResultInput(limbB ?? "", false, loadKgB, repsB, oneRepMaxKgB, hopCmB, hopSecondsB);
        return ActAsync(id, "strength.create", async a =>
        {
            // The form ticks "involved" by default; a two-legged lift has no involved side, so the tick is moot there.
            var bilateral = string.Equals(limbA, "both", StringComparison.OrdinalIgnoreCase);
            var first = new StrengthResultInput(limbA, involvedA && !bilateral, loadKgA, repsA, oneRepMaxKgA, hopCmA, hopSecondsA);
            var results = new List<StrengthResultInput>();
            if (exercise != StrengthService.CheckIn || StrengthService.FirstFieldGiven(first) is not null)
            {
                results.Add(first);
            }
            if (!string.IsNullOrWhiteSpace(limbB))
            {
                results.Add(new StrengthResultInput(limbB, false, loadKgB, repsB, oneRepMaxKgB, hopCmB, hopSecondsB));
            }
            else if (OtherSideValue(loadKgB, repsB, oneRepMaxKgB, hopCmB, hopSecondsB) is { } given)
            {
                // The other side's values without its limb would be lost without a word.
                throw new InputException("limbB", $"limbB must name the other side (left-leg, right-leg, left-arm or right-arm) when its values are given; was empty with {given}");
            }
            bool? stage = stageClearance switch { "cleared" => true, "withheld" => false, _ => null };
            await strength.RecordAsync(Me, a, new RecordStrengthTestRequest(exercise, results, testedOn, painScore, stage, note));
        }, "Strength test recorded.");
    }

    /// <summary>The first of the other side's values given, as "loadKgB 60"; null when none is.</summary>
    private static string? OtherSideValue(double? loadKg, int? reps, double? oneRepMaxKg, double? hopCm, double? hopSeconds)
    {
        (string Name, double? Value)[] values = [("loadKgB", loadKg), ("repsB", reps), ("oneRepMaxKgB", oneRepMaxKg), ("hopCmB", hopCm), ("hopSecondsB", hopSeconds)];
        return values.Where(v => v.Value is not null).Select(v => $"{v.Name} {v.Value!.Value.ToString(CultureInfo.InvariantCulture)}").FirstOrDefault();
    }

    public Task<IActionResult> OnPostLinkAsync(Guid id, string clinicianEmail)
        => ActAsync(id, "link.create", async a =>
        {
            var clinician = string.IsNullOrWhiteSpace(clinicianEmail) ? null : await users.FindByEmailAsync(clinicianEmail.Trim());
            if (clinician is null || !await users.IsInRoleAsync(clinician, Roles.Clinician))
            {
                throw new InputException("clinicianEmail", "clinicianEmail must be the e-mail of a clinician's OpenBFR account");
            }
            await directory.LinkClinicianAsync(Me, a.Id, clinician.Id);
        }, "Your record is now shared with that clinician.");

    private async Task<IActionResult> ActAsync(Guid id, string action, Func<Athlete, Task> act, string? done)
    {
        if (await directory.OpenIfVisibleAsync(Me, id, action) is not { } athlete)
        {
            return NotFound();
        }
        try
        {
            RefuseUnboundFields();
            await act(athlete);
            Flash ??= done;
            return Redirect($"/Athletes/{id}");
        }
        catch (InputException e)
        {
            AddError(e);
            await LoadAsync(id, "athlete.read");
            return Page();
        }
    }

    private async Task<bool> LoadAsync(Guid id, string action)
    {
        if (await directory.OpenIfVisibleAsync(Me, id, action) is not { } opened)
        {
            return false;
        }
        Athlete = opened;
        var now = time.GetUtcNow();
        IsOwnRecord = Athlete.UserId == Me.UserId;
        var lopRows = await lops.ListAsync(id, includeWithdrawn: true);
        var rxRows = await prescriptions.ListAsync(id, includeRetired: true);
        Lops = lopRows.Where(l => l.WithdrawnAt is null).Select(l => LopDto.From(l, now)).ToList();
        WithdrawnLops = lopRows.Where(l => l.WithdrawnAt is not null).Select(l => LopDto.From(l, now)).ToList();
        CorrectableLops = lopRows.Where(l => LopService.WhyNotCorrectable(Me, l, rxRows.Where(p => p.LopRecordId == l.Id && p.RetiredAt is null)) is null).Select(l => l.Id).ToHashSet();
        WithdrawableLops = lopRows.Where(l => LopService.WhyNotWithdrawable(Me, l) is null).Select(l => l.Id).ToHashSet();
        Prescriptions = rxRows.Where(p => p.RetiredAt is null).Select(PrescriptionDto.From).ToList();
        RetiredByLop = rxRows.Where(p => p.RetiredReason is not null).OrderByDescending(p => p.RetiredAt).Select(PrescriptionDto.From).ToList();
        Screening = await screening.CurrentAsync(id) is { } s ? ScreeningDto.From(s) : null;
        var strengthRows = await strength.ListAsync(id);
        StrengthTests = strengthRows.Select(StrengthService.ToDto).ToList();
        ChangeableTests = strengthRows.Where(r => StrengthService.WhyNotChangeable(Me, r) is null).Select(r => r.Id).ToHashSet();
        StrengthProgress = StrengthService.Progress(strengthRows);
        DeletedCount = await history.DeletedCountAsync(id);
        Sessions = await sessions.ListAsync(id);
        foreach (var clinicianId in await directory.CliniciansOfAsync(id))
        {
            if (await users.FindByIdAsync(clinicianId) is { } c)
            {
                Clinicians.Add(c.DisplayName);
            }
        }
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        Today = today;
        DefaultPlanStart = today.AddDays(((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7 is 0 ? 7 : ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7);
        // One read of the plan, its status from the tests and LOPs read above.
        var plan = await training.LatestPlanWithStatusAsync(id, strengthRows, lopRows);
        Plan = plan?.Plan;
        PlanStatus = plan?.Status;
        CalendarUrl = $"{Request.Scheme}://{Request.Host}/api/v1/calendar/{Athlete.CalendarToken}.ics";
        Load = await training.LoadAsync(Athlete);
        ChartJson = await ChartsAsync(id, now);
        return true;
    }

    private async Task<string> ChartsAsync(Guid id, DateTimeOffset now)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var since = now.AddDays(-7 * 12);
        var runs = await db.Activities.AsNoTracking().Where(a => a.AthleteId == id && a.StartedAt >= since).ToListAsync();
        var bfr = Sessions.Where(s => s.StartedAt >= since).ToList();
        var weeks = Enumerable.Range(0, 12).Select(i => WeekStart(now).AddDays(-7 * (11 - i))).ToList();
        var km = weeks.Select(w => Math.Round(runs.Where(r => WeekStart(r.StartedAt) == w).Sum(r => r.DistanceMeters) / 1000, 1)).ToList();
        var minutes = weeks.Select(w => Math.Round(bfr.Where(s => WeekStart(s.StartedAt) == w).Sum(s => s.DurationSeconds) / 60, 1)).ToList();
        // One line per limb and position: LOP differs by body position (Hughes et al. 2018: leg 187 / 204 / 242 mmHg
        // supine / seated / standing), so a seated and a standing LOP joined by a line would read as a change that is not there.
        var lopSeries = Lops.OrderBy(l => l.MeasuredAt).GroupBy(l => $"{l.Limb} {l.Position}")
            .ToDictionary(g => g.Key, g => g.Select(l => new { t = l.MeasuredAt.ToUnixTimeMilliseconds(), v = l.LopMmHg, method = l.Method }).ToList());
        // VDOT from each week's best run (Daniels & Gilbert 1979); training runs understate race VDOT, so this is a trend, not a test result.
        var vdot = weeks.Select(w => runs.Where(r => WeekStart(r.StartedAt) == w && r.Sport == "running").Select(r => VdotOrNull(r.DistanceMeters, r.DurationSeconds)).Max()).ToList();
        var acwr = weeks.Select(w => Load?.Weeks.FirstOrDefault(l => l.WeekStart == DateOnly.FromDateTime(w.UtcDateTime))?.EwmaRatio).Select(r => r is { } v ? Math.Round(v, 2) : (double?)null).ToList();
        return JsonSerializer.Serialize(new { weeks = weeks.Select(w => w.ToString("MM-dd", CultureInfo.InvariantCulture)), km, minutes, acwr, vdot, lop = lopSeries, strength = StrengthProgress }, Json);
    }

    private static double? VdotOrNull(double meters, double seconds)
    {
        try
        {
            return Math.Round(OpenBfr.Core.Metrics.RunningFitness.Vdot(meters, TimeSpan.FromSeconds(seconds)), 1);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // too short, too long or too slow to say anything
        }
    }

    private static DateTimeOffset WeekStart(DateTimeOffset t)
    {
        var d = new DateTimeOffset(t.UtcDateTime.Date, TimeSpan.Zero);
        return d.AddDays(-(((int)d.DayOfWeek + 6) % 7));
    }
}
