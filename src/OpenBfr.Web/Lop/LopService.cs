using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Core;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Lop;
using OpenBfr.Cuff.Simulation;
using OpenBfr.Data;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Audit;
using OpenBfr.Data.Lop;
using OpenBfr.Data.Prescriptions;
using OpenBfr.Data.Revisions;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Revisions;

namespace OpenBfr.Web.Lop;

/// <summary>A LOP measured by Doppler (or read off another device).</summary>
/// <param name="Limb">"left-leg", "right-leg", "left-arm" or "right-arm".</param>
/// <param name="Position">"supine", "seated" or "standing".</param>
/// <param name="CuffWidthCm">2–30 cm.</param>
/// <param name="LopMmHg">50–400 mmHg.</param>
/// <param name="MeasuredAt">when; default now; not in the future.</param>
/// <param name="Note">≤ 200 characters.</param>
public sealed record RecordLopRequest(string Limb, string Position, double? CuffWidthCm, double? LopMmHg, DateTimeOffset? MeasuredAt = null, string? Note = null);

/// <summary>Inputs of a thigh LOP estimate (Rev Bras Med Esporte 2019;25(6):494, 18 cm cuff only).</summary>
/// <param name="Limb">"left-leg" or "right-leg".</param>
/// <param name="Position">the position the athlete will train in.</param>
/// <param name="CuffWidthCm">must be 18 cm.</param>
/// <param name="ThighCircumferenceCm">30–100 cm.</param>
/// <param name="SystolicMmHg">70–250 mmHg.</param>
/// <param name="AgeYears">14–100; default from the athlete's birth year.</param>
/// <param name="Sex">"male" or "female"; default the athlete's.</param>
public sealed record EstimateLopRequest(string Limb, string Position, double? CuffWidthCm, double? ThighCircumferenceCm, double? SystolicMmHg, double? AgeYears = null, string? Sex = null);

/// <summary>An automatic measurement through a simulated cuff.</summary>
/// <param name="Limb">the limb.</param>
/// <param name="Position">supine, seated or standing.</param>
/// <param name="SimulatedTrueLopMmHg">the simulated limb's true LOP, 80–300 mmHg; default the typical leg LOP for the position (Hughes et al. 2018) or 150 for an arm.</param>
/// <param name="Seed">seeds the simulated limb (pulse, noise).</param>
public sealed record AutomaticLopRequest(string Limb, string Position, double? SimulatedTrueLopMmHg = null, int Seed = 1);

/// <summary>
/// A correction of a LOP record, checked as create checks it. A null field keeps the stored value;
/// so is a null note, and an empty one clears it. An estimated or automatic record takes a note
/// only: its value, cuff, time, limb and position are what the equation or the cuff produced.
/// </summary>
/// <param name="Limb">as for create; only when no prescription was ever made from the record (a prescription's limb came from it).</param>
/// <param name="Position">as for create; the same restriction.</param>
/// <param name="CuffWidthCm">2–30 cm.</param>
/// <param name="LopMmHg">50–400 mmHg.</param>
/// <param name="MeasuredAt">not in the future.</param>
/// <param name="Note">≤ 200 characters; null keeps the stored note, "" clears it.</param>
public sealed record UpdateLopRequest(string? Limb = null, string? Position = null, double? CuffWidthCm = null, double? LopMmHg = null, DateTimeOffset? MeasuredAt = null,
    string? Note = null);

/// <summary>A corrected or withdrawn LOP record and what that did to the prescriptions made from it.</summary>
public sealed record LopChange(LopRecord Record, IReadOnlyList<PrescriptionChangeDto> Prescriptions);

/// <summary>
/// LOP records: list, Doppler entry, estimate, automatic measurement, correction and withdrawal.
/// Callers open the athlete through <c>AthleteDirectory</c> first.
/// </summary>
public sealed class LopService(IDbContextFactory<OpenBfrDbContext> contexts, TimeProvider time, PrescriptionService prescriptions, VersionConflicts conflicts)
{
    /// <summary>The audit actions of a correction and a withdrawal (the record id is the detail; no values).</summary>
    public const string UpdatedAction = "lop.updated", WithdrawnAction = "lop.withdrawn";

    public const int MaxNoteLength = 200;

    /// <summary>What a cuff width and a LOP value may be, as a "required" message says it (the core's ranges).</summary>
    private static readonly string CuffWidthAllowed = string.Create(CultureInfo.InvariantCulture, $"{CuffDescription.MinWidthCm:0}–{CuffDescription.MaxWidthCm:0} cm"),
        LopAllowed = string.Create(CultureInfo.InvariantCulture, $"{LimbOcclusionPressure.MinAccepted.MmHg:0}–{LimbOcclusionPressure.MaxAccepted.MmHg:0} mmHg");

    /// <summary>What a conflict calls a row.</summary>
    private const string What = "LOP record";

    /// <summary>The manual Doppler protocol the page guides through (Loenneke et al. 2012, as DESIGN.md section 3 gives it).</summary>
    public static IReadOnlyList<string> DopplerProtocol { get; } =
    [
        "Athlete in the position they will train in; cuff on, Doppler probe on the artery below the cuff (posterior tibial or dorsalis pedis for the leg, radial for the arm).",
        "Inflate to 50 mmHg for 30 s, then deflate for 10 s.",
        "Inflate to the athlete's systolic pressure for 30 s, then deflate for 10 s.",
        "Raise by 40 mmHg each step (30 s on, 10 s off) until the pulse disappears; never above 300 mmHg.",
        "Then lower by 10 mmHg each step until the pulse returns.",
        "The LOP is the lowest pressure with no pulse. Record it with the limb, position and cuff width.",
    ];

    /// <summary>The athlete's LOP records, newest measurement first; withdrawn ones only when asked for.</summary>
    public async Task<List<LopRecord>> ListAsync(Guid athleteId, bool includeWithdrawn = false, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var q = db.LopRecords.AsNoTracking().Where(l => l.AthleteId == athleteId);
        if (!includeWithdrawn)
        {
            q = q.Where(l => l.WithdrawnAt == null);
        }
        return await q.OrderByDescending(l => l.MeasuredAt).ToListAsync(ct);
    }

    /// <summary>One LOP record of the athlete's (withdrawn or not), or null.</summary>
    public async Task<LopRecord?> FindAsync(Guid athleteId, Guid lopId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.LopRecords.AsNoTracking().SingleOrDefaultAsync(l => l.Id == lopId && l.AthleteId == athleteId, ct);
    }

    /// <summary>The prescriptions ever made from a LOP record (current and retired), newest first.</summary>
    public async Task<List<PrescriptionRecord>> PrescriptionsFromAsync(Guid athleteId, Guid lopId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.Prescriptions.AsNoTracking().Where(p => p.LopRecordId == lopId && p.AthleteId == athleteId).ToListAsync(ct))
            .OrderByDescending(p => p.CreatedAt).ToList();
    }

    /// <exception cref="InputException">a field is out of range.</exception>
    public async Task<LopRecord> RecordAsync(Viewer viewer, Athlete athlete, RecordLopRequest input, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        // Left out, both were read as 0 and refused as "was 0", as if 0 had been sent.
        var width = InputException.Required(input.CuffWidthCm, "cuffWidthCm", CuffWidthAllowed);
        var value = InputException.Required(input.LopMmHg, "lopMmHg", LopAllowed);
        var (lop, note) = ValidateDoppler(input.Limb, input.Position, width, value, input.MeasuredAt ?? now, input.Note, now);
        return await SaveAsync(LopRecord.From(lop, athlete.Id, viewer.UserId, note, now), ct);
    }

    /// <summary>
    /// Why <paramref name="viewer"/> may not correct <paramref name="row"/>, or null when they may.
    /// A clinician linked to the athlete may (the caller opened the record through the directory);
    /// an athlete only a record they took themselves that no clinician has corrected since and from
    /// which no clinician has prescribed: a corrected value changes that clinician's prescription.
    /// </summary>
    /// <param name="current">the current prescriptions made from the record.</param>
    public static string? WhyNotCorrectable(Viewer viewer, LopRecord row, IEnumerable<PrescriptionRecord> current)
    {
        if (WhyNotWithdrawable(viewer, row) is { } why)
        {
            return why;
        }
        if (!viewer.IsClinician && current.FirstOrDefault(p => p.CreatedByUserId != viewer.UserId) is { } theirs)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"your clinician prescribed from this LOP ({Core.Prescriptions.Prescriber.Describe(theirs.Modality)}, target {theirs.TargetMmHg:0} mmHg): a corrected value would change that prescription, so only a clinician can correct it. You can withdraw it (its prescriptions stop) and ask your clinician to measure again");
        }
        return null;
    }

    /// <summary>
    /// Why <paramref name="viewer"/> may not withdraw <paramref name="row"/>, or null when they may: as
    /// for a correction, except that an athlete may withdraw a record of their own that a clinician
    /// prescribed from (withdrawing only stops pressures; it never raises one).
    /// </summary>
    public static string? WhyNotWithdrawable(Viewer viewer, LopRecord row)
    {
        if (row.WithdrawnAt is not null)
        {
            return "this LOP record is withdrawn: it cannot be corrected or withdrawn again; record a new LOP instead";
        }
        if (viewer.IsClinician)
        {
            return null;
        }
        if (row.RecordedByUserId != viewer.UserId)
        {
            return "this LOP was recorded by your clinician: only a clinician can correct or withdraw it";
        }
        if (row.UpdatedByUserId is { } by && by != viewer.UserId)
        {
            return "this LOP was corrected by your clinician: only a clinician can correct or withdraw it now";
        }
        return null;
    }

    /// <summary>
    /// Corrects a LOP record with the same rules as recording it, and recomputes every current
    /// prescription made from it (a prescription the corrected value no longer gives is retired,
    /// saying why). One transaction: the row, its earlier version, the prescriptions' earlier
    /// versions and the audit entries are written together or not at all. A session already
    /// running keeps the pressure it started with; the next one starts from the corrected value.
    /// </summary>
    /// <param name="expectedVersion">the version the editor read (If-Match, the form's hidden field); null corrects whatever is current.</param>
    /// <exception cref="NotVisibleException">no such record on this athlete's record.</exception>
    /// <exception cref="ForbiddenException">the viewer may see the record but not correct it (<see cref="WhyNotCorrectable"/>).</exception>
    /// <exception cref="ConflictException">the record is withdrawn, or no longer at <paramref name="expectedVersion"/>; nothing is written.</exception>
    /// <exception cref="InputException">a field is out of range, or may not change on this record; the message names it, the value and what is allowed.</exception>
    public async Task<LopChange> UpdateAsync(Viewer viewer, Guid athleteId, Guid lopId, UpdateLopRequest input, int? expectedVersion = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (row, current) = await OpenForChangeAsync(db, athleteId, lopId, expectedVersion, ct);
        if (WhyNotCorrectable(viewer, row, current) is { } why)
        {
            throw new ForbiddenException(why);
        }
        await conflicts.CheckAsync(What, row, expectedVersion, () => LopDto.From(row, time.GetUtcNow()), ct);
        var now = time.GetUtcNow();
        var (lop, note) = ValidateCorrection(row, input, await db.Prescriptions.AnyAsync(p => p.LopRecordId == row.Id, ct), now);
        var pressureChanged = lop.Value.MmHg != row.ValueMmHg || lop.Cuff.WidthCm != row.CuffWidthCm || lop.MeasuredAt != row.MeasuredAt;
        RecordVersions.Keep(db, RevisedRecordKind.Lop, row, RevisionChange.Corrected, viewer.UserId, now);
        row.Limb = lop.Limb;
        row.Position = lop.Position;
        row.CuffWidthCm = lop.Cuff.WidthCm;
        row.ValueMmHg = lop.Value.MmHg;
        row.MeasuredAt = lop.MeasuredAt;
        row.Note = note;
        row.UpdatedAt = now;
        row.UpdatedByUserId = viewer.UserId;
        db.AuditLog.Add(new AuditEntry { At = now, ActorUserId = viewer.UserId, Action = UpdatedAction, AthleteId = athleteId, Detail = row.Id.ToString() });
        // A corrected note changes no pressure; anything else that feeds the core's prescription does.
        var changes = pressureChanged ? await prescriptions.FollowLopCorrectionAsync(db, row, current, viewer.UserId, now, ct) : [];
        await SaveAsync(db, athleteId, lopId, row.Version - 1, ct);
        return new LopChange(row, changes);
    }

    /// <summary>
    /// Withdraws a LOP record: it stays in the database and its history but feeds no prescription or
    /// session again, and every current prescription made from it is retired with the reason. One
    /// transaction, as for a correction. A session already running is not stopped.
    /// </summary>
    /// <param name="reason">why, ≤ 200 characters; optional.</param>
    /// <param name="expectedVersion">the version the person withdrawing read; null withdraws whatever is current.</param>
    /// <exception cref="NotVisibleException">no such record on this athlete's record.</exception>
    /// <exception cref="ForbiddenException">the viewer may see the record but not withdraw it (<see cref="WhyNotWithdrawable"/>).</exception>
    /// <exception cref="ConflictException">already withdrawn, or no longer at <paramref name="expectedVersion"/>; nothing is written.</exception>
    /// <exception cref="InputException">the reason is too long.</exception>
    public async Task<LopChange> WithdrawAsync(Viewer viewer, Guid athleteId, Guid lopId, string? reason, int? expectedVersion = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (row, current) = await OpenForChangeAsync(db, athleteId, lopId, expectedVersion, ct);
        if (WhyNotWithdrawable(viewer, row) is { } why)
        {
            throw new ForbiddenException(why);
        }
        await conflicts.CheckAsync(What, row, expectedVersion, () => LopDto.From(row, time.GetUtcNow()), ct);
        var text = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (text is { Length: > MaxNoteLength })
        {
            throw new InputException("reason", $"reason must be at most {MaxNoteLength} characters, was {text.Length}");
        }
        var now = time.GetUtcNow();
        // Like a deletion, a withdrawal ends the last version rather than writing a new one: the row keeps
        // its version number (its UPDATE still names it), and the history's unique (record, version)
        // refuses a correction racing it, which would keep the same version.
        RecordVersions.Keep(db, RevisedRecordKind.Lop, row, RevisionChange.Withdrawn, viewer.UserId, now);
        row.WithdrawnAt = now;
        row.WithdrawnByUserId = viewer.UserId;
        row.WithdrawalReason = text;
        db.AuditLog.Add(new AuditEntry { At = now, ActorUserId = viewer.UserId, Action = WithdrawnAction, AthleteId = athleteId, Detail = row.Id.ToString() });
        var changes = PrescriptionService.FollowLopWithdrawal(db, row, current, viewer.UserId, now);
        await SaveAsync(db, athleteId, lopId, row.Version, ct);
        return new LopChange(row, changes);
    }

    /// <summary>The tracked row and its current prescriptions; a withdrawn row is a conflict (it stays, but nothing changes it again).</summary>
    private async Task<(LopRecord Row, List<PrescriptionRecord> Current)> OpenForChangeAsync(OpenBfrDbContext db, Guid athleteId, Guid lopId, int? expectedVersion, CancellationToken ct)
    {
        var row = await db.LopRecords.SingleOrDefaultAsync(l => l.Id == lopId && l.AthleteId == athleteId, ct) ?? throw new NotVisibleException();
        if (row.WithdrawnAt is not null)
        {
            throw await WithdrawnConflictAsync(db, row, expectedVersion, ct);
        }
        var current = await db.Prescriptions.Where(p => p.LopRecordId == lopId && p.AthleteId == athleteId && p.RetiredAt == null).ToListAsync(ct);
        return (row, current);
    }

    private async Task<Exception> WithdrawnConflictAsync(OpenBfrDbContext db, LopRecord row, int? seen, CancellationToken ct)
        => await RecordVersions.RemovalAsync(db, row.AthleteId, RevisedRecordKind.Lop, row.Id, ct) is { } removal
            ? await conflicts.RemovedAsync(What, seen, removal, ct)
            : new ConflictException(VersionConflicts.Title, $"this {What} is withdrawn; nothing was saved");

    /// <summary>
    /// Saves; when another request corrected or withdrew the row between our read and this write (the
    /// UPDATE names the version read and finds none, or the history already holds that version),
    /// answers the conflict as if it had been seen before.
    /// </summary>
    private async Task SaveAsync(OpenBfrDbContext db, Guid athleteId, Guid lopId, int readVersion, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            await using var fresh = await contexts.CreateDbContextAsync(ct);
            var now = await fresh.LopRecords.AsNoTracking().SingleOrDefaultAsync(l => l.Id == lopId && l.AthleteId == athleteId, ct);
            if (now?.WithdrawnAt is not null)
            {
                throw await WithdrawnConflictAsync(fresh, now, readVersion, ct);
            }
            if (now is not null && now.Version != readVersion)
            {
                throw await conflicts.ChangedAsync(What, readVersion, now.Version, now.UpdatedAt, now.UpdatedByUserId, LopDto.From(now, time.GetUtcNow()), ct);
            }
            throw;
        }
    }

    /// <summary>
    /// The corrected record, by create's rules (ranges and messages); the limb and position may change
    /// only while no prescription was made from it, and an estimated or automatic record only takes a note.
    /// </summary>
    private (LimbOcclusionPressure Lop, string? Note) ValidateCorrection(LopRecord row, UpdateLopRequest input, bool everPrescribed, DateTimeOffset now)
    {
        var limbText = input.Limb ?? row.Limb.ToKebab();
        var positionText = input.Position ?? row.Position.ToString().ToLowerInvariant();
        var (limb, position) = ParseLimbAndPosition(limbText, positionText);
        var width = input.CuffWidthCm ?? row.CuffWidthCm;
        var value = input.LopMmHg ?? row.ValueMmHg;
        var at = input.MeasuredAt ?? row.MeasuredAt;
        var changed = new (string Field, bool Changed, string Was, string Now)[]
        {
            ("limb", limb != row.Limb, row.Limb.ToKebab(), limbText),
            ("position", position != row.Position, row.Position.ToString().ToLowerInvariant(), positionText),
            ("cuffWidthCm", width != row.CuffWidthCm, Num(row.CuffWidthCm), Num(width)),
            ("lopMmHg", value != row.ValueMmHg, Num(row.ValueMmHg), Num(value)),
            ("measuredAt", at != row.MeasuredAt, $"{row.MeasuredAt:yyyy-MM-dd HH:mm}", $"{at:yyyy-MM-dd HH:mm}"),
        }.FirstOrDefault(f => f.Changed);
        if (changed.Field is { } field && row.Method != LopMethod.Doppler)
        {
            // The value is the equation's or the cuff's output, not something typed: correcting it by
            // hand would leave a number labelled "estimated" or "automatic" that neither produced.
            throw new InputException(field, row.Method == LopMethod.Estimated
                ? $"{field} cannot be corrected on an estimated LOP (it is the equation's result from thigh circumference, systolic pressure, age and sex); was {changed.Was}, asked {changed.Now}. Only the note can be corrected: withdraw it and estimate again with the corrected inputs"
                : $"{field} cannot be corrected on an automatic LOP (it is what the cuff measured); was {changed.Was}, asked {changed.Now}. Only the note can be corrected: withdraw it and measure again");
        }
        if (everPrescribed && (limb != row.Limb || position != row.Position))
        {
            var f = limb != row.Limb ? "limb" : "position";
            throw new InputException(f, $"{f} cannot change from {(f == "limb" ? row.Limb.ToKebab() : row.Position.ToString().ToLowerInvariant())} to {(f == "limb" ? limbText : positionText)}: prescriptions were made from this LOP and took their limb and position from it. Withdraw it and record a new LOP for the {limbText} {positionText} instead");
        }
        if (row.Method != LopMethod.Doppler)
        {
            return (row.ToDomain(), CheckedNote(input.Note ?? row.Note));
        }
        return ValidateDoppler(limbText, positionText, width, value, at, input.Note ?? row.Note, now);
    }

    /// <summary>A Doppler (or hand-entered) LOP by create's rules.</summary>
    /// <exception cref="InputException">a field is out of range; the message names it, the value and what is allowed.</exception>
    private static (LimbOcclusionPressure Lop, string? Note) ValidateDoppler(string? limbText, string? positionText, double cuffWidthCm, double lopMmHg, DateTimeOffset at, string? note,
        DateTimeOffset now)
    {
        var (limb, position) = ParseLimbAndPosition(limbText, positionText);
        if (at > now + TimeSpan.FromMinutes(5))
        {
            throw new InputException("measuredAt", $"measuredAt must not be in the future, was {at:yyyy-MM-dd HH:mm}");
        }
        // As for strength tests: year 1 was stored as a LOP "739942 days old".
        if (at < now.AddYears(-RecordDates.MaxAgeYears))
        {
            throw new InputException("measuredAt", $"measuredAt must be within the last {RecordDates.MaxAgeYears} years ({now.AddYears(-RecordDates.MaxAgeYears):yyyy-MM-dd} or later), was {at:yyyy-MM-dd HH:mm}");
        }
        var checkedNote = CheckedNote(note);
        try
        {
            var cuff = new CuffDescription(cuffWidthCm, limb.Kind());
            Guard.InRange(lopMmHg, LimbOcclusionPressure.MinAccepted.MmHg, LimbOcclusionPressure.MaxAccepted.MmHg, "mmHg", "lopMmHg");
            return (new LimbOcclusionPressure(Pressure.FromMmHg(lopMmHg), limb, position, cuff, LopMethod.Doppler, at), checkedNote);
        }
        catch (ArgumentException e)
        {
            throw InputException.From(e, e.ParamName == "widthCm" ? "cuffWidthCm" : e.ParamName);
        }
    }

    private static string? CheckedNote(string? note) => note is { Length: > MaxNoteLength }
        ? throw new InputException("note", $"note must be at most {MaxNoteLength} characters, was {note.Length}")
        : string.IsNullOrWhiteSpace(note) ? null : note;

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Estimates a thigh LOP and stores it as an estimated record carrying its uncertainty.</summary>
    /// <exception cref="InputException">a field out of range, or the equation does not apply (arm, narrow or non-18 cm cuff).</exception>
    public async Task<(LopRecord Record, LopEstimate Estimate)> EstimateAsync(Viewer viewer, Athlete athlete, EstimateLopRequest input, CancellationToken ct = default)
    {
        var (limb, position) = ParseLimbAndPosition(input.Limb, input.Position);
        var now = time.GetUtcNow();
        var age = input.AgeYears ?? (athlete.BirthYear is { } year ? now.Year - year : throw new InputException("ageYears", string.Create(CultureInfo.InvariantCulture, $"ageYears is required ({LopEstimator.MinAgeYears}–{LopEstimator.MaxAgeYears} years) when the athlete's birth year is unknown")));
        Sex sex;
        if (!string.IsNullOrWhiteSpace(input.Sex))
        {
            sex = input.Sex.Trim().ToLowerInvariant() switch
            {
                "male" => Sex.Male,
                "female" => Sex.Female,
                _ => throw new InputException("sex", $"sex must be male or female, was '{input.Sex}'"),
            };
        }
        else
        {
            sex = athlete.Sex ?? throw new InputException("sex", "sex is required (male or female) when the athlete's is unknown");
        }
        // Left out, each was read as 0 and refused as "was 0". The ranges are the estimator's (LopEstimator.Estimate).
        var width = InputException.Required(input.CuffWidthCm, "cuffWidthCm", string.Create(CultureInfo.InvariantCulture, $"{LopEstimator.EquationCuffWidthCm:0} cm, the only cuff the equation holds for"));
        var thigh = InputException.Required(input.ThighCircumferenceCm, "thighCircumferenceCm", string.Create(CultureInfo.InvariantCulture, $"{LopEstimator.MinThighCm}–{LopEstimator.MaxThighCm} cm"));
        var systolic = InputException.Required(input.SystolicMmHg, "systolicMmHg", string.Create(CultureInfo.InvariantCulture, $"{LopEstimator.MinSystolicMmHg}–{LopEstimator.MaxSystolicMmHg} mmHg"));
        try
        {
            var cuff = new CuffDescription(width, limb.Kind());
            var estimate = LopEstimator.Estimate(new LopEstimateInput(thigh, systolic, age, sex, cuff));
            var lop = LopEstimator.ToLop(estimate, limb, position, cuff, now);
            return (await SaveAsync(LopRecord.From(lop, athlete.Id, viewer.UserId, "estimated", now), ct), estimate);
        }
        catch (EstimationRefusedException e)
        {
            // The equation refuses an arm under its input, the cuff; here (as in the CLI's --limb) it is the limb.
            throw new InputException(e.Field == "cuff" ? "limb" : e.Field, e.Message);
        }
        catch (ArgumentException e)
        {
            throw InputException.From(e, e.ParamName switch { "widthCm" => "cuffWidthCm", "age" => "ageYears", "systolic" => "systolicMmHg", var p => p });
        }
    }

    /// <summary>
    /// Measures LOP automatically with the cuff layer's finder on a simulated cuff (oscillometric:
    /// the lowest pressure where arterial pulsations no longer show) and stores it. A failed
    /// measurement is reported, never guessed.
    /// </summary>
    /// <exception cref="InputException">bad input, or the finder reported a failure (its reason is the message).</exception>
    public async Task<(LopRecord Record, LopMeasurement Measurement, double TrueLopMmHg)> MeasureAutomaticAsync(Viewer viewer, Athlete athlete, AutomaticLopRequest input, CancellationToken ct = default)
    {
        var (limb, position) = ParseLimbAndPosition(input.Limb, input.Position);
        var truth = input.SimulatedTrueLopMmHg ?? (limb.IsLeg() ? SimulatedLimb.TypicalLegLopMmHg(position) : 150);
        if (truth is < 80 or > 300 || !double.IsFinite(truth))
        {
            throw new InputException("simulatedTrueLopMmHg", $"simulatedTrueLopMmHg must be 80–300 mmHg, was {truth}");
        }
        var simulated = limb.IsLeg() ? SimulatedLimb.Leg(truth, position, input.Seed) : SimulatedLimb.Arm(truth, position, input.Seed);
        var measurement = LopFinderRig.Measure(simulated);
        if (!measurement.Succeeded)
        {
            throw new InputException("automatic", $"automatic LOP failed ({measurement.Failure}): {measurement.Message}");
        }
        var cuff = limb.IsLeg() ? CuffDescription.StandardLeg : CuffDescription.StandardArm;
        // The finder's ± travels with the value, rounded up, so prescriptions use its low end (LimbOcclusionPressure.PrescribingReference).
        var uncertainty = measurement.Uncertainty is { } u ? Pressure.FromMmHg(Math.Ceiling(u.MmHg)) : (Pressure?)null;
        var lop = new LimbOcclusionPressure(measurement.Lop!.Value.RoundedToWholeMmHg(), limb, position, cuff, LopMethod.Automatic, time.GetUtcNow(), uncertainty);
        var note = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"automatic (simulated cuff, true LOP {truth:0}): ± {lop.Uncertainty.MmHg:0} mmHg, confidence {measurement.Confidence:0.00}, {measurement.Duration.TotalSeconds:0} s");
        return (await SaveAsync(LopRecord.From(lop, athlete.Id, viewer.UserId, note, time.GetUtcNow()), ct), measurement, truth);
    }

    /// <summary>Parses the limb and position fields.</summary>
    /// <exception cref="InputException">either is not one of the allowed names.</exception>
    public static (Limb Limb, BodyPosition Position) ParseLimbAndPosition(string? limbText, string? positionText)
    {
        // Left out, each was refused as "was ''", as if an empty value had been sent.
        const string Limbs = "left-leg, right-leg, left-arm, right-arm", Positions = "supine, seated, standing";
        if (limbText is null)
        {
            throw new InputException("limb", $"limb is required (one of {Limbs})");
        }
        if (!LimbExtensions.TryParseLimb(limbText, out var limb))
        {
            throw new InputException("limb", $"limb must be one of {Limbs}; was '{Api.RequestBindingProblems.Quote(limbText)}'");
        }
        if (positionText is null)
        {
            throw new InputException("position", $"position is required (one of {Positions})");
        }
        if (!Enum.TryParse<BodyPosition>(positionText, ignoreCase: true, out var position) || !Enum.IsDefined(position) || int.TryParse(positionText, out _))
        {
            throw new InputException("position", $"position must be one of {Positions}; was '{Api.RequestBindingProblems.Quote(positionText)}'");
        }
        return (limb, position);
    }

    private async Task<LopRecord> SaveAsync(LopRecord record, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.LopRecords.Add(record);
        await db.SaveChangesAsync(ct);
        return record;
    }
}
