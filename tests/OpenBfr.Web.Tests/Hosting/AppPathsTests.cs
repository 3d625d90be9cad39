using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Tests.Hosting;

/// <summary>Where the content root and the SQLite file resolve (issue 5: ./data/openbfr.db where `dotnet run` was typed).</summary>
public sealed class AppPathsTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void DefaultContentRoot_BuildOutputWithoutWwwroot_IsTheProjectFolder()
        => AppPaths.DefaultContentRoot([], NoEnvironment, "/repo/src/OpenBfr.Web/bin/Debug/net10.0/", "/repo/src/OpenBfr.Web", d => d == "/repo/src/OpenBfr.Web")
            .ShouldBe("/repo/src/OpenBfr.Web");

    [Fact]
    public void DefaultContentRoot_PublishedAppWithWwwroot_IsTheAppFolder()
        => AppPaths.DefaultContentRoot([], NoEnvironment, "/opt/openbfr/", "/build/src/OpenBfr.Web", _ => true).ShouldBe("/opt/openbfr/");

    [Theory]
    [InlineData("--contentRoot", "/x")]
    [InlineData("--contentroot=/x", null)]
    [InlineData("/contentRoot", "/x")]
    public void DefaultContentRoot_GivenOnTheCommandLine_IsLeftToAspNetCore(string arg, string? value)
        => AppPaths.DefaultContentRoot(value is null ? [arg] : [arg, value], NoEnvironment, "/opt/openbfr/", "/repo", _ => true).ShouldBeNull();

    [Fact]
    public void DefaultContentRoot_GivenInTheEnvironment_IsLeftToAspNetCore()
        => AppPaths.DefaultContentRoot([], v => v == "ASPNETCORE_CONTENTROOT" ? "/x" : null, "/opt/openbfr/", "/repo", _ => true).ShouldBeNull();

    [Fact]
    public void DefaultContentRoot_NoWwwrootAnywhere_IsLeftToAspNetCore()
        => AppPaths.DefaultContentRoot(["--urls", "http://127.0.0.1:5080"], NoEnvironment, "/opt/openbfr/", "/gone", _ => false).ShouldBeNull();

    [Fact]
    public void BuiltProjectDirectory_ThisBuild_IsTheWebProjectFolderWithWwwroot()
    {
        AppPaths.BuiltProjectDirectory.ShouldNotBeNull();
        File.Exists(Path.Combine(AppPaths.BuiltProjectDirectory, "OpenBfr.Web.csproj")).ShouldBeTrue();
        Directory.Exists(Path.Combine(AppPaths.BuiltProjectDirectory, "wwwroot")).ShouldBeTrue();
    }

    [Fact]
    public void DatabaseFile_DefaultRelativePath_IsUnderTheWorkingDirectory()
        => AppPaths.DatabaseFile("data/openbfr.db", "/home/me/openbfr").ShouldBe("/home/me/openbfr/data/openbfr.db");

    [Fact]
    public void DatabaseFile_AbsolutePath_IsKept()
        => AppPaths.DatabaseFile("/var/lib/openbfr/x.db", "/home/me").ShouldBe("/var/lib/openbfr/x.db");

    [Fact]
    public void DatabaseFile_Empty_ThrowsNamingTheSetting()
        => Should.Throw<InvalidOperationException>(() => AppPaths.DatabaseFile(" ", "/home/me")).Message.ShouldContain("OpenBfr:DatabasePath");
}
