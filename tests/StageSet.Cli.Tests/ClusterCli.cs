using System.Text.Json.Nodes;
using StageSet.Api;
using StageSet.Manifests;
using StageSet.Testing;

namespace StageSet.Cli.Tests;

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<TestCluster>
{
    public const string Name = "cluster";
}

/// <summary>stagesetctl pointed at the fixture's cluster through a real kubeconfig file, plus StageSet helpers.</summary>
internal sealed class ClusterCli(TestCluster cluster)
{
    public static readonly GroupVersionKind StageSetKind = new(StageSetGroup.Group, StageSetGroup.Version, StageSetGroup.StageSetKind);

    public string Kubeconfig =>
        cluster.Server?.AdminKubeconfigPath ?? Environment.GetEnvironmentVariable(TestCluster.KubeconfigVariable)!;

    /// <summary>Runs stagesetctl with <c>--kubeconfig</c> appended.</summary>
    public Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        Cli.RunAsync([.. args, "--kubeconfig", Kubeconfig]);

    /// <summary>Creates a StageSet whose stages read the ExternalArtifacts named like the stages.</summary>
    public async Task<JsonObject> CreateStageSetAsync(string ns, string name, string[] stages, JsonObject? status = null,
        Action<JsonObject>? customize = null)
    {
        var obj = new JsonObject
        {
            ["apiVersion"] = StageSetGroup.ApiVersion,
            ["kind"] = StageSetGroup.StageSetKind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["stages"] = new JsonArray([.. stages.Select(s => (JsonNode)new JsonObject
                {
                    ["name"] = s,
                    ["sourceRef"] = new JsonObject { ["kind"] = "ExternalArtifact", ["name"] = s },
                })]),
            },
        };
        customize?.Invoke(obj);
        var created = await cluster.Client.CreateAsync(obj, CancellationToken.None);
        return status is null ? created : await cluster.PatchStatusAsync(StageSetKind, ns, name, status);
    }

    public Task<JsonObject?> GetStageSetAsync(string ns, string name) =>
        cluster.Client.GetAsync(StageSetKind, ns, name, CancellationToken.None);

    public static JsonObject Ready(string status, string reason, string message) => new()
    {
        ["type"] = "Ready",
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = message,
        ["lastTransitionTime"] = "2026-01-01T00:00:00Z",
    };
}
