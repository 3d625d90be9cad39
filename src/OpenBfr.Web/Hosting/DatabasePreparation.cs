using Microsoft.AspNetCore.Identity;
using OpenBfr.Data.Schema;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Demo;

namespace OpenBfr.Web.Hosting;

/// <summary>
/// Runs first at start, before the server takes requests: creates or upgrades the database,
/// makes sure the roles exist, and seeds the demo when asked.
/// </summary>
public sealed class DatabasePreparation(IServiceProvider services, DatabaseSettings settings, OpenBfrWebOptions options, ILogger<DatabasePreparation> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var result = await SchemaMigrator.MigrateAsync(settings, ct: cancellationToken);
        logger.LogInformation("Database {Database}: schema version {From} -> {To}", settings.Describe(), result.From, result.To);
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
        if (options.Demo)
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
