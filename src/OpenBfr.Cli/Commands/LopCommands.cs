using System.CommandLine;
using OpenBfr.Cli.Infrastructure;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;

namespace OpenBfr.Cli.Commands;

/// <summary><c>openbfr lop estimate</c>: the thigh LOP equation with its uncertainty and refusals.</summary>
public static class LopCommands
{
    public static Command Create()
    {
        var thigh = CliOptions.Number("--thigh-cm", "Thigh circumference at the cuff site, cm (30–100)");
        var systolic = CliOptions.Number("--systolic", "Resting systolic blood pressure, mmHg (70–250)");
        var age = CliOptions.Number("--age", "Age, years (14–100)");
        var sex = CliOptions.Choice<Sex>("--sex", "Sex as the equation codes it");
        var width = CliOptions.Number("--cuff-width-cm", "Cuff bladder width, cm (the equation holds only for 18 cm thigh cuffs)");
        var limb = CliOptions.LimbOption("--limb", "The limb (the equation is for the thigh only; default left-leg)", required: false);
        limb.DefaultValueFactory = _ => Limb.LeftLeg;

        var estimate = new Command("estimate",
            "Estimate thigh LOP from circumference, systolic pressure, age and sex (18 cm cuff only; a last resort: measure when you can)")
        {
            thigh, systolic, age, sex, width, limb,
        };
        estimate.SetOpenBfrAction((pr, cli) =>
        {
            var l = pr.GetValue(limb);
            var cuffWidth = pr.GetValue(width);
            var cuff = new CuffDescription(cuffWidth, l.Kind());
            var e = LopEstimator.Estimate(new LopEstimateInput(pr.GetValue(thigh), pr.GetValue(systolic), pr.GetValue(age), pr.GetValue(sex), cuff));
            var dto = new LopEstimateDto(
                Math.Round(e.Lop.MmHg, 1),
                e.StandardErrorOfEstimate.MmHg,
                Math.Round(e.Low95.MmHg, 1),
                Math.Round(e.High95.MmHg, 1),
                Math.Round((e.Lop - e.StandardErrorOfEstimate).MmHg, 1),
                e.RSquared,
                l.ToKebab(),
                cuffWidth,
                "estimated",
                e.Source,
                "An estimate is a last resort: prescriptions from it use its low end (LOP − SEE) and the low end of the range. Measure LOP with Doppler or the automatic cuff when you can.");
            return cli.Write(dto, d =>
                $"Estimated LOP ({d.Limb}, {Text.N(d.CuffWidthCm)} cm cuff): {Text.N(d.LopMmHg)} mmHg ± {Text.N(d.SeeMmHg)} mmHg (SEE), 95% range {Text.N(d.Low95MmHg, "0")}–{Text.N(d.High95MmHg, "0")} mmHg, R² {Text.N(d.RSquared, "0.###")}\n" +
                $"Prescriptions use the low end: {Text.N(d.PrescribingLopMmHg)} mmHg.\n" +
                $"{d.Note}\n" +
                $"Source: {d.Source}\n");
        }, new CoreErrorMap()
            .Field("thighCircumferenceCm", thigh)
            .Field("systolic", systolic)
            .Field("age", age)
            .Field("sex", sex)
            .Field("cuffWidthCm", width)
            .Field("widthCm", width)
            .Field("cuff", limb));

        return new Command("lop", "Limb occlusion pressure (LOP)") { estimate };
    }
}

/// <summary>The JSON of <c>lop estimate</c>.</summary>
public sealed record LopEstimateDto(
    double LopMmHg,
    double SeeMmHg,
    double Low95MmHg,
    double High95MmHg,
    double PrescribingLopMmHg,
    double RSquared,
    string Limb,
    double CuffWidthCm,
    string Method,
    string Source,
    string Note);
