using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.Admission;

/// <summary>Defaults of pod specs (Pods and every pod template) and their containers and volumes (§9.1).</summary>
internal static class PodDefaults
{
    private static readonly string[] ContainerLists = ["initContainers", "containers"];
    private static readonly string[] ProbeNames = ["livenessProbe", "readinessProbe", "startupProbe"];
    private static readonly string[] ModeVolumes = ["configMap", "secret", "projected", "downwardAPI"];

    /// <summary>Defaults <c>template.spec</c> of a pod template (templates get no status and no request copying).</summary>
    public static void Template(JsonObject? template)
    {
        if (template is not null && Json.Ensure(template, "spec") is { } spec)
        {
            Spec(spec, isPod: false);
        }
    }

    public static void Spec(JsonObject spec, bool isPod)
    {
        Json.Default(spec, "restartPolicy", "Always");
        Json.Default(spec, "terminationGracePeriodSeconds", 30);
        Json.Default(spec, "dnsPolicy", "ClusterFirst");
        Json.Default(spec, "schedulerName", "default-scheduler");
        Json.Default(spec, "securityContext", new JsonObject());
        foreach (var list in ContainerLists)
        {
            foreach (var container in Json.Items(spec[list]))
            {
                Container(container, isPod);
            }
        }

        foreach (var volume in Json.Items(spec["volumes"]))
        {
            foreach (var kind in ModeVolumes)
            {
                if (volume[kind] is JsonObject source)
                {
                    Json.Default(source, "defaultMode", 420);
                }
            }
        }

        if (spec["overhead"] is JsonObject overhead)
        {
            CanonicalizeQuantities(overhead);
        }
    }

    private static void Container(JsonObject container, bool isPod)
    {
        Json.Default(container, "terminationMessagePath", "/dev/termination-log");
        Json.Default(container, "terminationMessagePolicy", "File");
        Json.Default(container, "imagePullPolicy", PullPolicy(Json.Str(container["image"])));
        if (Json.Ensure(container, "resources") is { } resources)
        {
            foreach (var key in (string[])["limits", "requests"])
            {
                if (resources[key] is JsonObject quantities)
                {
                    CanonicalizeQuantities(quantities);
                }
            }

            // Pods (not templates) take missing requests from their limits.
            if (isPod && resources["limits"] is JsonObject { Count: > 0 } limits)
            {
                var requests = Json.Ensure(resources, "requests");
                foreach (var (name, value) in limits)
                {
                    if (requests is not null && !requests.ContainsKey(name))
                    {
                        requests[name] = value?.DeepClone();
                    }
                }
            }
        }

        foreach (var port in Json.Items(container["ports"]))
        {
            Json.Default(port, "protocol", "TCP");
        }

        foreach (var env in Json.Items(container["env"]))
        {
            if (env["valueFrom"]?["fieldRef"] is JsonObject fieldRef)
            {
                Json.Default(fieldRef, "apiVersion", "v1");
            }
        }

        foreach (var name in ProbeNames)
        {
            if (container[name] is JsonObject probe)
            {
                Json.Default(probe, "timeoutSeconds", 1);
                Json.Default(probe, "periodSeconds", 10);
                Json.Default(probe, "successThreshold", 1);
                Json.Default(probe, "failureThreshold", 3);
                if (probe["httpGet"] is JsonObject httpGet)
                {
                    Json.Default(httpGet, "scheme", "HTTP");
                }
            }
        }
    }

    /// <summary><c>Always</c> for <c>:latest</c> or untagged images, else <c>IfNotPresent</c> (digests count as tags).</summary>
    public static string PullPolicy(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return "IfNotPresent";
        }

        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastSegment.LastIndexOf(':');
        return colon < 0 || lastSegment[(colon + 1)..] == "latest" ? "Always" : "IfNotPresent";
    }

    public static void CanonicalizeQuantities(JsonObject quantities)
    {
        foreach (var (name, value) in quantities.ToList())
        {
            if (Quantity.Canonical(value) is { } canonical)
            {
                quantities[name] = canonical;
            }
        }
    }

    /// <summary>A Pod's QoS class from its containers' cpu and memory requests and limits.</summary>
    public static string QosClass(JsonObject spec)
    {
        var containers = ContainerLists.SelectMany(l => Json.Items(spec[l])).ToList();
        var anySet = false;
        var guaranteed = containers.Count > 0;
        foreach (var container in containers)
        {
            var requests = container["resources"]?["requests"] as JsonObject;
            var limits = container["resources"]?["limits"] as JsonObject;
            foreach (var resource in (string[])["cpu", "memory"])
            {
                var request = Quantity.Canonical(requests?[resource]);
                var limit = Quantity.Canonical(limits?[resource]);
                anySet |= (request is not null && request != "0") || (limit is not null && limit != "0");
                guaranteed &= limit is not null && (request is null || request == limit);
            }
        }

        return !anySet ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }
}
