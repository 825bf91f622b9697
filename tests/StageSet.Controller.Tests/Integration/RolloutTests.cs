using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Faults;
using StageSet.Manifests;
using StageSet.Testing;

namespace StageSet.Controller.Tests.Integration;

[Collection(ClusterCollection.Name)]
public sealed class RolloutTests(TestCluster cluster)
{
    private static readonly GroupVersionKind DeploymentKind = new("apps", "v1", "Deployment");
    private static readonly GroupVersionKind EventKind = new("events.k8s.io", "v1", "Event");

    private async Task UntilServedAsync(GroupVersionKind kind, string ns) =>
        await TestCluster.EventuallyAsync(async () =>
        {
            try
            {
                await cluster.Client.ListAsync(kind, ns, null, default);
                return true;
            }
            catch (Kube.KubeApiException)
            {
                return false;
            }
        }, Harness.Deadline, "the " + kind.Kind + " kind to be served");

    [Fact]
    public async Task A_one_stage_stageset_is_applied_recorded_and_reported_ready()
    {
        await using var h = await Harness.StartAsync(cluster, "happy");
        await h.PublishAsync("app", Specs.Files(("cm.yaml", Specs.ConfigMap(h.Namespace, "web-config"))), "v1@sha256:aaa");

        await h.ApplyStageSetAsync("web", Specs.StageSet(Specs.Stage("app", "app")));
        var ss = await h.WaitForReasonAsync("web", "Succeeded");

        Assert.Equal("True", Harness.Ready(ss)!["status"]!.GetValue<string>());
        Assert.Equal("Applied and verified 1 stage(s)", Harness.ReadyMessage(ss));
        Assert.Contains("stages.metio.wtf/finalizer", ss["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(ss["metadata"]!["generation"]!.GetValue<long>(), ss["status"]!["observedGeneration"]!.GetValue<long>());
        var stage = Harness.StageStatus(ss, "app")!;
        Assert.Equal("Ready", stage["phase"]!.GetValue<string>());
        Assert.Equal("v1@sha256:aaa", stage["appliedRevision"]!.GetValue<string>());
        Assert.Equal(1, stage["entriesCount"]!.GetValue<long>());
        Assert.Equal("v1@sha256:aaa", ss["status"]!["lastAppliedRevisions"]![h.Namespace + "/app"]!.GetValue<string>());
        Assert.Equal("v1@sha256:aaa", ss["status"]!["lastAttemptedRevisions"]![h.Namespace + "/app"]!.GetValue<string>());

        var cm = await h.GetAsync(Harness.ConfigMapKind, "web-config");
        Assert.Equal("web", KubeObject.Label(cm!, "stages.metio.wtf/name"));
        Assert.Equal(h.Namespace, KubeObject.Label(cm!, "stages.metio.wtf/namespace"));
        Assert.Equal("app", KubeObject.Label(cm!, "stages.metio.wtf/stage"));

        var shards = await cluster.Client.ListAsync(Harness.InventoryKind, h.Namespace, null, default);
        var shard = Assert.Single(shards.Items);
        Assert.StartsWith("web-app-00-", KubeObject.Name(shard));
        Assert.Equal("0", KubeObject.Label(shard, "stages.metio.wtf/shard"));
        Assert.Equal("app", KubeObject.Label(shard, "stages.metio.wtf/stage"));
        Assert.Equal("web", KubeObject.Label(shard, "stages.metio.wtf/stage-set"));
        var entry = Assert.Single(shard["spec"]!["entries"]!.AsArray())!;
        Assert.Equal(h.Namespace + "_web-config__ConfigMap", entry["id"]!.GetValue<string>());
        Assert.Equal("v1", entry["v"]!.GetValue<string>());
        var owner = Assert.Single(shard["metadata"]!["ownerReferences"]!.AsArray())!;
        Assert.Equal(ss["metadata"]!["uid"]!.GetValue<string>(), owner["uid"]!.GetValue<string>());
        Assert.True(owner["controller"]!.GetValue<bool>());

        // The Ready transition is announced once as an events.k8s.io/v1 Event about the StageSet.
        var readyEvent = await TestCluster.EventuallyAsync(async () =>
            (await cluster.Client.ListAsync(EventKind, h.Namespace, null, default)).Items.FirstOrDefault(e =>
                (string?)e["reason"] == "Succeeded" && (string?)e["regarding"]?["name"] == "web"),
            TimeSpan.FromSeconds(30), "a Succeeded event for StageSet web");
        Assert.Equal("Normal", (string?)readyEvent["type"]);
        Assert.Equal("stageset-controller", (string?)readyEvent["reportingController"]);
        Assert.Equal("StageSet", (string?)readyEvent["regarding"]!["kind"]);
        Assert.Equal("Applied and verified 1 stage(s)", (string?)readyEvent["note"]);
    }

    [Fact]
    public async Task Stage_two_is_not_applied_until_stage_one_is_healthy()
    {
        await using var h = await Harness.StartAsync(cluster, "order");
        await h.PublishAsync("one", Specs.Files(("deploy.yaml", Specs.Deployment(h.Namespace, "backend"))), "1");
        await h.PublishAsync("two", Specs.Files(("cm.yaml", Specs.ConfigMap(h.Namespace, "frontend"))), "1");

        await h.ApplyStageSetAsync("web", Specs.StageSet(Specs.Stage("one", "one"), Specs.Stage("two", "two")));
        await h.WaitForStagePhaseAsync("web", "one", "Verifying");
        var waiting = await h.GetAsync(Harness.StageSetKind, "web");

        Assert.NotNull(await h.GetAsync(DeploymentKind, "backend"));
        Assert.Null(await h.GetAsync(Harness.ConfigMapKind, "frontend"));
        Assert.Null(Harness.StageStatus(waiting!, "two"));

        var healthyAt = cluster.Server?.Requests.Mark() ?? 0;
        await cluster.PatchStatusAsync(DeploymentKind, h.Namespace, "backend", Specs.AvailableDeploymentStatus());
        await h.WaitForReasonAsync("web", "Succeeded");

        Assert.NotNull(await h.GetAsync(Harness.ConfigMapKind, "frontend"));
        if (cluster.Server is { } server)
        {
            var stageTwoApplies = server.Requests.Records.Where(r =>
                r.Facts.Verb == "apply" && r.Facts.Namespace == h.Namespace && r.Facts.Name == "frontend").ToList();
            Assert.NotEmpty(stageTwoApplies);
            Assert.All(stageTwoApplies, r => Assert.True(r.Seq > healthyAt));
        }
    }

    [Fact]
    public async Task A_crd_stage_is_established_before_the_next_stage_applies_its_resources()
    {
        await using var h = await Harness.StartAsync(cluster, "crd");
        var group = "g" + Guid.NewGuid().ToString("N")[..6] + ".example.com";
        await h.PublishAsync("crds", Specs.Files(("crd.yaml", $"""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: gadgets.{group}
            spec:
              group: {group}
              scope: Namespaced
              names: {"{"}kind: Gadget, listKind: GadgetList, plural: gadgets, singular: gadget{"}"}
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema:
                      type: object
                      x-kubernetes-preserve-unknown-fields: true
            """)), "1");
        await h.PublishAsync("crs", Specs.Files(("gadget.yaml", $"""
            apiVersion: {group}/v1
            kind: Gadget
            metadata:
              name: g1
              namespace: {h.Namespace}
            spec:
              size: 3
            """)), "1");

        await h.ApplyStageSetAsync("gadgets", Specs.StageSet(Specs.Stage("crds", "crds"), Specs.Stage("crs", "crs")));
        await h.WaitForReasonAsync("gadgets", "Succeeded");

        var gadget = await cluster.Client.GetAsync(new GroupVersionKind(group, "v1", "Gadget"), h.Namespace, "g1", default);
        Assert.Equal(3, gadget!["spec"]!["size"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_deployment_that_never_becomes_available_holds_with_stage_progressing()
    {
        await using var h = await Harness.StartAsync(cluster, "hold");
        await h.PublishAsync("one", Specs.Files(("deploy.yaml", Specs.Deployment(h.Namespace, "stuck"))), "1");
        await h.PublishAsync("two", Specs.Files(("cm.yaml", Specs.ConfigMap(h.Namespace, "after"))), "1");
        var stageOne = Specs.Stage("one", "one", new JsonObject { ["readyChecks"] = new JsonObject { ["timeout"] = "1s" } });

        await h.ApplyStageSetAsync("web", Specs.StageSet(stageOne, Specs.Stage("two", "two")));
        var ss = await h.WaitForReasonAsync("web", "StageProgressing");

        var cause = "timeout waiting for: [Deployment/" + h.Namespace + "/stuck status: 'InProgress']";
        Assert.Equal("stage \"one\" is applied and still becoming ready: " + cause, Harness.ReadyMessage(ss));
        var stage = Harness.StageStatus(ss, "one")!;
        Assert.Equal("Verifying", stage["phase"]!.GetValue<string>());
        Assert.Equal("verify: " + cause, stage["message"]!.GetValue<string>());
        Assert.Null(await h.GetAsync(Harness.ConfigMapKind, "after"));
    }

    [Fact]
    public async Task A_failed_job_fails_the_stage()
    {
        await using var h = await Harness.StartAsync(cluster, "job");
        await h.PublishAsync("jobs", Specs.Files(("job.yaml", $"""
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: migrate
              namespace: {h.Namespace}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: m
                      image: registry.example/migrate:1
            """)), "1");

        await h.ApplyStageSetAsync("db", Specs.StageSet(Specs.Stage("migrate", "jobs")));
        await TestCluster.EventuallyAsync(async () =>
            await cluster.Client.GetAsync(new GroupVersionKind("batch", "v1", "Job"), h.Namespace, "migrate", default) is not null,
            Harness.Deadline, "the job");
        await cluster.PatchStatusAsync(new GroupVersionKind("batch", "v1", "Job"), h.Namespace, "migrate", JsonNode.Parse("""
            {"failed": 7, "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"}]}
            """)!.AsObject());
        var ss = await h.WaitForReasonAsync("db", "StageFailed");

        Assert.StartsWith("stage \"migrate\" verify: failed early due to stalled resources: [Job/" + h.Namespace + "/migrate status: 'Failed'",
            Harness.ReadyMessage(ss));
        Assert.Equal("Failed", Harness.StageStatus(ss, "migrate")!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cel_ready_checks_gate_kinds_kstatus_cannot_judge()
    {
        await using var h = await Harness.StartAsync(cluster, "cel");
        var group = "c" + Guid.NewGuid().ToString("N")[..6] + ".example.com";
        await cluster.ApplyAsync(JsonNode.Parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"pipes.GROUP"},
             "spec":{"group":"GROUP","scope":"Namespaced",
               "names":{"kind":"Pipe","listKind":"PipeList","plural":"pipes","singular":"pipe"},
               "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
                 "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
            """.Replace("GROUP", group, StringComparison.Ordinal))!.AsObject());
        var pipeKind = new GroupVersionKind(group, "v1", "Pipe");
        await UntilServedAsync(pipeKind, h.Namespace);
        await h.PublishAsync("pipes", Specs.Files(("pipe.yaml", $"apiVersion: {group}/v1\nkind: Pipe\nmetadata:\n  name: p1\n  namespace: {h.Namespace}\nspec:\n  size: 1\n")), "1");
        await h.PublishAsync("after", Specs.Files(("cm.yaml", Specs.ConfigMap(h.Namespace, "after-pipe"))), "1");
        var stage = Specs.Stage("pipes", "pipes", JsonNode.Parse("""
            {"readyChecks":{"exprs":[{"apiVersion":"GROUP/v1","kind":"Pipe",
              "current":"has(status.phase) && status.phase == 'Flowing'","failed":"has(status.phase) && status.phase == 'Burst'"}]}}
            """.Replace("GROUP", group, StringComparison.Ordinal))!.AsObject());

        await h.ApplyStageSetAsync("plumbing", Specs.StageSet(stage, Specs.Stage("after", "after")));
        await h.WaitForStagePhaseAsync("plumbing", "pipes", "Verifying");
        Assert.Null(await h.GetAsync(Harness.ConfigMapKind, "after-pipe"));

        await cluster.PatchStatusAsync(pipeKind, h.Namespace, "p1", new JsonObject { ["phase"] = "Flowing" });
        await h.WaitForReasonAsync("plumbing", "Succeeded");
        Assert.NotNull(await h.GetAsync(Harness.ConfigMapKind, "after-pipe"));
    }

    [Fact]
    public async Task A_cel_timeout_holds_only_while_an_in_progress_expression_holds()
    {
        await using var h = await Harness.StartAsync(cluster, "celhold");
        var group = "c" + Guid.NewGuid().ToString("N")[..6] + ".example.com";
        // The build drops status from manifests, so the expressions judge a spec field the manifests set.
        await cluster.ApplyAsync(JsonNode.Parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"tanks.GROUP"},
             "spec":{"group":"GROUP","scope":"Namespaced",
               "names":{"kind":"Tank","listKind":"TankList","plural":"tanks","singular":"tank"},
               "versions":[{"name":"v1","served":true,"storage":true,
                 "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
            """.Replace("GROUP", group, StringComparison.Ordinal))!.AsObject());
        var tankKind = new GroupVersionKind(group, "v1", "Tank");
        await UntilServedAsync(tankKind, h.Namespace);

        string Tank(string name, string phase) =>
            $"apiVersion: {group}/v1\nkind: Tank\nmetadata:\n  name: {name}\n  namespace: {h.Namespace}\nspec:\n  phase: {phase}\n";
        JsonObject Checks() => JsonNode.Parse("""
            {"readyChecks":{"timeout":"1s","exprs":[{"apiVersion":"GROUP/v1","kind":"Tank",
              "current":"spec.phase == 'Full'","inProgress":"spec.phase == 'Filling'"}]}}
            """.Replace("GROUP", group, StringComparison.Ordinal))!.AsObject();
        await h.PublishAsync("filling", Specs.Files(("tank.yaml", Tank("t1", "Filling"))), "1");
        await h.PublishAsync("leaking", Specs.Files(("tank.yaml", Tank("t2", "Leaking"))), "1");

        await h.ApplyStageSetAsync("filling", Specs.StageSet(Specs.Stage("tank", "filling", Checks())));
        await h.ApplyStageSetAsync("leaking", Specs.StageSet(Specs.Stage("tank", "leaking", Checks())));

        // inProgress held for t1: the timeout is a hold. For t2 nothing held (the InProgress verdict is only the
        // default when no expression matched), so the timeout fails the stage.
        await h.WaitForReasonAsync("filling", "StageProgressing");
        await h.WaitForReasonAsync("leaking", "StageFailed");
    }

    [Fact]
    public async Task Suspended_stagesets_are_not_applied()
    {
        await using var h = await Harness.StartAsync(cluster, "susp");
        await h.PublishAsync("app", Specs.Files(("cm.yaml", Specs.ConfigMap(h.Namespace, "never"))), "1");
        var spec = Specs.StageSet(Specs.Stage("app", "app"));
        spec["suspend"] = true;

        await h.ApplyStageSetAsync("web", spec);
        var ss = await h.WaitForReasonAsync("web", "Suspended");

        Assert.Equal("Reconciliation is suspended", Harness.ReadyMessage(ss));
        Assert.Null(await h.GetAsync(Harness.ConfigMapKind, "never"));
    }

    [Fact]
    public async Task A_source_that_is_not_ready_is_reported_and_nothing_applied()
    {
        await using var h = await Harness.StartAsync(cluster, "src");
        await h.PublishAsync("app", Specs.Files(("cm.yaml", Specs.ConfigMap(h.Namespace, "x"))), "1");
        await cluster.Flux.SetReadyAsync(FluxSources.ExternalArtifact, h.Namespace, "app", "False", "Failed", "boom");

        await h.ApplyStageSetAsync("web", Specs.StageSet(Specs.Stage("app", "app")));
        await h.WaitForReasonAsync("web", "SourceNotReady");

        Assert.Null(await h.GetAsync(Harness.ConfigMapKind, "x"));
    }

    [Fact]
    public async Task The_runbook_suffix_decorates_failure_messages()
    {
        await using var h = await Harness.StartAsync(cluster, "runbook",
            o => o with { RunbookBaseUrl = "https://docs.example/runbooks" });

        await h.ApplyStageSetAsync("web", Specs.StageSet(Specs.Stage("app", "missing")));
        var ss = await h.WaitForReasonAsync("web", "ArtifactNotFound");

        Assert.EndsWith(" (runbook: https://docs.example/runbooks/artifactnotfound/)", Harness.ReadyMessage(ss));
    }

    [Fact]
    public async Task Throttled_and_failing_applies_still_converge_without_re_applying_unchanged_objects()
    {
        if (cluster.Server is not { } server)
        {
            return; // Needs fault injection.
        }

        await using var h = await Harness.StartAsync(cluster, "faults");
        await h.PublishAsync("app", Specs.Files(("a.yaml", Specs.ConfigMap(h.Namespace, "a")), ("b.yaml", Specs.ConfigMap(h.Namespace, "b"))), "1");
        var applyB = new RequestMatch { Verb = "apply", Namespace = h.Namespace, Name = "b" };
        using var throttle = server.Faults.Add(new FaultRule(applyB, FaultTrigger.First(2), FaultAction.TooManyRequests(0)));
        // The first matching rule answers, so this one counts only the requests the throttle let through.
        using var fail = server.Faults.Add(new FaultRule(applyB, FaultTrigger.First(6), FaultAction.InternalError()));
        using var watches = server.Faults.Add(new FaultRule(
            new RequestMatch { Verb = "watch", Namespace = h.Namespace, Resource = "stagesets" }, FaultTrigger.First(2),
            FaultAction.Watch(new WatchFault { CloseAfterEvents = 1 })));

        await h.ApplyStageSetAsync("web", Specs.StageSet(Specs.Stage("app", "app")));
        await h.WaitForReasonAsync("web", "Succeeded");

        var records = server.Requests.Records.Where(r => r.Facts.Namespace == h.Namespace && r.Facts.Verb == "apply").ToList();
        Assert.True(records.Count(r => r.Facts.Name == "b" && r.Injected) >= 3, "retries of the failing apply");
        Assert.Equal(1, records.Count(r => r.Facts.Name == "a" && !r.DryRun && r.Status < 300));
        Assert.Equal(1, records.Count(r => r.Facts.Name == "b" && !r.DryRun && r.Status < 300));
    }
}
