using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Data.Lop;
using OpenBfr.Web.Api;
using OpenBfr.Web.Athletes;

namespace OpenBfr.Web.Lop;

/// <summary>A LOP record. <see cref="UsableProblem"/> says why it cannot set a pressure today (too old), or is null.</summary>
public sealed record LopDto(Guid Id, string Limb, string Position, double CuffWidthCm, string Method, double LopMmHg, double UncertaintyMmHg,
    DateTimeOffset MeasuredAt, string? Note, string? UsableProblem)
{
    public static LopDto From(LopRecord r, DateTimeOffset now) => new(r.Id, r.Limb.ToKebab(), r.Position.ToString().ToLowerInvariant(), r.CuffWidthCm,
        r.Method.ToString().ToLowerInvariant(), r.ValueMmHg, r.UncertaintyMmHg, r.MeasuredAt, r.Note,
        LopValidity.Problem(r.ToDomain(), r.Limb, r.Position, now));
}

/// <summary>An estimate: the stored record and the equation's numbers, with the 95% range.</summary>
public sealed record LopEstimateDto(LopDto Record, double EstimateMmHg, double StandardErrorMmHg, double Low95MmHg, double High95MmHg, double RSquared, string Source);

/// <summary>An automatic measurement: the stored record, the finder's confidence and time, and (simulated cuff) the truth it was measuring.</summary>
public sealed record AutomaticLopDto(LopDto Record, double Confidence, double Seconds, double SimulatedTrueLopMmHg, int Steps);

public static class LopApi
{
    public static void MapLopApi(this RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/athletes/{athleteId:guid}/lop").RequireAuthorization().WithTags("lop");
        g.MapGet("/", async Task<Ok<List<LopDto>>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, LopService lops, TimeProvider time) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "lop.read");
            var now = time.GetUtcNow();
            return TypedResults.Ok((await lops.ListAsync(athleteId)).Select(r => LopDto.From(r, now)).ToList());
        });
        g.MapPost("/", async Task<Created<LopDto>> (Guid athleteId, RecordLopRequest body, ClaimsPrincipal user, AthleteDirectory directory, LopService lops, TimeProvider time) =>
        {
            var athlete = await directory.OpenAsync(user.Viewer(), athleteId, "lop.create");
            var r = await lops.RecordAsync(user.Viewer(), athlete, body);
            return TypedResults.Created($"/api/v1/athletes/{athleteId}/lop", LopDto.From(r, time.GetUtcNow()));
        });
        g.MapPost("/estimate", async Task<Created<LopEstimateDto>> (Guid athleteId, EstimateLopRequest body, ClaimsPrincipal user, AthleteDirectory directory, LopService lops, TimeProvider time) =>
        {
            var athlete = await directory.OpenAsync(user.Viewer(), athleteId, "lop.estimate");
            var (r, e) = await lops.EstimateAsync(user.Viewer(), athlete, body);
            return TypedResults.Created($"/api/v1/athletes/{athleteId}/lop",
                new LopEstimateDto(LopDto.From(r, time.GetUtcNow()), Math.Round(e.Lop.MmHg, 1), e.StandardErrorOfEstimate.MmHg, Math.Round(e.Low95.MmHg, 1), Math.Round(e.High95.MmHg, 1), e.RSquared, e.Source));
        });
        g.MapPost("/automatic", async Task<Created<AutomaticLopDto>> (Guid athleteId, AutomaticLopRequest body, ClaimsPrincipal user, AthleteDirectory directory, LopService lops, TimeProvider time) =>
        {
            var athlete = await directory.OpenAsync(user.Viewer(), athleteId, "lop.automatic");
            var (r, m, truth) = await lops.MeasureAutomaticAsync(user.Viewer(), athlete, body);
            return TypedResults.Created($"/api/v1/athletes/{athleteId}/lop",
                new AutomaticLopDto(LopDto.From(r, time.GetUtcNow()), Math.Round(m.Confidence, 2), Math.Round(m.Duration.TotalSeconds, 1), truth, m.Steps.Count));
        });
        v1.MapGet("/lop/doppler-protocol", () => TypedResults.Ok(new { steps = LopService.DopplerProtocol, source = Core.Sources.Loenneke2012 }))
            .RequireAuthorization().WithTags("lop");
    }
}
