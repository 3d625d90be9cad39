using System.CommandLine;
using System.Globalization;
using System.Text;
using OpenBfr.Cli.Infrastructure;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Protocols;
using OpenBfr.Cuff.Control;
using OpenBfr.Cuff.Safety;
using OpenBfr.Cuff.Session;
using OpenBfr.Cuff.Simulation;

namespace OpenBfr.Cli.Commands;

/// <summary>
/// <c>openbfr session run</c>: a whole guided session on simulated cuffs, with a live display, a
/// JSON-lines log and a summary. The simulation runs in virtual time; <c>--speed 1</c> and
/// <c>--speed 10</c> pace it against the CLI's clock (<see cref="TimeProvider.System"/> in the
/// real program: the only place a real clock is used), <c>max</c> runs as fast as it can.
/// Exit 0 when the session completes or is stopped, 3 (<see cref="CuffExitCodes.SafetyAbort"/>)
/// when the safety supervisor or a symptom ends it.
/// </summary>
public static class SessionCommands
{
    public static Command Create()
    {
        var protocol = new Option<string>("--protocol")
        {
            Description = $"Protocol: {string.Join(", ", ProtocolCatalog.All.Select(p => p.Name))}",
            Required = true,
        };
        var simulate = new Option<bool>("--simulate") { Description = "Run on simulated cuffs (no hardware driver ships yet; required)" };
        var lop = new Option<string?>("--lop") { Description = "Each limb's LOP, mmHg, as measured (the simulated truth): one value for all limbs or one per limb, comma-separated (default 200)" };
        var limbs = new Option<string?>("--limbs") { Description = "Limbs with a cuff, comma-separated (default left-leg, or left-arm for an arm protocol): left-arm, right-arm, left-leg, right-leg" };
        var percent = CliOptions.OptionalNumber("--percent", "Target, % LOP (default: the modality's default)");
        var position = new Option<string?>("--position") { Description = "Exercise position: supine, seated, standing; one the protocol is done in (default: its usual one; openbfr protocols show NAME lists them)" };
        var seed = CliOptions.Integer("--seed", "Seed of the simulated limbs (default 1)", required: false);
        seed.DefaultValueFactory = _ => 1;
        var speed = new Option<string>("--speed") { Description = "1 (real time), 10 (ten times), or max (as fast as possible); default max", DefaultValueFactory = _ => "max" };
        var faults = new Option<string[]>("--fault")
        {
            Description = "Inject a fault: KIND@TIME[:LIMB], e.g. sensor-freeze@120s, pump-failure@2:30:right-leg; kinds: " +
                          string.Join(", ", Enum.GetValues<CuffFault>().Select(CliOptions.Kebab)),
            AllowMultipleArgumentsPerToken = false,
        };
        var symptoms = new Option<string[]>("--symptom")
        {
            Description = "Report a symptom at a time: SYMPTOM@TIME, e.g. numbness@300s, pain:8@90s; symptoms: pain:0–10, numbness, tingling, dizziness, skin-colour-change",
        };
        var script = new Option<string[]>("--script")
        {
            Description = "Scripted actions at session times, comma-separated ACTION@TIME: pause, resume, stop, symptom:NAME; " +
                          "e.g. pause@60s,resume@90s,symptom:numbness@200s (the same script and seed give the same log, byte for byte)",
        };
        var logFile = new Option<string?>("--log") { Description = "Write the event and telemetry log to this file as JSON lines" };

        var run = new Command("run",
            "Run a whole guided BFR session (inflate, sets with rep cadence, rests, deflate, reperfusion) with the safety supervisor; " +
            $"exit {CuffExitCodes.SafetyAbort} when it aborts the session")
        {
            protocol, simulate, lop, limbs, percent, position, seed, speed, faults, symptoms, script, logFile,
        };
        run.SetOpenBfrAction((pr, cli) => Run(pr, cli, new Options(
            pr.GetValue(protocol)!, pr.GetValue(simulate), pr.GetValue(lop), pr.GetValue(limbs), pr.GetValue(percent), pr.GetValue(position),
            pr.GetValue(seed), pr.GetValue(speed)!, pr.GetValue(faults) ?? [], pr.GetValue(symptoms) ?? [], pr.GetValue(script) ?? [], pr.GetValue(logFile))),
            new CoreErrorMap().Field("percent", percent).Field("lop", lop).Field(nameof(SimulatedLimb), lop).SafetyLimit(percent));

        return new Command("session", "Guided BFR sessions") { run };
    }

    private sealed record Options(string Protocol, bool Simulate, string? Lop, string? Limbs, double? Percent, string? Position,
        int Seed, string Speed, string[] Faults, string[] Symptoms, string[] Script, string? Log);

    // A pause longer than this ends the session (the cuffs are already off): a run must end.
    private static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(30);

    private sealed record ScheduledFault(CuffFault Fault, TimeSpan At, int Cuff);

    private static int Run(ParseResult pr, CliContext cli, Options o)
    {
        if (!o.Simulate) throw new UsageException("--simulate", null, "is required: no cuff hardware driver ships yet; add --simulate to run on simulated cuffs");
        if (!ProtocolCatalog.TryGet(o.Protocol, out var protocol))
        {
            throw new UsageException("--protocol", o.Protocol, $"is not a protocol; use {CliOptions.Alternatives(ProtocolCatalog.All.Select(p => p.Name))}");
        }
        var limbList = ParseLimbs(o.Limbs, protocol);
        var lops = ParseLops(o.Lop, limbList.Count);
        BodyPosition? position = null;
        if (o.Position is { } pos)
        {
            if (!CliOptions.TryParseEnum<BodyPosition>(pos, out var p)) throw new UsageException("--position", pos, "is not allowed; use supine, seated or standing");
            position = p;
        }
        double? speed = o.Speed.Trim().ToLowerInvariant() switch
        {
            "max" => null,
            var s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 1 and <= 1000 => v,
            _ => throw new UsageException("--speed", o.Speed, "is not allowed; use 1, 10 (any number 1–1000) or max"),
        };
        var faults = o.Faults.Select(f => ParseFault(f, limbList)).ToList();
        // OrderBy is a stable sort: actions at the same time keep their order (script first, then --symptom).
        var actions = SessionAction.ParseScript("--script", o.Script).Concat(o.Symptoms.Select(ParseSymptom)).OrderBy(a => a.At).ToList();

        SimulatedSessionRig rig;
        try
        {
            rig = new SimulatedSessionRig(protocol, limbList.Select((l, i) => (l, lops[i])).ToList(), o.Seed, () => new ClosedLoopRegulator(), position: position, percent: o.Percent);
        }
        catch (ArgumentException e) when (e.ParamName == "position" && position is { } refused)
        {
            throw PrescribeCommands.PositionRefused("--position", protocol, refused, e);
        }
        foreach (var f in faults) rig.Simulators[f.Cuff].InjectFault(f.Fault, f.At);
        var stats = SessionStatistics.For(rig.Session);
        var logWriter = o.Log is { } path ? OpenLog(path) : null;
        using var closeLog = new QuietClose(logWriter);
        var log = logWriter is null ? null : new JsonLinesSessionLog(logWriter);
        if (log is not null) rig.Session.Subscribe(log);
        var live = cli.IsInteractive && !cli.Json;
        var progress = new ProgressPrinter(cli.Out, rig, live, cli.Json);
        rig.Session.Subscribe(progress);

        void Apply(SessionAction action, string source) => SessionCommands.Apply(rig, progress, action, source);

        // Keys only for a person at a live display; scripted actions always.
        var keys = cli.Json ? null : cli.Keys;
        if (keys is not null) cli.Out.WriteLine(SessionAction.KeyHelp);
        var wallStart = cli.Clock.GetTimestamp();
        var nextAction = 0;
        var deadline = protocol.TotalDuration + TimeSpan.FromMinutes(10);
        TimeSpan? pausedSince = null;
        long ticks = 0;
        while (!rig.Session.IsFinished && rig.Simulators[0].Elapsed < deadline)
        {
            rig.Step();
            var now = rig.Simulators[0].Elapsed;
            while (nextAction < actions.Count && actions[nextAction].At <= now) Apply(actions[nextAction++], "script");
            // Keys are polled at 20 Hz of session time: often enough for a person, cheap at --speed max.
            if (keys is not null && ++ticks % 5 == 0)
            {
                while (keys.TryReadKey(now, out var key))
                {
                    if (SessionAction.ForKey(key, now) is { } action) Apply(action, $"key {key}");
                }
            }
            if (rig.Session.Phase == SessionPhase.Paused)
            {
                // Paused time does not count against the run's end: the plan's clocks hold.
                deadline += SimulatedSessionRig.Tick;
                pausedSince ??= now;
                if (now - pausedSince.Value > MaxPause) rig.Session.Stop($"paused for more than {MaxPause.TotalMinutes:0} min: session stopped");
            }
            else
            {
                pausedSince = null;
            }
            progress.Tick();
            if (speed is { } x)
            {
                // Pace virtual time against the CLI's clock.
                var ahead = TimeSpan.FromSeconds(rig.Seconds / x) - cli.Clock.GetElapsedTime(wallStart);
                if (ahead > TimeSpan.FromMilliseconds(2)) Thread.Sleep(ahead);
            }
        }
        progress.Finish();
        // The device keeps its last command (deflate); give it a moment so the true pressure shown is the cuff at rest.
        for (var i = 0; i < 100 && rig.Simulators.Any(s => s.TruePressureMmHg >= 20); i++) rig.StepWithoutHost();

        var summary = stats.Summary;
        var fault = rig.Session.Supervisor.Fault;
        var aborted = rig.Session.Phase == SessionPhase.Aborted;
        var dto = new SessionRunDto(
            protocol.Name,
            summary.Outcome,
            aborted,
            fault is null ? null : new SessionFaultDto(fault.Kind.ToKebab(), fault.CuffId, Math.Round((fault.At - rig.Simulators[0].Now).TotalSeconds + rig.Seconds, 2), fault.Reason),
            Math.Round(summary.Duration.TotalSeconds, 1),
            summary.Reps,
            summary.Cuffs.Select((c, i) => new SessionCuffDto(
                c.Cuff, c.LopMmHg, rig.Session.Cuffs[i].Prescription.Target.MmHg,
                R(c.ExerciseInBandPercent), R(c.RestInBandPercent), Math.Round(c.OcclusionTime.TotalSeconds, 1),
                R(c.PeakPercentLop), R(c.LowPercentLop), Math.Round(rig.Simulators[i].TruePressureMmHg, 1),
                rig.Simulators[i].DeviceEvents.Where(e => e.Kind != "fault-onset").Select(e => e.Reason).ToList())).ToList(),
            o.Seed,
            o.Log);
        cli.Write(dto, Describe);
        var logFailure = log is null ? null : LogFailure(rig.Session, log, logWriter!, o.Log!, rig.Simulators[0].Now - TimeSpan.FromSeconds(rig.Seconds));
        if (logFailure is not null) cli.Error.WriteLine(logFailure);
        return aborted ? CuffExitCodes.SafetyAbort : logFailure is not null ? ExitCodes.InternalFailure : ExitCodes.Success;
    }

    /// <summary>
    /// Why the log is incomplete, or null: writing it failed mid-session (a full disk, a file that
    /// takes no writes) and the session, which detaches a failing observer, ran on without it; or
    /// its last flush failed.
    /// </summary>
    private static string? LogFailure(GuidedSession session, JsonLinesSessionLog log, StreamWriter writer, string path, DateTimeOffset start)
    {
        var failure = session.ObserverFailures.FirstOrDefault(f => ReferenceEquals(f.Observer, log));
        string? flushError = null;
        try
        {
            writer.Flush();
        }
        catch (IOException ex)
        {
            flushError = ex.Message;
        }
        if (failure is null) return flushError is null ? null : $"--log: {path}: the last lines could not be written: {flushError}";
        var t = (failure.At - start).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        return $"--log: {path}: writing failed at {t} s into the session after {log.Lines} lines ({failure.Error.GetType().Name}: {failure.Error.Message.Split('\n')[0].TrimEnd('\r')}); the session ran on to its end without it, summary above";
    }

    private static double? R(double v) => double.IsFinite(v) ? Math.Round(v, 1) : null;

    /// <summary>Applies one pause, resume, stop or symptom to the running session; one that cannot apply is noted, not an error.</summary>
    private static void Apply(SimulatedSessionRig rig, ProgressPrinter progress, SessionAction action, string source)
    {
        var session = rig.Session;
        switch (action.Kind)
        {
            case SessionActionKind.Pause:
                if (!session.Pause()) progress.Note($"pause ({source}) ignored: the session is {session.Phase.ToString().ToLowerInvariant()}");
                break;
            case SessionActionKind.Resume:
                if (!session.Resume()) progress.Note($"resume ({source}) ignored: the session is {session.Phase.ToString().ToLowerInvariant()}, not paused");
                break;
            case SessionActionKind.Stop:
                if (session.IsEnded) progress.Note($"stop ({source}) ignored: the session has ended");
                else session.Stop($"stopped by the athlete ({source})");
                break;
            case SessionActionKind.Symptom:
                session.ReportSymptom(action.Symptom!);
                break;
        }
    }

    private static string Describe(SessionRunDto d)
    {
        var sb = new StringBuilder();
        if (d.Aborted && d.Fault is { } f)
        {
            sb.AppendLine($"SAFETY ABORT at {Clock(f.AtSeconds)}: {f.Kind}: {f.Reason}");
            var deflated = d.Cuffs.All(c => c.FinalMmHg < SafetySupervisor.DeflatedBelow.MmHg) ? "all cuffs deflated" : "NOT ALL CUFFS DEFLATED";
            sb.AppendLine($"{deflated} (simulated cuff pressure now: {string.Join(", ", d.Cuffs.Select(c => $"{c.Cuff} {Text.N(c.FinalMmHg, "0")} mmHg"))})");
            foreach (var c in d.Cuffs) foreach (var e in c.DeviceEvents) sb.AppendLine($"device {c.Cuff}: {e}");
        }
        sb.AppendLine($"session {d.Protocol}: {d.Outcome} after {Clock(d.Seconds)}, {d.Reps} reps");
        foreach (var c in d.Cuffs)
        {
            sb.AppendLine($"{c.Cuff} (LOP {Text.N(c.LopMmHg)} mmHg, target {Text.N(c.TargetMmHg)} mmHg): " +
                          $"exercise time in ±10% band {Pct(c.ExerciseInBandPercent)}, rest time in ±5% band {Pct(c.RestInBandPercent)}, " +
                          $"occlusion {Clock(c.OcclusionSeconds)}, peak {Pct(c.PeakPercentLop)} LOP, low {Pct(c.LowPercentLop)} LOP");
        }
        if (d.Log is { } log) sb.AppendLine($"log: {log}");
        return sb.ToString();

        static string Pct(double? v) => v is { } x ? Text.N(x, "0.0") + "%" : "–";
    }

    private static string Clock(double seconds) => Text.Clock(TimeSpan.FromSeconds(Math.Max(0, seconds)));

    /// <summary>Closes the log without throwing: a flush that fails there has been reported by <see cref="LogFailure"/>.</summary>
    private sealed class QuietClose(StreamWriter? writer) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                writer?.Dispose();
            }
            catch (IOException)
            {
                // Reported by LogFailure (its own flush failed the same way).
            }
        }
    }

    private static StreamWriter OpenLog(string path)
    {
        try
        {
            return new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException("--log", path, $"cannot be written: {ex.Message}");
        }
    }

    private static List<Limb> ParseLimbs(string? text, Protocol protocol)
    {
        if (string.IsNullOrWhiteSpace(text)) return [protocol.LimbKind == LimbKind.Arm ? Limb.LeftArm : Limb.LeftLeg];
        var list = new List<Limb>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!LimbExtensions.TryParseLimb(part, out var limb))
                throw new UsageException("--limbs", part, $"is not a limb; use {CliOptions.Alternatives(LimbExtensions.All.Select(l => l.ToKebab()))}");
            if (list.Contains(limb)) throw new UsageException("--limbs", part, "appears twice; each limb has one cuff");
            if (protocol.LimbKind is { } kind && limb.Kind() != kind)
                throw new UsageException("--limbs", part, $"is not allowed: {protocol.Name} is for the {kind.ToString().ToLowerInvariant()}s");
            list.Add(limb);
        }
        if (list.Count is < 1 or > 4) throw new UsageException("--limbs", text, "must name 1–4 limbs");
        return list;
    }

    private static double[] ParseLops(string? text, int count)
    {
        if (string.IsNullOrWhiteSpace(text)) return Enumerable.Repeat(200.0, count).ToArray();
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v is >= 50 and <= 400 ? v : throw new UsageException("--lop", p, "is outside 50–400 mmHg")
            : throw new UsageException("--lop", p, "is not a number")).ToArray();
        if (values.Length == 1) return Enumerable.Repeat(values[0], count).ToArray();
        if (values.Length != count) throw new UsageException("--lop", text, $"gives {values.Length} values for {count} limbs; give one, or one per limb");
        return values;
    }

    private static ScheduledFault ParseFault(string text, List<Limb> limbs)
    {
        var at = text.IndexOf('@');
        if (at <= 0) throw new UsageException("--fault", text, "must be KIND@TIME[:LIMB], e.g. sensor-freeze@120s");
        var kindText = text[..at];
        if (!CliOptions.TryParseEnum<CuffFault>(kindText, out var fault))
        {
            fault = kindText.Trim().ToLowerInvariant() switch
            {
                "valve-stuck" or "valve-stuck-closed" => CuffFault.ValveStuckClosed,
                "freeze" => CuffFault.SensorFreeze,
                "spike" => CuffFault.SensorSpike,
                _ => throw new UsageException("--fault", kindText, $"is not a fault; use {CliOptions.Alternatives(Enum.GetValues<CuffFault>().Select(CliOptions.Kebab))}"),
            };
        }
        var rest = text[(at + 1)..];
        var cuff = 0;
        var colon = rest.LastIndexOf(':');
        if (colon > 0 && LimbExtensions.TryParseLimb(rest[(colon + 1)..], out var limb))
        {
            cuff = limbs.IndexOf(limb);
            if (cuff < 0) throw new UsageException("--fault", text, $"names {limb.ToKebab()}, which has no cuff in --limbs");
            rest = rest[..colon];
        }
        return new ScheduledFault(fault, SessionAction.ParseTime("--fault", rest), cuff);
    }

    private static SessionAction ParseSymptom(string text)
    {
        var at = text.LastIndexOf('@');
        if (at <= 0 || !SymptomReport.TryParse(text[..at], out var report))
            throw new UsageException("--symptom", text, "must be SYMPTOM@TIME: pain:0–10, numbness, tingling, dizziness or skin-colour-change, e.g. numbness@300s");
        return new SessionAction(SessionActionKind.Symptom, SessionAction.ParseTime("--symptom", text[(at + 1)..]), report);
    }

    /// <summary>The live terminal display (one redrawn line) or sparse progress lines when not at a terminal.</summary>
    private sealed class ProgressPrinter(TextWriter output, SimulatedSessionRig rig, bool live, bool quiet) : ISessionObserver
    {
        private double _nextDraw;
        private int _lastWidth;

        public void OnEvent(SessionEvent e)
        {
            if (quiet) return;
            var t = Clock(rig.Seconds);
            string? line = e.Kind switch
            {
                SessionEventKind.Start => $"{t} start {e.Detail}",
                SessionEventKind.Inflate when e.Set is null => $"{t} {e.Exercise}: inflating ({e.Detail})",
                SessionEventKind.Reperfusion => $"{t} {e.Exercise} done: cuffs off, reperfusion {e.Detail}",
                SessionEventKind.Fault => $"{t} FAULT{(e.Cuff is null ? "" : " " + e.Cuff)}: {e.Detail}",
                SessionEventKind.Symptom => $"{t} symptom reported: {e.Detail}",
                SessionEventKind.Stop => $"{t} stop: {e.Detail}",
                SessionEventKind.Inflate => $"{t} {e.Exercise}: re-inflating ({e.Detail})",
                SessionEventKind.Pause => $"{t} pause: {e.Detail}",
                SessionEventKind.Resume => $"{t} resume",
                SessionEventKind.Done => $"{t} done: {e.Detail}",
                _ => null,
            };
            if (line is null) return;
            ClearLive();
            output.WriteLine(line);
        }

        public void OnSample(PressureSample sample) { }

        /// <summary>A line of its own (e.g. an action that could not apply), unless quiet.</summary>
        public void Note(string text)
        {
            if (quiet) return;
            ClearLive();
            output.WriteLine($"{Clock(rig.Seconds)} {text}");
        }

        public void Tick()
        {
            if (!live || rig.Seconds < _nextDraw) return;
            _nextDraw = rig.Seconds + 0.1;
            var s = rig.Session.Status;
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"{Clock(rig.Seconds)} {s.Phase.ToString().ToLowerInvariant(),-11}");
            if (s.Exercise is { } ex) sb.Append(CultureInfo.InvariantCulture, $" {ex} {s.ExerciseNumber}/{s.ExerciseCount}");
            if (s.Reps > 0) sb.Append(CultureInfo.InvariantCulture, $" set {s.Set} rep {s.Rep}/{s.Reps}");
            else if (s.Set > 0) sb.Append(CultureInfo.InvariantCulture, $" #{s.Set}");
            if (s.Remaining > TimeSpan.Zero) sb.Append(CultureInfo.InvariantCulture, $" {Text.Clock(s.Remaining)} left");
            for (var i = 0; i < rig.Session.Cuffs.Count; i++)
            {
                var target = rig.Session.TargetOf(i).MmHg;
                rig.Session.TryGetLastReading(i, out var r);
                var mark = target <= 0 ? "off" : Math.Abs(r.PressureMmHg - target) <= 0.1 * target ? "in band" : "OUT";
                sb.Append(CultureInfo.InvariantCulture, $" | {rig.Session.Cuffs[i].Id} {r.PressureMmHg,5:0} / {target:0} mmHg {mark}");
            }
            var text = sb.ToString();
            output.Write("\r" + text.PadRight(_lastWidth));
            _lastWidth = text.Length;
            output.Flush();
        }

        public void Finish() => ClearLive();

        private void ClearLive()
        {
            if (!live || _lastWidth == 0) return;
            output.Write("\r" + new string(' ', _lastWidth) + "\r");
            _lastWidth = 0;
        }
    }
}

/// <summary>The JSON of <c>session run</c>.</summary>
public sealed record SessionRunDto(
    string Protocol,
    string Outcome,
    bool Aborted,
    SessionFaultDto? Fault,
    double Seconds,
    int Reps,
    IReadOnlyList<SessionCuffDto> Cuffs,
    int Seed,
    string? Log);

/// <summary>What ended a session early.</summary>
public sealed record SessionFaultDto(string Kind, string? Cuff, double AtSeconds, string Reason);

/// <summary>One cuff's summary.</summary>
public sealed record SessionCuffDto(
    string Cuff,
    double LopMmHg,
    double TargetMmHg,
    double? ExerciseInBandPercent,
    double? RestInBandPercent,
    double OcclusionSeconds,
    double? PeakPercentLop,
    double? LowPercentLop,
    double FinalMmHg,
    IReadOnlyList<string> DeviceEvents);
