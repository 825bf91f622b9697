using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Engine.Inventory;

/// <summary>
/// One object recorded in a StageInventory: <see cref="Id"/> is <c>&lt;namespace&gt;_&lt;name&gt;_&lt;group&gt;_&lt;kind&gt;</c>
/// and <see cref="V"/> the version part of the apiVersion it was applied with (<c>v1</c>, never <c>apps/v1</c>).
/// </summary>
public sealed record InventoryEntry(string Id, string V)
{
    /// <summary>The entry for an object as applied.</summary>
    public static InventoryEntry For(JsonObject obj)
    {
        var gvk = KubeObject.Gvk(obj);
        return new InventoryEntry(InventoryId.Format(new ObjectIdentity(gvk.Group, gvk.Kind, KubeObject.Namespace(obj), KubeObject.Name(obj))), gvk.Version);
    }

    public static InventoryEntry For(ObjectIdentity identity, string version) => new(InventoryId.Format(identity), version);

    /// <summary>The identity this entry records, or null when the id is malformed (such an entry escapes pruning).</summary>
    public ObjectIdentity? Identity => InventoryId.TryParse(Id, out var identity) ? identity : null;

    /// <summary>The apiVersion to address the recorded object with, rebuilt from its group and <see cref="V"/>.</summary>
    public string? ApiVersion => Identity is { } id ? new GroupVersion(id.Group, V).ToString() : null;
}

/// <summary>
/// The inventory id of an object. Underscore is the separator because no namespace, name, group or kind can contain
/// one; the version is not part of the id, so objects are compared by (group, kind, namespace, name).
/// </summary>
public static class InventoryId
{
    public static string Format(ObjectIdentity identity) =>
        identity.Namespace + "_" + identity.Name + "_" + identity.Group + "_" + identity.Kind;

    /// <summary>Exactly four parts, with a non-empty name and kind; anything else is malformed.</summary>
    public static bool TryParse(string? id, [NotNullWhen(true)] out ObjectIdentity? identity)
    {
        identity = null;
        var parts = id?.Split('_');
        if (parts is not { Length: 4 } || parts[1].Length == 0 || parts[3].Length == 0)
        {
            return false;
        }

        identity = new ObjectIdentity(parts[2], parts[3], parts[0], parts[1]);
        return true;
    }
}
