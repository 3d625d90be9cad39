using Microsoft.EntityFrameworkCore;
using OpenBfr.Core;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Lop;
using OpenBfr.Cuff.Simulation;
using OpenBfr.Data;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Lop;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Lop;

/// <summary>A LOP measured by Doppler (or read off another device).</summary>
/// <param name="Limb">"left-leg", "right-leg", "left-arm" or "right-arm".</param>
/// <param name="Position">"supine", "seated" or "standing".</param>
/// <param name="CuffWidthCm">2–30 cm.</param>
/// <param name="LopMmHg">50–400 mmHg.</param>
/// <param name="MeasuredAt">when; default now; not in the future.</param>
/// <param name="Note">≤ 200 characters.</param>
public sealed record RecordLopRequest(string Limb, string Position, double CuffWidthCm, double LopMmHg, DateTimeOffset? MeasuredAt = null, string? Note = null);

/// <summary>Inputs of a thigh LOP estimate (Rev Bras Med Esporte 2019;25(6):494, 18 cm cuff only).</summary>
/// <param name="Limb">"left-leg" or "right-leg".</param>
/// <param name="Position">the position the athlete will train in.</param>
/// <param name="CuffWidthCm">must be 18 cm.</param>
/// <param name="ThighCircumferenceCm">30–100 cm.</param>
/// <param name="SystolicMmHg">70–250 mmHg.</param>
/// <param name="AgeYears">14–100; default from the athlete's birth year.</param>
/// <param name="Sex">"male" or "female"; default the athlete's.</param>
public sealed record EstimateLopRequest(string Limb, string Position, double CuffWidthCm, double ThighCircumferenceCm, double SystolicMmHg, double? AgeYears = null, string? Sex = null);

/// <summary>An automatic measurement through a simulated cuff.</summary>
/// <param name="Limb">the limb.</param>
/// <param name="Position">supine, seated or standing.</param>
/// <param name="SimulatedTrueLopMmHg">the simulated limb's true LOP, 80–300 mmHg; default the typical leg LOP for the position (Hughes et al. 2018) or 150 for an arm.</param>
/// <param name="Seed">seeds the simulated limb (pulse, noise).</param>
public sealed record AutomaticLopRequest(string Limb, string Position, double? SimulatedTrueLopMmHg = null, int Seed = 1);

/// <summary>LOP records: list, Doppler entry, estimate. Callers open the athlete through <c>AthleteDirectory</c> first.</summary>
public sealed class LopService(IDbContextFactory<OpenBfrDbContext> contexts, TimeProvider time)
{
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

    public async Task<List<LopRecord>> ListAsync(Guid athleteId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.LopRecords.AsNoTracking().Where(l => l.AthleteId == athleteId).OrderByDescending(l => l.MeasuredAt).ToListAsync(ct);
    }

    /// <exception cref="InputException">a field is out of range.</exception>
    public async Task<LopRecord> RecordAsync(Viewer viewer, Athlete athlete, RecordLopRequest input, CancellationToken ct = default)
    {
        var (limb, position) = ParseLimbAndPosition(input.Limb, input.Position);
        var now = time.GetUtcNow();
        var at = input.MeasuredAt ?? now;
        if (at > now + TimeSpan.FromMinutes(5))
        {
            throw new InputException("measuredAt", $"measuredAt must not be in the future, was {at:yyyy-MM-dd HH:mm}");
        }
        if (input.Note is { Length: > 200 })
        {
            throw new InputException("note", $"note must be at most 200 characters, was {input.Note.Length}");
        }
        LimbOcclusionPressure lop;
        try
        {
            var cuff = new CuffDescription(input.CuffWidthCm, limb.Kind());
            Guard.InRange(input.LopMmHg, LimbOcclusionPressure.MinAccepted.MmHg, LimbOcclusionPressure.MaxAccepted.MmHg, "mmHg", "lopMmHg");
            lop = new LimbOcclusionPressure(Pressure.FromMmHg(input.LopMmHg), limb, position, cuff, LopMethod.Doppler, at);
        }
        catch (ArgumentException e)
        {
            throw InputException.From(e, e.ParamName == "widthCm" ? "cuffWidthCm" : e.ParamName);
        }
        return await SaveAsync(LopRecord.From(lop, athlete.Id, viewer.UserId, input.Note), ct);
    }

    /// <summary>Estimates a thigh LOP and stores it as an estimated record carrying its uncertainty.</summary>
    /// <exception cref="InputException">a field out of range, or the equation does not apply (arm, narrow or non-18 cm cuff).</exception>
    public async Task<(LopRecord Record, LopEstimate Estimate)> EstimateAsync(Viewer viewer, Athlete athlete, EstimateLopRequest input, CancellationToken ct = default)
    {
        var (limb, position) = ParseLimbAndPosition(input.Limb, input.Position);
        var now = time.GetUtcNow();
        var age = input.AgeYears ?? (athlete.BirthYear is { } year ? now.Year - year : throw new InputException("ageYears", "ageYears is required (14–100 years) when the athlete's birth year is unknown"));
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
        try
        {
            var cuff = new CuffDescription(input.CuffWidthCm, limb.Kind());
            var estimate = LopEstimator.Estimate(new LopEstimateInput(input.ThighCircumferenceCm, input.SystolicMmHg, age, sex, cuff));
            var lop = LopEstimator.ToLop(estimate, limb, position, cuff, now);
            return (await SaveAsync(LopRecord.From(lop, athlete.Id, viewer.UserId, "estimated"), ct), estimate);
        }
        catch (EstimationRefusedException e)
        {
            throw new InputException(e.Field, e.Message);
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
        return (await SaveAsync(LopRecord.From(lop, athlete.Id, viewer.UserId, note), ct), measurement, truth);
    }

    /// <summary>Parses the limb and position fields.</summary>
    /// <exception cref="InputException">either is not one of the allowed names.</exception>
    public static (Limb Limb, BodyPosition Position) ParseLimbAndPosition(string? limbText, string? positionText)
    {
        if (!LimbExtensions.TryParseLimb(limbText, out var limb))
        {
            throw new InputException("limb", $"limb must be one of left-leg, right-leg, left-arm, right-arm; was '{limbText}'");
        }
        if (!Enum.TryParse<BodyPosition>(positionText, ignoreCase: true, out var position) || !Enum.IsDefined(position) || int.TryParse(positionText, out _))
        {
            throw new InputException("position", $"position must be one of supine, seated, standing; was '{positionText}'");
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
