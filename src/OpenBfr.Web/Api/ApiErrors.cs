using Microsoft.AspNetCore.Http.HttpResults;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Api;

/// <summary>
/// Turns the features' exceptions into ProblemDetails: bad input is a 400 whose errors name the
/// field and say what is allowed; a record the caller may not see is a 404 (not told apart
/// from a missing one); a record the caller may see but not change is a 403; a conflict with the record's state is a 409.
/// </summary>
public sealed class ApiErrors : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (InputException e)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [e.Field] = [e.Message] },
                detail: e.Message,
                title: "The input is not valid");
        }
        catch (ConflictException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: e.Title, detail: e.Message, extensions: e.Extensions);
        }
        catch (ForbiddenException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed to change this record", detail: e.Message);
        }
        catch (NotVisibleException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }
    }
}

public static class ApiExtensions
{
    /// <summary>The signed-in viewer; the API groups require authentication, so it is never null there.</summary>
    public static Viewer Viewer(this System.Security.Claims.ClaimsPrincipal user)
        => Accounts.Viewer.From(user) ?? throw new InvalidOperationException("endpoint reached without a signed-in user");

    /// <summary>A 400 problem naming the field.</summary>
    public static ValidationProblem Invalid(string field, string message)
        => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "The input is not valid");
}
