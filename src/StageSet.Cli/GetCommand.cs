using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StageSet.Api;
using StageSet.Kube;
using StageSet.Manifests;

namespace StageSet.Cli;

/// <summary><c>get [NAME]</c>: the StageSet table, one StageSet's detail view, or the objects as YAML/JSON.</summary>
internal sealed class GetCommand(GlobalOptions globals)
{
    internal static readonly GroupVersionKind StageSetKind = new(StageSetGroup.Group, StageSetGroup.Version, StageSetGroup.StageSetKind);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 2 };

    private readonly Argument<string?> _name = new("NAME") { Arity = ArgumentArity.ZeroOrOne, Description = "The StageSet to show." };
    private readonly Option<bool> _allNamespaces = new("--all-namespaces", "-A") { Description = "List StageSets across all namespaces." };
    private readonly Option<string?> _output = new("--output", "-o") { Description = "Output format: yaml or json (default: table)." };

    public Argument<string?> NameArgument => _name;

    public Command Create()
    {
        var command = new Command("get", "Show StageSets and their rollout state.") { _name, _allNamespaces, _output };
        command.SetAction((parse, ct) => RunAsync(parse, ct));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var name = parse.GetValue(_name);
        var all = parse.GetValue(_allNamespaces);
        var output = parse.GetValue(_output) ?? "";
        if (output is not ("" or "yaml" or "json"))
        {
            throw new CliException($"unsupported output format \"{output}\": use yaml or json", ExitCodes.Usage);
        }

        if (all && name is not null)
        {
            throw new CliException("a resource cannot be retrieved by name across all namespaces", ExitCodes.Usage);
        }

        var connection = ClusterConnection.Resolve(parse, globals);
        using var cluster = connection.Connect();
        var stdout = parse.InvocationConfiguration.Output;
        if (name is not null)
        {
            var obj = await cluster.Client.GetAsync(StageSetKind, connection.Namespace, name, ct).ConfigureAwait(false)
                      ?? throw new CliException($"StageSet \"{name}\" not found in namespace \"{connection.Namespace}\"");
            await stdout.WriteAsync(output.Length == 0 ? Detail(obj) : Format(WithType(obj, StageSetGroup.StageSetKind), output))
                .ConfigureAwait(false);
            return ExitCodes.Success;
        }

        var list = await cluster.Client.ListAsync(StageSetKind, all ? null : connection.Namespace, null, ct).ConfigureAwait(false);
        var items = list.Items.OrderBy(KubeObject.Namespace, StringComparer.Ordinal).ThenBy(KubeObject.Name, StringComparer.Ordinal).ToList();
        if (output.Length > 0)
        {
            var listObject = new JsonObject
            {
                ["apiVersion"] = StageSetGroup.ApiVersion,
                ["kind"] = StageSetGroup.StageSetListKind,
                ["metadata"] = new JsonObject { ["resourceVersion"] = list.ResourceVersion },
                ["items"] = new JsonArray([.. items.Select(i => (JsonNode)WithType(i, StageSetGroup.StageSetKind))]),
            };
            await stdout.WriteAsync(Format(listObject, output)).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        await stdout.WriteAsync(items.Count == 0 ? "No StageSets found.\n" : Table(items, all)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    internal static string Table(IEnumerable<JsonObject> items, bool withNamespace)
    {
        var table = new TabTable();
        string[] header = ["NAME", "READY", "REASON", "STAGES", "VERSION", "PENDING"];
        table.Add(withNamespace ? ["NAMESPACE", .. header] : header);
        foreach (var obj in items)
        {
            var stageSet = Typed(obj);
            var ready = stageSet.Status?.ReadyCondition();
            var readyStages = stageSet.Status?.Stages?.Count(s => s.Phase == StagePhases.Ready) ?? 0;
            string[] row =
            [
                stageSet.Metadata.Name ?? "",
                ready?.Status ?? "Unknown",
                ready is null ? "-" : ready.Reason ?? "",
                $"{readyStages}/{stageSet.Spec.Stages?.Count ?? 0}",
                Dash(stageSet.Status?.Version),
                Pending(stageSet.Status?.PendingUpdate),
            ];
            table.Add(withNamespace ? [stageSet.Metadata.Namespace ?? "", .. row] : row);
        }

        return table.ToString();
    }

    internal static string Detail(JsonObject obj)
    {
        var stageSet = Typed(obj);
        var status = stageSet.Status;
        var ready = status?.ReadyCondition();
        var sb = new StringBuilder();
        sb.Append("Name:       ").Append(stageSet.Metadata.Name).Append('\n');
        sb.Append("Namespace:  ").Append(stageSet.Metadata.Namespace).Append('\n');
        if (stageSet.Spec.Suspend)
        {
            sb.Append("Suspended:  true\n");
        }

        sb.Append(ready is null ? "Ready:      Unknown\n" : $"Ready:      {ready.Status} ({ready.Reason})\n");
        if (ready?.Message is { Length: > 0 } message)
        {
            sb.Append("Message:    ").Append(message).Append('\n');
        }

        sb.Append("Version:    ").Append(Dash(status?.Version)).Append('\n');
        if (status?.PendingMigrations is { Count: > 0 } migrations)
        {
            sb.Append("Pending migrations: ").AppendJoin(", ", migrations.Select(m => m.Name)).Append('\n');
        }

        if (status?.LastHandledReconcileAt is { Length: > 0 } handled)
        {
            sb.Append("Last handled reconcile: ").Append(handled).Append('\n');
        }

        if (status?.PendingUpdate is { } pending)
        {
            sb.Append("Pending update:\n");
            if (pending.NextWindowOpens is { } opens)
            {
                sb.Append("  Next window opens: ").Append(Micro(opens)).Append('\n');
            }

            foreach (var (key, revision) in (pending.Revisions ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                sb.Append("  Held: ").Append(key).Append(" -> ").Append(revision).Append('\n');
            }
        }

        if (status?.Stages is { Count: > 0 } stages)
        {
            sb.Append("Stages:\n");
            var table = new TabTable("  ").Add("NAME", "PHASE", "REVISION", "ENTRIES");
            foreach (var stage in stages)
            {
                table.Add(stage.Name, Dash(stage.Phase), Dash(stage.AppliedRevision), stage.EntriesCount.ToString(CultureInfo.InvariantCulture));
            }

            sb.Append(table);
        }

        return sb.ToString();
    }

    internal static string Format(JsonObject obj, string output) =>
        output == "json" ? obj.ToJsonString(Indented) + "\n" : KubeYaml.Serialize(obj);

    private static JsonObject WithType(JsonObject obj, string kind)
    {
        var copy = (JsonObject)obj.DeepClone();
        // Lists from the API server omit the type of their items; kubectl prints it, and so do we.
        var ordered = new JsonObject { ["apiVersion"] = StageSetGroup.ApiVersion, ["kind"] = kind };
        foreach (var (key, value) in copy.ToList())
        {
            if (key is not ("apiVersion" or "kind"))
            {
                copy.Remove(key);
                ordered[key] = value;
            }
        }

        return ordered;
    }

    private static Api.StageSet Typed(JsonObject obj)
    {
        try
        {
            return StageSetJson.Deserialize<Api.StageSet>(obj);
        }
        catch (ApiFormatException e)
        {
            throw new CliException($"StageSet {KubeObject.Namespace(obj)}/{KubeObject.Name(obj)}: {e.Message}");
        }
    }

    private static string Pending(PendingUpdate? pending) =>
        pending is null ? "-" : pending.NextWindowOpens is { } opens ? "held until " + Micro(opens) : "held";

    /// <summary>Go's <c>2006-01-02T15:04:05.000000Z07:00</c>: RFC 3339 with microseconds, <c>Z</c> for UTC.</summary>
    internal static string Micro(DateTimeOffset t) =>
        t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture) +
        (t.Offset == TimeSpan.Zero ? "Z" : t.ToString("zzz", CultureInfo.InvariantCulture));

    private static string Dash(string? value) => string.IsNullOrEmpty(value) ? "-" : value;
}
