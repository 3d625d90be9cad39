using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using OpenBfr.Data;
using OpenBfr.Data.Schema;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Api;
using OpenBfr.Web.Sessions;

namespace OpenBfr.Web.Hosting;

/// <summary>Wires the web app; Program.cs only calls these.</summary>
public static class WebSetup
{
    /// <summary>Default address when none is configured (ASPNETCORE_URLS or --urls).</summary>
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>Configuration key of a PostgreSQL connection string; when set, PostgreSQL is used instead of SQLite.</summary>
    public const string PostgresConnectionName = "OpenBfr";

    public static void AddOpenBfrWeb(this WebApplicationBuilder builder, bool demo)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        // Read when first needed, not now, so that configuration added later (tests, hosting) counts.
        builder.Services.AddSingleton(sp => Options(sp.GetRequiredService<IConfiguration>(), demo));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOpenBfrData(sp => DatabaseFrom(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<OpenBfrWebOptions>()));
        builder.Services.AddDbContext<AccountsDbContext>((sp, o) => sp.GetRequiredService<DatabaseSettings>().Configure(o));
        builder.Services.AddIdentity<OpenBfrUser, IdentityRole>(o =>
            {
                o.Stores.SchemaVersion = IdentitySchemaVersions.Version1;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.User.RequireUniqueEmail = true;
                // Lockout after repeated failures (OWASP ASVS 2.2.1).
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<AccountsDbContext>()
            .AddDefaultTokenProviders();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.AccessDeniedPath = "/Account/Denied";
            o.Cookie.Name = "openbfr";
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.HttpOnly = true;
            // The API answers with status codes, never with a redirect to the sign-in page.
            o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden);
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.Clinician, p => p.RequireRole(Roles.Clinician))
            .AddPolicy(Roles.Athlete, p => p.RequireRole(Roles.Athlete));
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/Index");
            o.Conventions.AllowAnonymousToPage("/Setup");
            o.Conventions.AllowAnonymousToPage("/Status");
            o.Conventions.AllowAnonymousToFolder("/Account");
            o.Conventions.AuthorizeFolder("/Admin", Roles.Admin);
            o.Conventions.AuthorizePage("/Clinician", Roles.Clinician);
            o.Conventions.AuthorizePage("/Athletes/ClearanceEdit", Roles.Clinician);
            o.Conventions.ConfigureFilter(new OpenBfr.Web.Pages.UnboundFormFields());
        });
        builder.Services.AddSignalR();
        // A hub call whose arguments do not bind is answered naming the method, the argument, the value and what is allowed.
        HubArguments.Use(builder.Services, typeof(SessionHub));
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = RequestBindingProblems.Customize);
        // A body or query value that does not bind throws, so RequestBindingProblems can answer it naming the field and the value.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<RequestBindingProblems>();
        builder.Services.AddOpenApi();
        builder.Services.AddOpenBfrFeatures();
        builder.Services.AddHostedService<DatabasePreparation>();
        builder.Services.AddSingleton<LiveSessions>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveSessions>());
        builder.Services.AddScoped<ClinicianApproval>();
        builder.Services.AddSingleton<SessionControl>();
        builder.Services.AddSingleton<SessionCommandRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SessionCommandRelay>());
        builder.Services.AddSingleton<SessionFeedRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SessionFeedRelay>());
    }

    public static void UseOpenBfrWeb(this WebApplication app)
    {
        // An unhandled exception: the API answers ProblemDetails JSON (RequestBindingProblems first); a page
        // request gets the status page for 500 instead of that JSON in the browser.
        app.UseWhen(context => IsApi(context.Request), api => api.UseExceptionHandler());
        app.UseWhen(context => !IsApi(context.Request), pages => pages.UseExceptionHandler(string.Format(System.Globalization.CultureInfo.InvariantCulture, StatusPagePath, StatusCodes.Status500InternalServerError)));
        app.Use(RequestBindingProblems.BufferJsonBodies);
        app.Use(PageFormLimit.RefuseOversizedAsync);
        app.Use(OpenBfr.Web.Pages.FormControlCharacters.ReadNulAsync);
        // An error status with no body: the API and the hub answer ProblemDetails JSON; a browser gets a
        // titled page (Pages/Status) with the layout, the address and a link home, the status kept.
        app.UseWhen(context => IsApi(context.Request), api => api.UseStatusCodePages());
        app.UseWhen(context => !IsApi(context.Request), pages => pages.UseStatusCodePagesWithReExecute(StatusPagePath));
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseMiddleware<FirstRunMiddleware>();
        app.MapRazorPages();
        app.MapHub<SessionHub>("/hubs/session");
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapOpenBfrApi();
        // Liveness for load balancers and the web bench's bare baseline: no database, no sign-in.
        app.MapGet(HealthPath, () => TypedResults.Text("ok")).AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>Where a page request's error status is re-executed ({0}: the code).</summary>
    public const string StatusPagePath = "/Status/{0}";

    /// <summary>The bare liveness endpoint.</summary>
    public const string HealthPath = "/healthz";

    /// <summary>Prints where the app listens and where its records are, so a newcomer knows what to open and what to back up.</summary>
    public static void PrintAddresses(this WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            Console.WriteLine($"OpenBFR is running at {address}  (Ctrl+C to stop)");
        }
        Console.WriteLine($"OpenBFR database: {app.Services.GetRequiredService<DatabaseSettings>().Describe()}");
    }

    private static OpenBfrWebOptions Options(IConfiguration configuration, bool demo)
    {
        var options = configuration.GetSection("OpenBfr").Get<OpenBfrWebOptions>() ?? new OpenBfrWebOptions();
        options.Demo |= demo;
        if (options.SessionTickMilliseconds is < 20 or > 1000)
        {
            throw new InvalidOperationException($"OpenBfr:SessionTickMilliseconds must be 20–1000, was {options.SessionTickMilliseconds}");
        }
        if (options.CommandPollMilliseconds is < 20 or > 200)
        {
            throw new InvalidOperationException($"OpenBfr:CommandPollMilliseconds must be 20–200, was {options.CommandPollMilliseconds}");
        }
        if (options.FeedPollMilliseconds is < 50 or > 5000)
        {
            throw new InvalidOperationException($"OpenBfr:FeedPollMilliseconds must be 50–5000, was {options.FeedPollMilliseconds}");
        }
        return options;
    }

    private static DatabaseSettings DatabaseFrom(IConfiguration configuration, OpenBfrWebOptions options)
    {
        var postgres = configuration.GetConnectionString(PostgresConnectionName) ?? configuration["OPENBFR_POSTGRES"];
        return string.IsNullOrWhiteSpace(postgres)
            ? DatabaseSettings.SqliteFile(AppPaths.DatabaseFile(options.DatabasePath, Environment.CurrentDirectory))
            : DatabaseSettings.Postgres(postgres);
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (IsApi(ctx.Request))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    internal static bool IsApi(HttpRequest request)
        => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs");
}

/// <summary>Until an admin account exists, every page leads to the first-run set-up page.</summary>
public sealed class FirstRunMiddleware(RequestDelegate next)
{
    // One middleware instance per app: once an admin exists it stays so.
    private volatile bool _adminExists;

    public async Task InvokeAsync(HttpContext context, UserManager<OpenBfrUser> users)
    {
        if (!_adminExists && !WebSetup.IsApi(context.Request) && !context.Request.Path.StartsWithSegments("/Setup") && !context.Request.Path.StartsWithSegments(WebSetup.HealthPath)
            && !context.Request.Path.StartsWithSegments("/css") && !context.Request.Path.StartsWithSegments("/lib")
            && !context.Request.Path.StartsWithSegments("/js") && !context.Request.Path.StartsWithSegments("/openapi"))
        {
            if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count == 0)
            {
                context.Response.Redirect("/Setup");
                return;
            }
            _adminExists = true;
        }
        await next(context);
    }
}
