using System.Text;
using Microsoft.AspNetCore.Mvc.Filters;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Pages;

/// <summary>
/// Control characters in a page's form (<see cref="ControlCharacters"/>): each field carrying one
/// comes back beside the form naming the field, showing the value escaped and saying what is
/// allowed, and the handlers refuse the form (<see cref="OpenBfrPageModel.RefuseUnboundFields"/>).
/// A NUL needs help first: ASP.NET Core's form reader refuses a whole form holding one ("The form
/// value contains invalid characters"), so the anti-forgery check failed and the page answered a
/// bare 400 naming nothing. <see cref="ReadNulAsync"/> keeps such values aside and lets the rest of
/// the form through without the NUL; the page filter then refuses the field as sent.
/// </summary>
public static class FormControlCharacters
{
    /// <summary>Larger form posts get the 413 page (<see cref="PageFormLimit"/>); no page's form is near it.</summary>
    private const int MaxFormBytes = PageFormLimit.MaxBytes;

    /// <summary>The form values that held a NUL, as sent, kept for the page filter's message.</summary>
    public sealed class WithNul(IReadOnlyList<KeyValuePair<string, string>> values)
    {
        public IReadOnlyList<KeyValuePair<string, string>> Values { get; } = values;
    }

    /// <summary>Middleware: a page's URL-encoded form post holding a NUL (%00) is read on without it, the values as sent kept in <see cref="WithNul"/>.</summary>
    public static async Task ReadNulAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (PageFormLimit.IsPageForm(request) && request.ContentLength is null or <= MaxFormBytes)
        {
            request.EnableBuffering();
            var raw = await ReadAsync(request.Body);
            request.Body.Position = 0;
            if (raw is not null && (raw.Contains("%00", StringComparison.Ordinal) || raw.Contains('\0', StringComparison.Ordinal)))
            {
                var (body, withNul) = WithoutNul(raw);
                if (withNul.Count > 0)
                {
                    context.Features.Set(new WithNul(withNul));
                    var bytes = Encoding.UTF8.GetBytes(body);
                    var stream = new MemoryStream(bytes, writable: false);
                    context.Response.RegisterForDispose(stream);
                    request.Body = stream;
                    request.ContentLength = bytes.Length;
                }
            }
        }
        await next(context);
    }

    /// <summary>The whole body as text, or null when it is longer than <see cref="MaxFormBytes"/>.</summary>
    private static async Task<string?> ReadAsync(Stream body)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await body.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + n > MaxFormBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, n);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The form with every NUL taken out of its names and values, and the pairs that held one, decoded as sent.</summary>
    private static (string Body, List<KeyValuePair<string, string>> WithNul) WithoutNul(string raw)
    {
        var pairs = raw.Split('&');
        var withNul = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < pairs.Length; i++)
        {
            var eq = pairs[i].IndexOf('=', StringComparison.Ordinal);
            var name = Decode(eq < 0 ? pairs[i] : pairs[i][..eq]);
            var value = eq < 0 ? "" : Decode(pairs[i][(eq + 1)..]);
            if (name.Contains('\0', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
            {
                withNul.Add(new(name, value));
                pairs[i] = Uri.EscapeDataString(name.Replace("\0", "", StringComparison.Ordinal)) + "=" + Uri.EscapeDataString(value.Replace("\0", "", StringComparison.Ordinal));
            }
        }
        return (string.Join('&', pairs), withNul);
    }

    private static string Decode(string encoded) => Uri.UnescapeDataString(encoded.Replace('+', ' '));

    /// <summary>
    /// Puts the refusal beside every posted field whose name or value (or uploaded file's name) holds
    /// a control character, in place of any other error there (a number that did not bind because of it).
    /// </summary>
    public static void Refuse(PageHandlerExecutingContext context)
    {
        var request = context.HttpContext.Request;
        if (!request.HasFormContentType)
        {
            return;
        }
        var withNul = context.HttpContext.Features.Get<WithNul>()?.Values ?? [];
        var nulFields = withNul.Select(p => p.Key.Replace("\0", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sent = withNul.Select(p => (p.Key, p.Value, File: false))
            .Concat(request.Form.Where(f => !nulFields.Contains(f.Key)).SelectMany(f => f.Value.Select(v => (f.Key, Value: v ?? "", File: false))))
            // An uploaded file's name is stored with what it imported (shown as the activity's source).
            .Concat(request.Form.Files.Select(f => (Key: f.Name, Value: f.FileName, File: true)));
        var refused = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value, file) in sent)
        {
            var key = name.Replace("\0", "", StringComparison.Ordinal);
            string message;
            if (ControlCharacters.IndexOfRefused(name) >= 0)
            {
                message = ControlCharacters.Message("a field's name", name);
            }
            else if (ControlCharacters.IndexOfRefused(value) >= 0)
            {
                message = ControlCharacters.Message(UnboundFormFields.FieldName(key) + (file ? "'s file name" : ""), value);
            }
            else
            {
                continue;
            }
            if (!refused.Add(key))
            {
                continue;
            }
            if (context.ModelState.TryGetValue(key, out var entry))
            {
                entry.Errors.Clear();
            }
            context.ModelState.AddModelError(key, message);
        }
    }
}
