using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Engine.Apply;

/// <summary>What applying one object did (or, after a dry run, would do): the change-set action.</summary>
public enum ChangeAction
{
    Created,
    Configured,
    Unchanged,
    Skipped,
}

/// <summary>
/// Flux ssa's drift rule, deciding from the server-side dry-run result and the live object whether an object needs
/// a real apply. Steady state sends zero writes: only labels, annotations and the fields outside <c>metadata</c> and
/// <c>status</c> count, so managedFields, resourceVersion, generation and timestamps never cause an apply.
/// </summary>
public static class ChangeDetection
{
    /// <summary>
    /// Create-only objects (KeepExisting) are skipped, before any dry run, once they exist. Only a live object
    /// with a uid counts as existing, as in Flux.
    /// </summary>
    public static bool SkipsExisting(JsonObject? live) => live is not null && Uid(live).Length > 0;

    /// <param name="live">The live object, or null when it does not exist.</param>
    /// <param name="dryRun">What the API server returned for the dry-run apply.</param>
    public static ChangeAction Decide(JsonObject? live, JsonObject dryRun)
    {
        ArgumentNullException.ThrowIfNull(dryRun);
        if (ResourceVersion(dryRun).Length == 0)
        {
            return ChangeAction.Created;
        }

        return live is null || HasDrifted(live, dryRun) ? ChangeAction.Configured : ChangeAction.Unchanged;
    }

    /// <summary>The change-set spelling: <c>created</c>, <c>configured</c>, <c>unchanged</c>, <c>skipped</c>.</summary>
    public static string Verb(ChangeAction action) => action.ToString().ToLowerInvariant();

    public static bool HasDrifted(JsonObject live, JsonObject dryRun)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(dryRun);
        if (ResourceVersion(dryRun).Length == 0)
        {
            return true;
        }

        if (!SameStringMap(MetadataMap(dryRun, "labels"), MetadataMap(live, "labels"))
            || !SameStringMap(MetadataMap(dryRun, "annotations"), MetadataMap(live, "annotations")))
        {
            return true;
        }

        return !JsonNode.DeepEquals(Comparable(dryRun), Comparable(live));
    }

    /// <summary>The object without metadata and status, with known dry-run artefacts of old API servers removed.</summary>
    private static JsonObject Comparable(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key is not ("metadata" or "status"))
            {
                copy[key] = value?.DeepClone();
            }
        }

        DropDuplicateHpaMetrics(copy);
        return copy;
    }

    /// <summary>
    /// Kubernetes before 1.27 answered an HPA dry run with the first metric repeated and an empty metric appended
    /// (kubernetes#118293); without this every HPA would look drifted on every pass.
    /// </summary>
    private static void DropDuplicateHpaMetrics(JsonObject obj)
    {
        if (KubeObject.Kind(obj) != "HorizontalPodAutoscaler"
            || KubeObject.ApiVersion(obj) is not ("autoscaling/v2" or "autoscaling/v2beta2")
            || obj["spec"] is not JsonObject spec || spec["metrics"] is not JsonArray metrics)
        {
            return;
        }

        var kept = new List<JsonNode?>();
        foreach (var metric in metrics)
        {
            var typed = metric is JsonObject m && m["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type.Length > 0;
            if (typed && !kept.Any(k => JsonNode.DeepEquals(k, metric)))
            {
                kept.Add(metric);
            }
        }

        spec["metrics"] = new JsonArray(kept.Select(k => k?.DeepClone()).ToArray());
    }

    private static JsonObject? MetadataMap(JsonObject obj, string name) => KubeObject.Metadata(obj)?[name] as JsonObject;

    /// <summary>A missing map equals an empty one, as Go's semantic equality treats nil and empty maps.</summary>
    private static bool SameStringMap(JsonObject? a, JsonObject? b)
    {
        var countA = a?.Count ?? 0;
        var countB = b?.Count ?? 0;
        if (countA != countB)
        {
            return false;
        }

        return countA == 0 || a!.All(kv => b!.TryGetPropertyValue(kv.Key, out var other) && JsonNode.DeepEquals(kv.Value, other));
    }

    private static string ResourceVersion(JsonObject obj) =>
        KubeObject.Metadata(obj)?["resourceVersion"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static string Uid(JsonObject obj) =>
        KubeObject.Metadata(obj)?["uid"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
