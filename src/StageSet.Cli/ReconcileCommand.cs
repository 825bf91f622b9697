using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using StageSet.Api;
using StageSet.Kube;
using StageSet.Manifests;

namespace StageSet.Cli;

/// <summary>
/// <c>reconcile NAME</c>: stamps a request token (and the selected extras) on the StageSet in one Update with field
/// owner <c>stagesetctl</c>, optionally re-requests its sources first, and with <c>--wait</c> polls until the
/// controller reports the token handled.
/// </summary>
internal sealed class ReconcileCommand(GlobalOptions globals, TimeProvider clock)
{
    public const string FieldManager = "stagesetctl";
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly Argument<string> _name = new("NAME") { Description = "The StageSet to reconcile." };
    private readonly Option<string?> _stage = new("--stage") { Description = "Also re-run this stage (stamps stages.metio.wtf/reconcile-stage)." };
    private readonly Option<bool> _withSource = new("--with-source") { Description = "First request a reconcile of each stage's source (or its producer)." };
    private readonly Option<bool> _strict = new("--strict") { Description = "With --with-source, fail if a source could not be re-requested." };
    private readonly Option<bool> _updateNow = new("--update-now") { Description = "Bypass update windows once (stamps stages.metio.wtf/update-now)." };
    private readonly Option<string?> _resetScope = new("--reset-scope") { Description = "Clear version ledgers once; only Version is accepted." };
    private readonly Option<bool> _force = new("--force") { Description = "Request a reconcile even if the StageSet is suspended." };
    private readonly Option<bool> _wait = new("--wait") { Description = "Wait until the controller has handled the request." };
    private readonly Option<string> _timeout = new("--timeout") { Description = "How long --wait waits.", DefaultValueFactory = _ => "5m" };

    public Argument<string> NameArgument => _name;

    public Command Create()
    {
        var command = new Command("reconcile", "Ask the controller to reconcile a StageSet now.")
        {
            _name, _stage, _withSource, _strict, _updateNow, _resetScope, _force, _wait, _timeout,
        };
        command.SetAction((parse, ct) => RunAsync(parse, ct));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var name = parse.GetValue(_name)!;
        var stage = parse.GetValue(_stage) is { Length: > 0 } s ? s : null;
        var resetScope = parse.GetValue(_resetScope) is { Length: > 0 } r ? r : null;
        if (resetScope is not null and not "Version")
        {
            throw new CliException($"invalid --reset-scope \"{resetScope}\": only Version is supported", ExitCodes.Usage);
        }

        var timeoutText = parse.GetValue(_timeout)!;
        if (!Duration.TryParse(timeoutText, out var timeout) || timeout.Nanoseconds < 0)
        {
            throw new CliException($"invalid argument \"{timeoutText}\" for \"--timeout\": not a duration", ExitCodes.Usage);
        }

        var connection = ClusterConnection.Resolve(parse, globals);
        using var cluster = connection.Connect();
        var client = cluster.Client;
        var ns = connection.Namespace;
        var obj = await GetStageSetAsync(client, ns, name, ct).ConfigureAwait(false);
        var stageSet = StageSetJson.Deserialize<Api.StageSet>(obj);
        if (stageSet.Spec.Suspend && !parse.GetValue(_force))
        {
            throw new CliException($"StageSet {ns}/{name} is suspended; resume it or use --force (the controller ignores requests while suspended)");
        }

        if (stage is not null && stageSet.Spec.Stages?.Any(x => x.Name == stage) != true)
        {
            throw new CliException($"stage \"{stage}\" not found in StageSet {ns}/{name}");
        }

        var stderr = parse.InvocationConfiguration.Error;
        var token = Token(clock.GetUtcNow());
        if (parse.GetValue(_withSource))
        {
            var failed = await RequestSourcesAsync(client, stageSet, ns, token, stderr, ct).ConfigureAwait(false);
            if (failed > 0 && parse.GetValue(_strict))
            {
                throw new CliException($"{failed} source(s) of StageSet {ns}/{name} could not be re-requested");
            }
        }

        var annotations = new Dictionary<string, string> { [Annotations.ReconcileRequestedAt] = token };
        if (stage is not null)
        {
            annotations[Annotations.ReconcileStage] = stage + "@" + token;
        }

        if (parse.GetValue(_updateNow))
        {
            annotations[Annotations.UpdateNow] = token;
        }

        if (resetScope is not null)
        {
            annotations[Annotations.ResetScope] = resetScope;
        }

        await StampAsync(client, GetCommand.StageSetKind, ns, name, annotations, obj, ct).ConfigureAwait(false);
        await parse.InvocationConfiguration.Output.WriteLineAsync(stage is null
            ? $"Reconcile requested for StageSet {name} (token {token})"
            : $"Reconcile requested for stage \"{stage}\" of StageSet {name} (token {token})").ConfigureAwait(false);
        if (!parse.GetValue(_wait))
        {
            return ExitCodes.Success;
        }

        var deadline = clock.GetUtcNow() + timeout.ToTimeSpan();
        while (true)
        {
            var current = await GetStageSetAsync(client, ns, name, ct).ConfigureAwait(false);
            if (Handled(StageSetJson.Deserialize<Api.StageSet>(current).Status, token, stage, parse.GetValue(_updateNow)))
            {
                return ExitCodes.Success;
            }

            if (clock.GetUtcNow() >= deadline)
            {
                throw new CliException($"timed out after {timeoutText} waiting for StageSet {ns}/{name} to handle reconcile request {token}");
            }

            await Task.Delay(PollInterval, clock, ct).ConfigureAwait(false);
        }
    }

    internal static bool Handled(StageSetStatus? status, string token, string? stage, bool updateNow)
    {
        var handled = stage is null
            ? status?.LastHandledReconcileAt == token
            : status?.Stages?.FirstOrDefault(s => s.Name == stage)?.LastHandledReconcileAt == token;
        return handled && (!updateNow || status?.PendingUpdate is null);
    }

    /// <summary>Go's RFC 3339 with nanoseconds: trailing zeros of the fraction dropped, <c>Z</c> for UTC.</summary>
    internal static string Token(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var fraction = (utc.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }

    private static async Task<JsonObject> GetStageSetAsync(DynamicClient client, string ns, string name, CancellationToken ct) =>
        await client.GetAsync(GetCommand.StageSetKind, ns, name, ct).ConfigureAwait(false)
        ?? throw new CliException($"StageSet \"{name}\" not found in namespace \"{ns}\"");

    /// <summary>Re-requests each distinct source; returns how many could not be requested (each reported as a warning).</summary>
    private static async Task<int> RequestSourcesAsync(DynamicClient client, Api.StageSet stageSet, string ns, string token,
        TextWriter stderr, CancellationToken ct)
    {
        var failed = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in (stageSet.Spec.Stages ?? []).Select(s => s.SourceRef))
        {
            var target = new Target(GroupVersionKind.From(source.EffectiveApiVersion, source.EffectiveKind),
                string.IsNullOrEmpty(source.Namespace) ? ns : source.Namespace, source.Name);
            if (!seen.Add(target.ToString()))
            {
                continue;
            }

            try
            {
                if (await ProducerOfAsync(client, target, ct).ConfigureAwait(false) is not { } producer)
                {
                    await stderr.WriteLineAsync($"Warning: {target} has no spec.sourceRef back-pointer to a producer; skipped").ConfigureAwait(false);
                    failed++;
                    continue;
                }

                await StampAsync(client, producer.Kind, producer.Namespace, producer.Name,
                    new Dictionary<string, string> { [Annotations.ReconcileRequestedAt] = token }, null, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KubeApiException or CliException)
            {
                await stderr.WriteLineAsync($"Warning: could not request a reconcile of {target}: {Message(e)}").ConfigureAwait(false);
                failed++;
            }
        }

        return failed;
    }

    /// <summary>What to stamp for a stage source: the source itself, or for an ExternalArtifact the producer it names.</summary>
    private static async Task<Target?> ProducerOfAsync(DynamicClient client, Target source, CancellationToken ct)
    {
        if (source.Kind.Group != SourceKinds.FluxSourceGroup || source.Kind.Kind != SourceKinds.ExternalArtifact)
        {
            return source;
        }

        var artifact = await client.GetAsync(source.Kind, source.Namespace, source.Name, ct).ConfigureAwait(false)
                       ?? throw new CliException($"{source} not found");
        if (artifact["spec"]?["sourceRef"] is not JsonObject back || back["kind"]?.GetValue<string>() is not { Length: > 0 } kind
            || back["name"]?.GetValue<string>() is not { Length: > 0 } name)
        {
            return null;
        }

        var apiVersion = back["apiVersion"]?.GetValue<string>() ?? "";
        var producerNs = back["namespace"]?.GetValue<string>() is { Length: > 0 } n ? n : source.Namespace;
        return new Target(GroupVersionKind.From(apiVersion, kind), producerNs, name);
    }

    /// <summary>Sets annotations with a full Update, re-reading on a write conflict.</summary>
    private static async Task StampAsync(DynamicClient client, GroupVersionKind kind, string ns, string name,
        IReadOnlyDictionary<string, string> annotations, JsonObject? current, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            current ??= await client.GetAsync(kind, ns, name, ct).ConfigureAwait(false)
                        ?? throw new CliException($"{kind.Kind} {ns}/{name} not found");
            var metadata = current["metadata"] as JsonObject ?? [];
            current["metadata"] = metadata;
            var map = metadata["annotations"] as JsonObject ?? [];
            metadata["annotations"] = map;
            foreach (var (key, value) in annotations)
            {
                map[key] = value;
            }

            try
            {
                await client.UpdateAsync(current, ct, FieldManager).ConfigureAwait(false);
                return;
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < 4)
            {
                current = null;
            }
        }
    }

    private static string Message(Exception e) => e is KubeApiException k ? k.ApiMessage : e.Message;

    private sealed record Target(GroupVersionKind Kind, string Namespace, string Name)
    {
        public override string ToString() => $"{Kind.Kind} {Namespace}/{Name}";
    }
}
