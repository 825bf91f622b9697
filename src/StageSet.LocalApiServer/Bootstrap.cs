using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Authorization;
using StageSet.LocalApiServer.Registry;
using StageSet.Manifests;

namespace StageSet.LocalApiServer;

/// <summary>What a fresh kube-apiserver already holds: system namespaces and the <c>default/kubernetes</c> Service.</summary>
internal static class Bootstrap
{
    public static void Seed(ServerCore core)
    {
        SeedRbac(core);
        var namespaces = Builtin("namespaces");
        foreach (var name in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            core.Writer.Create(namespaces, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = name },
                },
                ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
            }, core.SystemContext("kube-apiserver"));
        }

        core.Writer.Create(Builtin("services"), new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes",
                ["namespace"] = "default",
                ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
            },
            ["spec"] = new JsonObject
            {
                ["ports"] = new JsonArray(new JsonObject
                {
                    ["name"] = "https",
                    ["protocol"] = "TCP",
                    ["port"] = 443,
                    ["targetPort"] = 6443,
                }),
                ["clusterIP"] = "10.0.0.1",
                ["clusterIPs"] = new JsonArray("10.0.0.1"),
                ["type"] = "ClusterIP",
                ["sessionAffinity"] = "None",
                ["ipFamilies"] = new JsonArray("IPv4"),
                ["ipFamilyPolicy"] = "SingleStack",
                ["internalTrafficPolicy"] = "Cluster",
            },
        }, core.SystemContext("kube-apiserver"));
    }

    /// <summary>The bootstrap ClusterRoles and ClusterRoleBindings (api-server.md §8.4).</summary>
    public static void SeedRbac(ServerCore core)
    {
        foreach (var obj in BootstrapRbac.Objects())
        {
            var rt = BuiltinResources.All.First(r => r.Group == "rbac.authorization.k8s.io" && r.Kind == KubeObject.Kind(obj));
            core.Writer.Create(rt, obj, core.SystemContext("kube-apiserver"));
        }
    }

    public static ResourceType Builtin(string resource) => BuiltinResources.All.First(r => r.Resource == resource && r.Group.Length == 0);
}
