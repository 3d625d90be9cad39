using OpenBfr.Web.Training;

namespace OpenBfr.Web.Dashboard;

/// <summary>A prescription's weekly dose and the time it was in force (created, and retired when replaced or withdrawn).</summary>
/// <param name="SessionsPerWeek">1–14.</param>
/// <param name="CreatedAt">when it was prescribed.</param>
/// <param name="RetiredAt">when it was replaced or withdrawn; null while current.</param>
public readonly record struct PrescribedDose(int SessionsPerWeek, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

/// <summary>
/// Compliance over the dashboard's window: sessions completed against sessions planned. The one place
/// it is computed: the clinician's dashboard page and <c>GET /api/v1/dashboard</c> both read
/// <see cref="DashboardRow"/>, which is filled from here.
/// <para>
/// Planned counts only sessions that could already have happened. From a plan: its BFR sessions dated
/// on a day that has ended (before today), and not before the day the plan was generated. Without one:
/// each prescription's sessions per week for the part of the window it was in force (from its creation
/// to now, or to its retirement), summed and rounded down to whole sessions, so a prescription made
/// today plans nothing yet, and 2 a week plans its first session after 3.5 days, its second after 7.
/// Rounding down never counts a session whose time has not fully passed; a session done early can
/// show compliance above 100%, which is reported as it is.
/// </para>
/// </summary>
public static class Compliance
{
    private static readonly long TicksPerWeek = TimeSpan.FromDays(7).Ticks;

    /// <summary>Sessions planned from prescriptions in [<paramref name="since"/>, <paramref name="now"/>]: sessions per week × the weeks each was in force there, summed, rounded down.</summary>
    public static int PlannedFromPrescriptions(IEnumerable<PrescribedDose> doses, DateTimeOffset since, DateTimeOffset now)
    {
        // Exact in ticks (no floating point): sessions/week × ticks in force, divided by the ticks of a week once, at the end.
        Int128 sessionTicks = 0;
        foreach (var d in doses)
        {
            var from = d.CreatedAt > since ? d.CreatedAt : since;
            var to = d.RetiredAt is { } r && r < now ? r : now;
            if (to > from)
            {
                sessionTicks += (Int128)d.SessionsPerWeek * (to - from).Ticks;
            }
        }
        return (int)(sessionTicks / TicksPerWeek);
    }

    /// <summary>
    /// A plan's BFR sessions in the window that could have happened: dated from the window's first day
    /// and the day the plan was generated, up to yesterday (today's sessions may still be done today).
    /// </summary>
    public static int PlannedFromPlan(PlanView plan, DateTimeOffset generatedAt, DateTimeOffset since, DateTimeOffset now)
    {
        var from = DateOnly.FromDateTime((generatedAt > since ? generatedAt : since).UtcDateTime);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return plan.Weeks.SelectMany(w => w.Sessions).Count(s => s.Bfr && s.Date >= from && s.Date < today);
    }

    /// <summary>Completed / planned in whole percent (rounded half away from zero); null when nothing was planned yet.</summary>
    public static int? Percent(int done, int planned)
        => planned > 0 ? (int)Math.Round(100.0 * done / planned, MidpointRounding.AwayFromZero) : null;
}
