using System.CommandLine;
using OpenBfr.Cli.Infrastructure;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Units;
using OpenBfr.Formats.Fit;

namespace OpenBfr.Cli.Planning;

/// <summary><c>openbfr export fit-workout --protocol strength-lower --lop 200 --out FILE</c>.</summary>
public static class ExportCommands
{
    public static Command Create()
    {
        var protocol = new Option<string>("--protocol") { Description = "Protocol name (openbfr protocols list)", Required = true };
        var lop = CliOptions.Number("--lop", "Limb occlusion pressure, mmHg, measured in the exercise position (50–400)");
        var percent = CliOptions.OptionalNumber("--percent", "Target, % LOP (default: the protocol's usual target)");
        var limb = CliOptions.LimbOption("--limb", "The cuffed limb (default: left leg, or left arm for arm protocols)", required: false);
        var output = new Option<string>("--out") { Description = "The .fit file to write", Required = true };
        var fit = new Command("fit-workout", "Write a BFR session as a FIT workout file (sets, reps, rests, cuff pressure in the notes) for a watch")
        {
            protocol, lop, percent, limb, output,
        };
        fit.SetOpenBfrAction((pr, cli) =>
        {
            var name = pr.GetValue(protocol)!;
            if (!ProtocolCatalog.TryGet(name, out var p))
            {
                throw new UsageException("--protocol", $"'{name}'", $"is not a protocol; use {CliOptions.Alternatives(ProtocolCatalog.All.Select(x => x.Name))}");
            }
            var kind = p.LimbKind ?? LimbKind.Leg;
            var cuffedLimb = pr.GetResult(limb) is null ? (kind == LimbKind.Arm ? Limb.LeftArm : Limb.LeftLeg) : pr.GetValue(limb);
            if (p.LimbKind is { } protocolKind && cuffedLimb.Kind() != protocolKind)
            {
                throw new UsageException("--limb", cuffedLimb.ToKebab(), $"does not fit protocol {p.Name}, which is for the {protocolKind.ToString().ToLowerInvariant()}s");
            }
            // The workout is for today's session: the LOP is taken as just measured in the exercise's position.
            var position = p.Modality == Modality.Passive ? BodyPosition.Supine : p.Name.Contains("cycl", StringComparison.Ordinal) ? BodyPosition.Seated : BodyPosition.Standing;
            var now = cli.Clock.GetUtcNow();
            var cuff = cuffedLimb.Kind() == LimbKind.Arm ? CuffDescription.StandardArm : CuffDescription.StandardLeg;
            var measured = new LimbOcclusionPressure(Pressure.FromMmHg(pr.GetValue(lop)), cuffedLimb, position, cuff, LopMethod.Doppler, now);
            var rx = Prescriber.Prescribe(new PrescriptionRequest(measured, cuffedLimb, p.Modality, position, now, pr.GetValue(percent), Protocol: p));
            var bytes = FitWorkoutWriter.Write(rx, now);
            var path = pr.GetValue(output)!;
            CliFiles.Write("--out", path, bytes);
            var dto = new FitWorkoutDto(path, bytes.Length, p.Name, cuffedLimb.ToKebab(), rx.Target.MmHg, rx.TargetPercent, rx.Low.MmHg, rx.High.MmHg,
                Math.Round(p.TotalDuration.TotalMinutes, 1), rx.Sources);
            return cli.Write(dto, d => $"wrote {d.File} ({d.Bytes} bytes): {p.Title}, cuff {Text(d.TargetMmHg)} mmHg on the {d.Limb} ({Text(d.TargetPercentLop)}% LOP; band {Text(d.LowMmHg)}–{Text(d.HighMmHg)} mmHg), about {Text(d.Minutes)} min");
        }, new CoreErrorMap().Field("lop", lop).Field("percent", percent).SafetyLimit(percent).LopNotUsable(lop));
        return new Command("export", "Export for other tools: FIT workouts for watches") { fit };
    }

    private static string Text(double v) => v.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What <c>export fit-workout</c> wrote.</summary>
public sealed record FitWorkoutDto(string File, int Bytes, string Protocol, string Limb, double TargetMmHg, double TargetPercentLop, double LowMmHg, double HighMmHg,
    double Minutes, IReadOnlyList<string> Sources);
