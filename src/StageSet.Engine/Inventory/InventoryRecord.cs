using StageSet.Manifests;

namespace StageSet.Engine.Inventory;

/// <summary>What the inventory says one stage holds: its entries merged over all shards, at its recorded position.</summary>
public sealed record RecordedStage(string Stage, int Position, IReadOnlyList<InventoryEntry> Entries);

/// <summary>
/// All shards of a StageSet grouped by stage. <see cref="SkippedEntries"/> are entries whose id does not parse:
/// they are left out (the object escapes pruning) and counted for <c>stageset_inventory_skipped_entries_total</c>.
/// </summary>
public sealed record InventoryRecord(IReadOnlyList<RecordedStage> Stages, IReadOnlyList<InventoryEntry> SkippedEntries)
{
    public static InventoryRecord FromShards(IEnumerable<RecordedShard> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var skipped = new List<InventoryEntry>();
        var stages = new List<RecordedStage>();
        foreach (var group in shards.Where(s => !string.IsNullOrEmpty(s.Stage)).GroupBy(s => s.Stage!, StringComparer.Ordinal))
        {
            // Shard 0 is always written; its position is the stage's, whatever an odd leftover shard says.
            var ordered = group.OrderBy(s => StageInventoryDocument.TryParseShardIndex(s.ShardLabel, out var i) ? i : int.MaxValue).ToList();
            var entries = new List<InventoryEntry>();
            var seen = new HashSet<ObjectIdentity>();
            foreach (var entry in ordered.SelectMany(s => s.Entries))
            {
                if (entry.Identity is not { } id)
                {
                    skipped.Add(entry);
                }
                else if (seen.Add(id))
                {
                    entries.Add(entry);
                }
            }

            stages.Add(new RecordedStage(group.Key, ordered[0].StagePosition, entries));
        }

        return new InventoryRecord(stages.OrderBy(s => s.Position).ThenBy(s => s.Stage, StringComparer.Ordinal).ToList(), skipped);
    }
}
