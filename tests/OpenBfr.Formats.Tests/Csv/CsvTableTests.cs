using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using OpenBfr.Formats.Csv;

namespace OpenBfr.Formats.Tests.Csv;

public class CsvTableTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("", "")]
    public void Field_SpecialCharacters_QuotedPerRfc4180(string value, string expected) => CsvTable.Field(value).ShouldBe(expected);

    /// <summary>Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP, CSV injection); numbers stay numbers.</summary>
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"run\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"run\"\")\"")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("Spring = race", "Spring = race")]
    public void Field_TextStartingLikeAFormula_IsDefused(string value, string expected) => CsvTable.Field(value).ShouldBe(expected);

    [Fact]
    public void Field_NegativeNumber_StaysANumber() => CsvTable.Field(-1.5).ShouldBe("-1.5");

    /// <summary>Any value whose text starts like a formula is defused, not only a string: a char, an object's ToString.</summary>
    [Fact]
    public void Field_NonStringValueStartingLikeAFormula_IsDefused()
    {
        CsvTable.Field('=').ShouldBe("'=");
        CsvTable.Field(new System.Text.StringBuilder("=HYPERLINK(\"http://x\")")).ShouldBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
        CsvTable.Field(new Uri("http://x/a")).ShouldBe("http://x/a");
        CsvTable.Field(-3).ShouldBe("-3");
        CsvTable.Field(-2.5m).ShouldBe("-2.5");
        CsvTable.Field(TimeSpan.FromSeconds(-4)).ShouldBe("-4");
    }

    [Fact]
    public void Field_DateTime_Iso8601NotTheGeneralFormat()
    {
        CsvTable.Field(new DateTime(2026, 3, 14, 7, 30, 0, DateTimeKind.Utc)).ShouldBe("2026-03-14T07:30:00Z");
        CsvTable.Field(new DateTime(2026, 3, 14, 7, 30, 0, DateTimeKind.Unspecified)).ShouldBe("2026-03-14T07:30:00");
    }

    [Fact]
    public void Field_TinyNegativeNumber_IsZeroNotMinusZero()
    {
        CsvTable.Field(-0.0001).ShouldBe("0");
        CsvTable.Field(-0.0f).ShouldBe("0");
        CsvTable.Field(-0.0004).ShouldBe("0");
        CsvTable.Field(-0.0005).ShouldBe("-0.001");
    }

    [Fact]
    public void Field_NumbersAndTimes_InvariantCulture()
    {
        CsvTable.Field(1234.5678).ShouldBe("1234.568");
        CsvTable.Field(new DateTimeOffset(2026, 3, 14, 7, 30, 0, TimeSpan.Zero)).ShouldBe("2026-03-14T07:30:00Z");
        CsvTable.Field(new DateOnly(2026, 12, 7)).ShouldBe("2026-12-07");
        CsvTable.Field(TimeSpan.FromMinutes(1.5)).ShouldBe("90");
        CsvTable.Field(null).ShouldBe("");
    }

    [Fact]
    public void Write_RowWithWrongCount_NamesTheRow()
    {
        Should.Throw<ArgumentException>(() => CsvTable.Write(["a", "b"], [["1", "2"], ["3"]]))
            .Message.ShouldContain("row 2 has 1 values, but the header has 2 columns (a, b)");
    }

    [Fact]
    public void Write_ParsedByCsvHelper_RoundTripsEveryValue()
    {
        var rows = new List<IReadOnlyList<object?>>
        {
            new object?[] { "Week 1", "BFR strength; 30-15-15-15, cuffs at 70%", "line one\r\nline two", 3.25 },
            new object?[] { "Week 2", "He said \"deload\"", "ünïcödé 足首", null },
        };
        var text = CsvTable.Write(["week", "session", "notes", "hours"], rows);

        using var reader = new CsvReader(new StringReader(text), new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n" });
        var parsed = new List<string[]>();
        while (reader.Read())
        {
            parsed.Add([.. Enumerable.Range(0, reader.Parser.Count).Select(i => reader.GetField(i)!)]);
        }
        parsed.Count.ShouldBe(3);
        parsed[0].ShouldBe(["week", "session", "notes", "hours"]);
        parsed[1].ShouldBe(["Week 1", "BFR strength; 30-15-15-15, cuffs at 70%", "line one\r\nline two", "3.25"]);
        parsed[2].ShouldBe(["Week 2", "He said \"deload\"", "ünïcödé 足首", ""]);
        text.ShouldEndWith("\r\n");
    }

    [Fact]
    public void Write_OneColumnWithEmptyValue_RowIsNotABlankLineReadersSkip()
    {
        // Found by a CsvHelper round-trip fuzz: the empty row was written as "\r\n" and read back as no row.
        var text = CsvTable.Write(["note"], [[null], ["x"], [""]]);

        text.ShouldBe("note\r\n\"\"\r\nx\r\n\"\"\r\n");
        using var reader = new CsvReader(new StringReader(text), new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n" });
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetField(0)!);
        }
        values.ShouldBe(["note", "", "x", ""]);
    }

    [Fact]
    public void ActivityCsv_Activities_OneRowEachWithHeader()
    {
        var run = new RunActivity("a,b.fit", ActivityFileFormat.Fit, new DateTimeOffset(2026, 3, 14, 7, 30, 0, TimeSpan.Zero), ActivitySport.Running,
            10_012.346, TimeSpan.FromSeconds(3012), TimeSpan.FromSeconds(2990.5), 151, 172, null, [], 3013, 3013);

        var lines = ActivityCsv.Write([run]).Split("\r\n");

        lines[0].ShouldBe("start_utc,sport,distance_m,elapsed_s,moving_s,avg_hr_bpm,max_hr_bpm,ascent_m,laps,records,format,source_file");
        lines[1].ShouldBe("2026-03-14T07:30:00Z,Running,10012.35,3012,2990.5,151,172,,0,3013,Fit,\"a,b.fit\"");
    }
}
