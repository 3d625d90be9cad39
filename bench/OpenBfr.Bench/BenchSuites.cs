namespace OpenBfr.Bench;

/// <summary>The benchmark suites by name. Each takes its extra arguments and returns an exit code.</summary>
public static class BenchSuites
{
    public static IReadOnlyDictionary<string, Func<string[], int>> All { get; } = new SortedDictionary<string, Func<string[], int>>
    {
        // Suites register here, one line each.
        ["cuff"] = Cuff.CuffBench.Run,
        ["fit"] = Formats.FitBench.Run,
        ["tcx"] = Formats.TcxBench.Run,
        ["plan"] = Planning.PlanBench.Run,
        ["web"] = Web.WebBench.Run,
        ["web-nodes"] = Web.CrossNodeBench.Run,
        ["web-backfill"] = Web.BackfillBench.Run,
    };
}
