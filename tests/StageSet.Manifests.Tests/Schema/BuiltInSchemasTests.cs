using StageSet.Manifests.Schema;

namespace StageSet.Manifests.Tests.Schema;

public sealed class BuiltInSchemasTests
{
    private static readonly BuiltInSchemas Provider = BuiltInSchemas.Instance;

    public static TheoryData<string, string> RegistryKinds() => new()
    {
        // api-server.md §2
        { "v1", "Namespace" }, { "v1", "ConfigMap" }, { "v1", "Secret" }, { "v1", "Service" }, { "v1", "ServiceAccount" },
        { "v1", "Pod" }, { "v1", "PersistentVolumeClaim" }, { "v1", "Event" }, { "v1", "Endpoints" }, { "v1", "PersistentVolume" },
        { "apps/v1", "Deployment" }, { "apps/v1", "StatefulSet" }, { "apps/v1", "ReplicaSet" }, { "apps/v1", "DaemonSet" },
        { "batch/v1", "Job" }, { "batch/v1", "CronJob" },
        { "rbac.authorization.k8s.io/v1", "Role" }, { "rbac.authorization.k8s.io/v1", "RoleBinding" },
        { "rbac.authorization.k8s.io/v1", "ClusterRole" }, { "rbac.authorization.k8s.io/v1", "ClusterRoleBinding" },
        { "apiextensions.k8s.io/v1", "CustomResourceDefinition" }, { "coordination.k8s.io/v1", "Lease" },
        { "admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration" }, { "events.k8s.io/v1", "Event" },
        { "networking.k8s.io/v1", "Ingress" }, { "networking.k8s.io/v1", "NetworkPolicy" }, { "policy/v1", "PodDisruptionBudget" },
        { "autoscaling/v2", "HorizontalPodAutoscaler" }, { "autoscaling/v1", "HorizontalPodAutoscaler" }, { "storage.k8s.io/v1", "StorageClass" },
        { "authorization.k8s.io/v1", "SelfSubjectAccessReview" }, { "authorization.k8s.io/v1", "SelfSubjectRulesReview" },
        { "authorization.k8s.io/v1", "SubjectAccessReview" }, { "authorization.k8s.io/v1", "LocalSubjectAccessReview" },
        { "authentication.k8s.io/v1", "SelfSubjectReview" }, { "v1", "ConfigMapList" },
    };

    [Theory]
    [MemberData(nameof(RegistryKinds))]
    public void Every_registry_kind_has_an_object_schema_with_metadata(string apiVersion, string kind)
    {
        var schema = Provider.GetSchema(GroupVersionKind.From(apiVersion, kind));
        Assert.NotNull(schema);
        Assert.Equal("object", schema.Type);
        Assert.Equal("string", Field(schema, "apiVersion").Type);
        Assert.Equal("object", Field(schema, "metadata").Type);
        var gvk = Assert.IsType<System.Text.Json.Nodes.JsonArray>(schema.Extra!["x-kubernetes-group-version-kind"]);
        Assert.Equal(kind, gvk[0]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Unknown_kinds_have_no_schema()
    {
        Assert.Null(Provider.GetSchema(new GroupVersionKind("stages.metio.wtf", "v1", "StageSet")));
        Assert.Null(Provider.GetSchema(new GroupVersionKind("apps", "v1", "Nope")));
    }

    [Fact]
    public void Containers_merge_by_name_and_ports_by_container_port_and_protocol()
    {
        var deploy = Kind("apps/v1", "Deployment");
        var containers = Field(deploy, "spec.template.spec.containers");
        Assert.Equal(("merge", "name", "map"), (containers.PatchStrategy, containers.PatchMergeKey, containers.ListType));
        Assert.Equal(["name"], containers.ListMapKeys!);
        var ports = Field(deploy, "spec.template.spec.containers[].ports");
        Assert.Equal("containerPort", ports.PatchMergeKey);
        Assert.Equal(["containerPort", "protocol"], ports.ListMapKeys!);
        Assert.Equal("name", Field(deploy, "spec.template.spec.containers[].env").PatchMergeKey);
        Assert.Equal("mountPath", Field(deploy, "spec.template.spec.containers[].volumeMounts").PatchMergeKey);
        Assert.Equal("merge,retainKeys", Field(deploy, "spec.template.spec.volumes").PatchStrategy);
        Assert.Equal("retainKeys", Field(deploy, "spec.strategy").PatchStrategy);
        Assert.Null(Field(deploy, "spec.template.spec.containers[].args").ListType);
        Assert.Null(Field(deploy, "spec.template.spec.tolerations").PatchStrategy);
        Assert.Equal(["topologyKey", "whenUnsatisfiable"], Field(deploy, "spec.template.spec.topologySpreadConstraints").ListMapKeys!);
    }

    [Fact]
    public void Metadata_finalizers_are_a_set_and_owner_references_a_map_by_uid()
    {
        var cm = Kind("v1", "ConfigMap");
        var finalizers = Field(cm, "metadata.finalizers");
        Assert.Equal(("merge", "set"), (finalizers.PatchStrategy, finalizers.ListType));
        var owners = Field(cm, "metadata.ownerReferences");
        Assert.Equal(("uid", "map"), (owners.PatchMergeKey, owners.ListType));
        Assert.Equal("object", Field(cm, "metadata.labels").Type);
        Assert.Equal("string", Field(cm, "metadata.labels").AdditionalProperties!.Type);
        Assert.Equal("date-time", Field(cm, "metadata.creationTimestamp").Format);
        Assert.Equal("byte", Field(Kind("v1", "Secret"), "data").AdditionalProperties!.Format);
    }

    [Fact]
    public void Conditions_merge_by_type_except_job_conditions_which_are_atomic_for_apply()
    {
        foreach (var (apiVersion, kind) in new[] { ("apps/v1", "Deployment"), ("v1", "Pod"), ("policy/v1", "PodDisruptionBudget"), ("autoscaling/v2", "HorizontalPodAutoscaler"), ("v1", "Namespace") })
        {
            var conditions = Field(Kind(apiVersion, kind), "status.conditions");
            Assert.Equal(("merge", "type", "map"), (conditions.PatchStrategy, conditions.PatchMergeKey, conditions.ListType));
        }

        var job = Field(Kind("batch/v1", "Job"), "status.conditions");
        Assert.Equal(("merge", "type", "atomic"), (job.PatchStrategy, job.PatchMergeKey, job.ListType));
        var crd = Field(Kind("apiextensions.k8s.io/v1", "CustomResourceDefinition"), "status.conditions");
        Assert.Equal((null, "map"), (crd.PatchStrategy, crd.ListType));
    }

    [Fact]
    public void Selectors_are_atomic_where_kubernetes_says_so()
    {
        var deploy = Kind("apps/v1", "Deployment");
        Assert.Equal("atomic", Field(deploy, "spec.selector").MapType);
        Assert.Null(Field(deploy, "spec.selector.matchExpressions").ListType);
        Assert.Equal("atomic", Field(deploy, "spec.template.spec.nodeSelector").MapType);
        Assert.Equal("atomic", Field(Kind("v1", "Service"), "spec.selector").MapType);
        Assert.Null(Field(deploy, "spec.template.metadata.labels").MapType);
        Assert.Equal("atomic", Field(deploy, "spec.template.spec.containers[].env[].valueFrom.secretKeyRef").MapType);
    }

    [Fact]
    public void Service_ports_merge_by_port_and_keep_int_or_string_target_ports()
    {
        var svc = Kind("v1", "Service");
        var ports = Field(svc, "spec.ports");
        Assert.Equal("port", ports.PatchMergeKey);
        Assert.Equal(["port", "protocol"], ports.ListMapKeys!);
        Assert.True(Field(svc, "spec.ports[].targetPort").IntOrString);
        Assert.Equal("int32", Field(svc, "spec.ports[].port").Format);
    }

    [Fact]
    public void Quantities_accept_strings_and_numbers()
    {
        var limits = Field(Kind("v1", "Pod"), "spec.containers[].resources.limits").AdditionalProperties!;
        Assert.Equal(["string", "number"], limits.OneOf!.Select(s => s.Type));
    }

    [Fact]
    public void Webhooks_merge_by_name()
    {
        var webhooks = Field(Kind("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"), "webhooks");
        Assert.Equal(("merge", "name"), (webhooks.PatchStrategy, webhooks.PatchMergeKey));
    }

    [Fact]
    public void Recursive_json_schema_props_resolve_through_refs()
    {
        var crd = Kind("apiextensions.k8s.io/v1", "CustomResourceDefinition");
        var schema = Field(crd, "spec.versions[].schema.openAPIV3Schema");
        var nested = Provider.Schemas.Resolve(schema.Property("properties")!.AdditionalProperties!);
        Assert.Same(schema.Properties, nested.Properties);
        Assert.True(schema.Property("default")!.PreserveUnknownFields);
        Assert.True(schema.Property("x-kubernetes-preserve-unknown-fields") is { Type: "boolean" });
    }

    [Fact]
    public void The_provider_is_one_shared_instance()
    {
        Assert.Same(BuiltInSchemas.Instance, Provider);
        Assert.True(Provider.Kinds.Count > 150);
    }

    private static JsonSchemaProps Kind(string apiVersion, string kind) =>
        Provider.GetSchema(GroupVersionKind.From(apiVersion, kind)) ?? throw new InvalidOperationException(kind);

    /// <summary>Walks a dotted path (<c>[]</c> steps into list items), resolving <c>$ref</c> at each step.</summary>
    private static JsonSchemaProps Field(JsonSchemaProps root, string path)
    {
        var current = root;
        foreach (var part in path.Split('.'))
        {
            var name = part.EndsWith("[]", StringComparison.Ordinal) ? part[..^2] : part;
            current = Provider.Schemas.Resolve(Provider.Schemas.Resolve(current).Property(name) ?? throw new InvalidOperationException($"{path}: no {name}"));
            if (part.EndsWith("[]", StringComparison.Ordinal))
            {
                current = Provider.Schemas.Resolve(current.Items!);
            }
        }

        return current;
    }
}
