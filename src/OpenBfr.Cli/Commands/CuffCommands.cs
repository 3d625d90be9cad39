using System.CommandLine;
using OpenBfr.Cli.Infrastructure;
using OpenBfr.Core.Limbs;
using OpenBfr.Cuff.Lop;
using OpenBfr.Cuff.Simulation;

namespace OpenBfr.Cli.Commands;

/// <summary>
/// Exit codes of the cuff and session commands beyond the common 0/1/2 (<see cref="ExitCodes"/>).
/// </summary>
public static class CuffExitCodes
{
    /// <summary>The safety supervisor (or a symptom) ended the session; the cuffs were deflated and the reason printed.</summary>
    public const int SafetyAbort = 3;

    /// <summary>The measurement ran but gave no value (no pulse, pulses above the cap, motion, low confidence, device problem); the reason is printed.</summary>
    public const int MeasurementFailed = 4;
}

/// <summary><c>openbfr cuff find-lop</c>: the automatic LOP finder, on a simulated limb.</summary>
public static class CuffCommands
{
    public static Command Create()
    {
        var simulate = new Option<bool>("--simulate") { Description = "Measure a simulated limb (no hardware driver ships yet; required)" };
        var trueLop = CliOptions.Number("--true-lop", "The simulated limb's true LOP, mmHg (50–400)");
        var position = CliOptions.Choice<BodyPosition>("--position", "Body position", required: false, defaultValue: BodyPosition.Supine);
        var limb = CliOptions.LimbOption("--limb", "The limb (default left-leg)", required: false);
        limb.DefaultValueFactory = _ => Limb.LeftLeg;
        var seed = CliOptions.Integer("--seed", "Seed of the simulated limb (default 1)", required: false);
        seed.DefaultValueFactory = _ => 1;

        var findLop = new Command("find-lop",
            "Measure limb occlusion pressure automatically: step inflation, oscillometric pulse analysis, LOP where the pulse vanishes. " +
            $"Exit {CuffExitCodes.MeasurementFailed} when it gives no value (the reason is printed).")
        {
            simulate, trueLop, position, limb, seed,
        };
        findLop.SetOpenBfrAction((pr, cli) =>
        {
            if (!pr.GetValue(simulate))
            {
                throw new UsageException("--simulate", null, "is required: no cuff hardware driver ships yet; add --simulate to measure a simulated limb");
            }
            var l = pr.GetValue(limb);
            var p = pr.GetValue(position);
            var s = pr.GetValue(seed);
            var lop = pr.GetValue(trueLop);
            var simulated = l.IsLeg() ? SimulatedLimb.Leg(lop, p, s) : SimulatedLimb.Arm(lop, p, s);
            var m = LopFinderRig.Measure(simulated);
            var error = m.Lop is { } found ? found.MmHg - lop : (double?)null;
            var dto = new FindLopDto(
                m.Succeeded, m.Lop?.MmHg, m.Uncertainty?.MmHg, Math.Round(m.Confidence, 2), m.Succeeded ? null : CliOptions.Kebab(m.Failure), m.Message,
                lop, error is { } e ? Math.Round(e, 1) : null, Math.Round(m.Duration.TotalSeconds, 1), l.ToKebab(), CliOptions.Kebab(p), s,
                m.Steps.Select(x => new FindLopStepDto(Math.Round(x.LevelMmHg, 1), Math.Round(x.PulseAmplitudeMmHg, 3))).ToList());
            cli.Write(dto, d => d.Succeeded
                ? $"LOP {Text.N(d.LopMmHg!.Value, "0")} ± {Text.N(d.UncertaintyMmHg ?? 0, "0")} mmHg ({d.Limb}, {d.Position}, simulated, seed {d.Seed}); confidence {Text.N(d.Confidence, "0.00")}\n" +
                  $"simulated true LOP {Text.N(d.TrueLopMmHg)} mmHg: error {(d.ErrorMmHg >= 0 ? "+" : "")}{Text.N(d.ErrorMmHg!.Value)} mmHg\n" +
                  $"took {Text.N(d.Seconds)} s ({d.Steps.Count} pressure steps, cuff deflated)\n"
                : $"no LOP: {d.Message} [{d.Failure}]\n" +
                  $"simulated true LOP {Text.N(d.TrueLopMmHg)} mmHg ({d.Limb}, {d.Position}, seed {d.Seed}); took {Text.N(d.Seconds)} s, cuff deflated\n");
            return m.Succeeded ? ExitCodes.Success : CuffExitCodes.MeasurementFailed;
        }, new CoreErrorMap().Field(nameof(SimulatedLimb), trueLop).Field("lop", trueLop));

        return new Command("cuff", "The cuff: automatic LOP measurement") { findLop };
    }
}

/// <summary>The JSON of <c>cuff find-lop</c>.</summary>
public sealed record FindLopDto(
    bool Succeeded,
    double? LopMmHg,
    double? UncertaintyMmHg,
    double Confidence,
    string? Failure,
    string Message,
    double TrueLopMmHg,
    double? ErrorMmHg,
    double Seconds,
    string Limb,
    string Position,
    int Seed,
    IReadOnlyList<FindLopStepDto> Steps);

/// <summary>One pressure step: the level and the pulse amplitude found there (rms, mmHg).</summary>
public sealed record FindLopStepDto(double LevelMmHg, double PulseMmHg);
