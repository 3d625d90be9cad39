using System.Net;
using System.Text.RegularExpressions;

namespace OpenBfr.Web.Tests.Walkthrough;

/// <summary>Reads one form of a rendered page as a browser would show it: field values, chosen options, ticked boxes.</summary>
public sealed partial class FormHtml(string html)
{
    /// <summary>The form whose id is <paramref name="id"/> on the page.</summary>
    public static FormHtml ById(string page, string id)
    {
        var start = page.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, $"no element with id {id} on the page");
        var open = page.LastIndexOf("<form", start, StringComparison.Ordinal);
        var end = page.IndexOf("</form>", start, StringComparison.Ordinal);
        return new FormHtml(page[open..end]);
    }

    /// <summary>The value attribute of the input named <paramref name="name"/> (null without one).</summary>
    public string? Value(string name)
    {
        var tag = Tag("input", name);
        return ValueAttribute().Match(tag) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
    }

    /// <summary>The value of the chosen option of the select named <paramref name="name"/> (the first when none is marked, as a browser shows it).</summary>
    public string? Selected(string name)
    {
        var start = html.IndexOf($"<select name=\"{name}\"", StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, $"no select {name} in the form");
        var select = html[start..html.IndexOf("</select>", start, StringComparison.Ordinal)];
        var options = OptionTag().Matches(select).Select(m => (Tag: m.Value, Text: WebUtility.HtmlDecode(m.Groups[1].Value))).ToList();
        var chosen = options.FirstOrDefault(o => o.Tag.Contains("selected", StringComparison.Ordinal));
        if (chosen.Tag is null)
        {
            chosen = options.FirstOrDefault();
        }
        return chosen.Tag is null ? null : ValueAttribute().Match(chosen.Tag) is { Success: true } v ? WebUtility.HtmlDecode(v.Groups[1].Value) : chosen.Text.Trim();
    }

    /// <summary>The values of the ticked boxes named <paramref name="name"/>.</summary>
    public List<string> Ticked(string name)
        => InputTag().Matches(html).Select(m => m.Value)
            .Where(t => t.Contains($"name=\"{name}\"", StringComparison.Ordinal) && t.Contains("checked", StringComparison.Ordinal))
            .Select(t => WebUtility.HtmlDecode(ValueAttribute().Match(t).Groups[1].Value)).ToList();

    private string Tag(string element, string name)
    {
        var m = Regex.Match(html, $"<{element}[^>]*name=\"{Regex.Escape(name)}\"[^>]*>");
        m.Success.ShouldBeTrue($"no {element} {name} in the form");
        return m.Value;
    }

    [GeneratedRegex("\\svalue=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();

    [GeneratedRegex("<option[^>]*>([^<]*)</option>")]
    private static partial Regex OptionTag();

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputTag();
}
