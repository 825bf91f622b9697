using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Controller.Runtime;

/// <summary>Kinds and wake-up rules of the StageSet controller's watches.</summary>
public static class StageSetWatchPlan
{
    public const string FluxSourceGroup = "source.toolkit.fluxcd.io";
    public const string DefaultSourceApiVersion = FluxSourceGroup + "/v1";

    public static GroupVersionKind StageSetKind { get; } = new("stages.metio.wtf", "v1", "StageSet");

    public static GroupVersionKind StageInventoryKind { get; } = new("stages.metio.wtf", "v1", "StageInventory");

    public static GroupVersionKind ExternalArtifactKind { get; } = new(FluxSourceGroup, "v1", "ExternalArtifact");

    /// <summary>
    /// What each stage's sourceRef asks to watch: the referenced kind itself (Flux sources and producers), plus the
    /// ExternalArtifact kind for producers, whose artifact arrives through an ExternalArtifact back-pointer.
    /// </summary>
    public static IEnumerable<WatchedSource> Sources(JsonObject stageSet)
    {
        var ns = KubeObject.Namespace(stageSet);
        foreach (var stage in (stageSet["spec"]?["stages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (stage["sourceRef"] is not JsonObject r)
            {
                continue;
            }

            var kind = Str(r, "kind") is { Length: > 0 } k ? k : "ExternalArtifact";
            var apiVersion = Str(r, "apiVersion") is { Length: > 0 } av ? av : DefaultSourceApiVersion;
            var refNs = Str(r, "namespace") is { Length: > 0 } n ? n : ns;
            var name = Str(r, "name");
            if (name.Length == 0)
            {
                continue;
            }

            yield return new WatchedSource(GroupVersionKind.From(apiVersion, kind), refNs, name);
        }
    }

    /// <summary>True when the group/kind is read directly (not resolved through an ExternalArtifact).</summary>
    public static bool IsDirectSourceKind(GroupKind kind) =>
        kind.Group is "" or FluxSourceGroup &&
        kind.Kind is "ExternalArtifact" or "GitRepository" or "OCIRepository" or "Bucket";

    /// <summary>
    /// The producer an ExternalArtifact points back to (<c>spec.sourceRef</c>), as (group/kind, name); null if none.
    /// </summary>
    public static (GroupKind Kind, string Name)? ProducerOf(JsonObject externalArtifact)
    {
        if (externalArtifact["spec"]?["sourceRef"] is not JsonObject r || Str(r, "kind").Length == 0 ||
            Str(r, "name").Length == 0)
        {
            return null;
        }

        return (new GroupKind(GroupVersion.Parse(Str(r, "apiVersion")).Group, Str(r, "kind")), Str(r, "name"));
    }

    /// <summary>
    /// Whether an update to a StageSet needs a reconcile: generation, labels, annotations (requestedAt and other
    /// triggers), finalizers or deletion changed. Our own status writes change none of these.
    /// </summary>
    public static bool NeedsReconcile(JsonObject? previous, JsonObject current)
    {
        if (previous is null)
        {
            return true;
        }

        var a = KubeObject.Metadata(previous);
        var b = KubeObject.Metadata(current);
        return !JsonNode.DeepEquals(a?["generation"], b?["generation"]) ||
               !JsonNode.DeepEquals(a?["annotations"], b?["annotations"]) ||
               !JsonNode.DeepEquals(a?["labels"], b?["labels"]) ||
               !JsonNode.DeepEquals(a?["finalizers"], b?["finalizers"]) ||
               !JsonNode.DeepEquals(a?["deletionTimestamp"], b?["deletionTimestamp"]);
    }

    private static string Str(JsonObject obj, string key) =>
        obj[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
