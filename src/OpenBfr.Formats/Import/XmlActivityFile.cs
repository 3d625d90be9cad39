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
            // The raw bytes are looked at first (attribute counts), so the reader needs them whole.
            if (stream is not MemoryStream memory || !memory.TryGetBuffer(out _))
            {
                var copy = new MemoryStream();
                stream.CopyTo(copy);
                copy.Position = 0;
                stream = copy;
            }
            ((MemoryStream)stream).TryGetBuffer(out var buffer);
            CheckAttributeCounts(buffer.AsSpan((int)stream.Position));
            // XDocument.Load takes time quadratic in the nesting depth (100 000 levels, 0.7 MB: 14 s), so the reader it
            // reads from refuses a node deeper than MaxDepth as it meets it, in the one pass that builds the document.
            using var reader = new DepthLimitedReader(XmlReader.Create(stream, settings), this);
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            // Some refusals (a DTD) come without a position: line 0, which would only mislead.
            throw new MalformedFileException(FileName, Format, ex.LineNumber > 0 ? $"line {ex.LineNumber}, column {ex.LinePosition}" : null, ex.Message, ex);
        }
    }

    /// <summary>
    /// Most attributes one element may carry, namespace declarations included: 256. TCX and GPX elements carry a
    /// dozen at most (a root with its xmlns declarations and xsi:schemaLocation). XmlReader takes time quadratic in
    /// one element's attribute count (100 000 attributes, 1 MB: 0.8 s; 750 000, 8 MB: 23 s; 26 MB: 177 s and 1.9 GB),
    /// and reads a whole start tag before it can be asked, so the count is checked on the bytes first.
    /// </summary>
    public const int MaxAttributes = 256;

    /// <summary>
    /// Counts the attributes of every start tag (an '=' outside quotes) on the raw content, skipping comments, CDATA
    /// sections and processing instructions, and refuses the first element with more than <see cref="MaxAttributes"/>.
    /// The encoding is told as <see cref="XmlReader"/> tells it: UTF-16 by its byte order mark or a '&lt;' as the first
    /// character, else a byte-wide encoding in which markup is ASCII (UTF-8 and the ISO 8859 family).
    /// </summary>
    private void CheckAttributeCounts(ReadOnlySpan<byte> content)
    {
        var (width, bigEndian, skip) = content switch
        {
            [0xFF, 0xFE, ..] => (2, false, 2),
            [0xFE, 0xFF, ..] => (2, true, 2),
            [(byte)'<', 0, ..] => (2, false, 0),
            [0, (byte)'<', ..] => (2, true, 0),
            [0xEF, 0xBB, 0xBF, ..] => (1, false, 3),
            _ => (1, false, 0),
        };
        var units = new Units(content[skip..], width, bigEndian);
        var pos = 0;
        while ((pos = units.IndexOfLessThan(pos)) >= 0)
        {
            if (units.At(pos, "<!--"))
            {
                pos = units.After(pos + 4, "-->");
                continue;
            }
            if (units.At(pos, "<![CDATA["))
            {
                pos = units.After(pos + 9, "]]>");
                continue;
            }
            if (units.At(pos, "<!"))
            {
                return; // a DTD, which the reader refuses with its own message
            }
            if (units.At(pos, "<?"))
            {
                pos = units.After(pos + 2, "?>");
                continue;
            }
            var tag = pos++;
            var attributes = 0;
            var quote = 0;
            for (; pos < units.Count; pos++)
            {
                var c = units[pos];
                if (quote != 0)
                {
                    quote = c == quote ? 0 : quote;
                }
                else if (c is '"' or '\'')
                {
                    quote = c;
                }
                else if (c == '=' && ++attributes > MaxAttributes)
                {
                    throw TooManyAttributes(units, tag);
                }
                else if (c is '>' or '<')
                {
                    break; // '<' cannot stand in a tag: the reader reports it
                }
            }
        }
    }

    /// <summary>The content as code units: bytes, or UTF-16 units in either byte order.</summary>
    private readonly ref struct Units(ReadOnlySpan<byte> bytes, int width, bool bigEndian)
    {
        public ReadOnlySpan<byte> Bytes { get; } = bytes;

        public System.Text.Encoding Encoding => width == 1 ? System.Text.Encoding.UTF8 : bigEndian ? System.Text.Encoding.BigEndianUnicode : System.Text.Encoding.Unicode;

        public int Width => width;

        public int Count => Bytes.Length / width;

        public int this[int i] => width == 1 ? Bytes[i] : bigEndian ? (Bytes[2 * i] << 8) | Bytes[2 * i + 1] : Bytes[2 * i] | (Bytes[2 * i + 1] << 8);

        /// <summary>The first '&lt;' at or after <paramref name="from"/>, or −1.</summary>
        public int IndexOfLessThan(int from)
        {
            if (width == 1)
            {
                var found = from < Bytes.Length ? Bytes[from..].IndexOf((byte)'<') : -1;
                return found < 0 ? -1 : from + found;
            }
            for (var i = from; i < Count; i++)
            {
                if (this[i] == '<')
                {
                    return i;
                }
            }
            return -1;
        }

        public bool At(int i, string text)
        {
            if (i + text.Length > Count)
            {
                return false;
            }
            for (var k = 0; k < text.Length; k++)
            {
                if (this[i + k] != text[k])
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>The position after the first <paramref name="terminator"/> at or after <paramref name="i"/> (the end when there is none).</summary>
        public int After(int i, string terminator)
        {
            while (i < Count && !At(i, terminator))
            {
                i++;
            }
            return Math.Min(Count, i + terminator.Length);
        }
    }

    private MalformedFileException TooManyAttributes(Units units, int tag)
    {
        // Line and column of the element's name, counted in characters as XmlReader counts them (CR LF and a lone CR end a line).
        var text = units.Encoding.GetString(units.Bytes[..(units.Width * (tag + 1))]);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                line++;
                lineStart = i + 1;
            }
        }
        var after = units.Bytes[(units.Width * (tag + 1))..];
        var name = units.Encoding.GetString(after[..Math.Min(after.Length, units.Width * 64)]);
        var end = name.AsSpan().IndexOfAny(" \t\r\n/>=");
        name = end >= 0 ? name[..end] : name;
        return new MalformedFileException(FileName, Format, $"line {line}, column {text.Length - lineStart + 1}",
            $"<{name}> has more than the {MaxAttributes} attributes an element may have ({Format} elements have a dozen at most)");
    }

    /// <summary>An XmlReader that refuses, on <see cref="Read"/>, a node nested deeper than <see cref="MaxDepth"/>; everything else is the inner reader's.</summary>
    private sealed class DepthLimitedReader(XmlReader inner, XmlActivityFile file) : XmlReader, IXmlLineInfo
    {
        public override bool Read()
        {
            if (!inner.Read())
            {
                return false;
            }
            if (inner.Depth > MaxDepth)
            {
                var line = (IXmlLineInfo)inner;
                throw new MalformedFileException(file.FileName, file.Format, $"line {line.LineNumber}, column {line.LinePosition}",
                    $"<{inner.LocalName}> is nested {inner.Depth} levels deep, more than the {MaxDepth} allowed ({file.Format} files nest fewer than 12)");
            }
            return true;
        }

        public override int AttributeCount => inner.AttributeCount;
        public override string BaseURI => inner.BaseURI;
        public override int Depth => inner.Depth;
        public override bool EOF => inner.EOF;
        public override bool IsEmptyElement => inner.IsEmptyElement;
        public override string LocalName => inner.LocalName;
        public override string Name => inner.Name;
        public override string NamespaceURI => inner.NamespaceURI;
        public override XmlNameTable NameTable => inner.NameTable;
        public override XmlNodeType NodeType => inner.NodeType;
        public override string Prefix => inner.Prefix;
        public override ReadState ReadState => inner.ReadState;
        public override string Value => inner.Value;
        public override bool HasValue => inner.HasValue;
        public override bool IsDefault => inner.IsDefault;
        public override char QuoteChar => inner.QuoteChar;
        public override XmlSpace XmlSpace => inner.XmlSpace;
        public override string XmlLang => inner.XmlLang;
        public override XmlReaderSettings? Settings => inner.Settings;
        public override string GetAttribute(int i) => inner.GetAttribute(i);
        public override string? GetAttribute(string name) => inner.GetAttribute(name);
        public override string? GetAttribute(string name, string? namespaceURI) => inner.GetAttribute(name, namespaceURI);
        public override string? LookupNamespace(string prefix) => inner.LookupNamespace(prefix);
        public override void MoveToAttribute(int i) => inner.MoveToAttribute(i);
        public override bool MoveToAttribute(string name) => inner.MoveToAttribute(name);
        public override bool MoveToAttribute(string name, string? ns) => inner.MoveToAttribute(name, ns);
        public override bool MoveToElement() => inner.MoveToElement();
        public override bool MoveToFirstAttribute() => inner.MoveToFirstAttribute();
        public override bool MoveToNextAttribute() => inner.MoveToNextAttribute();
        public override bool ReadAttributeValue() => inner.ReadAttributeValue();
        public override void ResolveEntity() => inner.ResolveEntity();
        public bool HasLineInfo() => inner is IXmlLineInfo info && info.HasLineInfo();
        public int LineNumber => inner is IXmlLineInfo info ? info.LineNumber : 0;
        public int LinePosition => inner is IXmlLineInfo info ? info.LinePosition : 0;

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
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
