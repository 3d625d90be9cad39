using OpenBfr.Core;
using OpenBfr.Cuff.Safety;

namespace OpenBfr.Cuff.Session;

/// <summary>How one cuff did over a session.</summary>
/// <param name="Cuff">the cuff's id.</param>
/// <param name="LopMmHg">the LOP its percentages refer to.</param>
/// <param name="ExerciseInBandPercent">share of exercise time (sets and work, cuff on) within ±10% of target, %; NaN when none.</param>
/// <param name="RestInBandPercent">share of rest time with the cuff on within ±5% of target, %; NaN when none.</param>
/// <param name="OcclusionTime">time the cuff was inflated (reading ≥ 20 mmHg).</param>
/// <param name="PeakPercentLop">highest reading during sets, work and rests, % LOP; NaN when none.</param>
/// <param name="LowPercentLop">lowest reading during sets, work and rests, % LOP; NaN when none.</param>
public sealed record CuffSummary(
    string Cuff,
    double LopMmHg,
    double ExerciseInBandPercent,
    double RestInBandPercent,
    TimeSpan OcclusionTime,
    double PeakPercentLop,
    double LowPercentLop);

/// <summary>How a session went.</summary>
/// <param name="Outcome">"completed", "stopped: …" or "aborted: …" (from the done event), or "running".</param>
/// <param name="Duration">from start to done.</param>
/// <param name="Reps">reps cued.</param>
/// <param name="Cuffs">one summary per cuff.</param>
/// <param name="Faults">fault events' details.</param>
public sealed record SessionSummary(string Outcome, TimeSpan Duration, int Reps, IReadOnlyList<CuffSummary> Cuffs, IReadOnlyList<string> Faults)
{
    /// <summary>True when the session ended by a safety fault or a symptom.</summary>
    public bool Aborted => Outcome.StartsWith("aborted", StringComparison.Ordinal);
}

/// <summary>
/// Accumulates a session's summary from its telemetry and events as they happen (nothing is
/// stored per sample): time in band per phase as Swain et al. 2025 measure it (±10% of target
/// during exercise, ±5% during rest), occlusion time, and peak and low as % LOP.
/// </summary>
public sealed class SessionStatistics : ISessionObserver
{
    private readonly Dictionary<string, Acc> _cuffs = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly List<string> _faults = [];
    private DateTimeOffset? _start;
    private DateTimeOffset _end;
    private string _outcome = "running";
    private int _reps;

    /// <param name="lopMmHgByCuff">each cuff's LOP, mmHg.</param>
    public SessionStatistics(IEnumerable<KeyValuePair<string, double>> lopMmHgByCuff)
    {
        foreach (var (cuff, lop) in Guard.NotNull(lopMmHgByCuff))
        {
            _cuffs[cuff] = new Acc(Guard.Positive(lop, "mmHg", "lop"));
            _order.Add(cuff);
        }
    }

    /// <summary>Statistics for a session's cuffs, subscribed to it.</summary>
    public static SessionStatistics For(GuidedSession session)
    {
        Guard.NotNull(session);
        var stats = new SessionStatistics(session.Cuffs.Select(c => new KeyValuePair<string, double>(c.Id, c.Prescription.ReferenceLop.MmHg)));
        session.Subscribe(stats);
        return stats;
    }

    public void OnEvent(SessionEvent sessionEvent)
    {
        Guard.NotNull(sessionEvent);
        _start ??= sessionEvent.At;
        _end = sessionEvent.At;
        switch (sessionEvent.Kind)
        {
            case SessionEventKind.Rep: _reps++; break;
            case SessionEventKind.Fault: _faults.Add(sessionEvent.Detail ?? ""); break;
            case SessionEventKind.Done: _outcome = sessionEvent.Detail ?? "completed"; break;
        }
    }

    public void OnSample(PressureSample sample)
    {
        _start ??= sample.At;
        if (sample.At > _end) _end = sample.At;
        if (!_cuffs.TryGetValue(sample.Cuff, out var acc)) return;
        var dt = acc.LastAt is { } last ? (sample.At - last).TotalSeconds : 0;
        acc.LastAt = sample.At;
        var p = sample.ReadingMmHg;
        if (!double.IsFinite(p)) return;
        if (acc.LastWasInflated) acc.OcclusionSeconds += dt;
        acc.LastWasInflated = p >= SafetySupervisor.DeflatedBelow.MmHg;
        if (sample.TargetMmHg <= 0) return;
        var deviation = Math.Abs(p - sample.TargetMmHg) / sample.TargetMmHg;
        switch (sample.Phase)
        {
            case SessionPhase.Set or SessionPhase.Work:
                acc.Exercise++;
                if (deviation <= 0.10) acc.ExerciseIn++;
                break;
            case SessionPhase.Rest:
                acc.Rest++;
                if (deviation <= 0.05) acc.RestIn++;
                break;
            default:
                return;
        }
        acc.Peak = Math.Max(acc.Peak, p);
        acc.Low = Math.Min(acc.Low, p);
    }

    /// <summary>The summary so far.</summary>
    public SessionSummary Summary => new(
        _outcome,
        _start is { } s ? _end - s : TimeSpan.Zero,
        _reps,
        _order.Select(id =>
        {
            var a = _cuffs[id];
            return new CuffSummary(id, a.Lop,
                a.Exercise == 0 ? double.NaN : 100.0 * a.ExerciseIn / a.Exercise,
                a.Rest == 0 ? double.NaN : 100.0 * a.RestIn / a.Rest,
                TimeSpan.FromSeconds(a.OcclusionSeconds),
                double.IsNegativeInfinity(a.Peak) ? double.NaN : 100 * a.Peak / a.Lop,
                double.IsPositiveInfinity(a.Low) ? double.NaN : 100 * a.Low / a.Lop);
        }).ToList(),
        _faults);

    private sealed class Acc(double lop)
    {
        public double Lop { get; } = lop;
        public DateTimeOffset? LastAt;
        public bool LastWasInflated;
        public double OcclusionSeconds;
        public int Exercise, ExerciseIn, Rest, RestIn;
        public double Peak = double.NegativeInfinity, Low = double.PositiveInfinity;
    }
}
