using System.Text.Json.Nodes;
using StageSet.Engine.Inventory;

namespace StageSet.Engine.Tests.Inventory;

public sealed class PrunePlannerTests
{
    private static InventoryEntry E(string id, string v = "v1") => new(id, v);

    private static readonly InventoryEntry Crd = E("_widgets.example.com_apiextensions.k8s.io_CustomResourceDefinition");
    private static readonly InventoryEntry Ns = E("_shop__Namespace");
    private static readonly InventoryEntry Web = E("shop_web_apps_Deployment");
    private static readonly InventoryEntry WebSvc = E("shop_web__Service");
    private static readonly InventoryEntry Config = E("shop_settings__ConfigMap");
    private static readonly InventoryEntry Worker = E("shop_worker_apps_Deployment");

    [Fact]
    public void An_object_claimed_by_two_stages_makes_the_spec_invalid_and_prunes_nothing()
    {
        var previous = new[] { new RecordedStage("infra", 0, [Crd, Config]) };
        var desired = new[]
        {
            new DesiredStage("infra", 0, true, [Ns, Web]),
            new DesiredStage("app", 1, true, [Web, WebSvc, WebSvc]),
        };

        var plan = PrunePlanner.Plan(previous, desired);

        Assert.Equal("1 object(s) are claimed by more than one stage", plan.InvalidSpecMessage);
        Assert.Equal([Web.Identity!.Value], plan.DuplicateClaims);
        Assert.Empty(plan.Stages);
    }

    [Fact]
    public void A_duplicate_inside_one_stage_is_fine()
    {
        var plan = PrunePlanner.Plan([], [new DesiredStage("app", 0, true, [Web, Web])]);

        Assert.Null(plan.InvalidSpecMessage);
    }

    [Fact]
    public void A_stage_prunes_what_left_it_but_not_what_moved_to_another_stage()
    {
        var previous = new[] { new RecordedStage("app", 1, [Web, WebSvc, Config, Worker]) };
        var desired = new[]
        {
            new DesiredStage("infra", 0, true, [Config]),
            new DesiredStage("app", 1, true, [E("shop_web_apps_Deployment", "v2")]),
        };

        var plan = PrunePlanner.Plan(previous, desired);

        Assert.Null(plan.InvalidSpecMessage);
        var app = Assert.Single(plan.Stages);
        Assert.False(app.Removed);
        // Version is not identity: the Deployment at v2 is the same object. Delete order is kind order reversed.
        Assert.Equal([Worker, WebSvc], app.Deletions);
    }

    [Fact]
    public void A_stage_with_prune_false_deletes_nothing()
    {
        var plan = PrunePlanner.Plan([new RecordedStage("app", 0, [Web, Worker])], [new DesiredStage("app", 0, false, [Web])]);

        var app = Assert.Single(plan.Stages);
        Assert.True(app.PruneDisabled);
        Assert.Empty(app.Deletions);
    }

    [Fact]
    public void Removed_stages_are_torn_down_by_position_descending_then_name_keeping_claimed_objects()
    {
        var previous = new[]
        {
            new RecordedStage("a-old", 1, [Config]),
            new RecordedStage("z-old", 1, [Worker]),
            new RecordedStage("late", 5, [Web, Ns]),
            new RecordedStage("app", 2, [WebSvc]),
        };
        var desired = new[] { new DesiredStage("app", 0, true, [WebSvc, Web]) };

        var plan = PrunePlanner.Plan(previous, desired);

        Assert.Equal(["app", "late", "a-old", "z-old"], plan.Stages.Select(s => s.Stage));
        Assert.Equal([false, true, true, true], plan.Stages.Select(s => s.Removed));
        Assert.Empty(plan.Stages[0].Deletions);
        Assert.Equal([Ns], plan.Stages[1].Deletions);
        Assert.Equal([Config], plan.Stages[2].Deletions);
        Assert.Equal([Worker], plan.Stages[3].Deletions);
    }

    [Fact]
    public void Teardown_goes_by_position_descending_and_skips_prune_false_stages()
    {
        var recorded = new[]
        {
            new RecordedStage("infra", 0, [Crd, Ns]),
            new RecordedStage("app", 1, [Web, WebSvc]),
            new RecordedStage("keep", 2, [Config]),
            new RecordedStage("gone", 3, [Worker]),
        };
        var specPrune = new Dictionary<string, bool> { ["infra"] = true, ["app"] = true, ["keep"] = false };

        var teardown = PrunePlanner.Teardown(recorded, specPrune);

        Assert.Equal(["gone", "app", "infra"], teardown.Select(s => s.Stage));
        Assert.True(teardown[0].Removed);
        Assert.Equal([Web, WebSvc], teardown[1].Deletions);
        Assert.Equal([Ns, Crd], teardown[2].Deletions);
    }

    [Fact]
    public void Shards_merge_per_stage_and_malformed_entries_are_skipped_and_reported()
    {
        var shards = new[]
        {
            new RecordedShard("web-app-01", "app", "1", 7, [Worker, E("broken")]),
            new RecordedShard("web-app-00", "app", "0", 2, [Web, Worker]),
            new RecordedShard("web-infra-00", "infra", "0", 0, [Crd, E("ns__apps_Deployment")]),
            new RecordedShard("stray", null, "0", 9, [Config]),
        };

        var record = InventoryRecord.FromShards(shards);

        Assert.Equal(["infra", "app"], record.Stages.Select(s => s.Stage));
        Assert.Equal(2, record.Stages[1].Position);
        Assert.Equal([Web, Worker], record.Stages[1].Entries);
        Assert.Equal(["broken", "ns__apps_Deployment"], record.SkippedEntries.Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("web", "shop", null, DeleteVerdict.Delete)]
    [InlineData("web", "shop", "Disabled", DeleteVerdict.PruneDisabled)]
    [InlineData("web", "shop", "disabled", DeleteVerdict.PruneDisabled)]
    [InlineData("web", "shop", "enabled", DeleteVerdict.Delete)]
    [InlineData("other", "shop", null, DeleteVerdict.NotOwned)]
    [InlineData("web", "other", null, DeleteVerdict.NotOwned)]
    [InlineData(null, "shop", null, DeleteVerdict.NotOwned)]
    public void Deletes_need_both_owner_labels_and_no_prune_disabled_annotation(string? name, string? ns, string? prune, DeleteVerdict verdict)
    {
        var live = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "c" } };
        if (name is not null)
        {
            StageSet.Manifests.KubeObject.SetLabel(live, "stages.metio.wtf/name", name);
        }

        StageSet.Manifests.KubeObject.SetLabel(live, "stages.metio.wtf/namespace", ns!);
        if (prune is not null)
        {
            StageSet.Manifests.KubeObject.SetAnnotation(live, "stages.metio.wtf/prune", prune);
        }

        Assert.Equal(verdict, PruneGuard.Check(live, "web", "shop"));
    }
}
