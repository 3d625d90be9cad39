using System.CommandLine;
using OpenBfr.Cli.Infrastructure;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Screening;
using OpenBfr.Core.Units;

namespace OpenBfr.Cli.Commands;

/// <summary><c>openbfr prescribe</c>: pressure band, target and protocol for a limb and modality, within the hard limits.</summary>
public static class PrescribeCommands
{
    public static Command Create()
    {
        var lop = CliOptions.Number("--lop", "Limb occlusion pressure, mmHg (50–400), measured in the exercise position just now");
        var limb = CliOptions.LimbOption("--limb", "The limb the cuff is on");
        var modality = CliOptions.Choice<Modality>("--modality", "Kind of BFR");
        var method = CliOptions.Choice<LopMethod>("--lop-method", "How the LOP was obtained (default doppler)", required: false, defaultValue: LopMethod.Doppler);
        var position = new Option<BodyPosition?>("--position")
        {
            Description = "Body position of the LOP measurement and the exercise: supine, seated, standing; one the protocol is done in (default: its usual one — standing for strength-lower, strength-upper, aerobic-walk, walk-intervals and sprint-recovery, seated for aerobic-cycle and cycling, supine for passive; openbfr protocols show NAME lists them)",
            CustomParser = r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
                if (CliOptions.TryParseEnum<BodyPosition>(text, out var v)) return v;
                r.AddError($"--position: '{text}' is not allowed; use supine, seated or standing");
                return null;
            },
        };
        var lopPosition = new Option<BodyPosition?>("--lop-position")
        {
            Description = "Body position the LOP was measured in, when you give it separately (default: --position); it must match the exercise position",
            CustomParser = r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
                if (CliOptions.TryParseEnum<BodyPosition>(text, out var v)) return v;
                r.AddError($"--lop-position: '{text}' is not allowed; use supine, seated or standing");
                return null;
            },
        };
        var measured = new Option<DateTimeOffset?>("--lop-measured")
        {
            Description = "When the LOP was measured (yyyy-mm-dd or yyyy-mm-ddThh:mmZ, UTC; default now); older than 7 days cannot set a pressure",
            CustomParser = r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
                if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var v)) return v;
                r.AddError($"--lop-measured: '{text}' is not a date; use yyyy-mm-dd or yyyy-mm-ddThh:mmZ");
                return null;
            },
        };
        var percent = CliOptions.OptionalNumber("--percent", "Target, % LOP, within the modality's range for the limb (default: the usual target)");
        var uncertainty = CliOptions.OptionalNumber("--lop-uncertainty", "± mmHg of an estimated LOP (default 15.3, the equation's SEE)");
        var cuffWidth = CliOptions.OptionalNumber("--cuff-width-cm", "Cuff width, cm (default 11.5 for a leg, 5 for an arm)");
        var protocolName = new Option<string>("--protocol") { Description = "A protocol by name (openbfr protocols list); default: the modality's" };
        var answers = new Option<string>("--answers") { Description = "Screening answers file: refuse a limb that is not eligible or not cleared; conservative when cleared" };

        var command = new Command("prescribe", "Prescribe BFR pressure (low, high, target mmHg) and dose for a limb and modality, with sources")
        {
            lop, limb, modality, method, position, lopPosition, measured, percent, uncertainty, cuffWidth, protocolName, answers,
        };
        command.SetOpenBfrAction((pr, cli) =>
        {
            var l = pr.GetValue(limb);
            var m = pr.GetValue(method);
            var mod = pr.GetValue(modality);
            var givenPosition = pr.GetValue(position);
            Protocol? protocol = null;
            if (pr.GetValue(protocolName) is { } name && !ProtocolCatalog.TryGet(name, out protocol))
            {
                throw new UsageException(protocolName.Name, $"'{name}'", $"is not a protocol; use {CliOptions.Alternatives(ProtocolCatalog.All.Select(p => p.Name))}");
            }
            // The protocol prescribed (the modality's for the limb when none is named) says which positions it is done in.
            var pos = givenPosition ?? (protocol ?? ProtocolCatalog.For(mod, l.Kind())).UsualPosition;
            var now = cli.Clock.GetUtcNow();
            var cuff = pr.GetValue(cuffWidth) is { } w ? new CuffDescription(w, l.Kind())
                : l.IsLeg() ? CuffDescription.StandardLeg : CuffDescription.StandardArm;
            Pressure? see = m == LopMethod.Estimated ? Pressure.FromMmHg(pr.GetValue(uncertainty) ?? LopEstimator.StandardError.MmHg)
                : pr.GetValue(uncertainty) is { } u ? Pressure.FromMmHg(u) : null;
            var record = new LimbOcclusionPressure(Pressure.FromMmHg(pr.GetValue(lop)), l, pr.GetValue(lopPosition) ?? pos, cuff, m, pr.GetValue(measured) ?? now, see);
            if (LopValidity.Problem(record, l, pos, now) is { } problem)
            {
                // A LOP from another position or too old cannot set a pressure (DESIGN.md section 3): name the option that made it so.
                throw new UsageException(record.Position != pos ? lopPosition.Name : measured.Name, null, problem);
            }

            var needsClearance = false;
            string? screeningNote = null;
            if (pr.GetValue(answers) is { } path)
            {
                var q = Questionnaire.Default;
                var result = ScreeningAnswersFile.Evaluate(ScreeningAnswersFile.Read(path, answers.Name, q, cli.Today), path, answers.Name, q, cli.Today);
                var screening = result.For(l);
                if (!screening.MayTrain)
                {
                    var expired = screening.Eligibility == Eligibility.NeedsClearance ? result.ExpiredClearances(l) : [];
                    throw new UsageException(answers.Name, null,
                        $"{path}: the {l.ToKebab()} is {screening.Eligibility} ({string.Join(", ", screening.ReasonIds)}); no BFR prescription" +
                        (screening.Eligibility == Eligibility.NeedsClearance ? " until a clinician records clearance" : "") +
                        (expired.Count > 0 ? $": {string.Join("; ", expired)}" : ""));
                }
                needsClearance = screening.ConservativePressure;
                screeningNote = screening.ConservativePressure
                    ? $"screening: {l.ToKebab()} cleared by a clinician ({string.Join(", ", screening.ReasonIds)}); conservative pressure"
                    : $"screening: {l.ToKebab()} eligible";
            }

            Prescription p;
            try
            {
                p = Prescriber.Prescribe(new PrescriptionRequest(record, l, mod, pos, now, pr.GetValue(percent), needsClearance, protocol));
            }
            catch (ArgumentException e) when (e.ParamName == "position")
            {
                throw PositionRefused(position.Name, protocol ?? ProtocolCatalog.For(mod, l.Kind()), pos, e);
            }
            var positionNote = givenPosition is null
                ? $"position {CliOptions.Kebab(pos)}: the usual one for {p.Protocol.Name}; the LOP must have been measured {CliOptions.Kebab(pos)} (pass --position otherwise)"
                : null;
            var dto = PrescriptionDto.From(p, pos, [.. new[] { positionNote, screeningNote }.OfType<string>()]);
            return cli.Write(dto, _ => Describe(p, dto));
        }, new CoreErrorMap()
            .Field("percent", percent)
            .Field("lop", lop)
            .Field("mmHg", lop)
            .Field("uncertainty", uncertainty)
            .Field("widthCm", cuffWidth)
            .Field("protocol", protocolName)
            .Field("limb", limb)
            .SafetyLimit(lop)
            .LopNotUsable(measured));
        return command;
    }

    /// <summary>
    /// The usage error for the core's refusal of a position <paramref name="protocol"/> is not done in
    /// (<see cref="Prescriber.Prescribe"/>, param "position"): the option, its value and the allowed values, then the core's why.
    /// </summary>
    public static UsageException PositionRefused(string option, Protocol protocol, BodyPosition position, ArgumentException refusal)
        => new(option, CliOptions.Kebab(position),
            $"is not allowed for {protocol.Name}; use {CliOptions.Alternatives(protocol.Positions.Select(CliOptions.Kebab))} ({refusal.Message.Split(" (Parameter", 2)[0]})");

    private static string Describe(Prescription p, PrescriptionDto d)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"{d.Limb}, {d.Modality}, {d.Position}: target {Text.N(d.TargetMmHg)} mmHg ({Text.N(d.TargetPercent)}% of LOP {Text.N(d.ReferenceLopMmHg)} mmHg)");
        sb.AppendLine($"range {Text.N(d.LowMmHg)}–{Text.N(d.HighMmHg)} mmHg ({Text.N(d.LowPercent)}–{Text.N(d.HighPercent)}% LOP){(d.Conservative ? "; conservative (low end)" : "")}");
        sb.AppendLine($"LOP {Text.N(d.LopMmHg)} mmHg{(d.LopUncertaintyMmHg > 0 ? $" ± {Text.N(d.LopUncertaintyMmHg)}" : "")} ({d.LopMethod}), valid only {d.Position}");
        sb.AppendLine();
        sb.Append(ProtocolDto.Describe(p.Protocol));
        if (d.Notes.Count > 0)
        {
            sb.AppendLine();
            foreach (var n in d.Notes) sb.AppendLine($"note: {n}");
        }
        sb.AppendLine();
        foreach (var s in d.Sources) sb.AppendLine($"source: {s}");
        return sb.ToString();
    }
}

/// <summary>The JSON of <c>prescribe</c>.</summary>
public sealed record PrescriptionDto(
    string Limb,
    string Modality,
    string Position,
    double LopMmHg,
    string LopMethod,
    double LopUncertaintyMmHg,
    double ReferenceLopMmHg,
    double LowPercent,
    double HighPercent,
    double TargetPercent,
    double LowMmHg,
    double HighMmHg,
    double TargetMmHg,
    bool Conservative,
    PrescribedProtocolDto Protocol,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Sources)
{
    public static PrescriptionDto From(Prescription p, BodyPosition position, IReadOnlyList<string> extraNotes) => new(
        p.Limb.ToKebab(),
        CliOptions.Kebab(p.Modality),
        CliOptions.Kebab(position),
        p.Lop.Value.MmHg,
        CliOptions.Kebab(p.Lop.Method),
        p.Lop.Uncertainty.MmHg,
        p.ReferenceLop.MmHg,
        p.LowPercent,
        p.HighPercent,
        p.TargetPercent,
        p.Low.MmHg,
        p.High.MmHg,
        p.Target.MmHg,
        p.Conservative,
        PrescribedProtocolDto.From(p.Protocol),
        [.. p.Notes, .. extraNotes],
        p.Sources);
}

/// <summary>The protocol part of a prescription: the dose at a glance (the full steps are in <c>protocols show</c>).</summary>
public sealed record PrescribedProtocolDto(
    string Name,
    string Title,
    IReadOnlyList<string> Positions,
    IReadOnlyList<string> Exercises,
    int? Sets,
    IReadOnlyList<int>? Reps,
    double? RestBetweenSetsSeconds,
    bool? CuffOnDuringRests,
    string Dose,
    double MaxInflationSeconds,
    double DeflationBetweenExercisesSeconds,
    string Load,
    string Frequency)
{
    public static PrescribedProtocolDto From(Protocol p)
    {
        var first = p.Exercises[0];
        var sets = first.Steps.Where(s => s.Kind == StepKind.Set).ToList();
        var rests = first.Steps.Where(s => s.Kind == StepKind.Rest).ToList();
        return new(
            p.Name,
            p.Title,
            p.Positions.Select(CliOptions.Kebab).ToList(),
            p.Exercises.Select(e => e.Name).ToList(),
            sets.Count > 0 ? sets.Count : null,
            sets.Count > 0 ? sets.Select(s => s.Reps).ToList() : null,
            sets.Count > 0 && rests.Count > 0 ? rests.Max(r => r.Duration.TotalSeconds) : null,
            sets.Count > 0 && rests.Count > 0 ? rests.All(r => r.CuffInflated) : null,
            ProtocolDto.Steps(first),
            p.MaxContinuousInflation.TotalSeconds,
            p.DeflationBetweenExercises.TotalSeconds,
            p.Load,
            p.Frequency);
    }
}
