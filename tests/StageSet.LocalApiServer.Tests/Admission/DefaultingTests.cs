using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Admission;
using StageSet.LocalApiServer.Tests.FieldManagement;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Tests.Admission;

public class DefaultingTests
{
    private readonly BuiltinAdmission _admission = new(new TestSchemas());
    private readonly CountingAllocator _alloc = new();

    /// <summary>Hands out 10.0.0.10, .11, … and 30000, 30001, … so allocations are visible in assertions.</summary>
    private sealed class CountingAllocator : IAllocationContext
    {
        private int _ips = 10;
        private int _ports = 30000;

        public string AllocateClusterIp() => "10.0.0." + _ips++;

        public int AllocateNodePort() => _ports++;
    }

    private JsonObject Defaulted(string json, string apiVersion, string kind)
    {
        var obj = JsonAssert.Obj(json);
        _admission.Default(obj, GroupVersionKind.From(apiVersion, kind), _alloc);
        return obj;
    }

    [Fact]
    public void Deployment_gets_workload_pod_and_container_defaults()
    {
        var dep = Defaulted("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80}]}]}}}}
            """, "apps/v1", "Deployment");

        JsonAssert.Equal("""
            {"selector":{"matchLabels":{"app":"web"}},"replicas":1,"revisionHistoryLimit":10,"progressDeadlineSeconds":600,
             "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{
               "containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80,"protocol":"TCP"}],
                 "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent","resources":{}}],
               "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","schedulerName":"default-scheduler","securityContext":{}}}}
            """, dep["spec"]);
    }

    [Fact]
    public void Explicit_values_are_never_overwritten()
    {
        var dep = Defaulted("""
            {"spec":{"replicas":0,"strategy":{"type":"Recreate"},"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"a","image":"x","imagePullPolicy":"Never"}]}}}}
            """, "apps/v1", "Deployment");

        Assert.Equal(0, (int?)dep["spec"]!["replicas"]);
        JsonAssert.Equal("""{"type":"Recreate"}""", dep["spec"]!["strategy"]);
        Assert.Equal("Never", (string?)dep["spec"]!["template"]!["spec"]!["restartPolicy"]);
        Assert.Equal("Never", (string?)dep["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"]);
    }

    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("nginx:1.25", "IfNotPresent")]
    [InlineData("registry:5000/team/app", "Always")]
    [InlineData("registry:5000/team/app:v1", "IfNotPresent")]
    [InlineData("app@sha256:0123456789abcdef", "IfNotPresent")]
    public void Image_pull_policy_follows_the_tag(string image, string expected)
    {
        Assert.Equal(expected, PodDefaults.PullPolicy(image));
    }

    [Theory]
    [InlineData("\"1000m\"", "1")]
    [InlineData("\"0.5\"", "500m")]
    [InlineData("0.5", "500m")]
    [InlineData("2", "2")]
    [InlineData("\"1.5Gi\"", "1536Mi")]
    [InlineData("\"0.5Gi\"", "512Mi")]
    [InlineData("\"1024Mi\"", "1Gi")]
    [InlineData("\"1000Ki\"", "1000Ki")]
    [InlineData("\"512\"", "512")]
    [InlineData("\"2000\"", "2k")]
    [InlineData("\"100m\"", "100m")]
    [InlineData("\"1500m\"", "1500m")]
    [InlineData("\"100M\"", "100M")]
    [InlineData("\"129e6\"", "129e6")]
    [InlineData("\"12e-3\"", "12e-3")]
    [InlineData("\"0\"", "0")]
    [InlineData("\"0.0000000001\"", "1n")]
    public void Quantities_are_canonicalised(string json, string expected)
    {
        Assert.Equal(expected, Quantity.Canonical(JsonNode.Parse(json)));
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"1.5.5\"")]
    [InlineData("\"5Xi\"")]
    [InlineData("true")]
    public void Non_quantities_are_left_alone(string json)
    {
        Assert.Null(Quantity.Canonical(JsonNode.Parse(json)));
    }

    [Fact]
    public void Pod_requests_default_to_limits_and_qos_and_phase_are_set()
    {
        var pod = Defaulted("""
            {"spec":{"containers":[{"name":"a","image":"x","resources":{"limits":{"cpu":"1000m","memory":"1Gi"}}}]},"status":{}}
            """, "v1", "Pod");

        JsonAssert.Equal("""{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"1","memory":"1Gi"}}""", pod["spec"]!["containers"]![0]!["resources"]);
        JsonAssert.Equal("""{"phase":"Pending","qosClass":"Guaranteed"}""", pod["status"]);
    }

    [Theory]
    [InlineData("""{}""", "BestEffort")]
    [InlineData("""{"requests":{"cpu":"100m"}}""", "Burstable")]
    [InlineData("""{"requests":{"cpu":"1","memory":"1Gi"},"limits":{"cpu":"2","memory":"1Gi"}}""", "Burstable")]
    [InlineData("""{"requests":{"cpu":"1","memory":"1Gi"},"limits":{"cpu":"1000m","memory":"1Gi"}}""", "Guaranteed")]
    public void Qos_class_follows_requests_and_limits(string resources, string expected)
    {
        var pod = Defaulted("""{"spec":{"containers":[{"name":"a","image":"x","resources":RES}]}}""".Replace("RES", resources, StringComparison.Ordinal), "v1", "Pod");

        Assert.Equal(expected, (string?)pod["status"]!["qosClass"]);
    }

    [Fact]
    public void Pod_templates_do_not_copy_limits_into_requests()
    {
        var dep = Defaulted("""{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"x","resources":{"limits":{"cpu":"1"}}}]}}}}""", "apps/v1", "Deployment");

        JsonAssert.Equal("""{"limits":{"cpu":"1"}}""", dep["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"]);
    }

    [Fact]
    public void Volumes_probes_and_field_refs_get_their_defaults()
    {
        var pod = Defaulted("""
            {"spec":{"volumes":[{"name":"c","configMap":{"name":"x"}},{"name":"s","secret":{"secretName":"y","defaultMode":256}}],
             "containers":[{"name":"a","image":"x","livenessProbe":{"httpGet":{"path":"/","port":80}},
               "env":[{"name":"N","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}]}]}}
            """, "v1", "Pod");

        Assert.Equal(420, (int?)pod["spec"]!["volumes"]![0]!["configMap"]!["defaultMode"]);
        Assert.Equal(256, (int?)pod["spec"]!["volumes"]![1]!["secret"]!["defaultMode"]);
        var container = pod["spec"]!["containers"]![0]!;
        JsonAssert.Equal(
            """{"httpGet":{"path":"/","port":80,"scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3}""",
            container["livenessProbe"]);
        Assert.Equal("v1", (string?)container["env"]![0]!["valueFrom"]!["fieldRef"]!["apiVersion"]);
    }

    [Fact]
    public void Service_gets_an_ip_families_and_target_ports()
    {
        var svc = Defaulted("""{"spec":{"selector":{"app":"web"},"ports":[{"port":80},{"port":53,"protocol":"UDP","targetPort":5353}]}}""", "v1", "Service");

        JsonAssert.Equal("""
            {"selector":{"app":"web"},"ports":[{"port":80,"protocol":"TCP","targetPort":80},{"port":53,"protocol":"UDP","targetPort":5353}],
             "type":"ClusterIP","sessionAffinity":"None","clusterIP":"10.0.0.10","clusterIPs":["10.0.0.10"],"ipFamilies":["IPv4"],
             "ipFamilyPolicy":"SingleStack","internalTrafficPolicy":"Cluster"}
            """, svc["spec"]);
        JsonAssert.Equal("""{"loadBalancer":{}}""", svc["status"]);
    }

    [Fact]
    public void Headless_services_keep_none_and_node_ports_are_allocated_per_port()
    {
        var headless = Defaulted("""{"spec":{"clusterIP":"None","ports":[{"port":80}]}}""", "v1", "Service");
        var nodePort = Defaulted("""{"spec":{"type":"NodePort","ports":[{"port":80},{"port":81,"nodePort":31000}]}}""", "v1", "Service");
        var external = Defaulted("""{"spec":{"type":"ExternalName","externalName":"example.com"}}""", "v1", "Service");

        Assert.Equal("None", (string?)headless["spec"]!["clusterIP"]);
        JsonAssert.Equal("""["None"]""", headless["spec"]!["clusterIPs"]);
        Assert.Equal([30000, 31000], nodePort["spec"]!["ports"]!.AsArray().Select(p => (int)p!["nodePort"]!));
        Assert.Equal("Cluster", (string?)nodePort["spec"]!["externalTrafficPolicy"]);
        Assert.Null(external["spec"]!["clusterIP"]);
    }

    [Fact]
    public void Updates_keep_the_allocated_ip_and_node_ports()
    {
        var stored = Defaulted("""{"spec":{"type":"NodePort","ports":[{"port":80}]}}""", "v1", "Service");
        var update = JsonAssert.Obj("""{"spec":{"type":"NodePort","ports":[{"port":80,"protocol":"TCP"}]}}""");

        _admission.PreserveAllocated(stored, update, new GroupVersionKind("", "v1", "Service"));
        _admission.Default(update, new GroupVersionKind("", "v1", "Service"), _alloc);

        Assert.Equal("10.0.0.10", (string?)update["spec"]!["clusterIP"]);
        Assert.Equal(30000, (int?)update["spec"]!["ports"]![0]!["nodePort"]);
    }

    [Fact]
    public void Secret_is_opaque_and_string_data_is_folded_into_data()
    {
        var secret = Defaulted("""{"data":{"a":"YQ=="},"stringData":{"b":"bee","a":"override"}}""", "v1", "Secret");

        JsonAssert.Equal("""{"data":{"a":"b3ZlcnJpZGU=","b":"YmVl"},"type":"Opaque"}""", secret);
    }

    [Fact]
    public void Namespace_gets_finalizer_phase_and_name_label()
    {
        var ns = Defaulted("""{"metadata":{"name":"apps","labels":{"kubernetes.io/metadata.name":"spoofed"}}}""", "v1", "Namespace");

        JsonAssert.Equal("""
            {"metadata":{"name":"apps","labels":{"kubernetes.io/metadata.name":"apps"}},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}
            """, ns);
    }

    [Fact]
    public void Stateful_set_and_daemon_set_defaults()
    {
        var sts = Defaulted("""{"spec":{"volumeClaimTemplates":[{"metadata":{"name":"d"},"spec":{"resources":{"requests":{"storage":"1024Mi"}}}}]}}""", "apps/v1", "StatefulSet");
        var ds = Defaulted("""{"spec":{}}""", "apps/v1", "DaemonSet");

        JsonAssert.Equal("""
            {"volumeClaimTemplates":[{"metadata":{"name":"d"},"spec":{"resources":{"requests":{"storage":"1Gi"}},"volumeMode":"Filesystem"},"status":{"phase":"Pending"}}],
             "replicas":1,"podManagementPolicy":"OrderedReady","revisionHistoryLimit":10,
             "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0}},
             "persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Retain","whenScaled":"Retain"}}
            """, sts["spec"]);
        JsonAssert.Equal("""{"revisionHistoryLimit":10,"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}}}""", ds["spec"]);
    }

    [Fact]
    public void Job_defaults_and_generated_selector_once_it_has_a_uid()
    {
        const string Job = """{"metadata":{"name":"migrate"UID},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"m","image":"x:1"}]}}}}""";
        var withoutUid = Defaulted(Job.Replace("UID", "", StringComparison.Ordinal), "batch/v1", "Job");
        var withUid = Defaulted(Job.Replace("UID", ""","uid":"u-1" """, StringComparison.Ordinal), "batch/v1", "Job");

        Assert.Null(withoutUid["spec"]!["selector"]);
        var spec = withUid["spec"]!;
        Assert.Equal((1, 1, 6, "NonIndexed", false, "TerminatingOrFailed"),
            ((int)spec["parallelism"]!, (int)spec["completions"]!, (int)spec["backoffLimit"]!, (string?)spec["completionMode"], (bool)spec["suspend"]!, (string?)spec["podReplacementPolicy"]));
        JsonAssert.Equal("""{"matchLabels":{"batch.kubernetes.io/controller-uid":"u-1"}}""", spec["selector"]);
        JsonAssert.Equal(
            """{"controller-uid":"u-1","batch.kubernetes.io/controller-uid":"u-1","job-name":"migrate","batch.kubernetes.io/job-name":"migrate"}""",
            spec["template"]!["metadata"]!["labels"]);
    }

    [Fact]
    public void Cron_job_defaults_reach_its_pod_template()
    {
        var cj = Defaulted("""{"spec":{"schedule":"* * * * *","jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"x"}]}}}}}}""", "batch/v1", "CronJob");

        var spec = cj["spec"]!;
        Assert.Equal(("Allow", false, 3, 1), ((string?)spec["concurrencyPolicy"], (bool)spec["suspend"]!, (int)spec["successfulJobsHistoryLimit"]!, (int)spec["failedJobsHistoryLimit"]!));
        Assert.Equal("Always", (string?)spec["jobTemplate"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"]);
    }

    [Fact]
    public void Claims_are_filesystem_and_pending()
    {
        var pvc = Defaulted("""{"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"0.5Gi"}}}}""", "v1", "PersistentVolumeClaim");

        JsonAssert.Equal("""{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"512Mi"}},"volumeMode":"Filesystem"}""", pvc["spec"]);
        Assert.Equal("Pending", (string?)pvc["status"]!["phase"]);
    }

    [Fact]
    public void Binding_subjects_get_their_api_group()
    {
        var rb = Defaulted("""{"subjects":[{"kind":"ServiceAccount","name":"a"},{"kind":"User","name":"b"},{"kind":"Group","name":"c"}]}""",
            "rbac.authorization.k8s.io/v1", "RoleBinding");

        Assert.Equal(["", "rbac.authorization.k8s.io", "rbac.authorization.k8s.io"], rb["subjects"]!.AsArray().Select(s => (string?)s!["apiGroup"]));
    }

    [Fact]
    public void Custom_resources_are_not_touched()
    {
        var cr = Defaulted("""{"spec":{"replicas":null}}""", "stable.example.com/v1", "Widget");

        JsonAssert.Equal("""{"spec":{"replicas":null}}""", cr);
    }
}
