using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Data.Audit;
using OpenBfr.Data.Schema;
using OpenBfr.Data.Sessions;

namespace OpenBfr.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>Registers the records' context factory, the session log and the audit log on <paramref name="settings"/>'s database.</summary>
    public static IServiceCollection AddOpenBfrData(this IServiceCollection services, DatabaseSettings settings)
        => services.AddOpenBfrData(_ => settings);

    /// <summary>As above, with the database chosen when first needed (from configuration).</summary>
    public static IServiceCollection AddOpenBfrData(this IServiceCollection services, Func<IServiceProvider, DatabaseSettings> settings)
    {
        services.AddSingleton(settings);
        services.AddPooledDbContextFactory<OpenBfrDbContext>((sp, o) => sp.GetRequiredService<DatabaseSettings>().Configure(o));
        services.AddSingleton<SessionLog>();
        services.AddSingleton<SessionCommandQueue>();
        services.AddSingleton<AuditLog>();
        return services;
    }
}
