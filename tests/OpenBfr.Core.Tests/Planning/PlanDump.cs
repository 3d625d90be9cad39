using System.Text;
using OpenBfr.Core.Planning;

namespace OpenBfr.Core.Tests.Planning;

/// <summary>A plain-text rendering of a plan, printed by failing property tests so the case can be read.</summary>
public static class PlanDump
{
    public static string Render(TrainingPlan plan)
    {
        var sb = new StringBuilder();
        foreach (var w in plan.Warnings) sb.AppendLine("! " + w);
        foreach (var week in plan.Weeks)
        {
            sb.AppendLine($"W{week.Number} {week.Start:yyyy-MM-dd} {week.Label} {week.RunKm} km");
            foreach (var s in week.Sessions)
            {
                sb.AppendLine($"  {s.Date:ddd MM-dd} #{s.Order} {s.Kind} {s.Title} {s.DistanceKm} | {s.Bfr?.Summary} | {s.Reason}");
            }
            foreach (var n in week.Notes) sb.AppendLine("  - " + n);
        }
        return sb.ToString();
    }
}
