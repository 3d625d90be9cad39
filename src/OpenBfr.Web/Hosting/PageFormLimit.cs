using System.Globalization;
using System.Net;
using System.Text;
using OpenBfr.Web.Pages;

namespace OpenBfr.Web.Hosting;

/// <summary>
/// The size limit of a page's URL-encoded form: 1 MB. No page's form comes near it (its longest
/// fields are notes); the limit bounds what the form's NUL handling
/// (<see cref="FormControlCharacters.ReadNulAsync"/>) holds in memory. A larger form used to be
/// handled two ways: holding a NUL it got ASP.NET Core's bare 400 naming nothing, without one it was
/// read whole and answered field by field. Now every larger form gets the same answer, a 413 page
/// naming the limit, the form's size and its largest field, before anything reads it; nothing is
/// saved. Multipart forms (file imports, up to <see cref="Training.TrainingService.MaxFileBytes"/>)
/// and the API are not page forms in this sense and keep their own limits.
/// </summary>
public static class PageFormLimit
{
    /// <summary>The largest URL-encoded page form read, in bytes (1 MB).</summary>
    public const int MaxBytes = 1024 * 1024;

    private const string UrlEncoded = "application/x-www-form-urlencoded";

    /// <summary>How many bytes of a field's name are kept to name it (longer names are shortened).</summary>
    private const int MaxNameBytes = 256;

    /// <summary>
    /// Middleware: a URL-encoded page form over <see cref="MaxBytes"/> is answered with the 413 page;
    /// one of unknown length (chunked) is read up to the limit first and passed on from memory.
    /// </summary>
    public static async Task RefuseOversizedAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!IsPageForm(request) || request.ContentLength is <= MaxBytes)
        {
            await next(context);
            return;
        }
        var sizes = new FieldSizes();
        if (request.ContentLength is null)
        {
            // Chunked: keep up to the limit; a form within it goes on as if it had said its length.
            using var kept = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int n;
            while (kept.Length <= MaxBytes && (n = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                kept.Write(chunk, 0, n);
                sizes.Add(chunk.AsSpan(0, n));
            }
            if (kept.Length <= MaxBytes)
            {
                var body = new MemoryStream(kept.ToArray(), writable: false);
                context.Response.RegisterForDispose(body);
                request.Body = body;
                request.ContentLength = body.Length;
                await next(context);
                return;
            }
        }
        var whole = await MeasureAsync(request.Body, sizes, context.RequestAborted);
        await RefuseAsync(context, sizes, whole);
    }

    /// <summary>A page's URL-encoded form post (not the API, not a multipart file import).</summary>
    public static bool IsPageForm(HttpRequest request)
        => HttpMethods.IsPost(request.Method) && !WebSetup.IsApi(request)
            && request.ContentType is { } type && type.StartsWith(UrlEncoded, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// What the user reads: "This form is 1.5 MB (1,572,900 bytes); a form on these pages may be at
    /// most 1 MB (1,048,576 bytes). Its largest field, note, takes 1.5 MB (1,572,880 bytes) of it."
    /// </summary>
    /// <param name="formBytes">the form's size, as sent.</param>
    /// <param name="largestField">the largest field's name, as messages name a field.</param>
    /// <param name="largestBytes">that field's name, "=" and value, as sent.</param>
    /// <param name="whole">false when the server stopped reading the form (its own request limit): the sizes are then "at least".</param>
    public static string Message(long formBytes, string largestField, long largestBytes, bool whole = true)
    {
        var atLeast = whole ? "" : "at least ";
        return string.Create(CultureInfo.InvariantCulture,
            $"This form is {atLeast}{Size(formBytes)}; a form on these pages may be at most 1 MB ({MaxBytes:N0} bytes). Its largest field, {largestField}, takes {atLeast}{Size(largestBytes)} of it.");
    }

    private static string Size(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MB ({bytes:N0} bytes)");

    /// <summary>Reads the rest of the form, sizing it (so the client, still sending, gets the answer rather than a reset connection).</summary>
    /// <returns>false when the server's own request limit stopped the reading first.</returns>
    private static async Task<bool> MeasureAsync(Stream body, FieldSizes sizes, CancellationToken ct)
    {
        var chunk = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await body.ReadAsync(chunk, ct)) > 0)
            {
                sizes.Add(chunk.AsSpan(0, n));
            }
            return true;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return false;
        }
    }

    private static async Task RefuseAsync(HttpContext context, FieldSizes sizes, bool whole)
    {
        var (name, bytes) = sizes.Largest;
        var field = ControlCharacters.Shown(UnboundFormFields.FieldName(name));
        var message = Message(sizes.Total, field.Length == 0 ? "(unnamed)" : field, bytes, whole);
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        context.Response.ContentType = "text/html; charset=utf-8";
        var back = context.Request.Path.Value ?? "/";
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>Form too large – OpenBFR</title>
                <link rel="stylesheet" href="/css/site.css" />
            </head>
            <body>
            <main>
                <h1>Form too large</h1>
                <p class="error" role="alert">{WebUtility.HtmlEncode(message)}</p>
                <p>Nothing was saved. Go back, shorten that field and send the form again.</p>
                <p><a href="{WebUtility.HtmlEncode(back)}">Back to the page</a></p>
            </main>
            </body>
            </html>
            """, context.RequestAborted);
    }

    /// <summary>
    /// Sizes a URL-encoded form as it streams past, keeping only the largest field's name (its first
    /// <see cref="MaxNameBytes"/> bytes): a field is its name, "=" and value as sent, between "&amp;"s.
    /// </summary>
    private sealed class FieldSizes
    {
        private readonly List<byte> _name = [];
        private bool _inValue;
        private long _fieldBytes;
        private string _largestName = "";
        private long _largestBytes = -1;

        public long Total { get; private set; }

        public (string Name, long Bytes) Largest
        {
            get
            {
                var current = _fieldBytes > _largestBytes ? (CurrentName(), _fieldBytes) : (_largestName, _largestBytes);
                return (current.Item1, Math.Max(current.Item2, 0));
            }
        }

        public void Add(ReadOnlySpan<byte> bytes)
        {
            Total += bytes.Length;
            foreach (var b in bytes)
            {
                if (b == (byte)'&')
                {
                    EndField();
                    continue;
                }
                _fieldBytes++;
                if (b == (byte)'=' && !_inValue)
                {
                    _inValue = true;
                }
                else if (!_inValue && _name.Count < MaxNameBytes)
                {
                    _name.Add(b);
                }
            }
        }

        private void EndField()
        {
            if (_fieldBytes > _largestBytes)
            {
                _largestBytes = _fieldBytes;
                _largestName = CurrentName();
            }
            _name.Clear();
            _inValue = false;
            _fieldBytes = 0;
        }

        private string CurrentName()
        {
            // Decoding leaves a broken escape as sent.
            return Uri.UnescapeDataString(Encoding.UTF8.GetString([.. _name]).Replace('+', ' '));
        }
    }
}
