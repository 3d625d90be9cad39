using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Lop;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Revisions;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>
/// Every version of one prescription, newest first: the pressures as prescribed and as each
/// correction of its LOP recomputed them, the LOP version each came from, and whether it is still
/// in use (retired: when, why, by whom). Read like the prescriptions' history in the API (and audited the same way).
/// </summary>
public sealed class PrescriptionHistoryModel(AthleteDirectory directory, RevisionHistory history, PrescriptionService prescriptions, UserNames names) : RevisionHistoryPageModel<PrescriptionDto>(directory)
{
    /// <summary>The prescription as it stands now (the newest version): whether it is current or retired, and why.</summary>
    public PrescriptionDto Now => History.Versions[0].Record;

    /// <summary>The versions of the LOP record it was made from, newest first; null when that record has no history (never happens for a stored prescription).</summary>
    public RevisionHistoryDto<LopDto>? Lop { get; private set; }

    /// <summary>Who retired it: the person who corrected or withdrew its LOP, or who made the prescription that replaced it; null while current or when not known.</summary>
    public string? RetiredBy { get; private set; }

    /// <summary>The prescription that replaced this one (same limb and modality, made when this one was retired); null when none did.</summary>
    public PrescriptionDto? ReplacedBy { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid prescriptionId)
    {
        if (!await OpenHistoryAsync(id, "prescription.revisions.read", () => history.PrescriptionAsync(id, prescriptionId)))
        {
            return NotFound();
        }
        Lop = await history.LopAsync(id, Now.LopId);
        if (Now.RetiredAt is { } retiredAt)
        {
            if (Now.RetiredReason is not null)
            {
                // Retired with a reason: its LOP was corrected or withdrawn in the same transaction, at the same instant.
                RetiredBy = Lop?.Versions.FirstOrDefault(v => v.EndedAt == retiredAt)?.EndedBy;
            }
            else if ((await prescriptions.ListAsync(id, includeRetired: true))
                     .Where(p => p.Id != prescriptionId && p.CreatedAt == retiredAt)
                     .Select(p => (Row: p, Dto: PrescriptionDto.From(p)))
                     .FirstOrDefault(p => p.Dto.Limb == Now.Limb && p.Dto.Modality == Now.Modality) is { Row: not null } newer)
            {
                // Replaced: CreateAsync retires the limb's current prescription of the modality at the new one's creation time.
                ReplacedBy = newer.Dto;
                RetiredBy = await names.NameAsync(newer.Row.CreatedByUserId);
            }
        }
        return Page();
    }

    /// <summary>The version of the LOP record that was current when <paramref name="version"/> was written: the LOP its pressures came from.</summary>
    public RecordVersionDto<LopDto>? LopOf(RecordVersionDto<PrescriptionDto> version)
        => Lop?.Versions.FirstOrDefault(l => l.WrittenAt <= version.WrittenAt && (l.EndedAt is not { } ended || ended > version.WrittenAt));
}
