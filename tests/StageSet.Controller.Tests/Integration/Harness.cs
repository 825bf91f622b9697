using System.Text.Json.Nodes;
using StageSet.Controller.Hosting;
using StageSet.LocalApiServer.ArtifactStorage;
using StageSet.Manifests;
using StageSet.Testing;

namespace StageSet.Controller.Tests.Integration;

/// <summary>
/// One test's world: a fresh namespace and a controller watching only it, with short poll intervals so waits end
/// quickly (assertions are unchanged). Dispose to stop the controller.
/// </summary>
internal sealed class Harness : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    public static readonly GroupVersionKind StageSetKind = new("stages.metio.wtf", "v1", "StageSet");
    public static readonly GroupVersionKind InventoryKind = new("stages.metio.wtf", "v1", "StageInventory");
    public static readonly GroupVersionKind ConfigMapKind = new("", "v1", "ConfigMap");

    private Harness(TestCluster cluster, string ns, ControllerHost host)
    {
        Cluster = cluster;
        Namespace = ns;
        Host = host;
    }

    public TestCluster Cluster { get; }

    public string Namespace { get; }

    public ControllerHost Host { get; }

    public static async Task<Harness> StartAsync(TestCluster cluster, string prefix,
        Func<ControllerOptions, ControllerOptions>? configure = null)
    {
        var ns = await cluster.CreateNamespaceAsync(prefix);
        var options = new ControllerOptions
        {
            WatchNamespaces = [ns],
            MetricsBindAddress = "127.0.0.1:0",
            HealthProbeBindAddress = "127.0.0.1:0",
            GateBindAddress = "127.0.0.1:0",
            HealthPollInterval = TimeSpan.FromMilliseconds(100),
            EstablishedPollInterval = TimeSpan.FromMilliseconds(50),
            TerminalRecheck = TimeSpan.FromSeconds(1),
            AllowLoopbackArtifacts = true,
            GracefulShutdown = TimeSpan.FromSeconds(5),
        };
        options = configure?.Invoke(options) ?? options;
        var host = await ControllerHost.StartAsync(options, cluster.Config);
        return new Harness(cluster, ns, host);
    }

    /// <summary>Serves <paramref name="files"/> through an ExternalArtifact named <paramref name="source"/>.</summary>
    public Task<PublishedArtifact> PublishAsync(string source, IReadOnlyDictionary<string, string> files, string revision,
        ProducerRef? producer = null) =>
        Cluster.Flux.PublishExternalArtifactAsync(Namespace, source, files, revision, producer);

    /// <summary>Creates or updates a StageSet from its <c>spec</c>.</summary>
    public Task<JsonObject> ApplyStageSetAsync(string name, JsonObject spec, JsonObject? annotations = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = Namespace };
        if (annotations is not null)
        {
            metadata["annotations"] = annotations;
        }

        return Cluster.ApplyAsync(new JsonObject
        {
            ["apiVersion"] = "stages.metio.wtf/v1",
            ["kind"] = "StageSet",
            ["metadata"] = metadata,
            ["spec"] = spec,
        });
    }

    public Task<JsonObject?> GetAsync(GroupVersionKind kind, string name) =>
        Cluster.Client.GetAsync(kind, Namespace, name, default);

    /// <summary>Waits until the StageSet's Ready condition has <paramref name="reason"/>; returns the StageSet.</summary>
    public Task<JsonObject> WaitForReasonAsync(string name, string reason, TimeSpan? deadline = null) =>
        WaitForStageSetAsync(name, ss => Ready(ss)?["reason"]?.GetValue<string>() == reason, "Ready reason " + reason, deadline);

    /// <summary>Waits until the StageSet's stage <paramref name="stage"/> is in <paramref name="phase"/>.</summary>
    public Task<JsonObject> WaitForStagePhaseAsync(string name, string stage, string phase) =>
        WaitForStageSetAsync(name, ss => StageStatus(ss, stage)?["phase"]?.GetValue<string>() == phase,
            "stage " + stage + " " + phase, null);

    private async Task<JsonObject> WaitForStageSetAsync(string name, Func<JsonObject, bool> done, string what,
        TimeSpan? deadline)
    {
        JsonNode? lastStatus = null;
        try
        {
            return await TestCluster.EventuallyAsync(async () =>
            {
                var ss = await GetAsync(StageSetKind, name);
                lastStatus = ss?["status"]?.DeepClone();
                return ss is not null && done(ss) ? ss : null;
            }, deadline ?? Deadline, "StageSet " + name + " " + what);
        }
        catch (TimeoutException ex)
        {
            // The last status says where the run stopped, which the bare timeout does not.
            throw new TimeoutException(ex.Message + "; last status: " + (lastStatus?.ToJsonString() ?? "none"), ex);
        }
    }

    public static JsonObject? Ready(JsonObject stageSet) =>
        (stageSet["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
        .FirstOrDefault(c => c["type"]?.GetValue<string>() == "Ready");

    public static string ReadyMessage(JsonObject stageSet) => Ready(stageSet)?["message"]?.GetValue<string>() ?? "";

    public static JsonObject? StageStatus(JsonObject stageSet, string stage) =>
        (stageSet["status"]?["stages"] as JsonArray ?? []).OfType<JsonObject>()
        .FirstOrDefault(s => s["name"]?.GetValue<string>() == stage);

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Small builders for StageSet specs and manifests used across tests.</summary>
internal static class Specs
{
    public static JsonObject Stage(string name, string source, JsonObject? extra = null)
    {
        var stage = new JsonObject
        {
            ["name"] = name,
            ["sourceRef"] = new JsonObject { ["kind"] = "ExternalArtifact", ["name"] = source },
        };
        foreach (var (k, v) in extra ?? [])
        {
            stage[k] = v?.DeepClone();
        }

        return stage;
    }

    public static JsonObject StageSet(params JsonObject[] stages) => new() { ["stages"] = new JsonArray(stages) };

    // Manifests name their namespace: like Flux without a target namespace, nothing defaults it.
    public static string ConfigMap(string ns, string name, string value = "v") =>
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: " + ns + "\ndata:\n  k: \"" + value + "\"\n";

    public static string Deployment(string ns, string name) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: {name}
          template:
            metadata:
              labels:
                app: {name}
            spec:
              containers:
                - name: app
                  image: registry.example/app:1.0
        """;

    /// <summary>Deployment status kstatus judges Current: observed, all replicas updated and available.</summary>
    public static JsonObject AvailableDeploymentStatus(long generation = 1) => JsonNode.Parse($$"""
        {
          "observedGeneration": {{generation}},
          "replicas": 1, "updatedReplicas": 1, "readyReplicas": 1, "availableReplicas": 1,
          "conditions": [
            {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable", "message": "ok"},
            {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable", "message": "ok"}
          ]
        }
        """)!.AsObject();

    public static Dictionary<string, string> Files(params (string Path, string Content)[] files) =>
        files.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
}
