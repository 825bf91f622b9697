using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Authorization;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Tests.Authorization;

public class BootstrapRbacAndReviewTests
{
    private static readonly UserInfo Authenticated = new("alice", ["system:authenticated"]);
    private static readonly UserInfo Anonymous = new("system:anonymous", ["system:unauthenticated"]);
    private static readonly UserInfo Deployer = new("system:serviceaccount:apps:deployer", ["system:serviceaccounts", "system:serviceaccounts:apps", "system:authenticated"]);

    [Fact]
    public void Bootstrap_holds_the_spec_roles_and_bindings()
    {
        var objects = BootstrapRbac.Objects();

        Assert.Equal(
            ["cluster-admin", "admin", "edit", "view", "system:discovery", "system:basic-user", "system:public-info-viewer"],
            objects.Where(o => KubeObject.Kind(o) == "ClusterRole").Select(KubeObject.Name));
        var bindings = objects.Where(o => KubeObject.Kind(o) == "ClusterRoleBinding")
            .ToDictionary(KubeObject.Name, o => string.Join(",", o["subjects"]!.AsArray().Select(s => (string)s!["name"]!)));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["cluster-admin"] = "system:masters",
                ["system:discovery"] = "system:authenticated",
                ["system:basic-user"] = "system:authenticated",
                ["system:public-info-viewer"] = "system:authenticated,system:unauthenticated",
            },
            bindings);
        Assert.All(objects, o => Assert.Equal("rbac-defaults", KubeObject.Label(o, "kubernetes.io/bootstrapping")));
    }

    [Fact]
    public void Bootstrap_returns_independent_copies()
    {
        var first = BootstrapRbac.Objects();
        first[0]["rules"]!.AsArray().Clear();

        Assert.NotEmpty(BootstrapRbac.Objects()[0]["rules"]!.AsArray());
    }

    [Fact]
    public void Masters_group_is_bound_to_cluster_admin_which_allows_everything()
    {
        var root = new UserInfo("root", ["system:masters"]);
        var authz = new RbacFixture(withBootstrap: true).Authorizer;

        Assert.True(authz.Authorize(RequestAttributes.ForPath(root, "get", "/metrics")).Allowed);
        Assert.True(authz.Authorize(RequestAttributes.ForResource(root, "escalate", "rbac.authorization.k8s.io", "clusterroles")).Allowed);
    }

    [Theory]
    [InlineData("/api", true)]
    [InlineData("/apis/apps/v1", true)]
    [InlineData("/openapi/v3", true)]
    [InlineData("/version", true)]
    [InlineData("/healthz", true)]
    [InlineData("/metrics", false)]
    public void Authenticated_users_get_discovery(string path, bool allowed)
    {
        var authz = new RbacFixture(withBootstrap: true).Authorizer;

        Assert.Equal(allowed, authz.Authorize(RequestAttributes.ForPath(Authenticated, "get", path)).Allowed);
    }

    [Theory]
    [InlineData("/healthz", true)]
    [InlineData("/readyz", true)]
    [InlineData("/version", true)]
    [InlineData("/api", false)]
    [InlineData("/apis", false)]
    public void Anonymous_users_get_only_public_info(string path, bool allowed)
    {
        var authz = new RbacFixture(withBootstrap: true).Authorizer;

        Assert.Equal(allowed, authz.Authorize(RequestAttributes.ForPath(Anonymous, "get", path)).Allowed);
    }

    [Theory]
    [InlineData("authorization.k8s.io", "selfsubjectaccessreviews", true)]
    [InlineData("authorization.k8s.io", "selfsubjectrulesreviews", true)]
    [InlineData("authentication.k8s.io", "selfsubjectreviews", true)]
    [InlineData("authorization.k8s.io", "subjectaccessreviews", false)]
    public void Basic_user_may_create_only_self_reviews(string group, string resource, bool allowed)
    {
        var authz = new RbacFixture(withBootstrap: true).Authorizer;

        Assert.Equal(allowed, authz.Authorize(RequestAttributes.ForResource(Authenticated, "create", group, resource)).Allowed);
    }

    [Fact]
    public void Unbound_view_edit_admin_grant_through_a_role_binding_in_layers()
    {
        var rbac = new RbacFixture(withBootstrap: true)
            .RoleBinding("v", "b", "ClusterRole", "view", "ServiceAccount:apps/deployer")
            .RoleBinding("e", "b", "ClusterRole", "edit", "ServiceAccount:apps/deployer")
            .RoleBinding("a", "b", "ClusterRole", "admin", "ServiceAccount:apps/deployer");
        var authz = rbac.Authorizer;
        bool Can(string verb, string group, string resource, string ns, string sub = "") =>
            authz.Authorize(RequestAttributes.ForResource(Deployer, verb, group, resource, ns, "x", sub)).Allowed;

        Assert.True(Can("get", "apps", "deployments", "v"));
        Assert.True(Can("get", "apps", "deployments", "v", "status"));
        Assert.False(Can("create", "apps", "deployments", "v"));
        Assert.False(Can("get", "", "secrets", "v"));

        Assert.True(Can("create", "apps", "deployments", "e"));
        Assert.True(Can("get", "", "secrets", "e"));
        Assert.True(Can("list", "apps", "deployments", "e"));
        Assert.True(Can("impersonate", "", "serviceaccounts", "e"));
        Assert.False(Can("create", "rbac.authorization.k8s.io", "rolebindings", "e"));

        Assert.True(Can("create", "rbac.authorization.k8s.io", "rolebindings", "a"));
        Assert.True(Can("delete", "batch", "jobs", "a"));
        Assert.False(Can("get", "", "nodes", "a"));
        Assert.False(Can("update", "apps", "deployments", "a", "status"));
        Assert.False(Can("get", "", "pods", "other"));
    }

    [Fact]
    public void Rules_review_lists_cluster_and_namespace_rules_split_by_kind()
    {
        var rbac = new RbacFixture(withBootstrap: true)
            .Role("apps", "cm", "|configmaps|get,list|cfg")
            .RoleBinding("apps", "b", "Role", "cm", "ServiceAccount:deployer");

        var status = rbac.Authorizer.RulesReview(Deployer, "apps");

        JsonAssert.Equal(
            """
            {"resourceRules":[
              {"verbs":["create"],"apiGroups":["authorization.k8s.io"],"resources":["selfsubjectaccessreviews","selfsubjectrulesreviews"]},
              {"verbs":["create"],"apiGroups":["authentication.k8s.io"],"resources":["selfsubjectreviews"]},
              {"verbs":["get","list"],"apiGroups":[""],"resources":["configmaps"],"resourceNames":["cfg"]}],
             "nonResourceRules":[
              {"verbs":["get"],"nonResourceURLs":["/api","/api/*","/apis","/apis/*","/healthz","/livez","/openapi","/openapi/*","/readyz","/version","/version/"]},
              {"verbs":["get"],"nonResourceURLs":["/healthz","/livez","/readyz","/version","/version/"]}],
             "incomplete":false}
            """,
            status);
        Assert.Equal(2, rbac.Authorizer.RulesReview(Deployer, "other")["resourceRules"]!.AsArray().Count);
    }

    [Fact]
    public void Rules_review_reports_missing_roles_as_evaluation_error()
    {
        var status = new RbacFixture().RoleBinding("apps", "b", "Role", "gone", "User:alice").Authorizer.RulesReview(Authenticated, "apps");

        Assert.Equal("role.rbac.authorization.k8s.io \"gone\" not found", (string?)status["evaluationError"]);
        Assert.Empty(status["resourceRules"]!.AsArray());
    }

    [Fact]
    public void Rules_review_of_a_master_starts_with_the_privileged_wildcards()
    {
        var status = new RbacFixture().Authorizer.RulesReview(new UserInfo("root", ["system:masters"]), "apps");

        JsonAssert.Equal(
            """{"resourceRules":[{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}],"nonResourceRules":[{"verbs":["*"],"nonResourceURLs":["*"]}],"incomplete":false}""",
            status);
    }

    [Fact]
    public void Access_review_spec_becomes_attributes_and_decision_becomes_status()
    {
        var spec = JsonAssert.Obj("""{"resourceAttributes":{"namespace":"apps","verb":"patch","group":"apps","resource":"deployments","subresource":"status","name":"web"}}""");
        var rbac = new RbacFixture().ClusterRole("r", "apps|deployments/status|patch").RoleBinding("apps", "b", "ClusterRole", "r", "ServiceAccount:deployer");

        var attributes = AccessReviews.Attributes(Deployer, spec);
        var status = AccessReviews.Status(rbac.Authorizer.Authorize(attributes));

        Assert.Equal(RequestAttributes.ForResource(Deployer, "patch", "apps", "deployments", "apps", "web", "status"), attributes);
        JsonAssert.Equal(
            """{"allowed":true,"reason":"RBAC: allowed by RoleBinding \"b/apps\" of ClusterRole \"r\" to ServiceAccount \"deployer/apps\""}""",
            status);
        JsonAssert.Equal("""{"allowed":false}""", AccessReviews.Status(new AuthorizationDecision(false, "")));
    }

    [Fact]
    public void Access_review_of_a_path_uses_non_resource_attributes()
    {
        var attributes = AccessReviews.Attributes(Authenticated, JsonAssert.Obj("""{"nonResourceAttributes":{"path":"/healthz","verb":"get"}}"""));

        Assert.Equal(RequestAttributes.ForPath(Authenticated, "get", "/healthz"), attributes);
    }

    [Fact]
    public void Subject_access_review_names_its_subject()
    {
        var spec = JsonAssert.Obj("""{"resourceAttributes":{"verb":"get","resource":"pods"},"user":"bob","groups":["dev"],"uid":"1","extra":{"scopes":["a","b"]}}""");

        var subject = AccessReviews.SubjectOf(spec);

        Assert.Equal("bob", subject.Name);
        Assert.Equal(["dev"], subject.Groups);
        Assert.Equal("1", subject.Uid);
        Assert.Equal(["a", "b"], subject.Extra!["scopes"]);
    }

    [Fact]
    public void Review_specs_are_validated_with_kube_wording()
    {
        Assert.Equal(
            ["spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified"],
            AccessReviews.Validate(new JsonObject(), subjectReview: false).Select(e => e.ToString()));
        Assert.Equal(
            ["spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:\"/x\", Verb:\"get\"}: cannot be specified in combination with resourceAttributes"],
            AccessReviews.Validate(JsonAssert.Obj("""{"resourceAttributes":{},"nonResourceAttributes":{"path":"/x","verb":"get"}}"""), false).Select(e => e.ToString()));
        Assert.Equal(
            ["spec.user: Invalid value: \"\": at least one of user or group must be specified"],
            AccessReviews.Validate(JsonAssert.Obj("""{"resourceAttributes":{"verb":"get"}}"""), subjectReview: true).Select(e => e.ToString()));
        Assert.Empty(AccessReviews.Validate(JsonAssert.Obj("""{"resourceAttributes":{"verb":"get"},"groups":["g"]}"""), subjectReview: true));
    }
}
