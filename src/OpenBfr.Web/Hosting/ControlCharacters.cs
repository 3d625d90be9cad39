using System.Globalization;
using System.Text;
using OpenBfr.Web.Api;

namespace OpenBfr.Web.Hosting;

/// <summary>
/// The one rule for text from a client (form fields, JSON strings, query values): no control
/// characters (C0 U+0000–U+001F, DEL U+007F, C1 U+0080–U+009F) except tab, line feed and carriage
/// return, which a note typed in a text area carries. Such a character is refused at the edge,
/// naming the field and showing the value escaped, so none reaches the database to be shown later
/// in a page, a CSV export or a calendar feed. A NUL used to end a form post with a bare 400
/// (ASP.NET Core's form reader refuses it) and, in JSON, was stored as sent.
/// </summary>
public static class ControlCharacters
{
    /// <summary>What the rule allows, in words, for messages.</summary>
    public const string Allowed = "text without control characters (tab and line breaks are allowed)";

    /// <summary>How many characters of a value a message shows (as <see cref="RequestBindingProblems.Quote"/>).</summary>
    private const int MaxShown = 60;

    /// <summary>The index of the first character the rule refuses, or -1.</summary>
    public static int IndexOfRefused(string? text)
    {
        if (text is null)
        {
            return -1;
        }
        for (var i = 0; i < text.Length; i++)
        {
            if (IsRefused(text[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Whether the rule refuses <paramref name="c"/>.</summary>
    public static bool IsRefused(char c) => char.IsControl(c) && c is not ('\t' or '\n' or '\r');

    /// <summary>
    /// The refusal: "note must be text without control characters (…), was 'a\u0007b' (U+0007 at
    /// character 2)". The value is shown with every control character escaped as \uXXXX (and
    /// shortened like every quoted value); a password's value is never shown.
    /// </summary>
    /// <param name="field">the field as the client named it.</param>
    /// <param name="value">the value as sent.</param>
    /// <param name="json">quote as a JSON string ("…") rather than as a form value ('…').</param>
    public static string Message(string field, string value, bool json = false)
    {
        var at = IndexOfRefused(value);
        var where = string.Create(CultureInfo.InvariantCulture, $"U+{(int)value[at]:X4} at character {at + 1}");
        if (field.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            return $"{field} must be {Allowed}; it has {where} (the value is not shown)";
        }
        var shown = Shown(value);
        return json ? $"{field} must be {Allowed}, was \"{shown}\" ({where})" : $"{field} must be {Allowed}, was '{shown}' ({where})";
    }

    /// <summary>
    /// <paramref name="value"/> as a message quotes it: every control character (tab and line breaks
    /// too) written as \uXXXX, so the message shows it and carries none; shortened like every quoted
    /// value (<see cref="RequestBindingProblems.Quote"/>), with the length as sent.
    /// </summary>
    public static string Shown(string value)
    {
        var text = new StringBuilder(Math.Min(value.Length, MaxShown) + 8);
        foreach (var c in value)
        {
            if (text.Length >= MaxShown)
            {
                return text.Append(CultureInfo.InvariantCulture, $"… ({value.Length} characters)").ToString();
            }
            if (char.IsControl(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }
}
