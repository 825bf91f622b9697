using System.Text.Json.Nodes;
using StageSet.Engine.Inventory;
using StageSet.Manifests;

namespace StageSet.Engine.Tests.Inventory;

public sealed class InventoryEntryTests
{
    [Fact]
    public void Cluster_scoped_objects_have_an_empty_namespace_and_core_objects_an_empty_group()
    {
        var crd = JsonNode.Parse("""{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"my-crd.example.com"}}""")!.AsObject();
        var service = JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"payments"}}""")!.AsObject();

        Assert.Equal(new InventoryEntry("_my-crd.example.com_apiextensions.k8s.io_CustomResourceDefinition", "v1"), InventoryEntry.For(crd));
        Assert.Equal(new InventoryEntry("payments_web__Service", "v1"), InventoryEntry.For(service));
    }

    [Fact]
    public void The_version_is_only_the_version_part_of_the_api_version()
    {
        var deployment = JsonNode.Parse("""{"apiVersion":"apps/v1beta2","kind":"Deployment","metadata":{"name":"web","namespace":"shop"}}""")!.AsObject();

        var entry = InventoryEntry.For(deployment);

        Assert.Equal("shop_web_apps_Deployment", entry.Id);
        Assert.Equal("v1beta2", entry.V);
        Assert.Equal("apps/v1beta2", entry.ApiVersion);
    }

    [Theory]
    [InlineData("payments_web__Service", "", "Service", "payments", "web")]
    [InlineData("_my-crd.example.com_apiextensions.k8s.io_CustomResourceDefinition", "apiextensions.k8s.io", "CustomResourceDefinition", "", "my-crd.example.com")]
    public void Ids_parse_back_to_the_identity(string id, string group, string kind, string ns, string name)
    {
        Assert.True(InventoryId.TryParse(id, out var identity));
        Assert.Equal(new ObjectIdentity(group, kind, ns, name), identity);
        Assert.Equal(id, InventoryId.Format(identity.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ns_name_group")]
    [InlineData("ns_name_group_Kind_extra")]
    [InlineData("ns__apps_Deployment")]
    [InlineData("ns_web_apps_")]
    [InlineData(null)]
    public void Malformed_ids_do_not_parse(string? id)
    {
        Assert.False(InventoryId.TryParse(id, out var identity));
        Assert.Null(identity);
        Assert.Null(new InventoryEntry(id ?? "", "v1").Identity);
    }
}
