using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenBfr.Web.Api;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Sessions;

/// <summary>
/// SignalR's JSON protocol with hub calls whose arguments do not bind answered by name. SignalR binds
/// arguments in the protocol, before any hub filter or method runs, and answers a failure with only
/// "Failed to invoke 'Watch' due to an error on the server." (the reason, a generic "Error binding
/// arguments", appears only with detailed errors, which would also show every exception's text).
/// This protocol parses as SignalR's own does and, when a call does not bind, replaces the failure
/// with a <see cref="HubException"/> (whose text SignalR always sends) naming the method, the
/// argument, the value and what is allowed: "Watch(sessionId): sessionId must be an id like …, was "abc"".
/// Everything else, writing included, is SignalR's JSON protocol unchanged.
/// </summary>
public sealed class HubArguments : IHubProtocol
{
    private readonly JsonHubProtocol _json;
    private readonly JsonSerializerOptions _payload;
    private readonly Type[] _hubs;

    /// <param name="options">SignalR's JSON protocol options (its payload serializer reads the arguments here too).</param>
    /// <param name="hubs">the hub types whose methods are described by their parameters' names.</param>
    public HubArguments(IOptions<JsonHubProtocolOptions> options, params Type[] hubs)
    {
        _json = new JsonHubProtocol(options);
        _payload = options.Value.PayloadSerializerOptions;
        _hubs = hubs;
    }

    /// <summary>Puts this protocol in place of SignalR's JSON protocol (same name, "json", so clients see no difference).</summary>
    public static void Use(IServiceCollection services, params Type[] hubs)
    {
        services.RemoveAll<IHubProtocol>();
        services.AddSingleton<IHubProtocol>(sp => new HubArguments(sp.GetRequiredService<IOptions<JsonHubProtocolOptions>>(), hubs));
    }

    public string Name => _json.Name;

    public int Version => _json.Version;

    public TransferFormat TransferFormat => _json.TransferFormat;

    public bool IsVersionSupported(int version) => _json.IsVersionSupported(version);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _json.GetMessageBytes(message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _json.WriteMessage(message, output);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var start = input;
        if (!_json.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }
        if (message is InvocationBindingFailureMessage failure && failure.BindingFailure.SourceException is not HubException)
        {
            var text = Describe(start.Slice(0, input.Start).ToArray(), failure.Target, binder);
            message = new InvocationBindingFailureMessage(failure.InvocationId, failure.Target, ExceptionDispatchInfo.Capture(new HubException(text)));
        }
        return true;
    }

    /// <summary>Why the call's arguments do not fit the method, argument by argument.</summary>
    private string Describe(byte[] raw, string target, IInvocationBinder binder)
    {
        IReadOnlyList<Type> types;
        try
        {
            types = binder.GetParameterTypes(target);
        }
        catch (Exception)
        {
            return $"{ControlCharacters.Shown(target)}: no such method";
        }
        var parameters = Parameters(target, types);
        var names = parameters.Select(p => p.Name).ToArray();
        var signature = $"{target}({string.Join(", ", names)})";
        List<JsonElement> arguments;
        try
        {
            // The message as read, without SignalR's record separator.
            using var call = JsonDocument.Parse(raw.AsMemory(0, raw.Length > 0 && raw[^1] == 0x1E ? raw.Length - 1 : raw.Length));
            if (!call.RootElement.TryGetProperty("arguments", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return $"{signature}: the call carries no list of arguments";
            }
            arguments = list.EnumerateArray().Select(a => a.Clone()).ToList();
        }
        catch (JsonException)
        {
            return $"{signature}: the arguments could not be read";
        }
        for (var i = 0; i < types.Count; i++)
        {
            var allowed = parameters[i].Allowed;
            if (i >= arguments.Count)
            {
                return $"{signature}: {names[i]} is required ({allowed})";
            }
            if (!Binds(arguments[i], types[i]))
            {
                return $"{signature}: {names[i]} must be {allowed}, was {RequestBindingProblems.Quote(arguments[i].GetRawText())}";
            }
        }
        return arguments.Count > types.Count
            ? $"{signature} takes {types.Count} argument{(types.Count == 1 ? "" : "s")}, was given {arguments.Count}"
            : $"{signature}: the arguments do not fit ({string.Join("; ", parameters.Select(p => $"{p.Name}: {p.Allowed}"))})";
    }

    private bool Binds(JsonElement argument, Type type)
    {
        try
        {
            var value = argument.Deserialize(type, _payload);
            return value is not null || !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// The method's parameters as SignalR counts them (no cancellation token): each one's name and
    /// what it takes in words, "or null" when it may be null. When the method is not among the hubs
    /// given, "argument 1" … and the type alone.
    /// </summary>
    private (string Name, string Allowed)[] Parameters(string target, IReadOnlyList<Type> types)
    {
        var method = _hubs.SelectMany(h => h.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => string.Equals(m.Name, target, StringComparison.OrdinalIgnoreCase))
            .Select(m => m.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)).ToArray())
            .FirstOrDefault(p => p.Select(x => x.ParameterType).SequenceEqual(types));
        if (method is null)
        {
            return types.Select((t, i) => ($"argument {i + 1}", RequestBindingProblems.Allowed(t))).ToArray();
        }
        var nullability = new NullabilityInfoContext();
        return method.Select(p => (p.Name ?? "argument",
            RequestBindingProblems.Allowed(p.ParameterType) + (nullability.Create(p).ReadState == NullabilityState.Nullable ? " or null" : ""))).ToArray();
    }
}
