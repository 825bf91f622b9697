using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Admission;
using StageSet.LocalApiServer.Tests.FieldManagement;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Tests.Admission;

public class ValidationTests
{
    private readonly BuiltinAdmission _admission = new(new TestSchemas());

    private const string Web = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},
         "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}
        """;

    private static GroupVersionKind Gvk(JsonObject obj) => KubeObject.Gvk(obj);

    private string[] Create(string json)
    {
        var obj = JsonAssert.Obj(json);
        return _admission.ValidateCreate(obj, Gvk(obj)).Select(e => e.ToString()).ToArray();
    }

    /// <summary>Validates an update of <paramref name="json"/> after <paramref name="edit"/> changes a copy.</summary>
    private string[] Update(string json, Action<JsonObject> edit)
    {
        var oldObj = JsonAssert.Obj(json);
        var newObj = (JsonObject)oldObj.DeepClone();
        edit(newObj);
        return _admission.ValidateUpdate(oldObj, newObj, Gvk(oldObj)).Select(e => e.ToString()).ToArray();
    }

    [Fact]
    public void A_valid_deployment_passes()
    {
        Assert.Empty(Create(Web));
        Assert.Empty(Update(Web, d => d["spec"]!["replicas"] = 3));
    }

    public static TheoryData<string, string[]> CreateChecks => new()
    {
        {
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w"},"spec":{"template":{"spec":{"containers":[{"name":"","image":""}]}}}}""",
            ["spec.selector: Required value", "spec.template.spec.containers[0].name: Required value", "spec.template.spec.containers[0].image: Required value"]
        },
        {
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w"},"spec":{"selector":{},"template":{"spec":{"containers":[{"name":"a","image":"b"}]}}}}""",
            ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"]
        },
        {
            """{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"s"},"spec":{"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"y"}},"spec":{"containers":[{"name":"a","image":"b"}]}}}}""",
            ["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"y\"}: `selector` does not match template `labels`"]
        },
        {
            """{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"d"},"spec":{"selector":{"matchExpressions":[{"key":"app","operator":"In","values":["x"]}]},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"a","image":"b"}]}}}}""",
            []
        },
        {
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[]}}""",
            ["spec.containers: Required value"]
        },
        {
            """{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"c"},"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c"}]}}}}}}""",
            ["spec.schedule: Required value", "spec.jobTemplate.spec.template.spec.containers[0].image: Required value"]
        },
        {
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"targetPort":80},{"port":70000}]}}""",
            ["spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive", "spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive"]
        },
        {
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"selector":{"a":"b"}}}""",
            ["spec.ports: Required value"]
        },
        {
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"clusterIP":"None"}}""",
            []
        },
        {
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"r"},"rules":[{"apiGroups":[""],"resources":["pods"]},{"verbs":["get"],"nonResourceURLs":["/x"]}]}""",
            ["rules[0].verbs: Required value: verbs must contain at least one value", "rules[1].nonResourceURLs: Invalid value: []string{\"/x\"}: namespaced rules cannot apply to non-resource URLs"]
        },
        {
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"r"},"rules":[{"verbs":["get"]}]}""",
            ["rules[0].apiGroups: Required value: resource rules must supply at least one api group", "rules[0].resources: Required value: resource rules must supply at least one resource"]
        },
        {
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"b"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Thing"},"subjects":[{"kind":"Robot","name":"r"},{"kind":"User","apiGroup":"rbac.authorization.k8s.io"}]}""",
            ["roleRef.kind: Unsupported value: \"Thing\": supported values: \"Role\", \"ClusterRole\"", "roleRef.name: Required value",
             "subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"", "subjects[1].name: Required value"]
        },
        {
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"b"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"},"subjects":[{"kind":"ServiceAccount","name":"sa","apiGroup":""}]}""",
            ["roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"", "subjects[0].namespace: Required value"]
        },
    };

    [Theory]
    [MemberData(nameof(CreateChecks))]
    public void Create_time_required_checks_use_kube_wording(string json, string[] expected)
    {
        Assert.Equal(expected, Create(json));
    }

    [Fact]
    public void Service_primary_cluster_ip_may_not_change()
    {
        const string Svc = """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"clusterIP":"10.0.0.5","clusterIPs":["10.0.0.5"],"ports":[{"port":80}]}}""";

        Assert.Equal(
            ["spec.clusterIPs[0]: Invalid value: []string{\"10.0.0.9\"}: may not change once set"],
            Update(Svc, s => s["spec"]!["clusterIPs"] = new JsonArray("10.0.0.9")));
        Assert.Equal(
            ["spec.clusterIPs[0]: Invalid value: []string{\"10.0.0.9\"}: may not change once set"],
            Update(Svc, s => s["spec"]!["clusterIP"] = "10.0.0.9"));
        Assert.Empty(Update(Svc, s => s["spec"]!["type"] = "ExternalName"));
    }

    [Theory]
    [InlineData("Deployment")]
    [InlineData("DaemonSet")]
    public void Workload_selectors_are_immutable(string kind)
    {
        var json = Web.Replace("\"Deployment\"", $"\"{kind}\"", StringComparison.Ordinal);

        var errors = Update(json, d =>
        {
            d["spec"]!["selector"] = JsonNode.Parse("""{"matchLabels":{"app":"x"}}""");
            d["spec"]!["template"]!["metadata"]!["labels"] = JsonNode.Parse("""{"app":"x"}""");
        });

        Assert.Equal(
            ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"x\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"],
            errors);
    }

    [Fact]
    public void Template_labels_must_keep_matching_the_selector()
    {
        Assert.Equal(
            ["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\", \"tier\":\"x\"}: `selector` does not match template `labels`"],
            Update(Web, d => d["spec"]!["template"]!["metadata"]!["labels"] = JsonNode.Parse("""{"tier":"x","app":"other"}""")));
    }

    [Fact]
    public void Stateful_set_spec_is_frozen_except_the_allowed_fields()
    {
        var sts = Web.Replace("\"Deployment\"", "\"StatefulSet\"", StringComparison.Ordinal);

        Assert.Empty(Update(sts, s =>
        {
            s["spec"]!["replicas"] = 5;
            s["spec"]!["updateStrategy"] = JsonNode.Parse("""{"type":"OnDelete"}""");
            s["spec"]!["minReadySeconds"] = 3;
            s["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:2";
        }));
        Assert.Equal(
            ["spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"],
            Update(sts, s => s["spec"]!["serviceName"] = "other"));
    }

    [Fact]
    public void Job_selector_and_template_are_immutable()
    {
        const string Job = """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"spec":{"selector":{"matchLabels":{"u":"1"}},
             "template":{"metadata":{"labels":{"u":"1"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}}
            """;

        Assert.Equal(
            ["spec.template: Invalid value: core.PodTemplateSpec{…}: field is immutable"],
            Update(Job, j => j["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "y"));
        Assert.StartsWith("spec.selector: Invalid value: v1.LabelSelector{", Update(Job, j => j["spec"]!["selector"]!["matchLabels"]!["u"] = "2")[0], StringComparison.Ordinal);
        Assert.Empty(Update(Job, j => j["spec"]!["parallelism"] = 2));
    }

    [Fact]
    public void Claims_are_immutable_except_requests_of_bound_claims()
    {
        const string Pvc = """
            {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteOnce"],
             "resources":{"requests":{"storage":"1Gi"}}},"status":{"phase":"PHASE"}}
            """;
        var pending = Pvc.Replace("PHASE", "Pending", StringComparison.Ordinal);
        var bound = Pvc.Replace("PHASE", "Bound", StringComparison.Ordinal);

        var changedClass = Update(pending, c => c["spec"]!["storageClassName"] = "fast");
        Assert.StartsWith("spec: Forbidden: spec is immutable after creation except resources.requests for bound claims\n", Assert.Single(changedClass), StringComparison.Ordinal);
        Assert.Contains("storageClassName", changedClass[0], StringComparison.Ordinal);
        Assert.Single(Update(pending, c => c["spec"]!["resources"]!["requests"]!["storage"] = "2Gi"));
        Assert.Empty(Update(bound, c => c["spec"]!["resources"]!["requests"]!["storage"] = "2Gi"));
        Assert.Equal(
            ["spec.resources.requests.storage: Forbidden: field can not be less than previous value"],
            Update(bound, c => c["spec"]!["resources"]!["requests"]!["storage"] = "512Mi"));
        Assert.Empty(Update(pending, c => c["spec"]!["volumeName"] = "pv-1"));
    }

    [Fact]
    public void Storage_class_parameters_provisioner_policy_and_binding_mode_are_immutable()
    {
        const string Sc = """
            {"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"sc"},"provisioner":"a","parameters":{"x":"1"},
             "reclaimPolicy":"Delete","volumeBindingMode":"Immediate"}
            """;

        Assert.Equal(["parameters: Forbidden: updates to parameters are forbidden."], Update(Sc, s => s["parameters"]!["x"] = "2"));
        Assert.Equal(["provisioner: Forbidden: updates to provisioner are forbidden."], Update(Sc, s => s["provisioner"] = "b"));
        Assert.Equal(["reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden."], Update(Sc, s => s["reclaimPolicy"] = "Retain"));
        Assert.Equal(
            ["volumeBindingMode: Invalid value: \"WaitForFirstConsumer\": field is immutable"],
            Update(Sc, s => s["volumeBindingMode"] = "WaitForFirstConsumer"));
    }

    [Fact]
    public void Immutable_secrets_and_config_maps_keep_their_data()
    {
        const string Secret = """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"type":"Opaque","immutable":true,"data":{"a":"YQ=="}}""";
        const string Cm = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"immutable":true,"data":{"a":"1"},"binaryData":{"b":"Yg=="}}""";

        Assert.Equal(["data: Forbidden: field is immutable when `immutable` is set"], Update(Secret, s => s["data"]!["a"] = "Yg=="));
        Assert.Equal(["immutable: Forbidden: field is immutable when `immutable` is set"], Update(Secret, s => s.Remove("immutable")));
        Assert.Equal(["binaryData: Forbidden: field is immutable when `immutable` is set"], Update(Cm, c => c["binaryData"]!["b"] = "Yw=="));
        Assert.Equal(["immutable: Forbidden: field is immutable when `immutable` is set"], Update(Cm, c => c["immutable"] = false));
        Assert.Empty(Update(Cm.Replace("true", "false", StringComparison.Ordinal), c => c["data"]!["a"] = "2"));
    }

    [Fact]
    public void Secret_type_is_immutable()
    {
        Assert.Equal(
            ["type: Invalid value: \"kubernetes.io/tls\": field is immutable"],
            Update("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"type":"Opaque"}""", s => s["type"] = "kubernetes.io/tls"));
    }

    [Fact]
    public void Binding_role_refs_cannot_change()
    {
        const string Rb = """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"b"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"edit"},"subjects":[{"kind":"User","name":"u","apiGroup":"rbac.authorization.k8s.io"}]}
            """;

        Assert.Equal(
            ["roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"view\"}: cannot change roleRef"],
            Update(Rb, b => b["roleRef"]!["name"] = "view"));
        Assert.Empty(Update(Rb, b => b["subjects"]!.AsArray().Clear()));
    }

    [Fact]
    public void Unknown_fields_are_pruned_and_reported_with_go_paths()
    {
        var dep = JsonAssert.Obj("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","bogus":1,"labels":{"free":"form"}},"extra":true,
             "spec":{"foo":1,"template":{"spec":{"containers":[{"name":"a","image":"b"},{"name":"c","image":"d","bar":{}}]}}}}
            """);

        var unknown = _admission.PruneUnknownFields(dep, TestSchemas.Deployment);

        Assert.Equal(["metadata.bogus", "extra", "spec.foo", "spec.template.spec.containers[1].bar"], unknown);
        JsonAssert.Equal("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"free":"form"}},
             "spec":{"template":{"spec":{"containers":[{"name":"a","image":"b"},{"name":"c","image":"d"}]}}}}
            """, dep);
    }

    [Fact]
    public void Preserve_unknown_subtrees_and_unknown_kinds_are_not_pruned()
    {
        var widget = JsonAssert.Obj("""{"apiVersion":"stable.example.com/v1","kind":"Widget","spec":{"config":{"anything":{"goes":1}}}}""");
        var unknownKind = JsonAssert.Obj("""{"apiVersion":"x/v1","kind":"Nope","spec":{"a":1}}""");

        Assert.Empty(_admission.PruneUnknownFields(widget, TestSchemas.Widget));
        Assert.Empty(_admission.PruneUnknownFields(unknownKind, new GroupVersionKind("x", "v1", "Nope")));
        Assert.Equal(1, (int?)widget["spec"]!["config"]!["anything"]!["goes"]);
    }
}
