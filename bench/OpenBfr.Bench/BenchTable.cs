namespace OpenBfr.Bench;

/// <summary>The Markdown table the suites print: columns padded to their widest cell.</summary>
public static class BenchTable
{
    /// <summary>Writes <paramref name="header"/>, the separator line and one line per row to standard output.</summary>
    public static void Print(IReadOnlyList<string> header, IReadOnlyList<string[]> cells)
    {
        var widths = header.Select((h, c) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(row => row[c].Length))).ToArray();
        string Line(IEnumerable<string> values) => "| " + string.Join(" | ", values.Select((v, c) => v.PadRight(widths[c]))) + " |";
        Console.WriteLine(Line(header));
        Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in cells) Console.WriteLine(Line(row));
    }
}
