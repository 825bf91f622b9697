using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Admission;
using StageSet.LocalApiServer.FieldManagement;
using StageSet.Manifests;
using StageSet.Manifests.Schema;
using static StageSet.LocalApiServer.Tests.FieldManagement.Managed;

namespace StageSet.LocalApiServer.Tests.FieldManagement;

/// <summary>Field management and admission over the real built-in schemas (typed models plus list semantics).</summary>
public class BuiltInSchemaApplyTests
{
    private static readonly GroupVersionKind Deployment = new("apps", "v1", "Deployment");
    private static readonly GroupVersionKind Service = new("", "v1", "Service");

    private readonly BuiltinAdmission _admission = new(BuiltInSchemas.Instance);
    private readonly FieldManager _fm;

    public BuiltInSchemaApplyTests()
    {
        _fm = new FieldManager(BuiltInSchemas.Instance, _admission);
    }

    private sealed class FixedAllocator : IAllocationContext
    {
        public string AllocateClusterIp() => "10.0.0.20";

        public int AllocateNodePort() => 30100;
    }

    private const string TwoContainers = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"apps","labels":{"app":"web"}},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
           "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
             {"name":"web","image":"nginx:1.25","ports":[{"containerPort":80}],"env":[{"name":"A","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}]},
             {"name":"sidecar","image":"busybox","args":["sleep","3600"]}]}}}}
        """;

    [Fact]
    public void Two_container_deployment_fieldsv1_matches_kube_apiserver_byte_for_byte()
    {
        var created = _fm.Apply(null, JsonAssert.Obj(TwoContainers), Apply("kubectl") with { Kind = Deployment, Allocation = new FixedAllocator() });

        Assert.Equal(
            """{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"sidecar\"}":{".":{},"f:args":{},"f:image":{},"f:name":{}},"k:{\"name\":\"web\"}":{".":{},"f:env":{"k:{\"name\":\"A\"}":{".":{},"f:name":{},"f:valueFrom":{"f:fieldRef":{}}}},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}""",
            Fields(created, "kubectl"));
        Assert.Equal(10, (int?)created["spec"]!["revisionHistoryLimit"]);
        Assert.Equal("TCP", (string?)created["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["protocol"]);
    }

    [Fact]
    public void Post_created_deployment_owns_the_defaults_it_was_decoded_with()
    {
        var body = JsonAssert.Obj(TwoContainers);
        _admission.Default(body, Deployment, new FixedAllocator());

        var created = _fm.RecordUpdate(null, body, Update("kubectl-create", "apps/v1"));

        var fields = Fields(created, "kubectl-create", "Update")!;
        Assert.Contains("\"f:revisionHistoryLimit\":{}", fields, StringComparison.Ordinal);
        Assert.Contains("\"f:strategy\":{\"f:rollingUpdate\":{\".\":{},\"f:maxSurge\":{},\"f:maxUnavailable\":{}},\"f:type\":{}}", fields, StringComparison.Ordinal);
        Assert.StartsWith("{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:progressDeadlineSeconds\":{}", fields, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_ports_without_protocol_key_on_tcp_and_a_second_apply_is_a_no_op()
    {
        var config = JsonAssert.Obj("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"apps"},"spec":{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":8080}]}}
            """);
        var request = Apply("kubectl") with { Kind = Service, Allocation = new FixedAllocator() };

        var created = _fm.Apply(null, config, request);
        var again = _fm.Apply(created, config, request with { Now = TestSchemas.T0.AddHours(1) });

        Assert.Equal(
            """{"f:spec":{"f:ports":{"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{},"f:targetPort":{}}},"f:selector":{}}}""",
            Fields(created, "kubectl"));
        Assert.Equal("10.0.0.20", (string?)created["spec"]!["clusterIP"]);
        JsonAssert.Equal(created.ToJsonString(), again);
    }

    [Fact]
    public void Unknown_fields_fail_apply_and_are_pruned_by_admission_with_real_schemas()
    {
        var config = JsonAssert.Obj(TwoContainers);
        config["spec"]!["template"]!["spec"]!["containers"]![1]!["bogus"] = 1;

        var ex = Assert.Throws<InvalidApplyException>(() => _fm.Apply(null, config, Apply("kubectl") with { Kind = Deployment }));
        var pruned = _admission.PruneUnknownFields(config, Deployment);

        Assert.EndsWith(""": .spec.template.spec.containers[name="sidecar"].bogus: field not declared in schema""", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["spec.template.spec.containers[1].bogus"], pruned);
    }

    [Fact]
    public void Quantities_and_int_or_string_values_type_check()
    {
        var config = JsonAssert.Obj(TwoContainers);
        config["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"] = JsonNode.Parse("""{"limits":{"cpu":0.5,"memory":"128Mi"}}""");
        config["spec"]!["strategy"] = JsonNode.Parse("""{"rollingUpdate":{"maxSurge":1,"maxUnavailable":"10%"}}""");

        var created = _fm.Apply(null, config, Apply("kubectl") with { Kind = Deployment, Allocation = new FixedAllocator() });

        Assert.Equal("500m", (string?)created["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"]!["limits"]!["cpu"]);
        Assert.Contains("\"f:strategy\":{\"f:rollingUpdate\":{\"f:maxSurge\":{},\"f:maxUnavailable\":{}}}", Fields(created, "kubectl"), StringComparison.Ordinal);
    }
}
