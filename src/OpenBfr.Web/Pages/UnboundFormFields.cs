using System.Reflection;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using OpenBfr.Web.Api;

namespace OpenBfr.Web.Pages;

/// <summary>
/// A form value the page cannot even bind (a date that is no date, "abc" for a number) leaves the
/// field at its default (0, empty, today) and MVC's "The value 'abc' is not valid." beside it,
/// which names no field. Before a POST handler runs this rewrites each such error to name the field,
/// quote the value and say what is allowed; the handlers then refuse the form
/// (<see cref="OpenBfrPageModel.RefuseUnboundFields"/>) instead of saving it with the field dropped.
/// A field holding a control character is refused the same way (<see cref="FormControlCharacters"/>).
/// </summary>
public sealed class UnboundFormFields : IPageFilter
{
    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (!HttpMethods.IsPost(context.HttpContext.Request.Method))
        {
            return;
        }
        NameUnboundFields(context);
        // After: a value that did not bind because of a control character is refused for that character.
        FormControlCharacters.Refuse(context);
    }

    private static void NameUnboundFields(PageHandlerExecutingContext context)
    {
        if (context.ModelState.IsValid)
        {
            return;
        }
        foreach (var (key, entry) in context.ModelState.ToList())
        {
            if (entry is not { ValidationState: ModelValidationState.Invalid, AttemptedValue: not null })
            {
                continue;
            }
            var type = TypeOf(context, key);
            if (type is null || type == typeof(string))
            {
                // Text always binds; its errors are validation ("The Email field is required."), already worded.
                continue;
            }
            var name = FieldName(key);
            entry.Errors.Clear();
            entry.Errors.Add($"{name} must be {RequestBindingProblems.Allowed(type).Replace("\"", "", StringComparison.Ordinal)}, was '{RequestBindingProblems.Quote(entry.AttemptedValue!)}'");
        }
    }

    /// <summary>How a message names a form field: its last part, camel-cased ("Form.PainScore" is painScore).</summary>
    public static string FieldName(string key)
    {
        var name = key.Split('.')[^1];
        return name.Length == 0 ? key : char.ToLowerInvariant(name[0]) + name[1..];
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }

    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    /// <summary>The declared type behind a model-state key: a handler parameter ("testedOn") or a bound property's member ("Form.TestedOn"), lists by their element.</summary>
    private static Type? TypeOf(PageHandlerExecutingContext context, string key)
    {
        var parts = key.Split('.').Select(p => p.Split('[', 2)[0]).ToArray();
        var type = context.HandlerMethod?.Parameters.FirstOrDefault(p => string.Equals(p.Name, parts[0], StringComparison.OrdinalIgnoreCase))?.ParameterType
            ?? context.ActionDescriptor.BoundProperties.FirstOrDefault(p => string.Equals(p.Name, parts[0], StringComparison.OrdinalIgnoreCase))?.ParameterType;
        foreach (var part in parts.Skip(1))
        {
            type = type?.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
        }
        return type is not null && type != typeof(string) && type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)
            ? type.GetGenericArguments()[0]
            : type;
    }
}
