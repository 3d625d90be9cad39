using OpenBfr.Web.Hosting;

var (rest, demo) = StartupArguments.Parse(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = rest, ContentRootPath = AppPaths.DefaultContentRoot(rest) });
builder.AddOpenBfrWeb(demo);
var app = builder.Build();
app.UseOpenBfrWeb();
await app.StartAsync();
app.PrintAddresses();
await app.WaitForShutdownAsync();

/// <summary>Entry point; public so the tests' WebApplicationFactory can find it.</summary>
public partial class Program;
