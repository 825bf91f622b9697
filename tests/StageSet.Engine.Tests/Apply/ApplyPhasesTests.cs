using System.Text.Json.Nodes;
using StageSet.Engine.Apply;
using StageSet.Engine.Health;
using StageSet.Manifests;

namespace StageSet.Engine.Tests.Apply;

public sealed class ApplyPhasesTests
{
    private static JsonObject Obj(string apiVersion, string kind, string name, string ns = "") => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["metadata"] = ns.Length == 0 ? new JsonObject { ["name"] = name } : new JsonObject { ["name"] = name, ["namespace"] = ns },
    };

    private static string Describe(JsonObject o) => HealthWait.Format(KubeObject.Identity(o));

    [Fact]
    public void Cluster_definitions_then_classes_then_everything_else_each_in_flux_kind_order()
    {
        var objects = new[]
        {
            Obj("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "hook"),
            Obj("apps/v1", "Deployment", "web", "shop"),
            Obj("example.com/v1", "Widget", "w", "shop"),
            Obj("v1", "Service", "web", "shop"),
            Obj("networking.k8s.io/v1", "IngressClass", "nginx"),
            Obj("rbac.authorization.k8s.io/v1", "ClusterRole", "reader"),
            Obj("v1", "Namespace", "shop"),
            Obj("storage.k8s.io/v1", "StorageClass", "fast"),
            Obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com"),
            Obj("v1", "ConfigMap", "b", "shop"),
            Obj("v1", "ConfigMap", "a", "shop"),
            Obj("v1", "ServiceAccount", "web", "shop"),
            Obj("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "reader"),
        };

        var batches = ApplyPhases.Plan(objects);

        Assert.Equal([ApplyPhase.ClusterDefinitions, ApplyPhase.ClassDefinitions, ApplyPhase.Resources], batches.Select(b => b.Phase));
        Assert.Equal([true, true, false], batches.Select(b => b.WaitForReady));
        Assert.Equal(
            ["CustomResourceDefinition/widgets.example.com", "Namespace/shop", "ClusterRole/reader"],
            batches[0].Objects.Select(Describe));
        Assert.Equal(["StorageClass/fast", "IngressClass/nginx"], batches[1].Objects.Select(Describe));
        Assert.Equal(
            [
                "ServiceAccount/shop/web", "ClusterRoleBinding/reader", "ConfigMap/shop/a", "ConfigMap/shop/b", "Service/shop/web",
                "Deployment/shop/web", "Widget/shop/w", "ValidatingWebhookConfiguration/hook",
            ],
            batches[2].Objects.Select(Describe));
    }

    [Fact]
    public void A_namespace_or_clusterrole_of_another_group_is_an_ordinary_resource()
    {
        Assert.Equal(ApplyPhase.Resources, ApplyPhases.PhaseOf(Obj("example.com/v1", "Namespace", "n")));
        Assert.Equal(ApplyPhase.Resources, ApplyPhases.PhaseOf(Obj("example.com/v1", "ClusterRole", "r")));
        Assert.Equal(ApplyPhase.ClusterDefinitions, ApplyPhases.PhaseOf(Obj("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "c")));
    }

    [Fact]
    public void Only_non_empty_batches_are_returned()
    {
        var batch = Assert.Single(ApplyPhases.Plan([Obj("v1", "ConfigMap", "a", "shop")]));

        Assert.Equal(ApplyPhase.Resources, batch.Phase);
        Assert.Empty(ApplyPhases.Plan([]));
    }

    [Fact]
    public void Unlisted_kinds_sort_by_group_then_kind_between_the_listed_ones()
    {
        var ids = new[]
        {
            new ObjectIdentity("z.example.com", "Alpha", "ns", "a"),
            new ObjectIdentity("a.example.com", "Zeta", "ns", "a"),
            new ObjectIdentity("a.example.com", "Beta", "ns", "a"),
            new ObjectIdentity("apps", "Deployment", "ns", "a"),
            new ObjectIdentity("admissionregistration.k8s.io", "MutatingWebhookConfiguration", "", "m"),
        };

        Assert.Equal(
            ["Deployment", "Beta", "Zeta", "Alpha", "MutatingWebhookConfiguration"],
            ids.Order(KindOrder.Comparer).Select(i => i.Kind));
    }
}
