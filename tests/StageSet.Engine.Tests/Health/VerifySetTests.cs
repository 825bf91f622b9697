using StageSet.Engine.Health;
using StageSet.Manifests;

namespace StageSet.Engine.Tests.Health;

public sealed class VerifySetTests
{
    private static readonly ObjectIdentity Web = new("apps", "Deployment", "shop", "web");
    private static readonly ObjectIdentity Svc = new("", "Service", "shop", "web");

    private static bool ClusterScoped(GroupKind gk) => gk.Kind is "CustomResourceDefinition" or "Namespace";

    [Fact]
    public void Applied_objects_come_first_then_checks_each_object_once()
    {
        var set = VerifySet.Build(
            [Web, Svc],
            disableWait: false,
            [
                new ReadyCheckRef("apps/v1beta1", "Deployment", "web", null),
                new ReadyCheckRef("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com", "ignored"),
                new ReadyCheckRef(null, "ConfigMap", "flags", "other"),
            ],
            "shop",
            ClusterScoped);

        Assert.Equal(
            [Web, Svc, new ObjectIdentity("apiextensions.k8s.io", "CustomResourceDefinition", "", "widgets.example.com"), new ObjectIdentity("", "ConfigMap", "other", "flags")],
            set);
    }

    [Fact]
    public void Disable_wait_keeps_only_the_explicit_checks()
    {
        var set = VerifySet.Build([Web], disableWait: true, [new ReadyCheckRef("v1", "Service", "web", "")], "shop", ClusterScoped);

        Assert.Equal([Svc], set);
    }
}
