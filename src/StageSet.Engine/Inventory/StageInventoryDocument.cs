using System.Globalization;
using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Engine.Inventory;

/// <summary>The StageSet a StageInventory belongs to (its controller owner reference).</summary>
public sealed record StageSetOwner(string Name, string Namespace, string Uid);

/// <summary>A StageInventory as read back from the cluster, before its entries are checked.</summary>
public sealed record RecordedShard(string Name, string? Stage, string? ShardLabel, int StagePosition, IReadOnlyList<InventoryEntry> Entries);

/// <summary>Builds StageInventory objects to write and reads the ones listed from the cluster.</summary>
public static class StageInventoryDocument
{
    /// <summary>
    /// The full object for a create-or-update: labels are written wholesale (stale ones disappear), the StageSet is
    /// the controller owner so shards are garbage-collected with it, and <paramref name="parent"/> (shard 0 only)
    /// adds the ApplySet parent metadata.
    /// </summary>
    public static JsonObject Build(InventoryShard shard, StageSetOwner owner, ApplySetParentMetadata? parent = null)
    {
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(owner);
        var labels = new JsonObject
        {
            [InventoryLabels.StageSet] = shard.StageSet,
            [InventoryLabels.Stage] = shard.Stage,
            [InventoryLabels.Shard] = shard.Index.ToString(CultureInfo.InvariantCulture),
        };
        var metadata = new JsonObject
        {
            ["name"] = shard.Name,
            ["namespace"] = owner.Namespace,
            ["labels"] = labels,
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = InventoryLabels.ApiVersion,
                ["kind"] = InventoryLabels.StageSetKind,
                ["name"] = owner.Name,
                ["uid"] = owner.Uid,
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            }),
        };
        if (parent is not null)
        {
            foreach (var (key, value) in parent.Labels)
            {
                labels[key] = value;
            }

            var annotations = new JsonObject();
            foreach (var (key, value) in parent.Annotations)
            {
                annotations[key] = value;
            }

            metadata["annotations"] = annotations;
        }

        var entries = new JsonArray();
        foreach (var e in shard.Entries)
        {
            entries.Add(new JsonObject { ["id"] = e.Id, ["v"] = e.V });
        }

        return new JsonObject
        {
            ["apiVersion"] = InventoryLabels.ApiVersion,
            ["kind"] = InventoryLabels.Kind,
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["stagePosition"] = shard.StagePosition, ["entries"] = entries },
        };
    }

    /// <summary>Reads what a listed shard says; entries lacking an id or version string are dropped here.</summary>
    public static RecordedShard Read(JsonObject inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var spec = inventory["spec"] as JsonObject;
        var position = spec?["stagePosition"] is JsonValue p && p.TryGetValue<int>(out var pos) ? pos : 0;
        var entries = new List<InventoryEntry>();
        if (spec?["entries"] is JsonArray items)
        {
            foreach (var item in items)
            {
                if (item is JsonObject e && Str(e, "id") is { } id)
                {
                    entries.Add(new InventoryEntry(id, Str(e, "v") ?? ""));
                }
            }
        }

        return new RecordedShard(
            KubeObject.Name(inventory),
            KubeObject.Label(inventory, InventoryLabels.Stage),
            KubeObject.Label(inventory, InventoryLabels.Shard),
            position,
            entries);
    }

    /// <summary>
    /// After writing <paramref name="newShardCount"/> shards for a stage, the names among that stage's listed shards
    /// to delete: an unparseable shard label, an index past the new count, or a name that is not the canonical
    /// one for its index (which migrates shards written under another naming scheme).
    /// </summary>
    public static IReadOnlyList<string> StaleShards(
        IEnumerable<RecordedShard> stageShards, string stageSet, string stage, int newShardCount, ShardNamingScheme naming)
    {
        ArgumentNullException.ThrowIfNull(stageShards);
        var stale = new List<string>();
        foreach (var shard in stageShards)
        {
            var keep = TryParseShardIndex(shard.ShardLabel, out var index)
                && index < newShardCount
                && shard.Name == ShardNaming.Name(naming, stageSet, stage, index);
            if (!keep)
            {
                stale.Add(shard.Name);
            }
        }

        return stale;
    }

    /// <summary>A decimal shard index as Go's Atoi reads it; negative values are not indices.</summary>
    public static bool TryParseShardIndex(string? label, out int index) =>
        int.TryParse(label, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out index) && index >= 0;

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
