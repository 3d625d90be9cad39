using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Data.Prescriptions;
using OpenBfr.Web.Api;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Revisions;

namespace OpenBfr.Web.Prescriptions;

/// <summary>A stored prescription.</summary>
/// <param name="RetiredAt">when it was replaced or retired; null while current.</param>
/// <param name="RetiredReason">why, when its LOP was withdrawn or corrected out of use; null when a newer prescription replaced it.</param>
/// <param name="Version">1 as prescribed, one more each time a correction of its LOP recomputed it.</param>
/// <param name="UpdatedAt">when a LOP correction last recomputed it; null when never.</param>
public sealed record PrescriptionDto(Guid Id, Guid LopId, string Limb, string Position, string Modality, string Protocol, double TargetPercent,
    double LowMmHg, double HighMmHg, double TargetMmHg, double ReferenceLopMmHg, bool Conservative, int SessionsPerWeek,
    IReadOnlyList<string> Notes, IReadOnlyList<string> Sources, DateTimeOffset CreatedAt, bool Current, DateTimeOffset? RetiredAt = null, string? RetiredReason = null,
    int Version = 1, DateTimeOffset? UpdatedAt = null)
{
    public static PrescriptionDto From(PrescriptionRecord p) => new(p.Id, p.LopRecordId, p.Limb.ToKebab(), p.Position.ToString().ToLowerInvariant(),
        Prescriber.Describe(p.Modality).Replace(' ', '-'), p.ProtocolName, p.TargetPercent, p.LowMmHg, p.HighMmHg, p.TargetMmHg, p.ReferenceLopMmHg,
        p.Conservative, p.SessionsPerWeek, JsonSerializer.Deserialize<List<string>>(p.NotesJson) ?? [],
        JsonSerializer.Deserialize<List<string>>(p.SourcesJson) ?? [], p.CreatedAt, p.RetiredAt is null, p.RetiredAt, p.RetiredReason, p.Version, p.UpdatedAt);
}

public static class PrescriptionsApi
{
    public static void MapPrescriptionsApi(this RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/athletes/{athleteId:guid}/prescriptions").RequireAuthorization().WithTags("prescriptions");
        g.MapGet("/", async Task<Ok<List<PrescriptionDto>>> (Guid athleteId, ClaimsPrincipal user, AthleteDirectory directory, PrescriptionService prescriptions, bool? all) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "prescription.read");
            return TypedResults.Ok((await prescriptions.ListAsync(athleteId, all ?? false)).Select(PrescriptionDto.From).ToList());
        });
        // Every version of a prescription, newest first: a correction of its LOP keeps the pressures it replaced.
        g.MapGet("/{prescriptionId:guid}/revisions", async Task<Ok<RevisionHistoryDto<PrescriptionDto>>> (Guid athleteId, Guid prescriptionId, ClaimsPrincipal user,
            AthleteDirectory directory, RevisionHistory history) =>
        {
            await directory.OpenAsync(user.Viewer(), athleteId, "prescription.revisions.read");
            return TypedResults.Ok(await history.PrescriptionAsync(athleteId, prescriptionId) ?? throw new NotVisibleException());
        });
        g.MapPost("/", async Task<Created<PrescriptionDto>> (Guid athleteId, CreatePrescriptionRequest body, ClaimsPrincipal user, AthleteDirectory directory, PrescriptionService prescriptions) =>
        {
            var athlete = await directory.OpenAsync(user.Viewer(), athleteId, "prescription.create");
            var p = await prescriptions.CreateAsync(user.Viewer(), athlete, body);
            return TypedResults.Created($"/api/v1/athletes/{athleteId}/prescriptions", PrescriptionDto.From(p));
        });
        v1.MapGet("/protocols", () => TypedResults.Ok(Core.Protocols.ProtocolCatalog.All.Select(p => new
        {
            p.Name, p.Title, modality = Prescriber.Describe(p.Modality).Replace(' ', '-'), limb = p.LimbKind?.ToString().ToLowerInvariant(),
            positions = p.Positions.Select(x => x.ToString().ToLowerInvariant()).ToList(),
            exercises = p.Exercises.Select(e => e.Name).ToList(), totalMinutes = Math.Round(p.TotalDuration.TotalMinutes, 1), p.Load, p.Frequency, p.Sources,
        }))).RequireAuthorization().WithTags("prescriptions");
    }
}
