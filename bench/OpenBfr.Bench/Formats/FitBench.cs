using System.Diagnostics;
using System.Globalization;
using OpenBfr.Formats.Fit;

namespace OpenBfr.Bench.Formats;

/// <summary>
/// Suite "fit": generates a year of running as FIT activity files in memory (6 runs a week,
/// 1 s records) and times decoding them, beside two floors measured in the same run over the
/// same bytes: a byte sum (memory bandwidth) and a CRC-16 pass (which every decode includes).
/// Arguments: [--seed N] [--runs-per-week N] [--repeat N].
/// </summary>
public static class FitBench
{
    /// <summary>Import target from issue 4: at least 50 MB/s of FIT.</summary>
    public const double TargetMegabytesPerSecond = 50;

    public static int Run(string[] args)
    {
        var seed = Option(args, "--seed", 1);
        var runsPerWeek = Option(args, "--runs-per-week", 6);
        var repeat = Option(args, "--repeat", 5);
        if (seed < 0 || runsPerWeek is < 1 or > 7 || repeat is < 1 or > 100)
        {
            Console.Error.WriteLine($"fit: --seed must be ≥ 0, --runs-per-week 1–7, --repeat 1–100; were {seed}, {runsPerWeek}, {repeat}");
            return 2;
        }

        var generateStart = Stopwatch.GetTimestamp();
        var year = new FitActivityGenerator(seed).Year(new DateOnly(2026, 1, 5), runsPerWeek);
        var generateSeconds = Stopwatch.GetElapsedTime(generateStart).TotalSeconds;
        var files = year.Select(y => y.Bytes).ToArray();
        var totalBytes = files.Sum(f => (long)f.Length);
        var megabytes = totalBytes / 1e6;
        var hours = year.Sum(y => y.Truth.ElapsedSeconds) / 3600;
        var records = year.Sum(y => y.Truth.Records);

        var rows = new List<(string Name, double Seconds, string Note)>
        {
            ("byte sum (memory floor)", Time(repeat, () => Sum(files)), "baseline"),
            ("CRC-16 only (FitCrc)", Time(repeat, () => Crc(files)), "baseline; every decode does this too"),
            ("DecodeActivity (import path)", Time(repeat, () => DecodeActivities(year)), "CRC + record walk + summary"),
            ("Decode (every message materialised)", Time(repeat, () => DecodeAll(year)), "generic decoder, allocates per field"),
        };

        Console.WriteLine($"fit: {files.Length} generated FIT activity files (seed {seed}, {runsPerWeek} runs/week × 52 weeks), " +
            $"{megabytes.ToString("0.0", CultureInfo.InvariantCulture)} MB, {records:N0} records, {hours.ToString("0", CultureInfo.InvariantCulture)} h of running " +
            $"({(totalBytes / 1e3 / hours).ToString("0", CultureInfo.InvariantCulture)} KB per hour), generated in {generateSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
        Console.WriteLine($"median of {repeat} passes over all files, after a warm-up pass");
        Console.WriteLine();
        Console.WriteLine($"{"method",-38} {"MB/s",9} {"files/s",9} {"records/s",12} {"ms/year",9} {"vs CRC",7}  note");
        var crcSeconds = rows[1].Seconds;
        foreach (var (name, seconds, note) in rows)
        {
            Console.WriteLine($"{name,-38} {F(megabytes / seconds, "0"),9} {F(files.Length / seconds, "0"),9} {F(records / seconds, "N0"),12} {F(seconds * 1000, "0.0"),9} {F(crcSeconds / seconds, "0.00"),7}  {note}");
        }
        var importRate = megabytes / rows[2].Seconds;
        Console.WriteLine();
        Console.WriteLine($"target: import ≥ {TargetMegabytesPerSecond} MB/s of FIT — {(importRate >= TargetMegabytesPerSecond ? "met" : "NOT met")} ({F(importRate, "0")} MB/s)");
        return 0;
    }

    private static double Time(int repeat, Func<long> pass)
    {
        // Warm-up: enough passes for tiered JIT to promote the hot methods (about 1 s).
        var check = pass();
        for (var w = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(w).TotalSeconds < 1;)
        {
            pass();
        }
        var times = new double[repeat];
        for (var i = 0; i < repeat; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var result = pass();
            times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (result != check)
            {
                throw new InvalidOperationException($"pass {i} gave {result}, the warm-up {check}: not deterministic");
            }
        }
        Array.Sort(times);
        return times[repeat / 2];
    }

    private static long Sum(byte[][] files)
    {
        long sum = 0;
        foreach (var file in files)
        {
            var span = file.AsSpan();
            var longs = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(span);
            ulong acc = 0;
            foreach (var l in longs)
            {
                acc += l;
            }
            for (var i = longs.Length * 8; i < span.Length; i++)
            {
                acc += span[i];
            }
            sum += (long)(acc & 0xFFFF_FFFF);
        }
        return sum;
    }

    private static long Crc(byte[][] files)
    {
        long sum = 0;
        foreach (var file in files)
        {
            sum += FitCrc.Compute(file);
        }
        return sum;
    }

    private static long DecodeActivities(IReadOnlyList<GeneratedFitActivity> year)
    {
        long sum = 0;
        foreach (var run in year)
        {
            sum += (long)FitDecoder.DecodeActivity(run.Bytes, run.FileName).TotalDistanceMeters;
        }
        return sum;
    }

    private static long DecodeAll(IReadOnlyList<GeneratedFitActivity> year)
    {
        long sum = 0;
        foreach (var run in year)
        {
            sum += FitDecoder.Decode(run.Bytes, run.FileName).Messages.Count;
        }
        return sum;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }
}
