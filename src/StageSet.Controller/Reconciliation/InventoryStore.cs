using System.Text.Json.Nodes;
using StageSet.Api;
using StageSet.Engine.Inventory;
using StageSet.Kube;
using StageSet.Manifests;
using InventoryEntry = StageSet.Engine.Inventory.InventoryEntry;

namespace StageSet.Controller.Reconciliation;

/// <summary>The StageSet's shards as listed at one moment, raw and parsed.</summary>
internal sealed record InventorySnapshot(IReadOnlyList<JsonObject> Shards, InventoryRecord Record)
{
    public IEnumerable<RecordedShard> StageShards(string stage) =>
        Shards.Select(StageInventoryDocument.Read).Where(s => s.Stage == stage);
}

/// <summary>
/// StageInventory shards on the cluster, always under the controller's own identity (bookkeeping is never done as
/// the tenant). Writes are skipped when a shard already says exactly what it should.
/// </summary>
internal sealed class InventoryStore(DynamicClient client, InventoryMode mode, int shardCap)
{
    public const ShardNamingScheme Naming = ShardNamingScheme.Hashed;
    private static readonly GroupVersionKind Kind = new(StageSetGroup.Group, StageSetGroup.Version, StageSetGroup.StageInventoryKind);

    /// <summary>Lists every shard of the StageSet (fresh read, not the cache: prune decisions rest on it).</summary>
    public async Task<InventorySnapshot> ReadAsync(string ns, string stageSet, CancellationToken ct)
    {
        var list = await client.ListAsync(Kind, ns,
            new ListOptions { LabelSelector = InventoryLabels.StageSet + "=" + stageSet }, ct).ConfigureAwait(false);
        return new InventorySnapshot(list.Items, InventoryRecord.FromShards(list.Items.Select(StageInventoryDocument.Read)));
    }

    /// <summary>
    /// Writes one stage's shards (create or update, skipping unchanged ones) and deletes the stage's stale shards.
    /// Returns the number of shards.
    /// </summary>
    public async Task<int> WriteStageAsync(StageSetOwner owner, string stage, int position,
        IReadOnlyList<InventoryEntry> entries, InventorySnapshot existing, CancellationToken ct)
    {
        var shards = InventorySharding.Plan(owner.Name, stage, position, entries, shardCap, Naming);
        var byName = existing.Shards.ToDictionary(KubeObject.Name, StringComparer.Ordinal);
        foreach (var shard in shards)
        {
            ApplySetParentMetadata? parent = null;
            if (shard.Index == 0 && ApplySet.WritesParent(mode) && mode == InventoryMode.ApplySet)
            {
                parent = ApplySet.ParentMetadata(ApplySet.IdForStage(owner.Name, stage, owner.Namespace),
                    entries.Select(e => e.Identity).OfType<ObjectIdentity>(), owner.Namespace);
            }

            var desired = StageInventoryDocument.Build(shard, owner, parent);
            if (byName.TryGetValue(shard.Name, out var live) && SameContent(live, desired))
            {
                continue;
            }

            await client.ApplyAsync(desired, new ApplyOptions(FieldManagers.Controller) { Force = true }, ct)
                .ConfigureAwait(false);
        }

        foreach (var stale in StageInventoryDocument.StaleShards(existing.StageShards(stage), owner.Name, stage,
                     shards.Count, Naming))
        {
            await client.DeleteAsync(Kind, owner.Namespace, stale, ct).ConfigureAwait(false);
        }

        return shards.Count;
    }

    /// <summary>Deletes every shard of a stage that left the spec.</summary>
    public async Task DeleteStageAsync(string ns, string stageSet, string stage, InventorySnapshot existing, CancellationToken ct)
    {
        foreach (var shard in existing.StageShards(stage))
        {
            await client.DeleteAsync(Kind, ns, shard.Name, ct).ConfigureAwait(false);
        }
    }

    private static bool SameContent(JsonObject live, JsonObject desired)
    {
        var l = KubeObject.Metadata(live);
        var d = KubeObject.Metadata(desired);
        return JsonNode.DeepEquals(live["spec"], desired["spec"]) &&
               JsonNode.DeepEquals(l?["labels"], d?["labels"]) &&
               Covers(l?["annotations"] as JsonObject, d?["annotations"] as JsonObject) &&
               JsonNode.DeepEquals(l?["ownerReferences"], d?["ownerReferences"]);
    }

    private static bool Covers(JsonObject? live, JsonObject? desired) =>
        desired is null || desired.All(kv => live is not null && JsonNode.DeepEquals(live[kv.Key], kv.Value));
}
