using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Engine.Health;

/// <summary>
/// kstatus' rules for built-in kinds that do not follow the standard-condition convention, keyed by GroupKind
/// (the version never matters). Messages and reasons are kstatus' own, so status output reads the same as Flux's.
/// </summary>
internal static class BuiltInKindRules
{
    private delegate StatusResult Rule(JsonObject obj, DateTimeOffset now);

    /// <summary>How long a Pod may stay unschedulable before kstatus calls it Failed.</summary>
    internal static readonly TimeSpan ScheduleWindow = TimeSpan.FromSeconds(15);

    private static readonly FrozenDictionary<GroupKind, Rule> Rules = new Dictionary<GroupKind, Rule>
    {
        [new("", "Service")] = (o, _) => Service(o),
        [new("", "Pod")] = Pod,
        [new("", "Secret")] = (_, _) => AlwaysReady(),
        [new("", "PersistentVolumeClaim")] = (o, _) => Pvc(o),
        [new("apps", "StatefulSet")] = (o, _) => StatefulSet(o),
        [new("apps", "DaemonSet")] = (o, _) => DaemonSet(o),
        [new("extensions", "DaemonSet")] = (o, _) => DaemonSet(o),
        [new("apps", "Deployment")] = (o, _) => Deployment(o),
        [new("extensions", "Deployment")] = (o, _) => Deployment(o),
        [new("apps", "ReplicaSet")] = (o, _) => ReplicaSet(o),
        [new("extensions", "ReplicaSet")] = (o, _) => ReplicaSet(o),
        [new("policy", "PodDisruptionBudget")] = (_, _) => StatusResult.Current("AllowedDisruptions has been computed."),
        [new("batch", "CronJob")] = (_, _) => AlwaysReady(),
        [new("", "ConfigMap")] = (_, _) => AlwaysReady(),
        [new("batch", "Job")] = (o, _) => Job(o),
        [new("apiextensions.k8s.io", "CustomResourceDefinition")] = (o, _) => Crd(o),
    }.ToFrozenDictionary();

    public static bool Covers(GroupKind gk) => Rules.ContainsKey(gk);

    public static StatusResult? Apply(JsonObject obj, DateTimeOffset now) =>
        Rules.TryGetValue(KubeObject.Gvk(obj).GroupKind, out var rule) ? rule(obj, now) : null;

    private static StatusResult AlwaysReady() => StatusResult.Current("Resource is always ready");

    private static StatusResult StatefulSet(JsonObject o)
    {
        if (ObjectFields.Str(o, "spec.updateStrategy.type", "") == "OnDelete")
        {
            return StatusResult.Current("StatefulSet is using the ondelete update strategy");
        }

        var spec = ObjectFields.Int(o, "spec.replicas", 1);
        var ready = ObjectFields.Int(o, "status.readyReplicas", 0);
        var current = ObjectFields.Int(o, "status.currentReplicas", 0);
        var updated = ObjectFields.Int(o, "status.updatedReplicas", 0);
        var replicas = ObjectFields.Int(o, "status.replicas", 0);
        var partition = ObjectFields.Int(o, "spec.updateStrategy.rollingUpdate.partition", -1);

        if (spec > replicas)
        {
            return StatusResult.InProgress("LessReplicas", $"Replicas: {replicas}/{spec}");
        }

        if (spec > ready)
        {
            return StatusResult.InProgress("LessReady", $"Ready: {ready}/{spec}");
        }

        if (replicas > spec)
        {
            return StatusResult.InProgress("ExtraPods", $"Pending termination: {replicas - spec}");
        }

        if (partition != -1)
        {
            return updated < spec - partition
                ? StatusResult.InProgress("PartitionRollout", $"updated: {updated}/{spec - partition}")
                : StatusResult.Current($"Partition rollout complete. updated: {updated}");
        }

        if (spec > current)
        {
            return StatusResult.InProgress("LessCurrent", $"current: {current}/{spec}");
        }

        if (ObjectFields.Str(o, "status.currentRevision", "") != ObjectFields.Str(o, "status.updateRevision", ""))
        {
            return StatusResult.InProgress("RevisionMismatch", "Waiting for updated revision to match current");
        }

        return StatusResult.Current($"All replicas scheduled as expected. Replicas: {replicas}");
    }

    private static StatusResult Deployment(JsonObject o)
    {
        // Without progressDeadlineSeconds the deployment controller never writes Progressing, so it cannot gate.
        var progressing = ObjectFields.Int(o, "spec.progressDeadlineSeconds", int.MaxValue) == int.MaxValue;
        var available = false;

        foreach (var c in ConditionList.Read(o))
        {
            if (c.Type == "Progressing")
            {
                if (c.Reason == "ProgressDeadlineExceeded")
                {
                    return new StatusResult(ObjectStatus.Failed, "Progress deadline exceeded", [StatusCondition.StalledTrue(c.Reason, c.Message)]);
                }

                if (c.Status == "True" && c.Reason == "NewReplicaSetAvailable")
                {
                    progressing = true;
                }
            }
            else if (c.Type == "Available" && c.Status == "True")
            {
                available = true;
            }
        }

        var spec = ObjectFields.Int(o, "spec.replicas", 1);
        var replicas = ObjectFields.Int(o, "status.replicas", 0);
        var updated = ObjectFields.Int(o, "status.updatedReplicas", 0);
        var ready = ObjectFields.Int(o, "status.readyReplicas", 0);
        var availableReplicas = ObjectFields.Int(o, "status.availableReplicas", 0);

        if (spec > replicas)
        {
            return StatusResult.InProgress("LessReplicas", $"Replicas: {replicas}/{spec}");
        }

        if (spec > updated)
        {
            return StatusResult.InProgress("LessUpdated", $"Updated: {updated}/{spec}");
        }

        if (replicas > spec)
        {
            return StatusResult.InProgress("ExtraPods", $"Pending termination: {replicas - spec}");
        }

        if (updated > availableReplicas)
        {
            return StatusResult.InProgress("LessAvailable", $"Available: {availableReplicas}/{updated}");
        }

        if (spec > ready)
        {
            return StatusResult.InProgress("LessReady", $"Ready: {ready}/{spec}");
        }

        if (!progressing)
        {
            return StatusResult.InProgress("ReplicaSetNotAvailable", "ReplicaSet not Available");
        }

        return available
            ? StatusResult.Current($"Deployment is available. Replicas: {replicas}")
            : StatusResult.InProgress("DeploymentNotAvailable", "Deployment not Available");
    }

    private static StatusResult ReplicaSet(JsonObject o)
    {
        if (ConditionList.Find(ConditionList.Read(o), "ReplicaFailure", "True") is not null)
        {
            return StatusResult.InProgress("ReplicaFailure", "Replica Failure condition. Check Pods");
        }

        var spec = ObjectFields.Int(o, "spec.replicas", 1);
        var replicas = ObjectFields.Int(o, "status.replicas", 0);
        var ready = ObjectFields.Int(o, "status.readyReplicas", 0);
        var available = ObjectFields.Int(o, "status.availableReplicas", 0);
        var labelled = ObjectFields.Int(o, "status.fullyLabeledReplicas", 0);

        if (spec > labelled)
        {
            return StatusResult.InProgress("LessLabelled", $"Labelled: {labelled}/{spec}");
        }

        if (spec > available)
        {
            return StatusResult.InProgress("LessAvailable", $"Available: {available}/{spec}");
        }

        if (spec > ready)
        {
            return StatusResult.InProgress("LessReady", $"Ready: {ready}/{spec}");
        }

        return replicas > spec
            ? StatusResult.InProgress("ExtraPods", $"Pending termination: {replicas - spec}")
            : StatusResult.Current($"ReplicaSet is available. Replicas: {replicas}");
    }

    private static StatusResult DaemonSet(JsonObject o)
    {
        // The generic check tolerates missing generation fields; a DaemonSet the controller has seen always has both.
        var kind = KubeObject.Kind(o);
        if (ObjectFields.StrictInt(o, "metadata", "generation") is null)
        {
            return StatusResult.InProgress("NoGeneration", $"{kind} metadata.generation not found");
        }

        if (ObjectFields.StrictInt(o, "status", "observedGeneration") is null)
        {
            return StatusResult.InProgress("NoObservedGeneration", $"{kind} status.observedGeneration not found");
        }

        var desired = ObjectFields.Int(o, "status.desiredNumberScheduled", -1);
        var current = ObjectFields.Int(o, "status.currentNumberScheduled", 0);
        var updated = ObjectFields.Int(o, "status.updatedNumberScheduled", 0);
        var available = ObjectFields.Int(o, "status.numberAvailable", 0);
        var ready = ObjectFields.Int(o, "status.numberReady", 0);

        if (desired == -1)
        {
            return StatusResult.InProgress("NoDesiredNumber", "Missing .status.desiredNumberScheduled");
        }

        if (desired > current)
        {
            return StatusResult.InProgress("LessCurrent", $"Current: {current}/{desired}");
        }

        if (desired > updated)
        {
            return StatusResult.InProgress("LessUpdated", $"Updated: {updated}/{desired}");
        }

        if (desired > available)
        {
            return StatusResult.InProgress("LessAvailable", $"Available: {available}/{desired}");
        }

        return desired > ready
            ? StatusResult.InProgress("LessReady", $"Ready: {ready}/{desired}")
            : StatusResult.Current($"All replicas scheduled as expected. Replicas: {desired}");
    }

    private static StatusResult Pvc(JsonObject o)
    {
        var phase = ObjectFields.Str(o, "status.phase", "unknown");
        return phase == "Bound"
            ? StatusResult.Current("PVC is Bound")
            : StatusResult.InProgress("NotBound", $"PVC is not Bound. phase: {phase}");
    }

    private static StatusResult Pod(JsonObject o, DateTimeOffset now)
    {
        var conditions = ConditionList.Read(o);
        var phase = ObjectFields.Str(o, "status.phase", "");
        switch (phase)
        {
            case "Succeeded":
                return StatusResult.Current("Pod has completed successfully");
            case "Failed":
                return StatusResult.Current("Pod has completed, but not successfully");
            case "Running":
                if (ConditionList.Find(conditions, "Ready", "True") is not null)
                {
                    return StatusResult.Current("Pod is Ready");
                }

                var crashLooping = CrashLoopingContainers(o);
                return crashLooping.Count > 0
                    ? StatusResult.Failed("ContainerCrashLooping", "Containers in CrashLoop state: " + string.Join(",", crashLooping))
                    : StatusResult.InProgress("PodRunningNotReady", "Pod is running but is not Ready");
            case "Pending":
                if (ConditionList.Find(conditions, "PodScheduled", "False") is { Reason: "Unschedulable" })
                {
                    return now - ScheduleWindow < CreationTimestamp(o)
                        ? StatusResult.InProgress("PodNotScheduled", "Pod has not been scheduled")
                        : StatusResult.Failed("PodUnschedulable", "Pod could not be scheduled");
                }

                return StatusResult.InProgress("PodPending", "Pod is in the Pending phase");
            case "":
                return StatusResult.InProgress("PodNotObserved", "Pod phase not available");
            default:
                throw new KStatusException("unknown phase " + phase);
        }
    }

    private static List<string> CrashLoopingContainers(JsonObject o)
    {
        var names = new List<string>();
        if (ObjectFields.At(o, "status.containerStatuses") is not JsonArray statuses)
        {
            return names;
        }

        foreach (var item in statuses)
        {
            if (item is JsonObject cs && ObjectFields.Str(cs, "name", "") is { Length: > 0 } name
                && ObjectFields.Str(cs, "state.waiting.reason", "") == "CrashLoopBackOff")
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>A missing or unparseable timestamp reads as the zero time, as it does in apimachinery.</summary>
    private static DateTimeOffset CreationTimestamp(JsonObject o) =>
        DateTimeOffset.TryParse(ObjectFields.Str(o, "metadata.creationTimestamp", ""), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : DateTimeOffset.MinValue;

    private static StatusResult Job(JsonObject o)
    {
        var (_, completions, succeeded, active, failed) = JobCounts.Read(o);

        foreach (var c in ConditionList.Read(o))
        {
            if (c.Status != "True")
            {
                continue;
            }

            switch (c.Type)
            {
                case "Complete":
                    return StatusResult.Current($"Job Completed. succeeded: {succeeded}/{completions}");
                case "Failed":
                    return StatusResult.Failed("JobFailed", $"Job Failed. failed: {failed}/{completions}");
                // Upstream cli-utils: a Job is suspended only when asked to be and the job controller confirmed it.
                case "Suspended" when ObjectFields.Bool(o, "spec.suspend") == true:
                    return StatusResult.Current("Job is suspended");
            }
        }

        return ObjectFields.Str(o, "status.startTime", "").Length == 0
            ? StatusResult.InProgress("JobNotStarted", "Job not started")
            : StatusResult.Current($"Job in progress. success:{succeeded}, active: {active}, failed: {failed}");
    }

    private static StatusResult Service(JsonObject o) =>
        ObjectFields.Str(o, "spec.type", "ClusterIP") == "LoadBalancer" && ObjectFields.Str(o, "spec.clusterIP", "").Length == 0
            ? StatusResult.InProgress("NoIPAssigned", "ClusterIP not set. Service type: LoadBalancer")
            : StatusResult.Current("Service is ready");

    private static StatusResult Crd(JsonObject o)
    {
        foreach (var c in ConditionList.Read(o))
        {
            if (c.Type == "NamesAccepted" && c.Status == "False")
            {
                return StatusResult.Failed(c.Reason, c.Message);
            }

            if (c.Type == "Established")
            {
                if (c.Status == "False" && c.Reason != "Installing")
                {
                    return StatusResult.Failed(c.Reason, c.Message);
                }

                if (c.Status == "True")
                {
                    return StatusResult.Current("CRD is established");
                }
            }
        }

        return StatusResult.InProgress("Installing", "Install in progress");
    }
}
