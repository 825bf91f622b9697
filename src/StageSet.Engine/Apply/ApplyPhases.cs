using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Engine.Apply;

/// <summary>The phases of Flux ssa's staged apply.</summary>
public enum ApplyPhase
{
    /// <summary>CustomResourceDefinitions, Namespaces and ClusterRoles: what later objects need to exist at all.</summary>
    ClusterDefinitions,

    /// <summary>Kinds named <c>*Class</c> (StorageClass, IngressClass, ...), which other objects refer to by name.</summary>
    ClassDefinitions,

    /// <summary>Everything else.</summary>
    Resources,
}

/// <summary>
/// One batch to apply. When <see cref="WaitForReady"/> is set the caller waits for the batch to become ready
/// (Flux: 2 s poll, 1 minute bound) before applying the next one.
/// </summary>
public sealed record ApplyBatch(ApplyPhase Phase, IReadOnlyList<JsonObject> Objects)
{
    public bool WaitForReady => Phase != ApplyPhase.Resources;
}

/// <summary>Splits a stage's objects into Flux ssa <c>ApplyAllStaged</c> batches, each in Flux kind order.</summary>
public static class ApplyPhases
{
    public static readonly TimeSpan WaitInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The non-empty batches, in apply order.</summary>
    public static IReadOnlyList<ApplyBatch> Plan(IEnumerable<JsonObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        return objects
            .GroupBy(PhaseOf)
            .OrderBy(g => g.Key)
            .Select(g => new ApplyBatch(g.Key, Sort(g)))
            .ToList();
    }

    public static IReadOnlyList<JsonObject> Sort(IEnumerable<JsonObject> objects) =>
        objects.OrderBy(KubeObject.Identity, KindOrder.Comparer).ToList();

    public static ApplyPhase PhaseOf(JsonObject obj)
    {
        var kind = KubeObject.Kind(obj);
        var apiVersion = KubeObject.ApiVersion(obj);
        if (IsClusterDefinition(kind, apiVersion))
        {
            return ApplyPhase.ClusterDefinitions;
        }

        return kind.EndsWith("Class", StringComparison.Ordinal) ? ApplyPhase.ClassDefinitions : ApplyPhase.Resources;
    }

    private static bool IsClusterDefinition(string kind, string apiVersion) =>
        (kind.Equals("CustomResourceDefinition", StringComparison.OrdinalIgnoreCase) && apiVersion.StartsWith("apiextensions.k8s.io/", StringComparison.Ordinal))
        || (kind.Equals("Namespace", StringComparison.OrdinalIgnoreCase) && apiVersion == "v1")
        || (kind.Equals("ClusterRole", StringComparison.OrdinalIgnoreCase) && apiVersion.StartsWith("rbac.authorization.k8s.io/", StringComparison.Ordinal));
}
