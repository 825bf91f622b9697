using System.Security.Cryptography;
using System.Text;
using StageSet.Manifests;

namespace StageSet.Engine.Inventory;

/// <summary>Controller-wide <c>--inventory-mode</c>: only labelling differs, pruning always uses inventory entries.</summary>
public enum InventoryMode
{
    /// <summary>No ApplySet labels.</summary>
    Entries,

    /// <summary>Members carry <c>applyset.kubernetes.io/part-of</c>; the default.</summary>
    Hybrid,

    /// <summary>As hybrid; the shard-0 StageInventory carries the ApplySet parent metadata.</summary>
    ApplySet,
}

/// <summary>The labels and annotations a shard-0 StageInventory carries as the stage's ApplySet parent.</summary>
public sealed record ApplySetParentMetadata(IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);

/// <summary>KEP-3659 ApplySet identity and parent metadata for a stage (flux-source-contract.md §8).</summary>
public static class ApplySet
{
    public const string PartOfLabel = "applyset.kubernetes.io/part-of";
    public const string IdLabel = "applyset.kubernetes.io/id";
    public const string IsParentTypeLabel = "applyset.kubernetes.io/is-parent-type";
    public const string ToolingAnnotation = "applyset.kubernetes.io/tooling";
    public const string ContainsGroupKindsAnnotation = "applyset.kubernetes.io/contains-group-kinds";
    public const string AdditionalNamespacesAnnotation = "applyset.kubernetes.io/additional-namespaces";
    public const string Tooling = "stageset-controller/v1";

    public static bool TryParseMode(string? value, out InventoryMode mode)
    {
        (var ok, mode) = value switch
        {
            "entries" => (true, InventoryMode.Entries),
            "hybrid" => (true, InventoryMode.Hybrid),
            "applyset" => (true, InventoryMode.ApplySet),
            _ => (false, InventoryMode.Hybrid),
        };
        return ok;
    }

    /// <summary>The flag and <c>status.inventoryMode</c> spelling.</summary>
    public static string ModeName(InventoryMode mode) => mode switch
    {
        InventoryMode.Entries => "entries",
        InventoryMode.Hybrid => "hybrid",
        InventoryMode.ApplySet => "applyset",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown inventory mode"),
    };

    /// <summary>Whether applied objects carry <see cref="PartOfLabel"/>.</summary>
    public static bool LabelsMembers(InventoryMode mode) => mode != InventoryMode.Entries;

    /// <summary>
    /// Whether shard 0 carries the parent metadata. Seed docs give it to both labelling modes: a part-of label
    /// pointing at a parent without the matching id would be an ApplySet kubectl rejects.
    /// </summary>
    public static bool WritesParent(InventoryMode mode) => mode != InventoryMode.Entries;

    /// <summary><c>applyset-</c> + unpadded base64url(sha256(<c>&lt;name&gt;.&lt;namespace&gt;.StageInventory.stages.metio.wtf</c>)) + <c>-v1</c>.</summary>
    public static string Id(string parentName, string parentNamespace)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(
            parentName + "." + parentNamespace + "." + InventoryLabels.Kind + "." + InventoryLabels.Group));
        return "applyset-" + Convert.ToBase64String(digest).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "-v1";
    }

    /// <summary>The id of a stage's ApplySet: its parent is always the seed-named shard 0.</summary>
    public static string IdForStage(string stageSet, string stage, string stageSetNamespace) =>
        Id(ShardNaming.Seed(stageSet, stage, 0), stageSetNamespace);

    public static ApplySetParentMetadata ParentMetadata(string id, IEnumerable<ObjectIdentity> members, string parentNamespace)
    {
        ArgumentNullException.ThrowIfNull(members);
        var list = members.ToList();
        var groupKinds = list.Select(m => m.GroupKind.ToString()).Distinct().Order(StringComparer.Ordinal);
        var namespaces = list.Select(m => m.Namespace)
            .Where(ns => ns.Length > 0 && ns != parentNamespace)
            .Distinct()
            .Order(StringComparer.Ordinal);
        return new ApplySetParentMetadata(
            new Dictionary<string, string> { [IdLabel] = id },
            new Dictionary<string, string>
            {
                [ToolingAnnotation] = Tooling,
                [ContainsGroupKindsAnnotation] = string.Join(",", groupKinds),
                [AdditionalNamespacesAnnotation] = string.Join(",", namespaces),
            });
    }
}
