using OpenBfr.Web.Athletes;
using OpenBfr.Web.Dashboard;
using OpenBfr.Web.Demo;
using OpenBfr.Web.Exports;
using OpenBfr.Web.Lop;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Revisions;
using OpenBfr.Web.Screening;
using OpenBfr.Web.Sessions;
using OpenBfr.Web.Strength;
using OpenBfr.Web.Training;

namespace OpenBfr.Web.Hosting;

public static class FeatureServices
{
    /// <summary>The per-feature services the pages and the API share.</summary>
    public static IServiceCollection AddOpenBfrFeatures(this IServiceCollection services)
    {
        services.AddSingleton<AthleteDirectory>();
        services.AddSingleton<LopService>();
        services.AddSingleton<ScreeningService>();
        services.AddSingleton<PrescriptionService>();
        services.AddSingleton<SessionQueries>();
        services.AddSingleton<DashboardService>();
        services.AddSingleton<Exporter>();
        services.AddSingleton<SessionStarter>();
        services.AddSingleton<TrainingService>();
        services.AddSingleton<StrengthService>();
        services.AddSingleton<UserNames>();
        services.AddSingleton<VersionConflicts>();
        services.AddSingleton<RevisionHistory>();
        services.AddScoped<DemoSeeder>();
        return services;
    }
}
