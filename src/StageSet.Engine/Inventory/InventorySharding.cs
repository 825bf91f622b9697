namespace StageSet.Engine.Inventory;

/// <summary>One StageInventory object to write: which stage, which slice of its entries, under which name.</summary>
public sealed record InventoryShard(string Name, string StageSet, string Stage, int Index, int StagePosition, IReadOnlyList<InventoryEntry> Entries);

/// <summary>
/// Splits a stage's entries into shards (flux-source-contract.md §7.2): sorted by id, at most <c>cap</c> per shard,
/// and an empty stage still gets shard 0 so the inventory says "this stage holds nothing".
/// </summary>
public static class InventorySharding
{
    /// <summary><c>--inventory-shard-cap</c> default.</summary>
    public const int DefaultShardCap = 5000;

    public static IReadOnlyList<IReadOnlyList<InventoryEntry>> Chunk(IEnumerable<InventoryEntry> entries, int cap)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);

        // Ordinal order is Go's byte order; the same id twice (a render listing an object twice) is recorded once.
        var sorted = entries.DistinctBy(e => e.Id, StringComparer.Ordinal).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        if (sorted.Count == 0)
        {
            return [[]];
        }

        return sorted.Chunk(cap).Select(chunk => (IReadOnlyList<InventoryEntry>)chunk).ToList();
    }

    public static IReadOnlyList<InventoryShard> Plan(
        string stageSet, string stage, int stagePosition, IEnumerable<InventoryEntry> entries, int cap, ShardNamingScheme naming) =>
        Chunk(entries, cap)
            .Select((chunk, index) => new InventoryShard(
                ShardNaming.Name(naming, stageSet, stage, index), stageSet, stage, index, stagePosition, chunk))
            .ToList();
}
