using System.Buffers;
using System.Text.Json;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Api;

/// <summary>
/// Control characters in an API request (<see cref="ControlCharacters"/>): a JSON string ("\u0000"
/// in a name or note, which was stored as sent) or a query value anywhere in the request is a 400
/// naming the field by its JSON path ("results[0].note") or query name, showing the value escaped
/// and saying what is allowed. It runs after sign-in and binding, before the endpoint, so nothing
/// is saved.
/// </summary>
public sealed class ApiControlCharacters : IEndpointFilter
{
    /// <summary>Bytes scanned per read of the buffered body.</summary>
    private const int Chunk = 16 * 1024;

    /// <summary>The bytes that can start a control character in JSON text: an escape's backslash, DEL, a C1 character's lead byte.</summary>
    private static readonly SearchValues<byte> MayStart = SearchValues.Create([(byte)'\\', 0x7F, 0xC2]);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        foreach (var (key, values) in request.Query)
        {
            foreach (var value in values)
            {
                if (ControlCharacters.IndexOfRefused(key) >= 0)
                {
                    return ApiExtensions.Invalid("query", ControlCharacters.Message("a query parameter's name", key));
                }
                if (ControlCharacters.IndexOfRefused(value) >= 0)
                {
                    return ApiExtensions.Invalid(key, ControlCharacters.Message(key, value!));
                }
            }
        }
        if (request.HasJsonContentType() && request.Body.CanSeek && await MayHoldControlCharacterAsync(request.Body))
        {
            try
            {
                request.Body.Position = 0;
                using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: context.HttpContext.RequestAborted);
                if (Find(json.RootElement, "") is { } found)
                {
                    return ApiExtensions.Invalid(found.Field, found.Message);
                }
            }
            catch (JsonException)
            {
                // It bound, so it is JSON; a body that is not was refused before (RequestBindingProblems).
            }
        }
        return await next(context);
    }

    /// <summary>
    /// Whether the body has anything that can be a control character in a JSON string: an escape
    /// \u0000–\u001F or \u007F–\u009F (tab and line breaks included; the parse tells them apart) or
    /// DEL or a C1 character written as is (JSON refuses the other raw ones). Most bodies have none
    /// and are not parsed again.
    /// </summary>
    private static async Task<bool> MayHoldControlCharacterAsync(Stream body)
    {
        body.Position = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk + 6);
        try
        {
            var kept = 0;
            int n;
            while ((n = await body.ReadAsync(buffer.AsMemory(kept, Chunk))) > 0)
            {
                var span = buffer.AsSpan(0, kept + n);
                var i = span.IndexOfAny(MayStart);
                while (i >= 0)
                {
                    if (span[i] == 0x7F || (span[i] == 0xC2 && i + 1 < span.Length && span[i + 1] is >= 0x80 and <= 0x9F))
                    {
                        return true;
                    }
                    if (span[i] == (byte)'\\' && i + 5 < span.Length && (span[i + 1] | 0x20) == 'u' && span[i + 2] == '0' && span[i + 3] == '0'
                        && (span[i + 4] is (byte)'0' or (byte)'1' or (byte)'8' or (byte)'9' || (span[i + 4] == '7' && (span[i + 5] | 0x20) == 'f')))
                    {
                        return true;
                    }
                    var next = span[(i + 1)..].IndexOfAny(MayStart);
                    i = next < 0 ? -1 : i + 1 + next;
                }
                // An escape (or a two-byte C1 character) split across reads is seen whole in the next one.
                kept = Math.Min(5, span.Length);
                span[^kept..].CopyTo(buffer);
            }
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            body.Position = 0;
        }
    }

    /// <summary>The first string (or property name) the rule refuses, depth first, with its path as the binding errors write it ("results[1].note").</summary>
    private static (string Field, string Message)? Find(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var text = element.GetString()!;
                return ControlCharacters.IndexOfRefused(text) >= 0 ? (Field(path), ControlCharacters.Message(Field(path), text, json: true)) : null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (ControlCharacters.IndexOfRefused(property.Name) >= 0)
                    {
                        return (Field(path), ControlCharacters.Message("a property name" + (path.Length == 0 ? "" : " in " + path), property.Name, json: true));
                    }
                    if (Find(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, $"{path}[{i++}]") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static string Field(string path) => path.Length == 0 ? "body" : path;
}
