using System.Globalization;
using System.Text;

namespace OpenBfr.Formats.Csv;

/// <summary>
/// Writes CSV (RFC 4180): a header row, CRLF line ends, fields quoted when they hold a comma,
/// a double quote, CR or LF (quotes doubled), values formatted with the invariant culture.
/// The planner writes plans through <see cref="Write(IReadOnlyList{string}, IEnumerable{IReadOnlyList{object?}})"/>.
/// </summary>
public static class CsvTable
{
    /// <summary>Writes a header and rows; each row must have as many values as the header.</summary>
    /// <exception cref="ArgumentException">an empty header, or a row with the wrong number of values (names the row).</exception>
    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, header, rows);
        return writer.ToString();
    }

    /// <summary>Writes a header and rows to a text writer.</summary>
    /// <exception cref="ArgumentException">an empty header, or a row with the wrong number of values (names the row).</exception>
    public static void Write(TextWriter writer, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        if (header.Count == 0)
        {
            throw new ArgumentException("a CSV table needs at least one column", nameof(header));
        }
        WriteRow(writer, header.Cast<object?>().ToList());
        var index = 0;
        foreach (var row in rows)
        {
            index++;
            if (row.Count != header.Count)
            {
                throw new ArgumentException($"row {index} has {row.Count} values, but the header has {header.Count} columns ({string.Join(", ", header)})", nameof(rows));
            }
            WriteRow(writer, row);
        }
    }

    /// <summary>
    /// One value as CSV text: invariant numbers, ISO 8601 times and dates, quoted when needed. Text
    /// that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
    /// return: a runner's goal named "=HYPERLINK(…)") gets a leading apostrophe, as OWASP's CSV
    /// injection advice says, whatever type it came from (a string, a char, an object's ToString);
    /// only numbers, written from their values, keep a leading minus.
    /// </summary>
    public static string Field(object? value)
    {
        var text = value switch
        {
            null => "",
            string s => s,
            DateTimeOffset t => t.Offset == TimeSpan.Zero
                ? t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                : t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            // A DateTime's "G" format is "03/14/2026 07:30:00" even in the invariant culture; its kind says whether it is UTC.
            DateTime t => t.ToString(t.Kind == DateTimeKind.Utc ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            TimeSpan span => Decimals(span.TotalSeconds),
            double v => Decimals(v),
            float v => Decimals(v),
            decimal v => v.ToString(CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            Enum e => e.ToString(),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        if (!IsNumber(value) && text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static bool IsNumber(object? value)
        => value is sbyte or byte or short or ushort or int or uint or long or ulong or nint or nuint or Int128 or UInt128
            or Half or float or double or decimal or System.Numerics.BigInteger or TimeSpan;

    /// <summary>At most three decimals; a value that rounds to zero is "0", not "-0".</summary>
    private static string Decimals(double value)
    {
        var text = value.ToString("0.###", CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    private static void WriteRow(TextWriter writer, IReadOnlyList<object?> row)
    {
        if (row.Count == 1 && Field(row[0]).Length == 0)
        {
            // One empty value would be a blank line, which readers skip as no record: quote it.
            writer.Write("\"\"\r\n");
            return;
        }
        var sb = new StringBuilder();
        for (var i = 0; i < row.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            sb.Append(Field(row[i]));
        }
        sb.Append("\r\n");
        writer.Write(sb.ToString());
    }
}

/// <summary>Run history as CSV.</summary>
public static class ActivityCsv
{
    /// <summary>The columns, in order.</summary>
    public static IReadOnlyList<string> Header { get; } =
    [
        "start_utc", "sport", "distance_m", "elapsed_s", "moving_s", "avg_hr_bpm", "max_hr_bpm", "ascent_m", "laps", "records", "format", "source_file",
    ];

    /// <summary>One row per activity, in the given order.</summary>
    public static string Write(IEnumerable<RunActivity> activities)
        => CsvTable.Write(Header, activities.Select(a => (IReadOnlyList<object?>)
        [
            a.StartTime.ToUniversalTime(), a.Sport, Math.Round(a.TotalDistanceMeters, 2), a.ElapsedTime, a.MovingTime,
            a.AverageHeartRate, a.MaxHeartRate, a.TotalAscentMeters is { } asc ? Math.Round(asc, 1) : null,
            a.Laps.Count, a.RecordCount, a.Format, a.SourceFile,
        ]));
}
