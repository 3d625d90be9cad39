using OpenBfr.Web.Accounts;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Exports;
using OpenBfr.Web.Lop;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Screening;
using OpenBfr.Web.Sessions;
using OpenBfr.Web.Strength;
using OpenBfr.Web.Training;

namespace OpenBfr.Web.Api;

public static class OpenBfrApi
{
    /// <summary>Maps /api/v1: one group per feature, all behind sign-in except the calendar feed (which has its own secret).</summary>
    public static void MapOpenBfrApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1").AddEndpointFilter<ApiErrors>().AddEndpointFilter<ApiControlCharacters>();
        v1.MapAccountsApi();
        v1.MapAthletesApi();
        v1.MapScreeningApi();
        v1.MapLopApi();
        v1.MapPrescriptionsApi();
        v1.MapSessionsApi();
        v1.MapSessionStartApi();
        v1.MapExportsApi();
        v1.MapTrainingApi();
        v1.MapStrengthApi();
    }
}
