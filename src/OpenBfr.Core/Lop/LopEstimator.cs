using OpenBfr.Core.Limbs;
using OpenBfr.Core.Units;

namespace OpenBfr.Core.Lop;

/// <summary>Biological sex as the estimation equation codes it.</summary>
public enum Sex
{
    Male = 1,
    Female = 2,
}

/// <summary>The inputs of a thigh LOP estimate.</summary>
/// <param name="ThighCircumferenceCm">30–100 cm, measured at the cuff site.</param>
/// <param name="SystolicMmHg">70–250 mmHg, resting.</param>
/// <param name="AgeYears">14–100 years.</param>
/// <param name="Sex">as the equation codes it.</param>
/// <param name="Cuff">must be an 18 cm leg cuff.</param>
public sealed record LopEstimateInput(double ThighCircumferenceCm, double SystolicMmHg, double AgeYears, Sex Sex, CuffDescription Cuff);

/// <summary>An estimated LOP with its uncertainty.</summary>
public sealed record LopEstimate(Pressure Lop, Pressure StandardErrorOfEstimate, double RSquared, string Source)
{
    /// <summary>The approximate 95% range (± 1.96 SEE).</summary>
    public Pressure Low95 => Lop - StandardErrorOfEstimate * 1.96;

    /// <summary>The approximate 95% range (± 1.96 SEE).</summary>
    public Pressure High95 => Lop + StandardErrorOfEstimate * 1.96;
}

/// <summary>
/// Estimates thigh arterial occlusion pressure with the equation of Rev Bras Med Esporte
/// 2019;25(6):494 (18 cm cuff): AOP = 65.290 + 1.110·thigh + 0.178·SBP + 1.153·age − 7.984·sex.
/// Refuses what the equation was not derived for.
/// </summary>
public static class LopEstimator
{
    /// <summary>Cuff width the equation was derived with.</summary>
    public const double EquationCuffWidthCm = 18;

    /// <summary>Standard error of the estimate, mmHg (Rev Bras Med Esporte 2019;25(6):494).</summary>
    public static readonly Pressure StandardError = Pressure.FromMmHg(15.3);

    /// <summary>Coefficient of determination of the equation (Rev Bras Med Esporte 2019;25(6):494).</summary>
    public const double RSquared = 0.397;

    /// <summary>Thigh circumferences the estimate accepts, cm.</summary>
    public const double MinThighCm = 30, MaxThighCm = 100;

    /// <summary>Resting systolic pressures the estimate accepts, mmHg.</summary>
    public const double MinSystolicMmHg = 70, MaxSystolicMmHg = 250;

    /// <summary>Ages the estimate accepts, years.</summary>
    public const double MinAgeYears = 14, MaxAgeYears = 100;

    /// <summary>Estimates the thigh LOP.</summary>
    /// <exception cref="ArgumentOutOfRangeException">an input outside its allowed range.</exception>
    /// <exception cref="EstimationRefusedException">an arm, a narrow leg cuff or a cuff width other than 18 cm.</exception>
    public static LopEstimate Estimate(LopEstimateInput input)
    {
        Guard.NotNull(input);
        var cuff = input.Cuff;
        if (cuff.LimbKind == LimbKind.Arm)
        {
            throw new EstimationRefusedException("cuff", "arm",
                "LOP can only be estimated for the thigh; measure an arm's LOP with Doppler or the automatic cuff");
        }
        if (cuff.WidthCm < CuffDescription.NarrowLegCuffBelowCm)
        {
            throw new EstimationRefusedException("cuffWidthCm", cuff.WidthCm.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture),
                $"narrow leg cuffs (< {CuffDescription.NarrowLegCuffBelowCm:0} cm) cannot be estimated precisely ({Sources.Spitz2024}); the equation needs an 18 cm cuff");
        }
        if (Math.Abs(cuff.WidthCm - EquationCuffWidthCm) > 0.5)
        {
            throw new EstimationRefusedException("cuffWidthCm", cuff.WidthCm.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture),
                $"the estimation equation holds only for an 18 cm thigh cuff ({Sources.RevBrasMedEsporte2019})");
        }
        Guard.InRange(input.ThighCircumferenceCm, MinThighCm, MaxThighCm, "cm", "thighCircumferenceCm");
        Guard.InRange(input.SystolicMmHg, MinSystolicMmHg, MaxSystolicMmHg, "mmHg", "systolic");
        Guard.InRange(input.AgeYears, MinAgeYears, MaxAgeYears, "years", "age");
        Guard.Defined(input.Sex, "sex");

        // Rev Bras Med Esporte 2019;25(6):494, sex coded 1 = male, 2 = female.
        var aop = 65.290
            + 1.110 * input.ThighCircumferenceCm
            + 0.178 * input.SystolicMmHg
            + 1.153 * input.AgeYears
            - 7.984 * (int)input.Sex;
        return new LopEstimate(Pressure.FromMmHg(aop), StandardError, RSquared, Sources.RevBrasMedEsporte2019);
    }

    /// <summary>The estimate as a LOP record for a leg, carrying its uncertainty (SEE), for the position the inputs were taken in.</summary>
    public static LimbOcclusionPressure ToLop(LopEstimate estimate, Limb limb, BodyPosition position, CuffDescription cuff, DateTimeOffset at)
        => new(estimate.Lop.RoundedToWholeMmHg(), limb, position, cuff, LopMethod.Estimated, at, estimate.StandardErrorOfEstimate);
}
