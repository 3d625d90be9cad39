using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Api;

/// <summary>
/// A request the API cannot even bind (a body that is not JSON, a field of the wrong JSON type, no
/// body, a query value that is not a number or true/false, the wrong Content-Type) is answered like
/// every other bad input: a ProblemDetails whose errors name the field, quote the value and say what
/// is allowed. Without this the framework answers a bare "Bad Request" that names nothing. Only API
/// requests (/api); pages keep their own handling.
/// </summary>
public sealed partial class RequestBindingProblems : IExceptionHandler
{
    /// <summary>How much of a buffered body is read back to quote the offending value.</summary>
    private const int MaxBodyToQuote = 2 * 1024 * 1024;

    /// <summary>How much of a value a message quotes.</summary>
    private const int MaxQuoted = 60;

    /// <summary>
    /// Lets <see cref="RequestBindingProblems"/> read a JSON body again to quote the value that did not bind.
    /// Small bodies stay in memory, large ones go to a temporary file (ASP.NET Core's buffering).
    /// </summary>
    public static Task BufferJsonBodies(HttpContext context, RequestDelegate next)
    {
        if (WebSetup.IsApi(context.Request) && context.Request.HasJsonContentType())
        {
            context.Request.EnableBuffering();
        }
        return next(context);
    }

    /// <summary>
    /// Routing itself refuses a body that is not JSON (415) before any endpoint runs; the status-code
    /// page's ProblemDetails then says which header and what it must be.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var request = context.HttpContext.Request;
        if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && WebSetup.IsApi(request))
        {
            context.ProblemDetails.Detail = UnsupportedContentType(request);
            context.ProblemDetails.Extensions["field"] = "Content-Type";
        }
    }

    private static string UnsupportedContentType(HttpRequest request) => $"Content-Type must be application/json, was '{request.ContentType ?? "(none)"}'";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || !WebSetup.IsApi(context.Request))
        {
            return false;
        }
        var (status, field, message) = await DescribeAsync(context, bad);
        IResult result = status == StatusCodes.Status400BadRequest
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "The input is not valid")
            : TypedResults.Problem(statusCode: status, detail: message, title: status == StatusCodes.Status415UnsupportedMediaType ? "Unsupported Content-Type" : "The request is not valid",
                extensions: new Dictionary<string, object?> { ["field"] = field });
        await result.ExecuteAsync(context);
        return true;
    }

    private static async Task<(int Status, string Field, string Message)> DescribeAsync(HttpContext context, BadHttpRequestException bad)
    {
        var request = context.Request;
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return (bad.StatusCode, "Content-Type", UnsupportedContentType(request));
        }
        if (bad.InnerException is JsonException json)
        {
            var (field, message) = await DescribeJsonAsync(context, json);
            return (StatusCodes.Status400BadRequest, field, message);
        }
        if (QueryBindFailure().Match(bad.Message) is { Success: true } q)
        {
            var name = q.Groups["name"].Value;
            return (StatusCodes.Status400BadRequest, name, $"{name} must be {Allowed(q.Groups["type"].Value)}, was '{Quote(q.Groups["value"].Value)}'");
        }
        if (RequiredQuery().Match(bad.Message) is { Success: true } r)
        {
            var name = r.Groups["name"].Value;
            return (StatusCodes.Status400BadRequest, name, $"{name} is required in the query string ({Allowed(r.Groups["type"].Value)})");
        }
        if (RequiredBody().IsMatch(bad.Message))
        {
            var body = await BodyAsync(request);
            var was = string.IsNullOrWhiteSpace(body) ? "empty" : Quote(body.Trim());
            return (StatusCodes.Status400BadRequest, "body", $"body must be a JSON object (Content-Type: application/json), was {was}");
        }
        // Anything else the framework refuses (too large, a bad header): its own message names it; no stack trace.
        return (bad.StatusCode, "request", bad.Message);
    }

    private static async Task<(string Field, string Message)> DescribeJsonAsync(HttpContext context, JsonException json)
    {
        var body = await BodyAsync(context.Request);
        JsonNode? root = null;
        if (body is not null)
        {
            try
            {
                root = JsonNode.Parse(body);
            }
            catch (JsonException syntax)
            {
                return ("body", $"body must be valid JSON: {Position(syntax)}");
            }
        }
        var path = json.Path ?? "$";
        var field = path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var expected = ExpectedType(context, path);
        var allowed = expected is null ? "a value of the right JSON type" : Allowed(expected);
        if (body is null)
        {
            // Not buffered (no JSON Content-Type reached here): the reader's own words, without the value.
            return (field, $"{field} must be {allowed}: {Position(json)}");
        }
        var value = ValueAt(root, path);
        return (field, value is null ? $"{field} must be {allowed}: {Position(json)}" : $"{field} must be {allowed}, was {value}");
    }

    /// <summary>The reader's message without its "Path: … | LineNumber" tail, with the place in words.</summary>
    private static string Position(JsonException e)
    {
        var text = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd(' ', '|', '.');
        return e.LineNumber is { } line && e.BytePositionInLine is { } pos
            ? $"{text} (line {line + 1}, byte {pos + 1})"
            : text;
    }

    private static async Task<string?> BodyAsync(HttpRequest request)
    {
        if (!request.Body.CanSeek || request.Body.Length > MaxBodyToQuote)
        {
            return null;
        }
        request.Body.Position = 0;
        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return await reader.ReadToEndAsync();
    }

    /// <summary>The JSON text at a System.Text.Json path ("$.results[0].loadKg"), shortened; null when the path leads nowhere.</summary>
    private static string? ValueAt(JsonNode? root, string path)
    {
        var node = root;
        foreach (Match step in PathStep().Matches(path))
        {
            if (step.Groups["index"].Success)
            {
                var i = int.Parse(step.Groups["index"].Value, CultureInfo.InvariantCulture);
                if (node is not JsonArray a || i >= a.Count)
                {
                    return null;
                }
                node = a[i];
                continue;
            }
            var name = step.Groups["name"].Success ? step.Groups["name"].Value : step.Groups["quoted"].Value.Replace("''", "'", StringComparison.Ordinal);
            if (node is not JsonObject o || !o.TryGetPropertyValue(name, out node))
            {
                return null;
            }
        }
        try
        {
            return Quote(node?.ToJsonString() ?? "null");
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The .NET type the endpoint's body declares at a JSON path, or null when it cannot be followed.</summary>
    private static Type? ExpectedType(HttpContext context, string path)
    {
        // The exception handler has cleared the endpoint from the context; its feature keeps the one that failed.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        var type = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        foreach (Match step in PathStep().Matches(path))
        {
            if (type is null)
            {
                return null;
            }
            if (step.Groups["index"].Success)
            {
                type = ElementType(type);
                continue;
            }
            var name = step.Groups["name"].Success ? step.Groups["name"].Value : step.Groups["quoted"].Value;
            type = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
        }
        return type;
    }

    private static Type? ElementType(Type type)
        => type.IsArray ? type.GetElementType()
            : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    /// <summary>What a value of <paramref name="type"/> must look like, in words ("a whole number (up to 2147483647)").</summary>
    internal static string Allowed(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t switch
        {
            _ when t == typeof(int) => "a whole number (up to 2147483647)",
            _ when t == typeof(long) => "a whole number",
            _ when t == typeof(double) || t == typeof(float) || t == typeof(decimal) => "a finite number",
            _ when t == typeof(bool) => "true or false",
            _ when t == typeof(string) => "text in quotes",
            _ when t == typeof(DateOnly) => "a date like \"2026-11-01\"",
            _ when t == typeof(DateTimeOffset) || t == typeof(DateTime) => "a date and time like \"2026-11-01T10:00:00Z\"",
            _ when t == typeof(Guid) => "an id like \"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"",
            _ when t != typeof(string) && typeof(IEnumerable).IsAssignableFrom(t) && ElementType(t) is { } e => $"a list of {Plural(Allowed(e))}",
            _ => "a JSON object",
        };
    }

    /// <summary>The allowed values of a query parameter from the framework's type name ("bool?", "double?", "int").</summary>
    private static string Allowed(string typeName) => typeName.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('?', '>') switch
    {
        "bool" or "Boolean" => "true or false",
        "int" or "Int32" => "a whole number (up to 2147483647)",
        "long" or "Int64" => "a whole number",
        "double" or "Double" or "float" or "decimal" => "a finite number",
        "Guid" => "an id like 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "DateOnly" => "a date like 2026-11-01",
        var other => "a value of type " + other,
    };

    private static string Plural(string allowed) => allowed switch
    {
        "text in quotes" => "texts in quotes",
        var a when a.StartsWith("a ", StringComparison.Ordinal) => a[2..] + "s",
        var a when a.StartsWith("an ", StringComparison.Ordinal) => a[3..] + "s",
        var a => a,
    };

    /// <summary>A value as a message quotes it: whole up to <see cref="MaxQuoted"/> characters, else its start and its length.</summary>
    internal static string Quote(string raw) => raw.Length <= MaxQuoted ? raw : raw[..MaxQuoted] + $"… ({raw.Length} characters)";

    // "Failed to bind parameter "bool? includeWithdrawn" from "abc"."
    [GeneratedRegex("""^Failed to bind parameter "(?<type>\S+) (?<name>\w+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex QueryBindFailure();

    // "Required parameter "string fileName" was not provided from query string."
    [GeneratedRegex("""^Required parameter "(?<type>\S+) (?<name>\w+)" was not provided from query string\.$""")]
    private static partial Regex RequiredQuery();

    // "Required parameter "NewAthlete body" was not provided from body." or "Implicit body inferred for parameter "body" but no body was provided…"
    [GeneratedRegex("""(was not provided from body|no body was provided)""")]
    private static partial Regex RequiredBody();

    // One step of "$.a.b[2]['c d']".
    [GeneratedRegex("""\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]""")]
    private static partial Regex PathStep();
}
