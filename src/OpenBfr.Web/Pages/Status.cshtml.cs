using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace OpenBfr.Web.Pages;

/// <summary>What an error status means for someone in a browser, in words, with a title.</summary>
/// <param name="Code">the HTTP status code, 400–599.</param>
/// <param name="Title">the page's heading and title ("Page not found").</param>
/// <param name="Explanation">what happened and what to do.</param>
public sealed record StatusDescription(int Code, string Title, string Explanation);

/// <summary>
/// The page a browser gets for an error status with no body (an unknown address, a record it may not
/// see, a form whose anti-forgery token expired, a method the address does not take, an unhandled
/// exception): the layout, a title, what happened to which address, and a link home; the status code
/// is kept. The API and the hub keep their ProblemDetails JSON (<see cref="Hosting.WebSetup.UseOpenBfrWeb"/>). Any method
/// reaches it (a re-executed request keeps its method: a form posted to an unknown address is a POST here).
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class StatusModel : OpenBfrPageModel
{
    /// <summary>The address that was asked for (path and query), as the browser sent it.</summary>
    public string Address { get; private set; } = "/";

    public StatusDescription Description { get; private set; } = null!;

    /// <summary>Reads what was asked for and sets the response's status: the original one when re-executed, else the one in the address (404 outside 400–599).</summary>
    public StatusDescription Describe(int code)
    {
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        // Re-executed after an unhandled exception (ExceptionHandler): the failed request's address, status 500.
        var failed = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        Address = original is not null ? original.OriginalPathBase + original.OriginalPath + original.OriginalQueryString
            : failed is not null ? failed.Path + Request.QueryString // the handler changes the path only
            : Request.Path + Request.QueryString;
        code = original?.OriginalStatusCode ?? (failed is not null ? StatusCodes.Status500InternalServerError : code);
        if (code is < 400 or > 599)
        {
            code = StatusCodes.Status404NotFound;
        }
        Response.StatusCode = code;
        Description = For(code, Address, Request.Method);
        return Description;
    }

    /// <summary>The words for <paramref name="code"/>, naming <paramref name="address"/> (and <paramref name="method"/> for 405).</summary>
    public static StatusDescription For(int code, string address, string method) => code switch
    {
        StatusCodes.Status400BadRequest => new(code, "Request not accepted",
            $"The server could not accept the request for {address}. A form from a page left open a long time, or from before signing in or out, carries an expired security token: go back, reload the page and send the form again."),
        StatusCodes.Status403Forbidden => new(code, "Not allowed", $"Your account does not give access to {address}."),
        StatusCodes.Status404NotFound => new(code, "Page not found",
            $"There is no page at {address}. The address may be mistyped, or it names a record that does not exist or that your account cannot see."),
        StatusCodes.Status405MethodNotAllowed => new(code, "Method not allowed", $"{address} does not take a {method} request."),
        StatusCodes.Status413PayloadTooLarge => new(code, "Request too large", $"What was sent to {address} is larger than the server accepts. Nothing was saved."),
        StatusCodes.Status415UnsupportedMediaType => new(code, "Content not accepted", $"{address} does not take content of that type. Nothing was saved."),
        >= 500 => new(code, "Server error", $"The server failed to answer the request for {address} ({code} {ReasonPhrases.GetReasonPhrase(code)}). Try again; if it keeps failing, tell the administrator."),
        _ => new(code, ReasonPhrases.GetReasonPhrase(code) is { Length: > 0 } phrase ? phrase : "Request not answered", $"The request for {address} was not answered ({code})."),
    };
}
