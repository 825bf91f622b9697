using System.Globalization;
using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Semantics;

/// <summary>
/// The per-kind rules the registry strategies of kube-apiserver apply around every write: system metadata, status
/// isolation, generation bumps (api-server.md §3.1–§3.4).
/// </summary>
internal static class ObjectSemantics
{
    /// <summary>Metadata fields only the server sets; clients' values are ignored on update.</summary>
    private static readonly string[] SystemMetadata = ["uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds"];

    public static string Timestamp(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Create: fresh uid and timestamp, generation per kind, status reset when it is a subresource.</summary>
    public static void PrepareForCreate(ResourceType rt, JsonObject obj, DateTimeOffset now)
    {
        var meta = KubeObject.EnsureMetadata(obj);
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Timestamp(now);
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("selfLink");
        if (rt.Generation == GenerationRule.None)
        {
            meta.Remove("generation");
        }
        else
        {
            meta["generation"] = 1;
        }

        if (rt.HasStatus)
        {
            obj.Remove("status");
        }

        InitialStatus(rt, obj);
        NamespaceDefaults(rt, obj);
    }

    /// <summary>Namespace defaulting: the <c>kubernetes</c> finalizer and the immutable name label (on every write).</summary>
    private static void NamespaceDefaults(ResourceType rt, JsonObject obj)
    {
        if (rt.IsCustom || rt.Group.Length != 0 || rt.Kind != "Namespace")
        {
            return;
        }

        KubeObject.SetLabel(obj, "kubernetes.io/metadata.name", KubeObject.Name(obj));
        if (obj["spec"] is not JsonObject spec)
        {
            spec = new JsonObject();
            obj["spec"] = spec;
        }

        if (spec["finalizers"] is null && !ObjectSemantics.IsDeleting(obj))
        {
            spec["finalizers"] = new JsonArray("kubernetes");
        }
    }

    /// <summary>Status a built-in kind starts with, as its strategy's PrepareForCreate sets it.</summary>
    private static void InitialStatus(ResourceType rt, JsonObject obj)
    {
        if (rt.IsCustom)
        {
            return;
        }

        switch (rt.Group, rt.Kind)
        {
            case ("", "Namespace"):
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case ("", "Pod"):
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case ("", "PersistentVolumeClaim"):
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case ("", "PersistentVolume"):
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case ("apiextensions.k8s.io", "CustomResourceDefinition"):
                obj["status"] = new JsonObject
                {
                    ["acceptedNames"] = new JsonObject { ["plural"] = "", ["kind"] = "" },
                    ["storedVersions"] = new JsonArray(Crds.CrdDefinition.Read(obj).StorageVersion),
                };
                break;
            case ("", "Service"):
                obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                break;
            case ("apps", "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet"):
            case ("batch", "Job" or "CronJob"):
            case ("networking.k8s.io", "Ingress"):
            case ("policy", "PodDisruptionBudget"):
            case ("autoscaling", "HorizontalPodAutoscaler"):
                obj["status"] = StatusZero(rt);
                break;
        }
    }

    private static JsonObject StatusZero(ResourceType rt) => (rt.Group, rt.Kind) switch
    {
        ("apps", "StatefulSet") => new JsonObject { ["replicas"] = 0, ["availableReplicas"] = 0 },
        ("apps", "DaemonSet") => new JsonObject
        {
            ["currentNumberScheduled"] = 0,
            ["numberMisscheduled"] = 0,
            ["desiredNumberScheduled"] = 0,
            ["numberReady"] = 0,
        },
        ("apps", "ReplicaSet") => new JsonObject { ["replicas"] = 0 },
        ("networking.k8s.io", "Ingress") => new JsonObject { ["loadBalancer"] = new JsonObject() },
        ("policy", "PodDisruptionBudget") => new JsonObject
        {
            ["disruptionsAllowed"] = 0,
            ["currentHealthy"] = 0,
            ["desiredHealthy"] = 0,
            ["expectedPods"] = 0,
        },
        ("autoscaling", "HorizontalPodAutoscaler") => new JsonObject { ["desiredReplicas"] = 0 },
        _ => new JsonObject(),
    };

    /// <summary>
    /// Update of the main resource or a subresource: keeps system metadata from <paramref name="live"/>, isolates
    /// status, and bumps generation per kind.
    /// </summary>
    public static void PrepareForUpdate(ResourceType rt, JsonObject updated, JsonObject live, string subresource)
    {
        if (subresource == "status")
        {
            // Everything but status comes from the stored object; metadata edits on /status are dropped silently.
            var status = updated["status"]?.DeepClone();
            var managed = KubeObject.Metadata(updated)?["managedFields"]?.DeepClone();
            var rv = KubeObject.Metadata(updated)?["resourceVersion"]?.DeepClone();
            foreach (var key in updated.Select(p => p.Key).ToList())
            {
                updated.Remove(key);
            }

            foreach (var (key, value) in live)
            {
                updated[key] = value?.DeepClone();
            }

            if (status is null)
            {
                updated.Remove("status");
            }
            else
            {
                updated["status"] = status;
            }

            var meta = KubeObject.EnsureMetadata(updated);
            if (managed is not null)
            {
                meta["managedFields"] = managed;
            }

            meta["resourceVersion"] = rv;
            return;
        }

        var liveMeta = KubeObject.EnsureMetadata(live);
        var newMeta = KubeObject.EnsureMetadata(updated);
        foreach (var key in SystemMetadata)
        {
            if (liveMeta[key] is { } value)
            {
                newMeta[key] = value.DeepClone();
            }
            else
            {
                newMeta.Remove(key);
            }
        }

        if (rt.HasStatus)
        {
            if (live["status"] is { } liveStatus)
            {
                updated["status"] = liveStatus.DeepClone();
            }
            else
            {
                updated.Remove("status");
            }
        }

        NamespaceDefaults(rt, updated);
        if (GenerationChanged(rt, live, updated))
        {
            newMeta["generation"] = Generation(live) + 1;
        }
    }

    public static long Generation(JsonObject obj) =>
        KubeObject.Metadata(obj)?["generation"] is JsonValue v && v.TryGetValue<long>(out var g) ? g : 0;

    private static bool GenerationChanged(ResourceType rt, JsonObject oldObj, JsonObject newObj) => rt.Generation switch
    {
        GenerationRule.Spec => !JsonNode.DeepEquals(oldObj["spec"], newObj["spec"]),
        GenerationRule.SpecOrAnnotations => !JsonNode.DeepEquals(oldObj["spec"], newObj["spec"])
            || !JsonNode.DeepEquals(KubeObject.Metadata(oldObj)?["annotations"], KubeObject.Metadata(newObj)?["annotations"]),
        GenerationRule.Webhooks => !JsonNode.DeepEquals(oldObj["webhooks"], newObj["webhooks"]),
        GenerationRule.AllButMetadata => !JsonNode.DeepEquals(Content(rt, oldObj), Content(rt, newObj)),
        _ => false,
    };

    private static JsonObject Content(ResourceType rt, JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key is "metadata" or "apiVersion" or "kind" || (key == "status" && rt.HasStatus))
            {
                continue;
            }

            copy[key] = value?.DeepClone();
        }

        return copy;
    }

    /// <summary>Marks an object as being deleted (finalizers pending): deletionTimestamp, grace 0, generation +1 if set.</summary>
    public static void MarkDeleting(JsonObject obj, DateTimeOffset now)
    {
        var meta = KubeObject.EnsureMetadata(obj);
        meta["deletionTimestamp"] = Timestamp(now);
        meta["deletionGracePeriodSeconds"] = 0;
        var generation = Generation(obj);
        if (generation > 0)
        {
            meta["generation"] = generation + 1;
        }
    }

    public static bool IsDeleting(JsonObject obj) => KubeObject.Metadata(obj)?["deletionTimestamp"] is not null;

    public static List<string> Finalizers(JsonObject obj) =>
        KubeObject.Metadata(obj)?["finalizers"] is JsonArray a
            ? a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").Where(s => s.Length > 0).ToList()
            : [];

    public static void SetFinalizers(JsonObject obj, IReadOnlyList<string> finalizers)
    {
        var meta = KubeObject.EnsureMetadata(obj);
        if (finalizers.Count == 0)
        {
            meta.Remove("finalizers");
        }
        else
        {
            meta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
        }
    }
}
