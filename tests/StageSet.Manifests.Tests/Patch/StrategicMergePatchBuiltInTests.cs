using System.Text.Json.Nodes;
using StageSet.Manifests.Patch;
using StageSet.Manifests.Schema;

namespace StageSet.Manifests.Tests.Patch;

/// <summary>api-server.md §5 acceptance sentences, with the built-in schemas.</summary>
public sealed class StrategicMergePatchBuiltInTests
{
    private static readonly GroupVersionKind Deployment = new("apps", "v1", "Deployment");

    private static readonly JsonObject Live = KubeYaml.Parse("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, finalizers: [a]}
        spec:
          strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}
          template:
            spec:
              containers:
              - name: web
                image: nginx:1
                env: [{name: A, value: "1"}, {name: B, value: "2"}]
              - name: sidecar
                image: envoy:1
        """)!.AsObject();

    [Fact]
    public void Patching_one_container_by_name_leaves_the_other()
    {
        var result = Apply("""{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}}}""");
        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web", "sidecar"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("nginx:2", containers[0]!["image"]!.GetValue<string>());
        Assert.Equal(2, containers[0]!["env"]!.AsArray().Count);
        Assert.Equal("envoy:1", containers[1]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void Delete_directive_removes_one_env_var()
    {
        var result = Apply("""{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"A","$patch":"delete"}]}]}}}}""");
        Assert.Equal("""[{"name":"B","value":"2"}]""", result["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.ToJsonString());
    }

    [Fact]
    public void Retain_keys_clears_the_other_strategy_fields()
    {
        var result = Apply("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""");
        Assert.Equal("""{"type":"Recreate"}""", result["spec"]!["strategy"]!.ToJsonString());
    }

    [Fact]
    public void Finalizers_union_and_delete_from_primitive_list()
    {
        // Patch items come first in patch order; live-only items follow unless the live list ordered them earlier.
        Assert.Equal("""["b","a"]""", Apply("""{"metadata":{"finalizers":["b","a"]}}""")["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Equal("""["c","a"]""", Apply("""{"metadata":{"finalizers":["c"]}}""")["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Equal("""[]""", Apply("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}""")["metadata"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public void Two_way_patch_of_a_deployment_round_trips()
    {
        var modified = (JsonObject)Live.DeepClone();
        modified["spec"]!["template"]!["spec"]!["containers"]!.AsArray().RemoveAt(1);
        modified["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:3";
        var patch = StrategicMergePatch.CreateTwoWay(Live, modified, BuiltInSchemas.Instance.GetSchema(Deployment), BuiltInSchemas.Instance.Schemas);
        Assert.Contains("$setElementOrder/containers", patch["spec"]!["template"]!["spec"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("\"$patch\":\"delete\"", patch.ToJsonString(), StringComparison.Ordinal);
        var applied = StrategicMergePatch.Apply(Live, patch, Deployment, BuiltInSchemas.Instance);
        Assert.True(JsonEquality.DeepEquals(modified, applied), applied.ToJsonString());
    }

    [Fact]
    public void Bad_directives_are_reported()
    {
        var e = Assert.Throws<StrategicMergePatchException>(() => Apply("""{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"""));
        Assert.Contains("does not contain declared merge key: name", e.Message, StringComparison.Ordinal);
        Assert.Throws<StrategicMergePatchException>(() => Apply("""{"spec":{"$patch":"explode"}}"""));
    }

    private static JsonObject Apply(string patch) =>
        StrategicMergePatch.Apply(Live, JsonNode.Parse(patch)!.AsObject(), Deployment, BuiltInSchemas.Instance);
}
