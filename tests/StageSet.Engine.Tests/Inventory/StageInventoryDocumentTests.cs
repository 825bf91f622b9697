using System.Text.Json.Nodes;
using StageSet.Engine.Inventory;
using StageSet.Manifests;

namespace StageSet.Engine.Tests.Inventory;

public sealed class StageInventoryDocumentTests
{
    private static readonly StageSetOwner Owner = new("web", "shop", "0b7e4b7a-5f2c-4f59-9d43-1c1e1c1e1c1e");

    [Fact]
    public void A_shard_is_a_stage_inventory_owned_by_its_stageset()
    {
        var shard = new InventoryShard("web-app-01-6a7a6c9e27", "web", "app", 1, 3, [new("shop_web_apps_Deployment", "v1")]);

        var doc = StageInventoryDocument.Build(shard, Owner);

        var expected = JsonNode.Parse("""
            {
              "apiVersion": "stages.metio.wtf/v1",
              "kind": "StageInventory",
              "metadata": {
                "name": "web-app-01-6a7a6c9e27",
                "namespace": "shop",
                "labels": {"stages.metio.wtf/stage-set": "web", "stages.metio.wtf/stage": "app", "stages.metio.wtf/shard": "1"},
                "ownerReferences": [{"apiVersion": "stages.metio.wtf/v1", "kind": "StageSet", "name": "web",
                  "uid": "0b7e4b7a-5f2c-4f59-9d43-1c1e1c1e1c1e", "controller": true, "blockOwnerDeletion": true}]
              },
              "spec": {"stagePosition": 3, "entries": [{"id": "shop_web_apps_Deployment", "v": "v1"}]}
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, doc), doc.ToJsonString());
    }

    [Fact]
    public void Shard_zero_can_carry_the_applyset_parent_metadata()
    {
        var id = ApplySet.IdForStage("web", "app", "shop");
        var parent = ApplySet.ParentMetadata(id, [new ObjectIdentity("", "Service", "shop", "web")], "shop");
        var shard = new InventoryShard("web-app-00", "web", "app", 0, 0, []);

        var doc = StageInventoryDocument.Build(shard, Owner, parent);

        Assert.Equal(id, KubeObject.Label(doc, ApplySet.IdLabel));
        Assert.Equal("app", KubeObject.Label(doc, "stages.metio.wtf/stage"));
        Assert.Equal("stageset-controller/v1", KubeObject.Annotation(doc, ApplySet.ToolingAnnotation));
        Assert.Equal("Service", KubeObject.Annotation(doc, ApplySet.ContainsGroupKindsAnnotation));
    }

    [Fact]
    public void Reading_a_built_shard_returns_what_was_written()
    {
        var shard = new InventoryShard("web-app-00", "web", "app", 0, 4, [new("_x_rbac.authorization.k8s.io_ClusterRole", "v1")]);

        var read = StageInventoryDocument.Read(StageInventoryDocument.Build(shard, Owner));

        Assert.Equal("web-app-00", read.Name);
        Assert.Equal("app", read.Stage);
        Assert.Equal("0", read.ShardLabel);
        Assert.Equal(4, read.StagePosition);
        Assert.Equal(shard.Entries, read.Entries);
    }

    [Fact]
    public void Reading_tolerates_a_shard_without_spec_or_labels()
    {
        var read = StageInventoryDocument.Read(JsonNode.Parse("""{"metadata":{"name":"odd"},"spec":{"entries":[{"v":"v1"},{"id":"a_b__ConfigMap"}]}}""")!.AsObject());

        Assert.Null(read.Stage);
        Assert.Null(read.ShardLabel);
        Assert.Equal([new InventoryEntry("a_b__ConfigMap", "")], read.Entries);
    }

    [Fact]
    public void Stale_shards_are_unparseable_past_the_new_count_or_not_canonically_named()
    {
        RecordedShard Shard(string name, string? label) => new(name, "app", label, 0, []);
        var existing = new[]
        {
            Shard(ShardNaming.Hashed("web", "app", 0), "0"),
            Shard(ShardNaming.Hashed("web", "app", 1), "1"),
            Shard(ShardNaming.Hashed("web", "app", 2), "2"),
            Shard("web-app-01", "1"),
            Shard("web-app-x", "x"),
            Shard("web-app-neg", "-1"),
            Shard("web-app-nolabel", null),
        };

        var stale = StageInventoryDocument.StaleShards(existing, "web", "app", 2, ShardNamingScheme.Hashed);

        Assert.Equal([ShardNaming.Hashed("web", "app", 2), "web-app-01", "web-app-x", "web-app-neg", "web-app-nolabel"], stale);
    }

    [Fact]
    public void Under_seed_naming_the_hashed_names_are_the_stale_ones()
    {
        var existing = new[] { new RecordedShard("web-app-00", "app", "0", 0, []), new RecordedShard(ShardNaming.Hashed("web", "app", 0), "app", "0", 0, []) };

        Assert.Equal([ShardNaming.Hashed("web", "app", 0)], StageInventoryDocument.StaleShards(existing, "web", "app", 1, ShardNamingScheme.Seed));
    }
}
