namespace OpenBfr.Web.Hosting;

/// <summary>
/// Bad input from a form or an API call: names the field and says what is allowed. The API turns
/// it into a 400 ProblemDetails with the field as the error's key; pages show it beside the field.
/// </summary>
public sealed class InputException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;

    /// <summary>From a core guard's exception, which already names the argument, the allowed range and the value.</summary>
    public static InputException From(ArgumentException e, string? field = null)
    {
        var message = e is ArgumentOutOfRangeException range && range.ActualValue is not null
            ? range.Message.Split(" (Parameter", 2)[0].Split(Environment.NewLine, 2)[0]
            : e.Message.Split(" (Parameter", 2)[0];
        // The core names its own parameter ("widthCm must be 2–30 cm"); the client sent the field (cuffWidthCm).
        if (field is not null && e.ParamName is { Length: > 0 } parameter && parameter != field && message.StartsWith(parameter + " ", StringComparison.Ordinal))
        {
            message = field + message[parameter.Length..];
        }
        return new InputException(field ?? e.ParamName ?? "input", message);
    }

    /// <summary>
    /// A number or date the request must carry: left out (or an empty form field) it is refused as
    /// "<paramref name="field"/> is required (<paramref name="allowed"/>)" instead of being read as
    /// 0 (or year 1) and refused as "was 0", as if the user had sent 0.
    /// </summary>
    /// <exception cref="InputException">the value is null.</exception>
    public static T Required<T>(T? value, string field, string allowed) where T : struct
        => value ?? throw new InputException(field, $"{field} is required ({allowed})");
}

/// <summary>The caller may not see or change this record (or it does not exist: the two are not told apart).</summary>
public sealed class NotVisibleException() : Exception("not found");

/// <summary>
/// The caller may see the record but not change it (e.g. an athlete correcting a test their
/// clinician recorded). The API turns it into a 403 ProblemDetails saying why and who may.
/// </summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>
/// The request conflicts with the record's current state (e.g. a second live session for an
/// athlete). The API turns it into a 409 ProblemDetails with <see cref="Title"/> and the message.
/// </summary>
public sealed class ConflictException(string title, string message, IReadOnlyDictionary<string, object?>? extensions = null) : Exception(message)
{
    public string Title { get; } = title;

    /// <summary>Extra members of the problem (ids the client can follow).</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();
}
