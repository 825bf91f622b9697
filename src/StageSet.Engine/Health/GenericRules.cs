using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Engine.Health;

/// <summary>
/// kstatus' kind-independent rules: deletion, generation observed, and the standard <c>Reconciling</c> /
/// <c>Stalled</c> conditions. When one of them decides, the per-kind rules are not consulted.
/// </summary>
internal static class GenericRules
{
    public static StatusResult? Check(JsonObject obj)
    {
        if (Terminating(obj) is { } terminating)
        {
            return terminating;
        }

        if (GenerationNotObserved(obj) is { } stale)
        {
            return stale;
        }

        foreach (var c in ConditionList.Read(obj))
        {
            if (c.Type == StatusCondition.Reconciling && c.Status == "True")
            {
                return new StatusResult(ObjectStatus.InProgress, c.Message, [StatusCondition.ReconcilingTrue(c.Reason, c.Message)]);
            }

            if (c.Type == StatusCondition.Stalled && c.Status == "True")
            {
                return new StatusResult(ObjectStatus.Failed, c.Message, [StatusCondition.StalledTrue(c.Reason, c.Message)]);
            }
        }

        return null;
    }

    /// <summary>The fallback for kinds without their own rules: a <c>Ready</c> condition, else Current.</summary>
    public static StatusResult ReadyOrCurrent(JsonObject obj)
    {
        foreach (var c in ConditionList.Read(obj))
        {
            if (c.Type != "Ready")
            {
                continue;
            }

            if (c.Status == "True")
            {
                return StatusResult.Current("Resource is Ready");
            }

            if (c.Status is "False" or "Unknown")
            {
                return StatusResult.InProgress(c.Reason, c.Message);
            }
        }

        return StatusResult.Current("Resource is current");
    }

    private static StatusResult? Terminating(JsonObject obj)
    {
        if (KubeObject.Metadata(obj) is not { } meta || !meta.TryGetPropertyValue("deletionTimestamp", out var node))
        {
            return null;
        }

        if (node is not JsonValue v || !v.TryGetValue<string>(out var stamp))
        {
            throw new KStatusException(
                $"looking up metadata.deletionTimestamp from resource: .metadata.deletionTimestamp accessor error: {ObjectFields.Describe(node)} is of the type {ObjectFields.TypeName(node)}, expected string");
        }

        return stamp.Length == 0 ? null : new StatusResult(ObjectStatus.Terminating, "Resource scheduled for deletion", []);
    }

    private static StatusResult? GenerationNotObserved(JsonObject obj)
    {
        if (ObjectFields.StrictInt(obj, "metadata", "generation") is not { } generation)
        {
            return null;
        }

        if (ObjectFields.StrictInt(obj, "status", "observedGeneration") is not { } observed || observed == generation)
        {
            return null;
        }

        var message = $"{KubeObject.Kind(obj)} generation is {generation}, but latest observed generation is {observed}";
        return StatusResult.InProgress("LatestGenerationNotObserved", message);
    }
}
