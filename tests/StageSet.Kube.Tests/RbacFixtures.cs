using System.Text.Json.Nodes;
using StageSet.Testing;

namespace StageSet.Kube.Tests;

internal static class RbacFixtures
{
    /// <summary>A Role allowing everything on ConfigMaps only, bound to the service account.</summary>
    public static async Task BindConfigMapsOnlyAsync(TestCluster cluster, string ns, string serviceAccount)
    {
        await cluster.ApplyAsync(new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "Role",
            ["metadata"] = new JsonObject { ["name"] = "configmaps", ["namespace"] = ns },
            ["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray(""),
                ["resources"] = new JsonArray("configmaps"),
                ["verbs"] = new JsonArray("*"),
            }),
        });
        await cluster.ApplyAsync(new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = new JsonObject { ["name"] = "configmaps", ["namespace"] = ns },
            ["roleRef"] = new JsonObject
            {
                ["apiGroup"] = "rbac.authorization.k8s.io",
                ["kind"] = "Role",
                ["name"] = "configmaps",
            },
            ["subjects"] = new JsonArray(new JsonObject
            {
                ["kind"] = "ServiceAccount",
                ["name"] = serviceAccount,
                ["namespace"] = ns,
            }),
        });
    }
}
