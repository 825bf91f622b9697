using StageSet.Engine.Inventory;
using StageSet.Manifests;

namespace StageSet.Engine.Tests.Inventory;

public sealed class ApplySetTests
{
    [Fact]
    public void The_id_follows_the_kep_3659_v1_formula_over_the_seed_shard_zero_name()
    {
        // Expected value computed independently: base64url(sha256("web-app-00.shop.StageInventory.stages.metio.wtf")).
        var id = ApplySet.IdForStage("web", "app", "shop");

        Assert.Equal("applyset-IlI_fQOE9HpTFRUjHMyLdQTIP0d0xQXEGPtujoJrZwk-v1", id);
        Assert.Equal(55, id.Length);
        Assert.Equal(id, ApplySet.Id("web-app-00", "shop"));
    }

    [Fact]
    public void Parent_metadata_lists_sorted_distinct_group_kinds_and_other_namespaces()
    {
        var members = new[]
        {
            new ObjectIdentity("apps", "Deployment", "shop", "web"),
            new ObjectIdentity("", "Service", "shop", "web"),
            new ObjectIdentity("apps", "Deployment", "billing", "api"),
            new ObjectIdentity("", "Namespace", "", "billing"),
            new ObjectIdentity("", "ConfigMap", "audit", "c"),
        };

        var meta = ApplySet.ParentMetadata("applyset-x-v1", members, "shop");

        Assert.Equal("applyset-x-v1", meta.Labels[ApplySet.IdLabel]);
        Assert.Equal("ConfigMap,Deployment.apps,Namespace,Service", meta.Annotations[ApplySet.ContainsGroupKindsAnnotation]);
        Assert.Equal("audit,billing", meta.Annotations[ApplySet.AdditionalNamespacesAnnotation]);
        Assert.Equal("stageset-controller/v1", meta.Annotations[ApplySet.ToolingAnnotation]);
    }

    [Theory]
    [InlineData("entries", InventoryMode.Entries, false)]
    [InlineData("hybrid", InventoryMode.Hybrid, true)]
    [InlineData("applyset", InventoryMode.ApplySet, true)]
    public void Modes_parse_from_their_flag_spelling(string flag, InventoryMode mode, bool labelsMembers)
    {
        Assert.True(ApplySet.TryParseMode(flag, out var parsed));
        Assert.Equal(mode, parsed);
        Assert.Equal(flag, ApplySet.ModeName(mode));
        Assert.Equal(labelsMembers, ApplySet.LabelsMembers(mode));
    }

    [Theory]
    [InlineData("Hybrid")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_mode_spellings_are_rejected(string? flag) => Assert.False(ApplySet.TryParseMode(flag, out _));
}
