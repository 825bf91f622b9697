using StageSet.LocalApiServer.Authorization;

namespace StageSet.LocalApiServer.Tests.Authorization;

public class RbacAuthorizerTests
{
    private static readonly UserInfo Alice = new("alice", ["dev", "system:authenticated"]);
    private static readonly UserInfo Deployer = Sa("apps", "deployer");

    private static UserInfo Sa(string ns, string name) =>
        new($"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"]);

    private static RequestAttributes Res(UserInfo user, string verb, string group, string resource, string ns = "", string name = "", string sub = "") =>
        RequestAttributes.ForResource(user, verb, group, resource, ns, name, sub);

    /// <summary>One ClusterRole with the given rules bound cluster-wide to alice; returns whether the request is allowed.</summary>
    private static bool AllowedByClusterRole(string[] rules, RequestAttributes request) =>
        new RbacFixture().ClusterRole("r", rules).ClusterRoleBinding("b", "r", "User:alice").Authorizer.Authorize(request).Allowed;

    public static TheoryData<string, string, string, string, string, string, bool> RuleTable => new()
    {
        // rule,                                verb,     group,  resource,      sub,      name,   allowed
        { "*|*|*",                              "delete", "apps", "deployments", "",       "web",  true },
        { "*|*|*",                              "patch",  "",     "pods",        "status", "p",    true },
        { "|pods|get,list",                     "get",    "",     "pods",        "",       "p",    true },
        { "|pods|get,list",                     "watch",  "",     "pods",        "",       "",     false },
        { "|pods|get",                          "get",    "apps", "pods",        "",       "p",    false },
        { "|pods|*",                            "get",    "",     "pods",        "status", "p",    false },
        { "|pods/status|get",                   "get",    "",     "pods",        "status", "p",    true },
        { "|pods/status|get",                   "get",    "",     "pods",        "",       "p",    false },
        { "*|*/status|update",                  "update", "apps", "deployments", "status", "web",  true },
        { "*|*/status|update",                  "update", "",     "pods",        "status", "p",    true },
        { "*|*/status|update",                  "update", "apps", "deployments", "",       "web",  false },
        { "*|*/status|update",                  "update", "apps", "deployments", "scale",  "web",  false },
        { "apps|deployments|*",                 "update", "apps", "deployments", "status", "web",  false },
        { "apps|*|get",                         "get",    "apps", "statefulsets","",       "db",   true },
        { "apps|*|get",                         "get",    "batch","jobs",        "",       "j",    false },
        { "|configmaps|get,update|cfg",         "get",    "",     "configmaps",  "",       "cfg",  true },
        { "|configmaps|get,update|cfg",         "get",    "",     "configmaps",  "",       "other",false },
        { "|configmaps|list,watch,create|cfg",  "list",   "",     "configmaps",  "",       "",     false },
        { "|configmaps|list,watch,create|cfg",  "create", "",     "configmaps",  "",       "",     false },
        { "|configmaps|list,watch|cfg",         "list",   "",     "configmaps",  "",       "cfg",  true },
    };

    [Theory]
    [MemberData(nameof(RuleTable))]
    public void Rules_match_verb_group_resource_subresource_and_names(
        string rule, string verb, string group, string resource, string sub, string name, bool allowed)
    {
        Assert.Equal(allowed, AllowedByClusterRole([rule], Res(Alice, verb, group, resource, "apps", name, sub)));
    }

    [Theory]
    [InlineData("url:/healthz|get", "get", "/healthz", true)]
    [InlineData("url:/healthz|get", "get", "/healthz/etcd", false)]
    [InlineData("url:/logs/*|get", "get", "/logs/a/b", true)]
    [InlineData("url:/logs/*|get", "get", "/logs", false)]
    [InlineData("url:*|*", "post", "/anything", true)]
    [InlineData("url:/healthz|get", "post", "/healthz", false)]
    public void Non_resource_urls_match_exactly_or_by_trailing_star(string rule, string verb, string path, bool allowed)
    {
        Assert.Equal(allowed, AllowedByClusterRole([rule], RequestAttributes.ForPath(Alice, verb, path)));
    }

    [Fact]
    public void Non_resource_urls_are_granted_only_through_cluster_role_bindings()
    {
        var rbac = new RbacFixture()
            .ClusterRole("health", "url:/healthz|get")
            .RoleBinding("apps", "rb", "ClusterRole", "health", "User:alice");

        Assert.False(rbac.Authorizer.Authorize(RequestAttributes.ForPath(Alice, "get", "/healthz")).Allowed);

        rbac.ClusterRoleBinding("crb", "health", "User:alice");
        Assert.True(rbac.Authorizer.Authorize(RequestAttributes.ForPath(Alice, "get", "/healthz")).Allowed);
    }

    [Fact]
    public void Role_binding_to_a_cluster_role_grants_only_within_its_namespace()
    {
        var authz = new RbacFixture()
            .ClusterRole("cm-reader", "|configmaps|get,list")
            .RoleBinding("apps", "read", "ClusterRole", "cm-reader", "User:alice")
            .Authorizer;

        Assert.True(authz.Authorize(Res(Alice, "list", "", "configmaps", "apps")).Allowed);
        Assert.False(authz.Authorize(Res(Alice, "list", "", "configmaps", "other")).Allowed);
        Assert.False(authz.Authorize(Res(Alice, "list", "", "configmaps")).Allowed);
    }

    [Fact]
    public void Role_binding_to_a_role_uses_the_role_of_the_binding_namespace()
    {
        var authz = new RbacFixture()
            .Role("apps", "r", "|secrets|get")
            .Role("other", "r", "|secrets|get,delete")
            .RoleBinding("apps", "rb", "Role", "r", "User:alice")
            .Authorizer;

        Assert.True(authz.Authorize(Res(Alice, "get", "", "secrets", "apps", "s")).Allowed);
        Assert.False(authz.Authorize(Res(Alice, "delete", "", "secrets", "apps", "s")).Allowed);
    }

    [Fact]
    public void Service_account_subjects_default_to_the_binding_namespace()
    {
        var authz = new RbacFixture()
            .ClusterRole("edit-cm", "|configmaps|*")
            .RoleBinding("apps", "rb", "ClusterRole", "edit-cm", "ServiceAccount:deployer")
            .Authorizer;

        Assert.True(authz.Authorize(Res(Deployer, "create", "", "configmaps", "apps")).Allowed);
        Assert.False(authz.Authorize(Res(Sa("other", "deployer"), "create", "", "configmaps", "apps")).Allowed);
    }

    [Fact]
    public void Service_account_subject_of_a_cluster_role_binding_needs_an_explicit_namespace()
    {
        var rbac = new RbacFixture()
            .ClusterRole("edit-cm", "|configmaps|*")
            .ClusterRoleBinding("no-ns", "edit-cm", "ServiceAccount:deployer");
        Assert.False(rbac.Authorizer.Authorize(Res(Deployer, "create", "", "configmaps", "apps")).Allowed);

        rbac.ClusterRoleBinding("with-ns", "edit-cm", "ServiceAccount:apps/deployer");
        Assert.True(rbac.Authorizer.Authorize(Res(Deployer, "create", "", "configmaps", "x")).Allowed);
    }

    [Fact]
    public void Group_subjects_match_any_of_the_users_groups()
    {
        var authz = new RbacFixture()
            .ClusterRole("r", "|namespaces|get")
            .ClusterRoleBinding("b", "r", "Group:system:serviceaccounts:apps")
            .Authorizer;

        Assert.True(authz.Authorize(Res(Deployer, "get", "", "namespaces", name: "apps")).Allowed);
        Assert.False(authz.Authorize(Res(Alice, "get", "", "namespaces", name: "apps")).Allowed);
    }

    [Fact]
    public void System_masters_bypasses_rbac_without_a_reason()
    {
        var admin = new UserInfo("admin", ["system:masters", "system:authenticated"]);

        var decision = new RbacFixture().Authorizer.Authorize(Res(admin, "delete", "", "namespaces", name: "kube-system"));

        Assert.Equal(new AuthorizationDecision(true, ""), decision);
    }

    [Fact]
    public void Allow_reason_names_the_binding_role_and_subject()
    {
        var rbac = new RbacFixture()
            .ClusterRole("edit-cm", "|configmaps|*")
            .Role("apps", "viewer", "|pods|get")
            .RoleBinding("apps", "rb", "ClusterRole", "edit-cm", "ServiceAccount:deployer")
            .RoleBinding("apps", "rb2", "Role", "viewer", "Group:system:authenticated")
            .ClusterRoleBinding("crb", "edit-cm", "User:alice");

        Assert.Equal(
            "RBAC: allowed by RoleBinding \"rb/apps\" of ClusterRole \"edit-cm\" to ServiceAccount \"deployer/apps\"",
            rbac.Authorizer.Authorize(Res(Deployer, "get", "", "configmaps", "apps", "c")).Reason);
        Assert.Equal(
            "RBAC: allowed by RoleBinding \"rb2/apps\" of Role \"viewer\" to Group \"system:authenticated\"",
            rbac.Authorizer.Authorize(Res(Deployer, "get", "", "pods", "apps", "p")).Reason);
        Assert.Equal(
            "RBAC: allowed by ClusterRoleBinding \"crb\" of ClusterRole \"edit-cm\" to User \"alice\"",
            rbac.Authorizer.Authorize(Res(Alice, "get", "", "configmaps", "apps", "c")).Reason);
    }

    [Fact]
    public void Denial_messages_match_kube_apiserver_wording()
    {
        var authz = new RbacFixture().Authorizer;
        string Message(RequestAttributes r) => authz.ForbiddenMessage(r, authz.Authorize(r));

        Assert.Equal(
            "configmaps \"c\" is forbidden: User \"alice\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"apps\"",
            Message(Res(Alice, "get", "", "configmaps", "apps", "c")));
        Assert.Equal(
            "deployments.apps is forbidden: User \"alice\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"apps\"",
            Message(Res(Alice, "list", "apps", "deployments", "apps")));
        Assert.Equal(
            "deployments.apps \"web\" is forbidden: User \"alice\" cannot patch resource \"deployments/status\" in API group \"apps\" in the namespace \"apps\"",
            Message(Res(Alice, "patch", "apps", "deployments", "apps", "web", "status")));
        Assert.Equal(
            "namespaces is forbidden: User \"alice\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope",
            Message(Res(Alice, "list", "", "namespaces")));
        Assert.Equal(
            "customresourcedefinitions.apiextensions.k8s.io \"widgets.example.com\" is forbidden: User \"alice\" cannot delete resource \"customresourcedefinitions\" in API group \"apiextensions.k8s.io\" at the cluster scope",
            Message(Res(Alice, "delete", "apiextensions.k8s.io", "customresourcedefinitions", name: "widgets.example.com")));
        Assert.Equal(
            "forbidden: User \"system:anonymous\" cannot get path \"/x\"",
            Message(RequestAttributes.ForPath(new UserInfo("system:anonymous", ["system:unauthenticated"]), "get", "/x")));
    }

    [Fact]
    public void Impersonation_denial_reads_as_in_the_spec()
    {
        var ctrl = new UserInfo("ctrl", ["system:authenticated"]);
        var request = Res(ctrl, "impersonate", "", "serviceaccounts", "apps", "deployer");
        var authz = new RbacFixture().Authorizer;

        Assert.Equal(
            "serviceaccounts \"deployer\" is forbidden: User \"ctrl\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"apps\"",
            authz.ForbiddenMessage(request, authz.Authorize(request)));
    }

    [Fact]
    public void Binding_to_a_missing_role_appends_the_not_found_reason()
    {
        var authz = new RbacFixture()
            .RoleBinding("apps", "rb", "Role", "r", "User:alice")
            .RoleBinding("apps", "unrelated", "Role", "gone", "User:bob")
            .Authorizer;
        var request = Res(Alice, "get", "", "pods", "apps", "p");

        var decision = authz.Authorize(request);

        Assert.False(decision.Allowed);
        Assert.Equal("RBAC: role.rbac.authorization.k8s.io \"r\" not found", decision.Reason);
        Assert.Equal(
            "pods \"p\" is forbidden: User \"alice\" cannot get resource \"pods\" in API group \"\" in the namespace \"apps\": RBAC: role.rbac.authorization.k8s.io \"r\" not found",
            authz.ForbiddenMessage(request, decision));
    }

    [Fact]
    public void Several_missing_roles_are_listed_in_brackets()
    {
        var decision = new RbacFixture()
            .ClusterRoleBinding("crb", "missing-cluster-role", "User:alice")
            .RoleBinding("apps", "rb", "Role", "r", "User:alice")
            .Authorizer.Authorize(Res(Alice, "get", "", "pods", "apps", "p"));

        Assert.Equal(
            "RBAC: [clusterrole.rbac.authorization.k8s.io \"missing-cluster-role\" not found, role.rbac.authorization.k8s.io \"r\" not found]",
            decision.Reason);
    }

    [Fact]
    public void A_missing_role_does_not_hide_a_grant_from_another_binding()
    {
        var decision = new RbacFixture()
            .ClusterRole("reader", "|pods|get")
            .ClusterRoleBinding("a-broken", "missing", "User:alice")
            .ClusterRoleBinding("b-works", "reader", "User:alice")
            .Authorizer.Authorize(Res(Alice, "get", "", "pods", "apps", "p"));

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void Html_metacharacters_in_the_generated_message_are_escaped()
    {
        var evil = new UserInfo("<script>&", []);
        var authz = new RbacFixture().Authorizer;
        var request = RequestAttributes.ForPath(evil, "get", "/a");

        Assert.Equal("forbidden: User \"&lt;script&gt;&amp;\" cannot get path \"/a\"", authz.ForbiddenMessage(request, authz.Authorize(request)));
    }

    [Fact]
    public void Bindings_added_after_construction_take_effect_on_the_next_request()
    {
        var rbac = new RbacFixture().ClusterRole("r", "|pods|get");
        var authz = rbac.Authorizer;
        var request = Res(Alice, "get", "", "pods", "apps", "p");
        Assert.False(authz.Authorize(request).Allowed);

        rbac.ClusterRoleBinding("b", "r", "User:alice");

        Assert.True(authz.Authorize(request).Allowed);
    }
}
