using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace StageSet.LocalApiServer.Tests.Server;

/// <summary>RBAC and impersonation through HTTP (api-server.md §8).</summary>
public sealed class RbacTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Service_account_bound_to_a_role_can_create_configmaps_but_not_secrets()
    {
        var ns = await fx.NamespaceAsync();
        await fx.SendAsync(HttpMethod.Post, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "Role",
            ["metadata"] = new JsonObject { ["name"] = "cm-writer" },
            ["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray(""),
                ["resources"] = new JsonArray("configmaps"),
                ["verbs"] = new JsonArray("create", "get"),
            }),
        });
        var binding = await fx.SendAsync(HttpMethod.Post, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = new JsonObject { ["name"] = "deployer" },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = "cm-writer" },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "deployer" }),
        });
        Assert.Equal(201, binding.Code);

        using var sa = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(fx.Server.AddServiceAccountUser(ns, "deployer")));
        await sa.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "ok" } }, ns);
        var denied = await Assert.ThrowsAsync<HttpOperationException>(() =>
            sa.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "no" } }, ns));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, denied.Response.StatusCode);
        var status = JsonNode.Parse(denied.Response.Content)!;
        Assert.Equal("Forbidden", (string?)status["reason"]);
        Assert.Equal(
            $"secrets is forbidden: User \"system:serviceaccount:{ns}:deployer\" cannot create resource \"secrets\" in API group \"\" in the namespace \"{ns}\"",
            (string?)status["message"]);
    }

    [Fact]
    public async Task Impersonation_without_the_impersonate_verb_is_refused_with_the_kubernetes_message()
    {
        var token = fx.Server.AddUserToken("bob");
        using var bob = fx.Server.CreateHttpClient(token);
        var response = await RawResponse.SendAsync(bob, HttpMethod.Get, "/api/v1/namespaces/default/pods", null,
            headers: new Dictionary<string, string> { ["Impersonate-User"] = "alice" });
        Assert.Equal(403, response.Code);
        Assert.Equal("users \"alice\" is forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
            (string?)response.Json["message"]);
    }

    [Fact]
    public async Task Admin_impersonating_a_service_account_runs_with_its_rights()
    {
        var ns = await fx.NamespaceAsync();
        var review = await fx.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SelfSubjectAccessReview",
            ["spec"] = new JsonObject { ["resourceAttributes"] = new JsonObject { ["namespace"] = ns, ["verb"] = "create", ["group"] = "apps", ["resource"] = "deployments" } },
        }, headers: new Dictionary<string, string> { ["Impersonate-User"] = $"system:serviceaccount:{ns}:deployer" });
        Assert.Equal(201, review.Code);
        Assert.False((bool)review.Json["status"]!["allowed"]!);
        var list = await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps",
            headers: new Dictionary<string, string> { ["Impersonate-User"] = $"system:serviceaccount:{ns}:deployer" });
        Assert.Equal(403, list.Code);
    }
}
