namespace OpenBfr.Web.Pages.Athletes;

/// <summary>The limb and position selects of a LOP form (<c>_LimbPosition.cshtml</c>) and what they show chosen; null chooses the first option.</summary>
/// <param name="Limb">"left-leg" …, as posted.</param>
/// <param name="Position">"seated", "supine" or "standing", as posted.</param>
public sealed record LimbPositionFields(string? Limb, string? Position);
