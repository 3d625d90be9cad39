using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenBfr.Web.Api;
using OpenBfr.Web.Athletes;

namespace OpenBfr.Web.Exports;

public static class ExportsApi
{
    public static void MapExportsApi(this RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/athletes/{athleteId:guid}/export").RequireAuthorization().WithTags("exports");
        g.MapGet("/sessions.csv", async Task<FileContentHttpResult> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, Exporter exporter) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "export.sessions-csv");
            var csv = await exporter.SessionsCsvAsync(athleteId);
            return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv", "openbfr-sessions.csv");
        });
    }
}
