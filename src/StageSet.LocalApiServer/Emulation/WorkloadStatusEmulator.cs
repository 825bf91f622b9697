using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.LocalApiServer.Semantics;
using StageSet.LocalApiServer.Storage;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Emulation;

/// <summary>
/// Stands in for workload controllers, scheduler and kubelet (opt-in <c>WorkloadStatus</c>, api-server.md §9.2):
/// after a delay, writes the status a healthy cluster would reach, so kstatus sees the object Current.
/// </summary>
internal sealed class WorkloadStatusEmulator(ServerCore core)
{
    private static readonly HashSet<string> Kinds =
        ["deployments.apps", "statefulsets.apps", "daemonsets.apps", "replicasets.apps", "jobs.batch", "pods"];

    public Task RunAsync(CancellationToken token) => StoreEventLoop.RunAsync(core.Store, async (batch, t) =>
    {
        var due = batch.Where(e => e.Type != WatchEventType.Deleted && Kinds.Contains(e.StorageKey))
            .Select(e => (e.StorageKey, e.Object.Namespace, e.Object.Name)).Distinct().ToList();
        if (due.Count == 0)
        {
            return;
        }

        await Task.Delay(core.Options.WorkloadStatusDelay, core.Clock, t);
        foreach (var (storage, ns, name) in due)
        {
            var rt = core.Registry.Current.ForStorage(storage).First();
            StoreEventLoop.TryWrite(() => core.Writer.Update(rt, ns, name, "status", core.SystemContext(Manager(rt)), live =>
            {
                if (!ObjectSemantics.IsDeleting(live))
                {
                    live["status"] = Status(rt, live, live["status"] as JsonObject ?? new JsonObject());
                }

                return live;
            }));
        }
    }, token);

    private static string Manager(ResourceType rt) => rt.Kind switch
    {
        "Pod" => "kubelet",
        "Job" => "job-controller",
        _ => rt.Kind.ToLowerInvariant() + "-controller",
    };

    private JsonObject Status(ResourceType rt, JsonObject obj, JsonObject current)
    {
        var generation = ObjectSemantics.Generation(obj);
        var replicas = obj["spec"]?["replicas"] is JsonValue r && r.TryGetValue<long>(out var n) ? n : 1;
        var now = ObjectSemantics.Timestamp(core.Clock.GetUtcNow());
        var name = KubeObject.Name(obj);
        switch (rt.Kind)
        {
            case "Deployment":
                return new JsonObject
                {
                    ["observedGeneration"] = generation,
                    ["replicas"] = replicas,
                    ["updatedReplicas"] = replicas,
                    ["readyReplicas"] = replicas,
                    ["availableReplicas"] = replicas,
                    ["conditions"] = new JsonArray(
                        Condition(current, "Available", "MinimumReplicasAvailable", "Deployment has minimum availability.", now, withUpdate: true),
                        Condition(current, "Progressing", "NewReplicaSetAvailable", $"ReplicaSet \"{name}-5d8f7c9b6\" has successfully progressed.", now, withUpdate: true)),
                };
            case "StatefulSet":
                return new JsonObject
                {
                    ["observedGeneration"] = generation,
                    ["replicas"] = replicas,
                    ["readyReplicas"] = replicas,
                    ["currentReplicas"] = replicas,
                    ["updatedReplicas"] = replicas,
                    ["availableReplicas"] = replicas,
                    ["currentRevision"] = name + "-7b9d5c6f8",
                    ["updateRevision"] = name + "-7b9d5c6f8",
                    ["collisionCount"] = 0,
                };
            case "DaemonSet":
                return new JsonObject
                {
                    ["observedGeneration"] = generation,
                    ["currentNumberScheduled"] = 1,
                    ["numberMisscheduled"] = 0,
                    ["desiredNumberScheduled"] = 1,
                    ["numberReady"] = 1,
                    ["updatedNumberScheduled"] = 1,
                    ["numberAvailable"] = 1,
                };
            case "ReplicaSet":
                return new JsonObject
                {
                    ["observedGeneration"] = generation,
                    ["replicas"] = replicas,
                    ["fullyLabeledReplicas"] = replicas,
                    ["readyReplicas"] = replicas,
                    ["availableReplicas"] = replicas,
                };
            case "Job":
                var completions = obj["spec"]?["completions"] is JsonValue c && c.TryGetValue<long>(out var cn) ? cn : 1;
                return new JsonObject
                {
                    ["conditions"] = new JsonArray(
                        Condition(current, "SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now, withUpdate: false),
                        Condition(current, "Complete", "CompletionsReached", "Reached expected number of succeeded pods", now, withUpdate: false)),
                    ["startTime"] = current["startTime"]?.DeepClone() ?? now,
                    ["completionTime"] = current["completionTime"]?.DeepClone() ?? now,
                    ["succeeded"] = completions,
                    ["terminating"] = 0,
                    ["uncountedTerminatedPods"] = new JsonObject(),
                    ["ready"] = 0,
                };
            default:
                var containers = obj["spec"]?["containers"] as JsonArray ?? [];
                return new JsonObject
                {
                    ["phase"] = "Running",
                    ["conditions"] = new JsonArray(
                        Condition(current, "Initialized", "", "", now, withUpdate: false),
                        Condition(current, "Ready", "", "", now, withUpdate: false),
                        Condition(current, "ContainersReady", "", "", now, withUpdate: false),
                        Condition(current, "PodScheduled", "", "", now, withUpdate: false)),
                    ["hostIP"] = "10.0.0.10",
                    ["podIP"] = "10.244.0.10",
                    ["startTime"] = current["startTime"]?.DeepClone() ?? now,
                    ["containerStatuses"] = new JsonArray(containers.OfType<JsonObject>().Select(ct => (JsonNode?)new JsonObject
                    {
                        ["name"] = ct["name"]?.DeepClone(),
                        ["ready"] = true,
                        ["restartCount"] = 0,
                        ["started"] = true,
                        ["image"] = ct["image"]?.DeepClone(),
                        ["imageID"] = "",
                        ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
                    }).ToArray()),
                    ["qosClass"] = current["qosClass"]?.DeepClone() ?? "BestEffort",
                };
        }
    }

    /// <summary>A True condition that keeps its earlier transition time, so rewriting the same status is a no-op.</summary>
    private static JsonObject Condition(JsonObject current, string type, string reason, string message, string now, bool withUpdate)
    {
        var previous = (current["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => (string?)c["type"] == type && (string?)c["status"] == "True");
        var since = previous?["lastTransitionTime"]?.DeepClone() ?? now;
        var condition = new JsonObject { ["type"] = type, ["status"] = "True" };
        if (withUpdate)
        {
            condition["lastUpdateTime"] = previous?["lastUpdateTime"]?.DeepClone() ?? now;
        }

        condition["lastTransitionTime"] = since;
        if (reason.Length > 0)
        {
            condition["reason"] = reason;
            condition["message"] = message;
        }

        return condition;
    }
}
