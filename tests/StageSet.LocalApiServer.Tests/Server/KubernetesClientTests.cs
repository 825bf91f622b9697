using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace StageSet.LocalApiServer.Tests.Server;

/// <summary>The KubernetesClient library against the server: generic SSA, status writes, deletion with finalizers.</summary>
public sealed class KubernetesClientTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private static V1Patch Apply(JsonObject config) => new(config.ToJsonString(), V1Patch.PatchType.ApplyPatch);

    [Fact]
    public async Task Server_side_apply_through_the_generic_custom_objects_client_creates_updates_and_conflicts()
    {
        var ns = await fx.NamespaceAsync("client");
        var config = Objects.Deployment(ns, "web");
        var created = await fx.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            Apply(config), "apps", "v1", ns, "deployments", "web", fieldManager: "csharp", force: true);
        Assert.Equal("web", ((JsonElement)created).GetProperty("metadata").GetProperty("name").GetString());

        var typed = await fx.Client.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
        var entry = Assert.Single(typed.Metadata.ManagedFields);
        Assert.Equal(("csharp", "Apply", "apps/v1"), (entry.Manager, entry.Operation, entry.ApiVersion));
        Assert.Equal(1, typed.Spec.Replicas);

        // The same config again is a no-op: same resourceVersion.
        await fx.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            Apply(config), "apps", "v1", ns, "deployments", "web", fieldManager: "csharp", force: true);
        Assert.Equal(typed.Metadata.ResourceVersion, (await fx.Client.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Metadata.ResourceVersion);

        var scaled = Objects.Deployment(ns, "web");
        scaled["spec"]!["replicas"] = 5;
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => fx.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            Apply(scaled), "apps", "v1", ns, "deployments", "web", fieldManager: "other"));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Equal("conflict with \"csharp\"", (string?)JsonNode.Parse(conflict.Response.Content)!["details"]!["causes"]![0]!["message"]);

        // The typed client's apply overload works the same way.
        var typedApply = await fx.Client.AppsV1.PatchNamespacedDeploymentAsync(
            Apply(scaled), "web", ns, fieldManager: "other", force: true);
        Assert.Equal(5, typedApply.Spec.Replicas);
    }

    [Fact]
    public async Task Status_is_written_through_the_status_subresource_and_spec_changes_there_are_ignored()
    {
        var ns = await fx.NamespaceAsync("client");
        await fx.Client.AppsV1.CreateNamespacedDeploymentAsync(
            KubernetesJson.Deserialize<V1Deployment>(Objects.Deployment(ns, "web").ToJsonString()), ns);
        var live = await fx.Client.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
        live.Status = new V1DeploymentStatus { Replicas = 1, ReadyReplicas = 1, ObservedGeneration = live.Metadata.Generation };
        live.Spec.Replicas = 7;
        var written = await fx.Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(live, "web", ns);
        Assert.Equal(1, written.Status.ReadyReplicas);
        Assert.Equal(1, written.Spec.Replicas);
        Assert.Equal(live.Metadata.Generation, written.Metadata.Generation);
        Assert.NotEqual(live.Metadata.ResourceVersion, written.Metadata.ResourceVersion);

        var patch = new V1Patch("""{"status":{"availableReplicas":1}}""", V1Patch.PatchType.MergePatch);
        var patched = await fx.Client.AppsV1.PatchNamespacedDeploymentStatusAsync(patch, "web", ns);
        Assert.Equal(1, patched.Status.AvailableReplicas);
        Assert.Equal(1, patched.Status.ReadyReplicas);

        // A main-resource write cannot touch status.
        patched.Status.ReadyReplicas = 0;
        var replaced = await fx.Client.AppsV1.ReplaceNamespacedDeploymentAsync(patched, "web", ns);
        Assert.Equal(1, replaced.Status.ReadyReplicas);
    }

    [Fact]
    public async Task Delete_with_a_finalizer_waits_for_it_and_the_watch_sees_the_final_deletion()
    {
        var ns = await fx.NamespaceAsync("client");
        var created = await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/hold"] },
            Data = new Dictionary<string, string> { ["a"] = "1" },
        }, ns);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<(WatchEventType, V1ConfigMap)>();
        var deleted = new TaskCompletionSource();
        var watch = Task.Run(async () =>
        {
            await foreach (var (type, cm) in fx.Client.CoreV1.WatchListNamespacedConfigMapAsync(
                ns, resourceVersion: created.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                events.Add((type, cm));
                if (type == WatchEventType.Deleted)
                {
                    deleted.SetResult();
                    return;
                }
            }
        }, cts.Token);

        await fx.Client.CoreV1.DeleteNamespacedConfigMapAsync("held", ns);
        var terminating = await fx.Client.CoreV1.ReadNamespacedConfigMapAsync("held", ns);
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        Assert.Equal(["example.com/hold"], terminating.Metadata.Finalizers);

        terminating.Metadata.Finalizers = [];
        await fx.Client.CoreV1.ReplaceNamespacedConfigMapAsync(terminating, "held", ns);
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => fx.Client.CoreV1.ReadNamespacedConfigMapAsync("held", ns));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.Response.StatusCode);

        await deleted.Task.WaitAsync(cts.Token);
        await watch;
        // Removing the last finalizer deletes in the same write, so no MODIFIED comes in between (as in the real registry).
        Assert.Equal([WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Item1));
        Assert.NotNull(events[0].Item2.Metadata.DeletionTimestamp);
    }
}
