using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using OpenBfr.Formats.Import;

namespace OpenBfr.Bench.Formats;

/// <summary>
/// Suite "tcx": a 24-hour run recorded every second as Garmin Connect exports TCX (position, altitude,
/// distance, heart rate, the speed/cadence extension, indented; about 60 MB), imported whole, beside
/// what the import is made of: a byte sum (memory floor), a plain XmlReader pass (what the nesting-depth
/// pre-scan cost when it read the input a second time; the depth is now checked by the reader the
/// document is built from), and XDocument.Load alone.
/// Arguments: [--seed N] [--hours N] [--repeat N].
/// </summary>
public static class TcxBench
{
    public static int Run(string[] args)
    {
        var seed = Option(args, "--seed", 1);
        var hours = Option(args, "--hours", 24);
        var repeat = Option(args, "--repeat", 3);
        if (seed < 0 || hours is < 1 or > 48 || repeat is < 1 or > 20)
        {
            Console.Error.WriteLine($"tcx: --seed must be ≥ 0, --hours 1–48, --repeat 1–20; were {seed}, {hours}, {repeat}");
            return 2;
        }
        var bytes = Generate(seed, hours * 3600);
        var megabytes = bytes.Length / 1e6;
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreProcessingInstructions = true, CloseInput = false,
        };
        var rows = new List<(string Name, double Seconds, long Allocated)>
        {
            Measure("byte sum (memory floor)", repeat, () => Sum(bytes)),
            Measure("XmlReader read loop (a second pass)", repeat, () =>
            {
                using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
                long deepest = 0;
                while (reader.Read())
                {
                    deepest = Math.Max(deepest, reader.Depth);
                }
                return deepest;
            }),
            Measure("XDocument.Load (SetLineInfo)", repeat, () =>
            {
                using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
                return XDocument.Load(reader, LoadOptions.SetLineInfo).Root!.Elements().LongCount();
            }),
            Measure("ActivityImporter.Parse (import)", repeat, () => ActivityImporter.Parse(bytes, "day.tcx")[0].RecordCount),
        };

        Console.WriteLine($"tcx: one {hours} h run at 1 s (seed {seed}), {hours * 3600:N0} track points, {F(megabytes, "0.0")} MB as Garmin Connect writes TCX");
        Console.WriteLine($"median of {repeat} passes after a warm-up pass; allocation on the measuring thread, one pass");
        Console.WriteLine();
        Console.WriteLine($"{"method",-38} {"MB/s",8} {"ms",8} {"alloc MB",9} {"% of import",12}");
        var import = rows[^1].Seconds;
        foreach (var (name, seconds, allocated) in rows)
        {
            Console.WriteLine($"{name,-38} {F(megabytes / seconds, "0"),8} {F(seconds * 1000, "0"),8} {F(allocated / 1e6, "0"),9} {F(100 * seconds / import, "0.0"),12}");
        }
        Console.WriteLine();
        Console.WriteLine($"a separate depth pass would add {F(100 * rows[1].Seconds / import, "0.0")}% to the import's time and {F(rows[1].Allocated / 1e6, "0.0")} MB; it is folded into the load");
        return 0;
    }

    /// <summary>A TCX file as Garmin Connect exports one: one lap an hour, a track point every second.</summary>
    public static byte[] Generate(int seed, int seconds)
    {
        var random = new Random(seed);
        var ci = CultureInfo.InvariantCulture;
        var t0 = new DateTimeOffset(2026, 3, 14, 7, 30, 0, TimeSpan.Zero);
        var sb = new StringBuilder(seconds * 720);
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TrainingCenterDatabase xsi:schemaLocation=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2 http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd\" xmlns:ns5=\"http://www.garmin.com/xmlschemas/ActivityGoals/v1\" xmlns:ns3=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\" xmlns:ns2=\"http://www.garmin.com/xmlschemas/UserProfile/v2\" xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:ns4=\"http://www.garmin.com/xmlschemas/ProfileExtension/v1\">\n  <Activities>\n    <Activity Sport=\"Running\">\n      <Id>2026-03-14T07:30:00.000Z</Id>\n");
        double distance = 0, altitude = 10;
        for (var lap = 0; lap * 3600 < seconds; lap++)
        {
            var points = Math.Min(3600, seconds - lap * 3600);
            sb.Append(ci, $"      <Lap StartTime=\"{t0.AddSeconds(lap * 3600):yyyy-MM-dd'T'HH:mm:ss'.000Z'}\">\n        <TotalTimeSeconds>{points}.0</TotalTimeSeconds>\n        <DistanceMeters>{points * 3.0:0.0}</DistanceMeters>\n        <MaximumSpeed>3.5</MaximumSpeed>\n        <Calories>700</Calories>\n        <AverageHeartRateBpm>\n          <Value>145</Value>\n        </AverageHeartRateBpm>\n        <MaximumHeartRateBpm>\n          <Value>165</Value>\n        </MaximumHeartRateBpm>\n        <Intensity>Active</Intensity>\n        <TriggerMethod>Manual</TriggerMethod>\n        <Track>\n");
            for (var i = 0; i < points; i++)
            {
                var s = lap * 3600 + i;
                distance += 3.0;
                altitude += random.NextDouble() - 0.5;
                sb.Append(ci, $"          <Trackpoint>\n            <Time>{t0.AddSeconds(s):yyyy-MM-dd'T'HH:mm:ss'.000Z'}</Time>\n            <Position>\n              <LatitudeDegrees>{52.37 + s * 1e-5:0.00000000000000}</LatitudeDegrees>\n              <LongitudeDegrees>{4.89 + s * 1e-5:0.00000000000000}</LongitudeDegrees>\n            </Position>\n            <AltitudeMeters>{altitude:0.0000000000000000}</AltitudeMeters>\n            <DistanceMeters>{distance:0.0}</DistanceMeters>\n            <HeartRateBpm>\n              <Value>{140 + random.Next(20)}</Value>\n            </HeartRateBpm>\n            <Extensions>\n              <ns3:TPX>\n                <ns3:Speed>{2.9 + random.NextDouble() * 0.2:0.0000000000000000}</ns3:Speed>\n                <ns3:RunCadence>{84 + random.Next(4)}</ns3:RunCadence>\n              </ns3:TPX>\n            </Extensions>\n          </Trackpoint>\n");
            }
            sb.Append("        </Track>\n      </Lap>\n");
        }
        sb.Append("    </Activity>\n  </Activities>\n</TrainingCenterDatabase>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static (string, double, long) Measure(string name, int repeat, Func<long> pass)
    {
        var check = pass(); // warm-up
        var times = new double[repeat];
        long allocated = 0;
        for (var i = 0; i < repeat; i++)
        {
            GC.Collect();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            var result = pass();
            times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (result != check)
            {
                throw new InvalidOperationException($"{name}: pass {i} gave {result}, the warm-up {check}: not deterministic");
            }
        }
        Array.Sort(times);
        return (name, times[repeat / 2], allocated);
    }

    private static long Sum(byte[] bytes)
    {
        ulong sum = 0;
        foreach (var b in bytes)
        {
            sum += b;
        }
        return (long)sum;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
