using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OpenBfr.Web.Accounts;

namespace OpenBfr.Web.Tests;

/// <summary>The web app on a real PostgreSQL server (tests/setup.d/30-postgres.sh): accounts, records and two app instances sharing it.</summary>
public sealed class PostgresWebTests
{
    private static string? Server => Environment.GetEnvironmentVariable("OPENBFR_TEST_PG") is { Length: > 0 } s ? s : null;

    [PostgresWebFact]
    public async Task TwoNodes_OnePostgres_ShareAccountsAndRecords()
    {
        var name = "openbfr_w_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(Server))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(Server) { Database = name }.ToString();
        try
        {
            using var nodeA = new WebAppFactory(cs);
            using var nodeB = new WebAppFactory(cs);
            await nodeA.CreateUserAsync("admin@t.org", Roles.Admin);
            await nodeA.CreateUserAsync("pt@t.org", Roles.Clinician);
            var a = await nodeA.SignedInAsync("pt@t.org");
            var created = await a.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Pg Runner", birthYear = 1985, sex = "male" });
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            (await a.PostAsJsonAsync($"/api/v1/athletes/{id}/lop", new { limb = "left-leg", position = "standing", cuffWidthCm = 11.5, lopMmHg = 240 }))
                .StatusCode.ShouldBe(HttpStatusCode.Created);

            // Node B (its own process state) signs the same clinician in and sees the record; lockout state is shared too.
            var b = await nodeB.SignedInAsync("pt@t.org");
            var lops = await b.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/lop");
            lops.GetArrayLength().ShouldBe(1);
            lops[0].GetProperty("lopMmHg").GetDouble().ShouldBe(240);
            for (var i = 0; i < 5; i++)
            {
                await WebAppFactory.PostLoginAsync(nodeA.Anonymous(), "pt@t.org", "wrong-password-9");
            }
            var locked = await WebAppFactory.PostLoginAsync(nodeB.Anonymous(), "pt@t.org", WebAppFactory.Password);
            locked.StatusCode.ShouldBe(HttpStatusCode.OK, "locked out on node A means locked out on node B");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(Server);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
    }
}

/// <summary>Needs the PostgreSQL test server; skipped, saying why, without it.</summary>
public sealed class PostgresWebFactAttribute : FactAttribute
{
    public PostgresWebFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("OPENBFR_TEST_PG") is not { Length: > 0 })
        {
            Skip = "OPENBFR_TEST_PG is not set: run ./test.sh, which starts PostgreSQL on 127.0.0.1 (tests/setup.d/30-postgres.sh)";
        }
    }
}
