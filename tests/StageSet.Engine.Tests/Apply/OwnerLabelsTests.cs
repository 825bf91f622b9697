using System.Text.Json.Nodes;
using StageSet.Engine.Apply;
using StageSet.Engine.Inventory;
using StageSet.Manifests;

namespace StageSet.Engine.Tests.Apply;

public sealed class OwnerLabelsTests
{
    private static JsonObject Deployment() => JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop","labels":{"app":"web"}}}
        """)!.AsObject();

    [Fact]
    public void Hybrid_mode_stamps_owner_stage_and_applyset_labels_and_keeps_existing_ones()
    {
        var obj = Deployment();

        OwnerLabels.Stamp(obj, OwnerStamp.For("web", "shop", "app", InventoryMode.Hybrid));

        var labels = obj["metadata"]!["labels"]!.AsObject();
        Assert.Equal(5, labels.Count);
        Assert.Equal("web", (string)labels["app"]!);
        Assert.Equal("web", (string)labels["stages.metio.wtf/name"]!);
        Assert.Equal("shop", (string)labels["stages.metio.wtf/namespace"]!);
        Assert.Equal("app", (string)labels["stages.metio.wtf/stage"]!);
        Assert.Equal(ApplySet.IdForStage("web", "app", "shop"), (string)labels["applyset.kubernetes.io/part-of"]!);
    }

    [Fact]
    public void Entries_mode_without_stage_label_stamps_only_the_owner_labels()
    {
        var obj = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap" };

        OwnerLabels.Stamp(obj, OwnerStamp.For("web", "shop", "app", InventoryMode.Entries, withStageLabel: false));

        var labels = obj["metadata"]!["labels"]!.AsObject();
        Assert.Equal(["stages.metio.wtf/name", "stages.metio.wtf/namespace"], labels.Select(kv => kv.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Stamped_objects_are_owned_and_others_are_not()
    {
        var obj = Deployment();
        Assert.False(OwnerLabels.OwnedBy(obj, "web", "shop"));

        OwnerLabels.Stamp(obj, OwnerStamp.For("web", "shop", "app", InventoryMode.ApplySet));

        Assert.True(OwnerLabels.OwnedBy(obj, "web", "shop"));
        Assert.False(OwnerLabels.OwnedBy(obj, "web", "other"));
        Assert.Equal("web", KubeObject.Label(obj, OwnerLabels.Name));
    }
}

public sealed class SelectorTests
{
    [Fact]
    public void Selectors_name_the_labels_the_controller_writes()
    {
        Assert.Equal(
            "stages.metio.wtf/name=web,stages.metio.wtf/namespace=shop,stages.metio.wtf/stage=app",
            OwnerLabels.StageSelector("web", "shop", "app"));
        Assert.Equal("stages.metio.wtf/stage-set=web", InventoryLabels.SelectorFor("web"));
        Assert.Equal("stages.metio.wtf/stage-set=web,stages.metio.wtf/stage=app", InventoryLabels.SelectorFor("web", "app"));
    }
}
