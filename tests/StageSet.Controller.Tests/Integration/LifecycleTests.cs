using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Faults;
using StageSet.Manifests;
using StageSet.Testing;

namespace StageSet.Controller.Tests.Integration;

[Collection(ClusterCollection.Name)]
public sealed class LifecycleTests(TestCluster cluster)
{
    private static async Task<JsonObject> WaitForRevisionAsync(Harness h, string name, string stage, string revision) =>
        await TestCluster.EventuallyAsync(async () =>
        {
            var ss = await h.GetAsync(Harness.StageSetKind, name);
            return ss is not null && Harness.Ready(ss)?["reason"]?.GetValue<string>() == "Succeeded" &&
                   Harness.StageStatus(ss, stage)?["appliedRevision"]?.GetValue<string>() == revision
                ? ss
                : null;
        }, Harness.Deadline, name + " at " + revision);

    [Fact]
    public async Task A_new_artifact_revision_is_rolled_out_and_what_left_is_pruned_unless_kept()
    {
        await using var h = await Harness.StartAsync(cluster, "rev");
        var kept = Specs.ConfigMap(h.Namespace, "kept").Replace("metadata:\n", "metadata:\n  annotations:\n    stages.metio.wtf/prune: Disabled\n",
            StringComparison.Ordinal);
        await h.PublishAsync("app", Specs.Files(("a.yaml", Specs.ConfigMap(h.Namespace, "a")), ("old.yaml", Specs.ConfigMap(h.Namespace, "old")),
            ("kept.yaml", kept)), "v1");
        await h.PublishAsync("infra", Specs.Files(("c.yaml", Specs.ConfigMap(h.Namespace, "infra-old"))), "v1");
        var infra = Specs.Stage("infra", "infra", new JsonObject { ["prune"] = false });
        await h.ApplyStageSetAsync("web", Specs.StageSet(infra, Specs.Stage("app", "app")));
        await WaitForRevisionAsync(h, "web", "app", "v1");

        await h.PublishAsync("app", Specs.Files(("a.yaml", Specs.ConfigMap(h.Namespace, "a", "2")), ("new.yaml", Specs.ConfigMap(h.Namespace, "new"))), "v2");
        await h.PublishAsync("infra", Specs.Files(("d.yaml", Specs.ConfigMap(h.Namespace, "infra-new"))), "v2");
        // The two publishes may be rolled out by separate reconciles: wait until both revisions are in.
        await WaitForRevisionAsync(h, "web", "infra", "v2");
        await WaitForRevisionAsync(h, "web", "app", "v2");

        Assert.Equal("2", (await h.GetAsync(Harness.ConfigMapKind, "a"))!["data"]!["k"]!.GetValue<string>());
        Assert.NotNull(await h.GetAsync(Harness.ConfigMapKind, "new"));
        Assert.Null(await h.GetAsync(Harness.ConfigMapKind, "old"));
        Assert.NotNull(await h.GetAsync(Harness.ConfigMapKind, "kept")); // prune: disabled annotation
        Assert.NotNull(await h.GetAsync(Harness.ConfigMapKind, "infra-old")); // stage with prune: false
        Assert.NotNull(await h.GetAsync(Harness.ConfigMapKind, "infra-new"));
    }

    [Fact]
    public async Task A_producer_publishing_through_a_back_pointing_external_artifact_triggers_a_rollout()
    {
        await using var h = await Harness.StartAsync(cluster, "prod");
        var producer = new ProducerRef("jaas.metio.wtf/v1", "JsonnetSnippet", "snippet");
        await h.PublishAsync("snippet-artifact", Specs.Files(("a.yaml", Specs.ConfigMap(h.Namespace, "p1"))), "1", producer);
        var stage = new JsonObject
        {
            ["name"] = "app",
            ["sourceRef"] = new JsonObject { ["apiVersion"] = "jaas.metio.wtf/v1", ["kind"] = "JsonnetSnippet", ["name"] = "snippet" },
        };
        await h.ApplyStageSetAsync("web", Specs.StageSet(stage));
        var ss = await WaitForRevisionAsync(h, "web", "app", "1");
        Assert.Equal("1", ss["status"]!["lastAppliedRevisions"]![h.Namespace + "/snippet-artifact"]!.GetValue<string>());

        await h.PublishAsync("snippet-artifact", Specs.Files(("a.yaml", Specs.ConfigMap(h.Namespace, "p2"))), "2", producer);
        await WaitForRevisionAsync(h, "web", "app", "2");

        Assert.NotNull(await h.GetAsync(Harness.ConfigMapKind, "p2"));
        Assert.Null(await h.GetAsync(Harness.ConfigMapKind, "p1"));
    }

    [Fact]
    public async Task A_git_repository_revision_triggers_a_rollout()
    {
        await using var h = await Harness.StartAsync(cluster, "git");
        await cluster.Flux.PublishGitRepositoryAsync(h.Namespace, "repo", Specs.Files(("a.yaml", Specs.ConfigMap(h.Namespace, "g1"))), "main@sha1:1");
        var stage = new JsonObject
        {
            ["name"] = "app",
            ["sourceRef"] = new JsonObject { ["kind"] = "GitRepository", ["name"] = "repo" },
        };
        await h.ApplyStageSetAsync("web", Specs.StageSet(stage));
        await WaitForRevisionAsync(h, "web", "app", "main@sha1:1");

        await cluster.Flux.PublishGitRepositoryAsync(h.Namespace, "repo", Specs.Files(("a.yaml", Specs.ConfigMap(h.Namespace, "g2"))), "main@sha1:2");
        await WaitForRevisionAsync(h, "web", "app", "main@sha1:2");

        Assert.NotNull(await h.GetAsync(Harness.ConfigMapKind, "g2"));
    }

    [Fact]
    public async Task Drift_is_corrected_on_the_drift_cadence_and_a_steady_state_writes_and_downloads_nothing()
    {
        await using var h = await Harness.StartAsync(cluster, "drift");
        var artifact = await h.PublishAsync("app", Specs.Files(("a.yaml", Specs.ConfigMap(h.Namespace, "a", "good"))), "1");
        var spec = Specs.StageSet(Specs.Stage("app", "app"));
        spec["interval"] = "1h";
        spec["driftDetectionInterval"] = "1s";
        await h.ApplyStageSetAsync("web", spec);
        await WaitForRevisionAsync(h, "web", "app", "1");
        var downloads = cluster.Artifacts.Downloads(artifact.Path);

        if (cluster.Server is { } server)
        {
            // One full drift pass with nothing drifted: reads and dry runs only.
            var reconciles = h.Host.Reconciles;
            var mark = server.Requests.Mark();
            await TestCluster.EventuallyAsync(() => Task.FromResult(h.Host.Reconciles >= reconciles + 2), Harness.Deadline,
                "two drift passes");
            var writes = server.Requests.Records.Where(r => r.Seq > mark && r.Facts.Namespace == h.Namespace && !r.DryRun &&
                r.Facts.Verb is "create" or "update" or "patch" or "apply" or "delete").ToList();
            Assert.Empty(writes);
        }

        Assert.Equal(1, downloads);
        await cluster.Client.PatchAsync(Harness.ConfigMapKind, h.Namespace, "a", Kube.PatchKind.Merge,
            """{"data":{"k":"tampered"}}""", default);
        await TestCluster.EventuallyAsync(async () =>
            (await h.GetAsync(Harness.ConfigMapKind, "a"))?["data"]?["k"]?.GetValue<string>() == "good",
            Harness.Deadline, "drift corrected");

        Assert.True(h.Host.Metrics.DriftCorrectedTotal.WithLabels(h.Namespace, "web", "app").Value >= 1);
        Assert.Equal(downloads, cluster.Artifacts.Downloads(artifact.Path));
    }

    [Fact]
    public async Task A_tenant_allowed_only_configmaps_cannot_apply_a_secret_and_nothing_is_applied()
    {
        await using var h = await Harness.StartAsync(cluster, "tenant");
        await cluster.GrantAsync(h.Namespace, "deployer", "configmaps");
        await h.PublishAsync("app", Specs.Files(("a.yaml", Specs.ConfigMap(h.Namespace, "tenant-cm")), ("s.yaml", $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: tenant-secret
              namespace: {h.Namespace}
            stringData:
              password: hunter2
            """)), "1");
        var spec = Specs.StageSet(Specs.Stage("app", "app"));
        spec["serviceAccountName"] = "deployer";

        await h.ApplyStageSetAsync("web", spec);
        var ss = await h.WaitForReasonAsync("web", "RBACDenied");

        Assert.StartsWith("stage \"app\" apply: ", Harness.ReadyMessage(ss));
        Assert.Contains("system:serviceaccount:" + h.Namespace + ":deployer", Harness.ReadyMessage(ss));
        Assert.Null(await h.GetAsync(Harness.ConfigMapKind, "tenant-cm"));
        Assert.Null(await h.GetAsync(new GroupVersionKind("", "v1", "Secret"), "tenant-secret"));
    }

    [Fact]
    public async Task A_tenant_without_any_binding_applies_nothing()
    {
        await using var h = await Harness.StartAsync(cluster, "nobind");
        await h.PublishAsync("app", Specs.Files(("a.yaml", Specs.ConfigMap(h.Namespace, "unbound"))), "1");
        var spec = Specs.StageSet(Specs.Stage("app", "app"));
        spec["serviceAccountName"] = "nobody";

        await h.ApplyStageSetAsync("web", spec);
        await h.WaitForReasonAsync("web", "RBACDenied");

        Assert.Null(await h.GetAsync(Harness.ConfigMapKind, "unbound"));
    }

    [Fact]
    public async Task Deleting_the_stageset_tears_stages_down_in_reverse_order_then_drops_the_finalizer()
    {
        await using var h = await Harness.StartAsync(cluster, "del");
        await h.PublishAsync("one", Specs.Files(("a.yaml", Specs.ConfigMap(h.Namespace, "first"))), "1");
        await h.PublishAsync("two", Specs.Files(("b.yaml", Specs.ConfigMap(h.Namespace, "second"))), "1");
        await h.PublishAsync("three", Specs.Files(("c.yaml", Specs.ConfigMap(h.Namespace, "orphan"))), "1");
        var three = Specs.Stage("three", "three", new JsonObject { ["prune"] = false });
        await h.ApplyStageSetAsync("web", Specs.StageSet(Specs.Stage("one", "one"), Specs.Stage("two", "two"), three));
        await h.WaitForReasonAsync("web", "Succeeded");
        var mark = cluster.Server?.Requests.Mark() ?? 0;

        await cluster.Client.DeleteAsync(Harness.StageSetKind, h.Namespace, "web", default);
        await TestCluster.EventuallyAsync(async () => await h.GetAsync(Harness.StageSetKind, "web") is null, Harness.Deadline,
            "the StageSet to be gone");

        Assert.Null(await h.GetAsync(Harness.ConfigMapKind, "first"));
        Assert.Null(await h.GetAsync(Harness.ConfigMapKind, "second"));
        Assert.NotNull(await h.GetAsync(Harness.ConfigMapKind, "orphan"));
        if (cluster.Server is { } server)
        {
            var deletes = server.Requests.Records
                .Where(r => r.Seq > mark && r.Facts.Verb == "delete" && r.Facts.Resource == "configmaps" && r.Facts.Namespace == h.Namespace)
                .Select(r => r.Facts.Name).ToList();
            Assert.Equal(["second", "first"], deletes);
            var finalizerRemoved = server.Requests.Records.Last(r => r.Facts.Resource == "stagesets" && r.Facts.Verb == "patch" &&
                                                                   r.Facts.Namespace == h.Namespace);
            Assert.True(finalizerRemoved.Seq > server.Requests.Records.Last(r => r.Facts.Verb == "delete" && r.Facts.Name == "first").Seq);
        }
    }

    [Fact]
    public async Task Twelve_thousand_objects_in_one_stage_are_recorded_in_three_shards()
    {
        await using var h = await Harness.StartAsync(cluster, "shards");
        var docs = string.Join("---\n", Enumerable.Range(0, 12_000).Select(i => Specs.ConfigMap(h.Namespace, "cm-" + i.ToString("D5",
            System.Globalization.CultureInfo.InvariantCulture))));
        await h.PublishAsync("big", Specs.Files(("all.yaml", docs)), "1");
        var stage = Specs.Stage("bulk", "big", new JsonObject { ["readyChecks"] = new JsonObject { ["disableWait"] = true } });

        await h.ApplyStageSetAsync("big", Specs.StageSet(stage));
        await h.WaitForReasonAsync("big", "Succeeded", TimeSpan.FromMinutes(4));

        var shards = (await cluster.Client.ListAsync(Harness.InventoryKind, h.Namespace, null, default)).Items
            .OrderBy(s => KubeObject.Label(s, "stages.metio.wtf/shard"), StringComparer.Ordinal).ToList();
        Assert.Equal(3, shards.Count);
        Assert.Equal(["0", "1", "2"], shards.Select(s => KubeObject.Label(s, "stages.metio.wtf/shard")));
        Assert.All(shards, s => Assert.True(s["spec"]!["entries"]!.AsArray().Count <= 5000));
        Assert.Equal(12_000, shards.Sum(s => s["spec"]!["entries"]!.AsArray().Count));
        Assert.Equal(["big-bulk-00-", "big-bulk-01-", "big-bulk-02-"], shards.Select(s => KubeObject.Name(s)[..12]));
        var first = shards[0]["spec"]!["entries"]!.AsArray()[0]!;
        Assert.Equal(h.Namespace + "_cm-00000__ConfigMap", first["id"]!.GetValue<string>());
        var ids = shards.SelectMany(s => s["spec"]!["entries"]!.AsArray().Select(e => e!["id"]!.GetValue<string>())).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
    }
}
