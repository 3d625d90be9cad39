using System.CommandLine;
using OpenBfr.Cli.Infrastructure;
using OpenBfr.Core.Protocols;

namespace OpenBfr.Cli.Commands;

/// <summary><c>openbfr protocols list</c> and <c>openbfr protocols show NAME</c>.</summary>
public static class ProtocolCommands
{
    public static Command Create()
    {
        var list = new Command("list", "List the seed BFR protocols");
        list.SetOpenBfrAction((_, cli) => cli.Write(
            ProtocolCatalog.All.Select(p => new ProtocolSummaryDto(p.Name, p.Title, CliOptions.Kebab(p.Modality),
                p.LimbKind is { } k ? CliOptions.Kebab(k) : null, p.MaxContinuousInflation.TotalSeconds, p.Sources)).ToList(),
            all => string.Join("", all.Select(p => $"{p.Name,-16} {p.Title} (max inflation {Text.Duration(TimeSpan.FromSeconds(p.MaxInflationSeconds))})\n"))));

        var name = new Argument<string>("NAME") { Description = "Protocol name, as listed by 'openbfr protocols list'" };
        var show = new Command("show", "Show one protocol: exercises, sets, reps, rests, inflation limits, sources") { name };
        show.SetOpenBfrAction((pr, cli) =>
        {
            var n = pr.GetValue(name) ?? "";
            if (!ProtocolCatalog.TryGet(n, out var protocol))
            {
                throw new UsageException("NAME", $"'{n}'", $"is not a protocol; use {CliOptions.Alternatives(ProtocolCatalog.All.Select(p => p.Name))}");
            }
            return cli.Write(ProtocolDto.From(protocol), _ => ProtocolDto.Describe(protocol));
        });

        return new Command("protocols", "The seed BFR protocols, each with its source") { list, show };
    }
}

/// <summary>One line of <c>protocols list</c>.</summary>
public sealed record ProtocolSummaryDto(string Name, string Title, string Modality, string? LimbKind, double MaxInflationSeconds, IReadOnlyList<string> Sources);
