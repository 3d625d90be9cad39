using System.Text;
using System.Text.Json;
using OpenBfr.Core;

namespace OpenBfr.Cuff.Session;

/// <summary>
/// Writes a session's events and telemetry as JSON lines, one object per line, flushed as each
/// is written so a crash loses nothing already recorded (DESIGN.md section 6). The output
/// depends only on what the session emits: the same seed gives the same bytes.
/// <code>
/// {"type":"event","t":12.34,"at":"2026-01-01T00:00:12.3400000+00:00","kind":"rep","exercise":"squat","set":1,"rep":3}
/// {"type":"sample","t":12.3,"at":"…","cuff":"left-leg","mmHg":140.21,"target":140,"phase":"set"}
/// </code>
/// <c>t</c> is seconds since the first record.
/// </summary>
public sealed class JsonLinesSessionLog : ISessionObserver
{
    private readonly TextWriter _writer;
    private readonly ArrayBufferWriterStream _buffer = new();
    private DateTimeOffset? _origin;

    /// <param name="writer">where lines go; the caller owns and disposes it.</param>
    public JsonLinesSessionLog(TextWriter writer) => _writer = Guard.NotNull(writer);

    /// <summary>Lines written so far.</summary>
    public long Lines { get; private set; }

    public void OnEvent(SessionEvent sessionEvent)
    {
        Guard.NotNull(sessionEvent);
        Write(sessionEvent.At, w =>
        {
            w.WriteString("type", "event");
            Time(w, sessionEvent.At);
            w.WriteString("kind", Kebab(sessionEvent.Kind.ToString()));
            if (sessionEvent.Exercise is { } exercise) w.WriteString("exercise", exercise);
            if (sessionEvent.Set is { } set) w.WriteNumber("set", set);
            if (sessionEvent.Rep is { } rep) w.WriteNumber("rep", rep);
            if (sessionEvent.Cuff is { } cuff) w.WriteString("cuff", cuff);
            if (sessionEvent.Detail is { } detail) w.WriteString("detail", detail);
        });
    }

    public void OnSample(PressureSample sample)
    {
        Write(sample.At, w =>
        {
            w.WriteString("type", "sample");
            Time(w, sample.At);
            w.WriteString("cuff", sample.Cuff);
            if (double.IsFinite(sample.ReadingMmHg)) w.WriteNumber("mmHg", Math.Round(sample.ReadingMmHg, 2));
            else w.WriteNull("mmHg");
            w.WriteNumber("target", Math.Round(sample.TargetMmHg, 2));
            w.WriteString("phase", Kebab(sample.Phase.ToString()));
        });
    }

    private void Time(Utf8JsonWriter w, DateTimeOffset at)
    {
        w.WriteNumber("t", Math.Round((at - _origin!.Value).TotalSeconds, 3));
        w.WriteString("at", at.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    private void Write(DateTimeOffset at, Action<Utf8JsonWriter> body)
    {
        _origin ??= at;
        _buffer.Reset();
        using (var w = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        _writer.Write(Encoding.UTF8.GetString(_buffer.Bytes));
        _writer.Write('\n');
        _writer.Flush();
        Lines++;
    }

    /// <summary>"SetStart" → "set-start".</summary>
    internal static string Kebab(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    /// <summary>A reusable in-memory stream for one line.</summary>
    private sealed class ArrayBufferWriterStream : MemoryStream
    {
        public ReadOnlySpan<byte> Bytes => GetBuffer().AsSpan(0, (int)Length);

        public void Reset() => SetLength(0);
    }
}
