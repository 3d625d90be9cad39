using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Data.Lop;
using OpenBfr.Web.Api;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Revisions;

namespace OpenBfr.Web.Lop;

/// <summary>A LOP record. <see cref="UsableProblem"/> says why it cannot set a pressure today (too old, withdrawn), or is null.</summary>
/// <param name="UsableProblem">why it cannot set a pressure now; null when it can (and always null for a version in a history).</param>
/// <param name="Version">1 as recorded, one more per correction; the ETag is this number in quotes, for If-Match on PUT and DELETE.</param>
/// <param name="UpdatedAt">when it was last corrected; null when never.</param>
/// <param name="WithdrawnAt">when it was withdrawn; null while it stands.</param>
/// <param name="WithdrawalReason">why, as given; null when none was.</param>
/// <param name="RecordedAt">when it was recorded.</param>
public sealed record LopDto(Guid Id, string Limb, string Position, double CuffWidthCm, string Method, double LopMmHg, double UncertaintyMmHg,
    DateTimeOffset MeasuredAt, string? Note, string? UsableProblem, int Version = 1, DateTimeOffset? UpdatedAt = null, DateTimeOffset? WithdrawnAt = null,
    string? WithdrawalReason = null, DateTimeOffset? RecordedAt = null)
{
    /// <param name="r">the row.</param>
    /// <param name="now">the time usability is judged at; null for a version in a history.</param>
    public static LopDto From(LopRecord r, DateTimeOffset? now) => new(r.Id, r.Limb.ToKebab(), r.Position.ToString().ToLowerInvariant(), r.CuffWidthCm,
        r.Method.ToString().ToLowerInvariant(), r.ValueMmHg, r.UncertaintyMmHg, r.MeasuredAt, r.Note,
        now is not { } at ? null : PrescriptionService.WithdrawnProblem(r) ?? LopValidity.Problem(r.ToDomain(), r.Limb, r.Position, at),
        r.Version, r.UpdatedAt, r.WithdrawnAt, r.WithdrawalReason, r.RecordedAt);
}

/// <summary>A corrected or withdrawn LOP record and what that did to each current prescription made from it (recomputed: old and new target; or retired, with why).</summary>
public sealed record LopChangeDto(LopDto Record, IReadOnlyList<PrescriptionChangeDto> Prescriptions);

/// <summary>An estimate: the stored record and the equation's numbers, with the 95% range.</summary>
public sealed record LopEstimateDto(LopDto Record, double EstimateMmHg, double StandardErrorMmHg, double Low95MmHg, double High95MmHg, double RSquared, string Source);

/// <summary>An automatic measurement: the stored record, the finder's confidence and time, and (simulated cuff) the truth it was measuring.</summary>
public sealed record AutomaticLopDto(LopDto Record, double Confidence, double Seconds, double SimulatedTrueLopMmHg, int Steps);

public static class LopApi
{
    public static void MapLopApi(this RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/athletes/{athleteId:guid}/lop").RequireAuthorization().WithTags("lop");
        // The records that stand; includeWithdrawn=true adds the withdrawn ones (withdrawnAt set).
        g.MapGet("/", async Task<Ok<List<LopDto>>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, LopService lops, TimeProvider time, bool? includeWithdrawn) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "lop.read");
            var now = time.GetUtcNow();
            return TypedResults.Ok((await lops.ListAsync(athleteId, includeWithdrawn ?? false)).Select(r => LopDto.From(r, now)).ToList());
        });
        // One record (also a withdrawn one), with its version as the ETag (for If-Match on PUT and DELETE).
        g.MapGet("/{lopId:guid}", async Task<Ok<LopDto>> (Guid athleteId, Guid lopId, ClaimsPrincipal user, HttpResponse response, AthleteDirectory directory, LopService lops,
            TimeProvider time) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "lop.read");
            var row = await lops.FindAsync(athleteId, lopId) ?? throw new NotVisibleException();
            response.Headers.ETag = RecordVersions.ETag(row.Version);
            return TypedResults.Ok(LopDto.From(row, time.GetUtcNow()));
        });
        // Every version, newest first, also after a withdrawal; read like the records themselves.
        g.MapGet("/{lopId:guid}/revisions", async Task<Ok<RevisionHistoryDto<LopDto>>> (Guid athleteId, Guid lopId, ClaimsPrincipal user, AthleteDirectory directory,
            RevisionHistory history) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "lop.revisions.read");
            return TypedResults.Ok(await history.LopAsync(athleteId, lopId) ?? throw new NotVisibleException());
        });
        // Corrections: a linked clinician, or the athlete on a record of their own (LopService.WhyNotCorrectable).
        // The current prescriptions made from it are recomputed in the same transaction (or retired, saying why).
        // If-Match names the version read (409 when it moved on or was withdrawn); without it the current version is changed.
        g.MapPut("/{lopId:guid}", async Task<Ok<LopChangeDto>> (Guid athleteId, Guid lopId, UpdateLopRequest body, ClaimsPrincipal user, HttpRequest request, HttpResponse response,
            AthleteDirectory directory, LopService lops, TimeProvider time) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "lop.update");
            var change = await lops.UpdateAsync(user.Viewer(), athleteId, lopId, body, RecordVersions.IfMatch(request));
            response.Headers.ETag = RecordVersions.ETag(change.Record.Version);
            return TypedResults.Ok(new LopChangeDto(LopDto.From(change.Record, time.GetUtcNow()), change.Prescriptions));
        });
        // Withdrawal: the record stays (history, GET) but sets no pressure again; its current prescriptions are retired with the reason.
        g.MapDelete("/{lopId:guid}", async Task<Ok<LopChangeDto>> (Guid athleteId, Guid lopId, string? reason, ClaimsPrincipal user, HttpRequest request,
            AthleteDirectory directory, LopService lops, TimeProvider time) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "lop.withdraw");
            var change = await lops.WithdrawAsync(user.Viewer(), athleteId, lopId, reason, RecordVersions.IfMatch(request));
            return TypedResults.Ok(new LopChangeDto(LopDto.From(change.Record, time.GetUtcNow()), change.Prescriptions));
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
