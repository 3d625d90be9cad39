using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Lop;
using OpenBfr.Data.Prescriptions;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Lop;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Revisions;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>The correction form's fields, as posted. Times are UTC, to the minute (a datetime-local input).</summary>
public sealed class LopForm
{
    public string? Limb { get; set; }

    public string? Position { get; set; }

    public double? CuffWidthCm { get; set; }

    public double? LopMmHg { get; set; }

    /// <summary>When it was measured, UTC.</summary>
    public DateTime? MeasuredAt { get; set; }

    public string? Note { get; set; }

    /// <summary>The form filled with a stored row.</summary>
    public static LopForm From(LopRecord r) => new()
    {
        Limb = r.Limb.ToKebab(), Position = r.Position.ToString().ToLowerInvariant(), CuffWidthCm = r.CuffWidthCm, LopMmHg = r.ValueMmHg,
        MeasuredAt = ToMinute(r.MeasuredAt), Note = r.Note,
    };

    /// <summary>
    /// The API's correction from the form: a field left as the page showed it is sent as "keep" (null), so a
    /// time shown to the minute does not move the stored one, and a note-only correction changes no pressure.
    /// </summary>
    public UpdateLopRequest ToRequest(LopRecord stored)
    {
        var shown = From(stored);
        return new UpdateLopRequest(
            Limb == shown.Limb ? null : Limb,
            Position == shown.Position ? null : Position,
            CuffWidthCm == shown.CuffWidthCm ? null : CuffWidthCm,
            LopMmHg == shown.LopMmHg ? null : LopMmHg,
            MeasuredAt is not { } at || at == shown.MeasuredAt ? null : new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
            Note ?? ""); // the form shows the note: an emptied field clears it
    }

    /// <summary>A time as a datetime-local input's value.</summary>
    public static string Value(DateTime? t) => t?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A number as a number input's value (invariant: "11.5").</summary>
    public static string Value(double? v) => v?.ToString("0.###", CultureInfo.InvariantCulture) ?? "";

    private static DateTime ToMinute(DateTimeOffset t)
    {
        var u = t.UtcDateTime;
        return new DateTime(u.Year, u.Month, u.Day, u.Hour, u.Minute, 0, DateTimeKind.Utc);
    }
}

/// <summary>
/// Corrects a LOP record; the current prescriptions made from it are recomputed (or retired, saying
/// why) in the same step, and the page after says what happened to each.
/// </summary>
public sealed class LopEditModel(AthleteDirectory directory, LopService lops, RevisionHistory history, TimeProvider time) : OpenBfrPageModel
{
    public Athlete Athlete { get; private set; } = new();

    public LopDto Lop { get; private set; } = null!;

    /// <summary>Why the viewer may not correct this record, or null.</summary>
    public string? NotChangeable { get; private set; }

    /// <summary>Why the viewer may not withdraw it, or null (the withdraw link shows only when they may).</summary>
    public string? NotWithdrawable { get; private set; }

    /// <summary>A prescription was made from it (even one since retired): its limb and position stay.</summary>
    public bool EverPrescribed { get; private set; }

    /// <summary>The current prescriptions made from it: a corrected value recomputes them.</summary>
    public List<PrescriptionDto> Current { get; private set; } = [];

    [BindProperty]
    public LopForm Form { get; set; } = new();

    /// <summary>The version the form was filled from (a hidden field).</summary>
    [BindProperty]
    public int? Version { get; set; }

    /// <summary>Why nothing was saved because the record changed meanwhile (who, when); the page then shows the stored values.</summary>
    public string? Conflict { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid lopId)
    {
        if (await LoadAsync(id, lopId, "lop.read") is not { } row)
        {
            return NotFound();
        }
        if (row.WithdrawnAt is not null)
        {
            return Redirect($"/Athletes/{id}/Lop/{lopId}/History");
        }
        Form = LopForm.From(row);
        Version = row.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid lopId)
    {
        if (await LoadAsync(id, lopId, "lop.update") is not { } row)
        {
            return NotFound();
        }
        if (await WithdrawnMeanwhileAsync(this, history, row, "corrected") is { } gone)
        {
            return gone;
        }
        if (Version is null)
        {
            ModelState.AddModelError("", "the form did not say which version of the LOP it corrects; nothing was saved: open it again and re-apply your correction");
            Version = row.Version;
            return Page();
        }
        try
        {
            RefuseUnboundFields();
            var change = await lops.UpdateAsync(Me, id, lopId, Form.ToRequest(row), Version);
            Flash = "LOP corrected." + Followed(change.Prescriptions);
            return Redirect($"/Athletes/{id}#lop");
        }
        catch (ConflictException e)
        {
            // The typed correction stays in the form; the stored values are shown and the form now names their version.
            Conflict = e.Message;
            if (await LoadAsync(id, lopId, "lop.read") is not { } now)
            {
                return NotFound();
            }
            if (await WithdrawnMeanwhileAsync(this, history, now, "corrected") is { } withdrawn)
            {
                return withdrawn;
            }
            Version = now.Version;
        }
        catch (InputException e)
        {
            AddError(e);
        }
        catch (ForbiddenException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        return Page();
    }

    /// <summary>What a correction or withdrawal did to the prescriptions, for the flash message ("" when none).</summary>
    internal static string Followed(IReadOnlyList<PrescriptionChangeDto> changes) => changes.Count == 0 ? ""
        : " Prescriptions from it: " + string.Join("; ", changes.Select(c => c.Describe())) + ".";

    /// <summary>A record withdrawn while its page was open: says who and when, and shows its history; null while it stands.</summary>
    internal static async Task<IActionResult?> WithdrawnMeanwhileAsync(OpenBfrPageModel page, RevisionHistory history, LopRecord row, string verb)
    {
        if (row.WithdrawnAt is null || await history.LopAsync(row.AthleteId, row.Id) is not { } h)
        {
            return null;
        }
        var last = h.Versions[0];
        page.Flash = $"Not {verb}: this LOP was withdrawn by {last.EndedBy} at {last.EndedAt:yyyy-MM-dd HH:mm} UTC. Its versions are below.";
        return new RedirectResult($"/Athletes/{row.AthleteId}/Lop/{row.Id}/History");
    }

    private async Task<LopRecord?> LoadAsync(Guid id, Guid lopId, string action)
    {
        if (await OpenAsync(directory, lops, Me, id, lopId, action) is not { } open)
        {
            return null;
        }
        var current = open.Made.Where(p => p.RetiredAt is null).ToList();
        Athlete = open.Athlete;
        Lop = LopDto.From(open.Row, time.GetUtcNow());
        EverPrescribed = open.Made.Count > 0;
        Current = current.Select(PrescriptionDto.From).ToList();
        NotChangeable = LopService.WhyNotCorrectable(Me, open.Row, current);
        NotWithdrawable = LopService.WhyNotWithdrawable(Me, open.Row);
        return open.Row;
    }

    /// <summary>A LOP record on a page: the athlete (opened for <paramref name="me"/>, audited as <paramref name="action"/>), the row, and every prescription made from it; null when not found or not visible.</summary>
    internal static async Task<(Athlete Athlete, LopRecord Row, List<PrescriptionRecord> Made)?> OpenAsync(AthleteDirectory directory, LopService lops, Viewer me, Guid id, Guid lopId,
        string action)
    {
        if (await directory.OpenIfVisibleAsync(me, id, action) is not { } athlete)
        {
            return null;
        }
        return await lops.FindAsync(id, lopId) is { } row ? (athlete, row, await lops.PrescriptionsFromAsync(id, lopId)) : null;
    }

    /// <summary>Whether the method's value was typed (Doppler) and so may be corrected; an estimate's or the cuff's only takes a note.</summary>
    public bool ValueCorrectable => Lop.Method == nameof(LopMethod.Doppler).ToLowerInvariant();
}
