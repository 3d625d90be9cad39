using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace OpenBfr.Formats.Import;

/// <summary>Safe XML loading and value parsing shared by the TCX and GPX parsers.</summary>
internal sealed partial class XmlActivityFile(string fileName, string format)
{
    public string FileName { get; } = fileName;

    public string Format { get; } = format;

    /// <summary>Deepest element nesting accepted (the root is depth 0); TCX and GPX need fewer than 12 levels.</summary>
    public const int MaxDepth = 64;

    /// <summary>Loads with DTDs prohibited and no external resolution (no XXE, no entity expansion), elements nested at most <see cref="MaxDepth"/> deep.</summary>
    public XDocument Load(Stream stream)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
        };
        try
        {
            // XDocument.Load takes time quadratic in the nesting depth (100 000 levels, 0.7 MB: 14 s),
            // so the depth is checked first with a plain reader, which is linear.
            if (!stream.CanSeek)
            {
                var copy = new MemoryStream();
                stream.CopyTo(copy);
                copy.Position = 0;
                stream = copy;
            }
            var start = stream.Position;
            using (var scan = XmlReader.Create(stream, settings))
            {
                while (scan.Read())
                {
                    if (scan.Depth > MaxDepth)
                    {
                        var line = (IXmlLineInfo)scan;
                        throw new MalformedFileException(FileName, Format, $"line {line.LineNumber}, column {line.LinePosition}",
                            $"<{scan.LocalName}> is nested {scan.Depth} levels deep, more than the {MaxDepth} allowed ({Format} files nest fewer than 12)");
                    }
                }
            }
            stream.Position = start;
            using var reader = XmlReader.Create(stream, settings);
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            // Some refusals (a DTD) come without a position: line 0, which would only mislead.
            throw new MalformedFileException(FileName, Format, ex.LineNumber > 0 ? $"line {ex.LineNumber}, column {ex.LinePosition}" : null, ex.Message, ex);
        }
    }

    public MalformedFileException Error(XObject? at, string problem)
        => new(FileName, Format, at is IXmlLineInfo info && info.HasLineInfo() ? $"line {info.LineNumber}, column {info.LinePosition}" : null, problem);

    /// <summary>The one child element named <paramref name="localName"/>; refused when it is missing or appears twice.</summary>
    public XElement Required(XElement parent, string localName)
        => Optional(parent, localName) ?? throw Error(parent, $"<{parent.Name.LocalName}> has no <{localName}>");

    /// <summary>
    /// The child element named <paramref name="localName"/>, or null; refused when it appears twice. Only for
    /// elements the schema allows once (maxOccurs 1, as every element read this way is in TCX v2 and GPX 1.1):
    /// a second one would otherwise be ignored without a word, and which value the device meant is unknown.
    /// </summary>
    public XElement? Optional(XElement parent, string localName)
    {
        // Every child is looked at (a trackpoint has about 6), through the node list rather than an Elements()
        // iterator, so checking for a second one costs the import no more than stopping at the first did.
        XElement? found = null;
        for (var node = parent.FirstNode; node is not null; node = node.NextNode)
        {
            if (node is not XElement element || element.Name.LocalName != localName)
            {
                continue;
            }
            if (found is not null)
            {
                throw Repeated(parent, found, element);
            }
            found = element;
        }
        return found;
    }

    /// <summary>"&lt;name&gt; appears again in &lt;parent&gt; …: the schema allows it once", located at the second one.</summary>
    public MalformedFileException Repeated(XElement parent, XElement first, XElement second)
    {
        static string Value(XElement e, string before) => e.HasElements ? "" : $"{before}\"{Clip(e.Value.Trim())}\"";
        var firstLine = first is IXmlLineInfo info && info.HasLineInfo() ? $" at line {info.LineNumber}" : "";
        return Error(second, $"<{second.Name.LocalName}>{Value(second, " ")} appears again in <{parent.Name.LocalName}> (first{firstLine}{Value(first, ": ")}): "
            + $"the {Format} schema allows one <{second.Name.LocalName}> per <{parent.Name.LocalName}>, and which one the device meant is unknown");
    }

    public static IEnumerable<XElement> Children(XElement parent, string localName) => parent.Elements().Where(e => e.Name.LocalName == localName);

    public double Number(XObject at, string text, string what, double min, double max)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Error(at, $"{what} is \"{Clip(text)}\", expected a number");
        }
        if (value < min || value > max)
        {
            throw Error(at, $"{what} must be {min.ToString(CultureInfo.InvariantCulture)}–{max.ToString(CultureInfo.InvariantCulture)}, was {text.Trim()}");
        }
        return value;
    }

    public DateTimeOffset Time(XObject at, string text, string what)
    {
        // xsd:dateTime; a time without an offset is taken as UTC, as GPX 1.1 and TCX specify UTC. The shape is
        // checked first: TryParse alone takes "07:30:00" as today (the wall clock) and "12/03/2026" as 3 December.
        if (!DateTimeShape().IsMatch(text.Trim())
            || !DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw Error(at, $"{what} is \"{Clip(text)}\", expected an ISO 8601 date-time such as 2026-03-14T07:30:00Z");
        }
        if (ActivityLimits.TimeProblem(what, time) is { } problem)
        {
            throw Error(at, problem);
        }
        return time.ToUniversalTime();
    }

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeShape();

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
