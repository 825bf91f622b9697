using StageSet.Engine.Inventory;

namespace StageSet.Engine.Tests.Inventory;

/// <summary>Shard names are checked against values computed independently (python hashlib) from spec §7.2.</summary>
public sealed class ShardingTests
{
    [Fact]
    public void Twelve_thousand_entries_make_three_shards_sorted_by_id_with_hashed_names()
    {
        var entries = Enumerable.Range(0, 12_000).Reverse()
            .Select(i => new InventoryEntry($"shop_cm-{i:D5}__ConfigMap", "v1"))
            .ToList();

        var shards = InventorySharding.Plan("web", "app", 2, entries, InventorySharding.DefaultShardCap, ShardNamingScheme.Hashed);

        Assert.Equal([5000, 5000, 2000], shards.Select(s => s.Entries.Count));
        Assert.Equal(["web-app-00-08a0caabc7", "web-app-01-6a7a6c9e27", "web-app-02-89a6b35015"], shards.Select(s => s.Name));
        Assert.Equal([0, 1, 2], shards.Select(s => s.Index));
        Assert.All(shards, s => Assert.Equal(2, s.StagePosition));
        var ids = shards.SelectMany(s => s.Entries).Select(e => e.Id).ToList();
        Assert.Equal(entries.Select(e => e.Id).Order(StringComparer.Ordinal), ids);
        Assert.Equal("shop_cm-00000__ConfigMap", shards[0].Entries[0].Id);
        Assert.Equal("shop_cm-05000__ConfigMap", shards[1].Entries[0].Id);
    }

    [Fact]
    public void An_empty_stage_still_gets_one_empty_shard()
    {
        var shard = Assert.Single(InventorySharding.Plan("web", "app", 0, [], 5000, ShardNamingScheme.Seed));

        Assert.Empty(shard.Entries);
        Assert.Equal(0, shard.Index);
        Assert.Equal("web-app-00", shard.Name);
    }

    [Fact]
    public void Ids_sort_in_byte_order_and_a_repeated_id_is_recorded_once()
    {
        var chunks = InventorySharding.Chunk(
            [new("b_x__ConfigMap", "v1"), new("B_x__ConfigMap", "v1"), new("a_x__ConfigMap", "v1"), new("b_x__ConfigMap", "v1")], 2);

        Assert.Equal(["B_x__ConfigMap", "a_x__ConfigMap"], chunks[0].Select(e => e.Id));
        Assert.Equal(["b_x__ConfigMap"], chunks[1].Select(e => e.Id));
    }

    [Fact]
    public void A_shard_cap_below_one_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => InventorySharding.Chunk([], 0));

    [Fact]
    public void Indexes_past_99_keep_all_their_digits() =>
        Assert.Equal("web-app-100-2a8656fa93", ShardNaming.Hashed("web", "app", 100));

    [Fact]
    public void A_long_hashed_name_is_cut_to_242_characters_before_the_hash()
    {
        var name = ShardNaming.Hashed(new string('a', 200), new string('b', 60), 0);

        Assert.Equal(253, name.Length);
        Assert.Equal(new string('a', 200) + "-" + new string('b', 41) + "-4673ef1df3", name);
    }

    [Fact]
    public void A_cut_ending_in_a_dash_drops_the_dash()
    {
        var name = ShardNaming.Hashed(new string('s', 241), "stage", 1);

        Assert.Equal(new string('s', 241) + "-a04492e7ae", name);
    }

    [Fact]
    public void A_hashed_name_of_exactly_253_characters_is_not_cut()
    {
        Assert.Equal(new string('c', 237) + "-x-00-99bf8107e5", ShardNaming.Hashed(new string('c', 237), "x", 0));
        Assert.Equal(new string('c', 238) + "-x-0-27ea02e375", ShardNaming.Hashed(new string('c', 238), "x", 0));
    }

    [Fact]
    public void Seed_names_are_plain_up_to_253_characters_then_hashed_over_the_untruncated_name()
    {
        Assert.Equal("web-app-07", ShardNaming.Seed("web", "app", 7));
        Assert.Equal(new string('d', 248) + "-x-00", ShardNaming.Seed(new string('d', 248), "x", 0));

        var longName = ShardNaming.Seed(new string('d', 249), "x", 0);
        Assert.Equal(253, longName.Length);
        Assert.Equal(new string('d', 242) + "-3a01af27a1", longName);

        Assert.Equal(new string('s', 241) + "-b277b9a538", ShardNaming.Seed(new string('s', 241), new string('x', 20), 0));
    }
}
