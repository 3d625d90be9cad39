// The performance harness (DESIGN.md section 7): `dotnet run -c Release --project bench/OpenBfr.Bench -- SUITE`.
// Each suite prints one table, with every ratio measured against baselines in the same run.
using OpenBfr.Bench;

var suites = BenchSuites.All;
if (args.Length == 0 || !suites.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: OpenBfr.Bench SUITE   (suites: {string.Join(", ", suites.Keys)})");
    return 2;
}
return run(args[1..]);
