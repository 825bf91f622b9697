using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Admission;
using StageSet.LocalApiServer.FieldManagement;
using StageSet.Manifests;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Tests.FieldManagement;

/// <summary>
/// Hand-written schemas with the list and map semantics of the real kinds (containers keyed by name, ports by
/// containerPort+protocol with protocol defaulting to TCP, atomic selector and args, a CRD with a set, an atomic list
/// and a preserve-unknown subtree), so field management is tested independently of the built-in schema provider.
/// </summary>
internal sealed class TestSchemas : ITypeSchemaProvider
{
    public static readonly GroupVersionKind Deployment = new("apps", "v1", "Deployment");
    public static readonly GroupVersionKind ConfigMap = new("", "v1", "ConfigMap");
    public static readonly GroupVersionKind Widget = new("stable.example.com", "v1", "Widget");

    private const string ObjectMetaLite = """
        {"type":"object","properties":{"labels":{"type":"object","additionalProperties":{"type":"string"}},
          "annotations":{"type":"object","additionalProperties":{"type":"string"}}}}
        """;

    private const string Container = """
        {"type":"object","properties":{
          "name":{"type":"string"},"image":{"type":"string"},"imagePullPolicy":{"type":"string"},
          "args":{"type":"array","items":{"type":"string"}},
          "command":{"type":"array","items":{"type":"string"},"x-kubernetes-list-type":"atomic"},
          "env":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
            "items":{"type":"object","properties":{"name":{"type":"string"},"value":{"type":"string"}}}},
          "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["containerPort","protocol"],
            "items":{"type":"object","properties":{"containerPort":{"type":"integer"},"name":{"type":"string"},
              "protocol":{"type":"string","default":"TCP"}}}},
          "resources":{"type":"object","properties":{
            "limits":{"type":"object","additionalProperties":{"x-kubernetes-int-or-string":true}},
            "requests":{"type":"object","additionalProperties":{"x-kubernetes-int-or-string":true}}}},
          "terminationMessagePath":{"type":"string"}}}
        """;

    private static readonly string DeploymentSchema = """
        {"type":"object","properties":{
          "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
          "spec":{"type":"object","properties":{
            "replicas":{"type":"integer"},"revisionHistoryLimit":{"type":"integer"},"paused":{"type":"boolean"},
            "selector":{"type":"object","x-kubernetes-map-type":"atomic","properties":{
              "matchLabels":{"type":"object","additionalProperties":{"type":"string"}}}},
            "strategy":{"type":"object","properties":{"type":{"type":"string"},
              "rollingUpdate":{"type":"object","properties":{"maxSurge":{"x-kubernetes-int-or-string":true},
                "maxUnavailable":{"x-kubernetes-int-or-string":true}}}}},
            "template":{"type":"object","properties":{"metadata":META,"spec":{"type":"object","properties":{
              "containers":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],"items":CONTAINER},
              "restartPolicy":{"type":"string"},"dnsPolicy":{"type":"string"},
              "securityContext":{"type":"object","properties":{"runAsUser":{"type":"integer"},"runAsNonRoot":{"type":"boolean"}}},
              "nodeSelector":{"type":"object","additionalProperties":{"type":"string"},"x-kubernetes-map-type":"atomic"}}}}}}},
          "status":{"type":"object","properties":{"replicas":{"type":"integer"},"observedGeneration":{"type":"integer"},
            "conditions":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["type"],
              "items":{"type":"object","properties":{"type":{"type":"string"},"status":{"type":"string"},"reason":{"type":"string"}}}}}}}}
        """.Replace("META", ObjectMetaLite, StringComparison.Ordinal).Replace("CONTAINER", Container, StringComparison.Ordinal);

    private const string ConfigMapSchema = """
        {"type":"object","properties":{"apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
          "data":{"type":"object","additionalProperties":{"type":"string"}},
          "binaryData":{"type":"object","additionalProperties":{"type":"string"}},"immutable":{"type":"boolean"}}}
        """;

    private const string WidgetSchema = """
        {"type":"object","properties":{"apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
          "spec":{"type":"object","properties":{
            "size":{"type":"integer"},"color":{"type":"string"},"nickname":{"type":"string","nullable":true},
            "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
            "steps":{"type":"array","items":{"type":"string"}},
            "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["port","protocol"],
              "items":{"type":"object","properties":{"port":{"type":"integer"},"protocol":{"type":"string","default":"TCP"},"name":{"type":"string"}}}},
            "config":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
            "template":{"type":"object","x-kubernetes-embedded-resource":true,"x-kubernetes-preserve-unknown-fields":true}}},
          "status":{"type":"object","properties":{"phase":{"type":"string"}}}}}
        """;

    private readonly Dictionary<GroupVersionKind, JsonSchemaProps> _byKind = new()
    {
        [Deployment] = JsonSchemaProps.Parse(JsonNode.Parse(DeploymentSchema)),
        [ConfigMap] = JsonSchemaProps.Parse(JsonNode.Parse(ConfigMapSchema)),
        [Widget] = JsonSchemaProps.Parse(JsonNode.Parse(WidgetSchema)),
    };

    public SchemaSet Schemas => SchemaSet.Empty;

    public JsonSchemaProps? GetSchema(GroupVersionKind gvk) => _byKind.GetValueOrDefault(gvk);

    public static FieldManager Manager() => new(new TestSchemas(), new RevisionHistoryDefaulter());

    public static readonly DateTimeOffset T0 = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>Defaults <c>spec.revisionHistoryLimit</c> of Deployments, standing in for built-in defaulting.</summary>
    internal sealed class RevisionHistoryDefaulter : IObjectDefaulter
    {
        public void Default(JsonObject obj, GroupVersionKind gvk, IAllocationContext ctx)
        {
            if (gvk == Deployment && obj["spec"] is JsonObject spec && !spec.ContainsKey("revisionHistoryLimit"))
            {
                spec["revisionHistoryLimit"] = 10;
            }
        }
    }

    internal sealed class NoAllocation : IAllocationContext
    {
        public string AllocateClusterIp() => throw new InvalidOperationException("not expected");

        public int AllocateNodePort() => throw new InvalidOperationException("not expected");
    }
}
