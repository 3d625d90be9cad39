using OpenBfr.Core.Planning;

namespace OpenBfr.Web.Training;

/// <summary>
/// How the plan page shows one of the planner's notes (<see cref="PlanView.Warnings"/>): a warning
/// when it raises a flag, information when it does not. The planner states its reading of imported
/// load in every plan built with history, also when the ratios are within 0.8–1.5 ("imported load:
/// ACWR EWMA 1.02, rolling 0.98 (0.8–1.5, no flag); …"); shown as a warning, that reading looked
/// like a problem when there was none.
/// </summary>
public static class PlanNotice
{
    /// <summary>True for the planner's unflagged load reading: information, not a warning. Stored plans are read the same way.</summary>
    /// <param name="note">one of the plan's notes, as the planner wrote it.</param>
    public static bool IsInformation(string note)
        => note.StartsWith(Planner.UnflaggedLoadNotePrefix, StringComparison.Ordinal) && note.Contains(Planner.NoFlagMarker, StringComparison.Ordinal);

    /// <summary>The CSS class the page gives the note: "info" or "warn".</summary>
    public static string CssClass(string note) => IsInformation(note) ? "info" : "warn";

    /// <summary>The ARIA role the page gives the note: "note" for information, "alert" for a warning.</summary>
    public static string Role(string note) => IsInformation(note) ? "note" : "alert";
}
