using System.Text;
using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Admission;

/// <summary>
/// kube-apiserver's defaulting of the built-in kinds the server serves (api-server.md §9.1): what Go's
/// <c>SetDefaults_*</c> functions and create strategies fill in, applied in place to decoded bodies and apply results.
/// </summary>
internal static class BuiltinDefaults
{
    public static void Apply(JsonObject obj, GroupKind kind, IAllocationContext ctx)
    {
        var spec = obj["spec"] as JsonObject;
        switch (kind.Group, kind.Kind)
        {
            case ("", "Pod"):
                Pod(obj);
                break;
            case ("", "Service"):
                Service(obj, ctx);
                break;
            case ("", "Secret"):
                Secret(obj);
                break;
            case ("", "PersistentVolumeClaim"):
                if (spec is not null)
                {
                    Json.Default(spec, "volumeMode", "Filesystem");
                    CanonicalizeResources(spec);
                }

                PendingPhase(obj);
                break;
            case ("", "PersistentVolume"):
                if (spec is not null)
                {
                    Json.Default(spec, "persistentVolumeReclaimPolicy", "Retain");
                    Json.Default(spec, "volumeMode", "Filesystem");
                    if (spec["capacity"] is JsonObject capacity)
                    {
                        PodDefaults.CanonicalizeQuantities(capacity);
                    }
                }

                PendingPhase(obj);
                break;
            case ("", "Namespace"):
                Namespace(obj);
                break;
            case ("apps", "Deployment"):
                Deployment(spec);
                break;
            case ("apps", "StatefulSet"):
                StatefulSet(spec);
                break;
            case ("apps", "DaemonSet"):
                DaemonSet(spec);
                break;
            case ("apps", "ReplicaSet"):
                if (spec is not null)
                {
                    Json.Default(spec, "replicas", 1);
                    PodDefaults.Template(spec["template"] as JsonObject);
                }

                break;
            case ("batch", "Job"):
                Job(obj);
                break;
            case ("batch", "CronJob"):
                CronJob(spec);
                break;
            case ("rbac.authorization.k8s.io", "RoleBinding" or "ClusterRoleBinding"):
                foreach (var subject in Json.Items(obj["subjects"]))
                {
                    if (subject["apiGroup"] is null)
                    {
                        subject["apiGroup"] = Json.Str(subject["kind"]) == "ServiceAccount" ? "" : "rbac.authorization.k8s.io";
                    }
                }

                break;
            case ("networking.k8s.io", "NetworkPolicy"):
                NetworkPolicy(spec);
                break;
            case ("storage.k8s.io", "StorageClass"):
                Json.Default(obj, "reclaimPolicy", "Delete");
                Json.Default(obj, "volumeBindingMode", "Immediate");
                break;
            case ("apiextensions.k8s.io", "CustomResourceDefinition"):
                if (spec is not null)
                {
                    Json.Default(spec, "conversion", new JsonObject { ["strategy"] = "None" });
                }

                break;
            case ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"):
                Webhooks(obj);
                break;
        }
    }

    private static void Pod(JsonObject pod)
    {
        if (pod["spec"] is JsonObject spec)
        {
            PodDefaults.Spec(spec, isPod: true);
        }

        if (Json.Ensure(pod, "status") is { } status)
        {
            Json.Default(status, "phase", "Pending");
            if (pod["spec"] is JsonObject podSpec)
            {
                Json.Default(status, "qosClass", PodDefaults.QosClass(podSpec));
            }
        }
    }

    private static void Service(JsonObject svc, IAllocationContext ctx)
    {
        if (svc["spec"] is not JsonObject spec)
        {
            return;
        }

        Json.Default(spec, "type", "ClusterIP");
        Json.Default(spec, "sessionAffinity", "None");
        var type = Json.Str(spec["type"]);
        foreach (var port in Json.Items(spec["ports"]))
        {
            Json.Default(port, "protocol", "TCP");
            if (port["targetPort"] is null && port["port"] is { } number)
            {
                port["targetPort"] = number.DeepClone();
            }

            if (type is "NodePort" or "LoadBalancer" && port["nodePort"] is null)
            {
                port["nodePort"] = ctx.AllocateNodePort();
            }
        }

        if (type == "ExternalName")
        {
            return;
        }

        if (Json.Str(spec["clusterIP"]).Length == 0)
        {
            spec["clusterIP"] = spec["clusterIPs"] is JsonArray { Count: > 0 } ips ? ips[0]?.DeepClone() : ctx.AllocateClusterIp();
        }

        Json.Default(spec, "clusterIPs", new JsonArray(spec["clusterIP"]!.DeepClone()));
        Json.Default(spec, "ipFamilies", new JsonArray("IPv4"));
        Json.Default(spec, "ipFamilyPolicy", "SingleStack");
        Json.Default(spec, "internalTrafficPolicy", "Cluster");
        if (type is "NodePort" or "LoadBalancer")
        {
            Json.Default(spec, "externalTrafficPolicy", "Cluster");
        }

        if (type == "LoadBalancer")
        {
            Json.Default(spec, "allocateLoadBalancerNodePorts", true);
        }

        if (Json.Ensure(svc, "status") is { } status)
        {
            Json.Default(status, "loadBalancer", new JsonObject());
        }
    }

    /// <summary><c>type: Opaque</c>, and <c>stringData</c> folded into <c>data</c> (as the Secret strategy does).</summary>
    private static void Secret(JsonObject secret)
    {
        Json.Default(secret, "type", "Opaque");
        if (secret["stringData"] is JsonObject stringData)
        {
            var data = Json.Ensure(secret, "data");
            foreach (var (key, value) in stringData)
            {
                if (data is not null)
                {
                    data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Json.Str(value)));
                }
            }

            secret.Remove("stringData");
        }
    }

    private static void Namespace(JsonObject ns)
    {
        if (Json.Ensure(ns, "spec") is { } spec)
        {
            Json.Default(spec, "finalizers", new JsonArray("kubernetes"));
        }

        if (Json.Ensure(ns, "status") is { } status)
        {
            Json.Default(status, "phase", "Active");
        }

        var name = KubeObject.Name(ns);
        if (name.Length > 0)
        {
            KubeObject.SetLabel(ns, "kubernetes.io/metadata.name", name);
        }
    }

    private static void Deployment(JsonObject? spec)
    {
        if (spec is null)
        {
            return;
        }

        Json.Default(spec, "replicas", 1);
        Json.Default(spec, "revisionHistoryLimit", 10);
        Json.Default(spec, "progressDeadlineSeconds", 600);
        if (Json.Ensure(spec, "strategy") is { } strategy)
        {
            Json.Default(strategy, "type", "RollingUpdate");
            if (Json.IsString(strategy["type"], "RollingUpdate") && Json.Ensure(strategy, "rollingUpdate") is { } rolling)
            {
                Json.Default(rolling, "maxUnavailable", "25%");
                Json.Default(rolling, "maxSurge", "25%");
            }
        }

        PodDefaults.Template(spec["template"] as JsonObject);
    }

    private static void StatefulSet(JsonObject? spec)
    {
        if (spec is null)
        {
            return;
        }

        Json.Default(spec, "replicas", 1);
        Json.Default(spec, "podManagementPolicy", "OrderedReady");
        Json.Default(spec, "revisionHistoryLimit", 10);
        if (Json.Ensure(spec, "updateStrategy") is { } strategy)
        {
            Json.Default(strategy, "type", "RollingUpdate");
            if (Json.IsString(strategy["type"], "RollingUpdate") && Json.Ensure(strategy, "rollingUpdate") is { } rolling)
            {
                Json.Default(rolling, "partition", 0);
            }
        }

        if (Json.Ensure(spec, "persistentVolumeClaimRetentionPolicy") is { } retention)
        {
            Json.Default(retention, "whenDeleted", "Retain");
            Json.Default(retention, "whenScaled", "Retain");
        }

        foreach (var claim in Json.Items(spec["volumeClaimTemplates"]))
        {
            if (claim["spec"] is JsonObject claimSpec)
            {
                Json.Default(claimSpec, "volumeMode", "Filesystem");
                CanonicalizeResources(claimSpec);
            }

            PendingPhase(claim);
        }

        PodDefaults.Template(spec["template"] as JsonObject);
    }

    private static void DaemonSet(JsonObject? spec)
    {
        if (spec is null)
        {
            return;
        }

        Json.Default(spec, "revisionHistoryLimit", 10);
        if (Json.Ensure(spec, "updateStrategy") is { } strategy)
        {
            Json.Default(strategy, "type", "RollingUpdate");
            if (Json.IsString(strategy["type"], "RollingUpdate") && Json.Ensure(strategy, "rollingUpdate") is { } rolling)
            {
                Json.Default(rolling, "maxUnavailable", 1);
                Json.Default(rolling, "maxSurge", 0);
            }
        }

        PodDefaults.Template(spec["template"] as JsonObject);
    }

    /// <summary>
    /// Job defaults, and the generated selector and labels of the Job create strategy, which need the Job's
    /// <c>metadata.uid</c> (skipped until the server has assigned one).
    /// </summary>
    private static void Job(JsonObject job)
    {
        if (job["spec"] is not JsonObject spec)
        {
            return;
        }

        if (spec["completions"] is null && spec["parallelism"] is null)
        {
            spec["completions"] = 1;
        }

        Json.Default(spec, "parallelism", 1);
        Json.Default(spec, "completionMode", "NonIndexed");
        Json.Default(spec, "backoffLimit", spec["backoffLimitPerIndex"] is null ? 6 : int.MaxValue);

        Json.Default(spec, "suspend", false);
        Json.Default(spec, "podReplacementPolicy", spec["podFailurePolicy"] is null ? "TerminatingOrFailed" : "Failed");
        PodDefaults.Template(spec["template"] as JsonObject);

        var uid = Json.Str(KubeObject.Metadata(job)?["uid"]);
        var manual = spec["manualSelector"] is JsonValue m && m.TryGetValue<bool>(out var b) && b;
        if (uid.Length == 0 || manual || spec["selector"] is not null)
        {
            return;
        }

        spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = uid } };
        if (Json.Ensure(spec, "template") is { } template && Json.Ensure(template, "metadata") is { } meta && Json.Ensure(meta, "labels") is { } labels)
        {
            var name = KubeObject.Name(job);
            labels["controller-uid"] = uid;
            labels["batch.kubernetes.io/controller-uid"] = uid;
            labels["job-name"] = name;
            labels["batch.kubernetes.io/job-name"] = name;
        }
    }

    private static void CronJob(JsonObject? spec)
    {
        if (spec is null)
        {
            return;
        }

        Json.Default(spec, "concurrencyPolicy", "Allow");
        Json.Default(spec, "suspend", false);
        Json.Default(spec, "successfulJobsHistoryLimit", 3);
        Json.Default(spec, "failedJobsHistoryLimit", 1);
        PodDefaults.Template(spec["jobTemplate"]?["spec"]?["template"] as JsonObject);
    }

    private static void NetworkPolicy(JsonObject? spec)
    {
        if (spec is null)
        {
            return;
        }

        if (spec["policyTypes"] is null)
        {
            var types = new JsonArray("Ingress");
            if (spec["egress"] is JsonArray { Count: > 0 })
            {
                types.Add("Egress");
            }

            spec["policyTypes"] = types;
        }

        foreach (var rule in Json.Items(spec["ingress"]).Concat(Json.Items(spec["egress"])))
        {
            foreach (var port in Json.Items(rule["ports"]))
            {
                Json.Default(port, "protocol", "TCP");
            }
        }
    }

    private static void Webhooks(JsonObject config)
    {
        foreach (var webhook in Json.Items(config["webhooks"]))
        {
            Json.Default(webhook, "failurePolicy", "Fail");
            Json.Default(webhook, "matchPolicy", "Equivalent");
            Json.Default(webhook, "namespaceSelector", new JsonObject());
            Json.Default(webhook, "objectSelector", new JsonObject());
            Json.Default(webhook, "timeoutSeconds", 10);
            foreach (var rule in Json.Items(webhook["rules"]))
            {
                Json.Default(rule, "scope", "*");
            }

            if (webhook["clientConfig"]?["service"] is JsonObject service)
            {
                Json.Default(service, "port", 443);
            }
        }
    }

    private static void CanonicalizeResources(JsonObject claimSpec)
    {
        foreach (var key in (string[])["requests", "limits"])
        {
            if (claimSpec["resources"]?[key] is JsonObject quantities)
            {
                PodDefaults.CanonicalizeQuantities(quantities);
            }
        }
    }

    private static void PendingPhase(JsonObject obj)
    {
        if (Json.Ensure(obj, "status") is { } status)
        {
            Json.Default(status, "phase", "Pending");
        }
    }
}
