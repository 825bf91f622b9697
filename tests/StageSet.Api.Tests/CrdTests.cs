using System.Text.Json.Nodes;
using StageSet.Api.Crd;
using StageSet.CrdGen;
using StageSet.Manifests.Schema;
using StageSet.Testing;

namespace StageSet.Api.Tests;

public class CrdTests
{
    /// <summary>Every [seed] and [seed*] field of spec/stageset-api.md, as a path into the CRD schema.</summary>
    public static readonly string[] StageSetPaths =
    [
        // §1 scheduling and lifecycle
        "spec.interval", "spec.retryInterval", "spec.driftDetectionInterval", "spec.timeout", "spec.onTimeout", "spec.suspend",
        // §2 stages and sources
        "spec.stages", "spec.stages[].name", "spec.stages[].sourceRef", "spec.stages[].sourceRef.apiVersion", "spec.stages[].sourceRef.kind",
        "spec.stages[].sourceRef.name", "spec.stages[].sourceRef.namespace", "spec.stages[].path", "spec.stages[].prune", "spec.stages[].timeout",
        "spec.stages[].onTimeout", "spec.stages[].serviceAccountName", "spec.stages[].migrationAnchor",
        // §3 build shaping
        "spec.stages[].patches", "spec.stages[].patches[].patch", "spec.stages[].patches[].target", "spec.stages[].patches[].target.group",
        "spec.stages[].patches[].target.version", "spec.stages[].patches[].target.kind", "spec.stages[].patches[].target.name",
        "spec.stages[].patches[].target.namespace", "spec.stages[].patches[].target.labelSelector", "spec.stages[].patches[].target.annotationSelector",
        "spec.stages[].postBuild", "spec.stages[].postBuild.substitute", "spec.stages[].postBuild.substituteFrom",
        "spec.stages[].postBuild.substituteFrom[].kind", "spec.stages[].postBuild.substituteFrom[].name", "spec.stages[].postBuild.substituteFrom[].optional",
        "spec.stages[].force", "spec.stages[].conflictPolicy", "spec.stages[].applyHelmHookResources",
        // §4 ready checks
        "spec.stages[].readyChecks", "spec.stages[].readyChecks.timeout", "spec.stages[].readyChecks.disableWait", "spec.stages[].readyChecks.checks",
        "spec.stages[].readyChecks.checks[].apiVersion", "spec.stages[].readyChecks.checks[].kind", "spec.stages[].readyChecks.checks[].name",
        "spec.stages[].readyChecks.checks[].namespace", "spec.stages[].readyChecks.exprs", "spec.stages[].readyChecks.exprs[].apiVersion",
        "spec.stages[].readyChecks.exprs[].kind", "spec.stages[].readyChecks.exprs[].current", "spec.stages[].readyChecks.exprs[].inProgress",
        "spec.stages[].readyChecks.exprs[].failed",
        // §5 actions (the Action shape is checked in full under stages[].actions.pre and by reference elsewhere)
        "spec.stages[].actions", "spec.stages[].actions.pre", "spec.stages[].actions.post", "spec.stages[].actions.onFailure", "spec.onRollback",
        "spec.stages[].actions.pre[].name", "spec.stages[].actions.pre[].scope", "spec.stages[].actions.pre[].timeout", "spec.stages[].actions.pre[].retries",
        "spec.stages[].actions.pre[].patch.target.apiVersion", "spec.stages[].actions.pre[].patch.target.kind", "spec.stages[].actions.pre[].patch.target.namespace",
        "spec.stages[].actions.pre[].patch.target.name", "spec.stages[].actions.pre[].patch.target.selector", "spec.stages[].actions.pre[].patch.type",
        "spec.stages[].actions.pre[].patch.patch", "spec.stages[].actions.pre[].http.url", "spec.stages[].actions.pre[].http.method",
        "spec.stages[].actions.pre[].http.body", "spec.stages[].actions.pre[].http.bodyFrom.name", "spec.stages[].actions.pre[].http.bodyFrom.key",
        "spec.stages[].actions.pre[].http.headersFrom[].name", "spec.stages[].actions.pre[].http.headersFrom[].key", "spec.stages[].actions.pre[].http.expectedStatus",
        "spec.stages[].actions.pre[].wait.duration", "spec.stages[].actions.pre[].wait.target.apiVersion", "spec.stages[].actions.pre[].wait.target.kind",
        "spec.stages[].actions.pre[].wait.target.name", "spec.stages[].actions.pre[].wait.target.namespace", "spec.stages[].actions.pre[].wait.expr",
        "spec.stages[].actions.pre[].wait.timeout", "spec.stages[].actions.pre[].job.sourceRef.name", "spec.stages[].actions.pre[].job.path",
        "spec.stages[].actions.pre[].delete.target.kind", "spec.stages[].actions.pre[].delete.target.name", "spec.stages[].actions.pre[].delete.cascade",
        "spec.stages[].actions.pre[].apply.sourceRef.name", "spec.stages[].actions.pre[].apply.path", "spec.stages[].actions.pre[].apply.wait",
        "spec.stages[].actions.post[].http.url", "spec.stages[].actions.onFailure[].delete.target.name", "spec.onRollback[].job.sourceRef.name",
        // §6 conflict policy
        "spec.stages[].conflictPolicy.default", "spec.stages[].conflictPolicy.rules", "spec.stages[].conflictPolicy.rules[].target",
        "spec.stages[].conflictPolicy.rules[].target.apiVersion", "spec.stages[].conflictPolicy.rules[].target.kind",
        "spec.stages[].conflictPolicy.rules[].target.name", "spec.stages[].conflictPolicy.rules[].target.namespace",
        "spec.stages[].conflictPolicy.rules[].action", "spec.stages[].conflictPolicy.rules[].allowDataLoss",
        // §7 update windows
        "spec.updateWindows", "spec.updateWindows[].type", "spec.updateWindows[].schedule", "spec.updateWindows[].duration",
        "spec.updateWindows[].timeZone", "spec.updateWindows[].from", "spec.updateWindows[].to", "spec.windowScope",
        // §8 version and migrations
        "spec.version", "spec.version.value", "spec.version.fromObject.stage", "spec.version.fromObject.kind", "spec.version.fromObject.name",
        "spec.version.fromObject.apiVersion", "spec.version.fromObject.fieldPath", "spec.version.fromArtifact.stage", "spec.version.fromArtifact.path",
        "spec.version.requireMigrationCoverage", "spec.version.allowDowngrade", "spec.migrations", "spec.migrations[].name", "spec.migrations[].to",
        "spec.migrations[].from", "spec.migrations[].stage", "spec.migrations[].actions", "spec.migrations[].actions[].job.sourceRef.name",
        "spec.migrations[].down", "spec.migrations[].down[].name", "spec.migrationsSourceRef.sourceRef", "spec.migrationsSourceRef.sourceRef.name",
        "spec.migrationsSourceRef.path",
        // §9-§12
        "spec.rollbackOnFailure", "spec.decryption.provider", "spec.decryption.secretRef.name", "spec.serviceAccountName", "spec.kubeConfig",
        "spec.kubeConfig.secretRef.name", "spec.kubeConfig.secretRef.key", "spec.dependsOn", "spec.dependsOn[].name", "spec.dependsOn[].namespace",
        "spec.dependsOn[].minVersion",
        // §14 status
        "status.conditions", "status.conditions[].type", "status.conditions[].status", "status.conditions[].observedGeneration",
        "status.conditions[].lastTransitionTime", "status.conditions[].reason", "status.conditions[].message", "status.observedGeneration",
        "status.lastHandledReconcileAt", "status.lastAttemptedRevisions", "status.lastAppliedRevisions", "status.stages", "status.inventoryMode",
        "status.version", "status.pendingMigrations", "status.pendingMigrations[].name", "status.pendingMigrations[].to", "status.pendingMigrations[].from",
        "status.pendingMigrations[].stage", "status.pendingMigrations[].actions", "status.pendingMigrations[].digest", "status.executedMigrations",
        "status.executedMigrationActions", "status.migrationFailureCount", "status.lastAppliedSnapshot", "status.pendingUpdate",
        "status.pendingUpdate.revisions", "status.pendingUpdate.nextWindowOpens", "status.lastHandledUpdateOverride", "status.lastHandledResetScope",
        // §14.1, §14.2
        "status.stages[].name", "status.stages[].phase", "status.stages[].appliedRevision", "status.stages[].entriesCount", "status.stages[].shards",
        "status.stages[].message", "status.stages[].executedActions", "status.stages[].ledgerRevision", "status.stages[].executedVersionActions",
        "status.stages[].ledgerVersion", "status.stages[].lastHandledReconcileAt", "status.lastAppliedSnapshot[].stage", "status.lastAppliedSnapshot[].url",
        "status.lastAppliedSnapshot[].digest", "status.lastAppliedSnapshot[].revision", "status.lastAppliedSnapshot[].substitutionDigest",
    ];

    public static readonly string[] StageInventoryPaths = ["spec.stagePosition", "spec.entries", "spec.entries[].id", "spec.entries[].v"];

    private static JsonSchemaProps StageSetSchema => StageSetCrds.Schema(StageSetCrds.StageSet());

    private static JsonSchemaProps? Walk(JsonSchemaProps root, string path)
    {
        JsonSchemaProps? node = root;
        foreach (var part in path.Split('.'))
        {
            var name = part.EndsWith("[]", StringComparison.Ordinal) ? part[..^2] : part;
            node = node?.Property(name);
            if (part.EndsWith("[]", StringComparison.Ordinal))
            {
                node = node?.Items;
            }
        }

        return node;
    }

    [Fact]
    public void Every_seed_field_of_the_spec_is_in_the_crds()
    {
        var missing = StageSetPaths.Where(p => Walk(StageSetSchema, p) is null)
            .Concat(StageInventoryPaths.Where(p => Walk(StageSetCrds.Schema(StageSetCrds.StageInventory()), p) is null))
            .ToList();
        Assert.Empty(missing);
        Assert.Equal(StageSetPaths.Length, StageSetPaths.Distinct().Count());
    }

    [Fact]
    public void Committed_crds_match_the_generator()
    {
        foreach (var (name, yaml) in CrdGenerator.Render())
        {
            var path = TestPaths.Repo("config", "crd", name);
            Assert.True(File.Exists(path), $"{path} is missing; run dotnet run --project tools/StageSet.CrdGen -- config/crd");
            Assert.True(File.ReadAllText(path) == yaml, $"{path} is stale; run dotnet run --project tools/StageSet.CrdGen -- config/crd");
        }
    }

    [Fact]
    public void Crd_schemas_are_structural_and_their_defaults_valid()
    {
        foreach (var (name, crd) in StageSetCrds.All())
        {
            var schema = StageSetCrds.Schema(crd);
            Assert.True(StructuralSchemaCheck.Check(schema).Count == 0, name + ": " + string.Join("; ", StructuralSchemaCheck.Check(schema)));
            AssertDefaultsValid(schema, name);
        }
    }

    private static void AssertDefaultsValid(JsonSchemaProps node, string where)
    {
        if (node.Default is { } value)
        {
            Assert.Empty(StructuralValidation.Validate(value, node, where));
        }

        foreach (var (key, child) in node.Properties ?? [])
        {
            AssertDefaultsValid(child, where + "." + key);
        }

        if (node.Items is { } items)
        {
            AssertDefaultsValid(items, where + "[]");
        }
    }

    [Fact]
    public void Stage_set_crd_has_the_facts_of_the_spec()
    {
        var crd = StageSetCrds.StageSet();
        Assert.Equal("stagesets.stages.metio.wtf", crd["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(crd["metadata"]!["labels"]);
        var spec = crd["spec"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"kind":"StageSet","listKind":"StageSetList","plural":"stagesets","singular":"stageset"}"""), spec["names"]));
        Assert.Equal("Namespaced", spec["scope"]!.GetValue<string>());
        var version = spec["versions"]!.AsArray().Single()!;
        Assert.Equal("v1", version["name"]!.GetValue<string>());
        Assert.True(version["served"]!.GetValue<bool>() && version["storage"]!.GetValue<bool>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"status":{}}"""), version["subresources"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"jsonPath":".status.conditions[?(@.type==\"Ready\")].status","name":"Ready","type":"string"},
             {"jsonPath":".status.conditions[?(@.type==\"Ready\")].message","name":"Status","type":"string"},
             {"jsonPath":".metadata.creationTimestamp","name":"Age","type":"date"}]
            """), version["additionalPrinterColumns"]));
    }

    [Fact]
    public void Stage_inventory_crd_is_an_apply_set_parent_type_without_subresources()
    {
        var crd = StageSetCrds.StageInventory();
        Assert.Equal("stageinventories.stages.metio.wtf", crd["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("true", crd["metadata"]!["labels"]!["applyset.kubernetes.io/is-parent-type"]!.GetValue<string>());
        var version = crd["spec"]!["versions"]![0]!;
        Assert.True(JsonNode.DeepEquals(new JsonObject(), version["subresources"]));
        Assert.Equal([".metadata.labels.stages\\.metio\\.wtf/stage", ".metadata.creationTimestamp"],
            version["additionalPrinterColumns"]!.AsArray().Select(c => c!["jsonPath"]!.GetValue<string>()));
    }

    [Fact]
    public void Schema_carries_enums_defaults_patterns_bounds_and_rules()
    {
        var s = StageSetSchema;
        Assert.Equal(["Hold", "Rollback"], Walk(s, "spec.onTimeout")!.Enum!.Select(e => e!.GetValue<string>()));
        Assert.Equal(["Updates", "All"], Walk(s, "spec.windowScope")!.Enum!.Select(e => e!.GetValue<string>()));
        Assert.Equal("Fail", Walk(s, "spec.stages[].conflictPolicy.default")!.Default!.GetValue<string>());
        Assert.Equal("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", Walk(s, "spec.stages[].name")!.Pattern);
        Assert.Equal(1, Walk(s, "spec.stages")!.MinItems);
        Assert.Equal(["stages"], Walk(s, "spec")!.Required!);
        Assert.Equal(["name", "sourceRef"], Walk(s, "spec.stages[]")!.Required!);
        var retries = Walk(s, "spec.stages[].actions.pre[].retries")!;
        Assert.Equal((0, 100, "int32"), (retries.Minimum, retries.Maximum, retries.Format));
        var status = Walk(s, "spec.stages[].actions.pre[].http.expectedStatus")!.Items!;
        Assert.Equal((100, 599), (status.Minimum, status.Maximum));
        Assert.Equal("date-time", Walk(s, "spec.updateWindows[].from")!.Format);
        Assert.Equal("string", Walk(s, "spec.interval")!.Type);
        Assert.Null(Walk(s, "spec.interval")!.Pattern);
        Assert.Equal("atomic", Walk(s, "spec.stages[].actions.pre[].patch.target.selector")!.MapType);
        Assert.Equal(
            ["has(self.configMapRef) || has(self.secretRef)", "!has(self.configMapRef) || !has(self.secretRef)"],
            Walk(s, "spec.kubeConfig")!.Validations!.Select(v => v.Rule));
        Assert.All(Walk(s, "spec.kubeConfig")!.Validations!, v =>
            Assert.Equal("exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified", v.Message));
        Assert.Equal(["lastTransitionTime", "message", "reason", "status", "type"], Walk(s, "status.conditions[]")!.Required!);
    }

    [Fact]
    public void Every_property_has_a_description()
    {
        var undocumented = new List<string>();
        void Visit(JsonSchemaProps node, string path)
        {
            foreach (var (key, child) in node.Properties ?? [])
            {
                var childPath = path.Length == 0 ? key : path + "." + key;
                if (string.IsNullOrEmpty(child.Description) && key != "metadata")
                {
                    undocumented.Add(childPath);
                }

                Visit(child, childPath);
                if (child.Items is { } items)
                {
                    Visit(items, childPath + "[]");
                }
            }
        }

        Visit(StageSetSchema, "");
        Assert.Empty(undocumented);
    }
}
