using System.Text.Json.Nodes;
using StageSet.Engine.Apply;

namespace StageSet.Engine.Tests.Apply;

public sealed class ChangeDetectionTests
{
    private const string Live = """
        {
          "apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": {"name": "web", "namespace": "shop", "uid": "u1", "resourceVersion": "41", "generation": 3,
            "creationTimestamp": "2025-01-01T00:00:00Z", "labels": {"app": "web"}, "annotations": {"a": "1"},
            "managedFields": [{"manager": "stageset-controller", "operation": "Apply"}]},
          "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "web", "image": "web:1"}]}}},
          "status": {"observedGeneration": 3, "replicas": 2}
        }
        """;

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject DryRun(Action<JsonObject>? change = null)
    {
        var o = Parse(Live);
        change?.Invoke(o);
        return o;
    }

    [Fact]
    public void An_identical_dry_run_is_unchanged_whatever_server_bookkeeping_differs()
    {
        var dryRun = DryRun(o =>
        {
            var meta = o["metadata"]!.AsObject();
            meta["resourceVersion"] = "42";
            meta["generation"] = 4;
            meta["managedFields"] = new JsonArray();
            meta["creationTimestamp"] = "2025-06-01T00:00:00Z";
            o["status"] = new JsonObject { ["replicas"] = 0 };
        });

        Assert.Equal(ChangeAction.Unchanged, ChangeDetection.Decide(Parse(Live), dryRun));
    }

    [Fact]
    public void A_spec_change_is_configured()
    {
        var dryRun = DryRun(o => o["spec"]!["replicas"] = 3);

        Assert.Equal(ChangeAction.Configured, ChangeDetection.Decide(Parse(Live), dryRun));
    }

    [Fact]
    public void Label_or_annotation_changes_are_configured_but_a_missing_map_equals_an_empty_one()
    {
        Assert.Equal(ChangeAction.Configured, ChangeDetection.Decide(Parse(Live), DryRun(o => o["metadata"]!["labels"]!["tier"] = "front")));
        Assert.Equal(ChangeAction.Configured, ChangeDetection.Decide(Parse(Live), DryRun(o => o["metadata"]!["annotations"]!["a"] = "2")));

        var live = Parse(Live);
        live["metadata"]!.AsObject().Remove("annotations");
        Assert.Equal(ChangeAction.Unchanged, ChangeDetection.Decide(live, DryRun(o => o["metadata"]!["annotations"] = new JsonObject())));
    }

    [Fact]
    public void Top_level_fields_beyond_spec_count_too()
    {
        var live = Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","resourceVersion":"7"},"data":{"k":"v"}}""");

        Assert.Equal(ChangeAction.Unchanged, ChangeDetection.Decide(live, live.DeepClone().AsObject()));
        var changed = live.DeepClone().AsObject();
        changed["data"]!["k"] = "w";
        Assert.Equal(ChangeAction.Configured, ChangeDetection.Decide(live, changed));
    }

    [Fact]
    public void A_dry_run_without_resource_version_is_a_create()
    {
        var dryRun = DryRun(o => o["metadata"]!.AsObject().Remove("resourceVersion"));

        Assert.Equal(ChangeAction.Created, ChangeDetection.Decide(null, dryRun));
        Assert.Equal("created", ChangeDetection.Verb(ChangeAction.Created));
    }

    [Fact]
    public void Keep_existing_skips_only_objects_that_exist()
    {
        Assert.True(ChangeDetection.SkipsExisting(Parse(Live)));
        Assert.False(ChangeDetection.SkipsExisting(null));
        Assert.False(ChangeDetection.SkipsExisting(Parse("""{"metadata":{"name":"x"}}""")));
    }

    [Fact]
    public void An_hpa_dry_run_with_a_repeated_and_an_empty_metric_is_not_drift()
    {
        const string hpa = """
            {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"h","resourceVersion":"5"},
             "spec":{"maxReplicas":3,"metrics":[{"type":"Resource","resource":{"name":"cpu"}}]}}
            """;
        var dryRun = Parse(hpa);
        dryRun["spec"]!["metrics"]!.AsArray().Add(Parse("""{"type":"Resource","resource":{"name":"cpu"}}"""));
        dryRun["spec"]!["metrics"]!.AsArray().Add(new JsonObject());

        Assert.Equal(ChangeAction.Unchanged, ChangeDetection.Decide(Parse(hpa), dryRun));
        Assert.Equal(3, dryRun["spec"]!["metrics"]!.AsArray().Count);
    }
}
