using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Authorization;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Tests.Authorization;

/// <summary>RBAC objects held in lists, standing in for the server's store in these pure-logic tests.</summary>
internal sealed class RbacFixture : IRbacObjects
{
    private readonly List<JsonObject> _objects = [];

    public RbacFixture(bool withBootstrap = false)
    {
        if (withBootstrap)
        {
            _objects.AddRange(BootstrapRbac.Objects());
        }
    }

    public RbacAuthorizer Authorizer => new(this);

    public IEnumerable<JsonObject> ClusterRoles() => Of("ClusterRole", "");

    public IEnumerable<JsonObject> ClusterRoleBindings() => Of("ClusterRoleBinding", "");

    public IEnumerable<JsonObject> Roles(string ns) => Of("Role", ns);

    public IEnumerable<JsonObject> RoleBindings(string ns) => Of("RoleBinding", ns);

    /// <summary>A rule as <c>"group|res1,res2|verb1,verb2[|name1,name2]"</c>, or <c>"url:/a,/b|verbs"</c>.</summary>
    public static JsonObject Rule(string text)
    {
        var parts = text.Split('|');
        if (parts[0].StartsWith("url:", StringComparison.Ordinal))
        {
            return new JsonObject { ["nonResourceURLs"] = List(parts[0][4..]), ["verbs"] = List(parts[1]) };
        }

        var rule = new JsonObject { ["apiGroups"] = List(parts[0]), ["resources"] = List(parts[1]), ["verbs"] = List(parts[2]) };
        if (parts.Length > 3)
        {
            rule["resourceNames"] = List(parts[3]);
        }

        return rule;
    }

    public RbacFixture ClusterRole(string name, params string[] rules) => Add("ClusterRole", name, "", new JsonObject { ["rules"] = Rules(rules) });

    public RbacFixture Role(string ns, string name, params string[] rules) => Add("Role", name, ns, new JsonObject { ["rules"] = Rules(rules) });

    /// <summary>Subjects as <c>User:alice</c>, <c>Group:dev</c>, <c>ServiceAccount:deployer</c>, <c>ServiceAccount:ns/deployer</c>.</summary>
    public RbacFixture ClusterRoleBinding(string name, string clusterRole, params string[] subjects) =>
        Add("ClusterRoleBinding", name, "", Binding("ClusterRole", clusterRole, subjects));

    public RbacFixture RoleBinding(string ns, string name, string roleKind, string role, params string[] subjects) =>
        Add("RoleBinding", name, ns, Binding(roleKind, role, subjects));

    private static JsonObject Binding(string roleKind, string role, string[] subjects) => new()
    {
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = roleKind, ["name"] = role },
        ["subjects"] = new JsonArray(subjects.Select(s =>
        {
            var (kind, rest) = (s[..s.IndexOf(':')], s[(s.IndexOf(':') + 1)..]);
            var subject = new JsonObject { ["kind"] = kind };
            if (rest.Contains('/'))
            {
                subject["namespace"] = rest[..rest.IndexOf('/')];
                rest = rest[(rest.IndexOf('/') + 1)..];
            }

            subject["name"] = rest;
            return (JsonNode?)subject;
        }).ToArray()),
    };

    private RbacFixture Add(string kind, string name, string ns, JsonObject body)
    {
        var meta = new JsonObject { ["name"] = name };
        if (ns.Length > 0)
        {
            meta["namespace"] = ns;
        }

        body["apiVersion"] = "rbac.authorization.k8s.io/v1";
        body["kind"] = kind;
        body["metadata"] = meta;
        _objects.Add(body);
        return this;
    }

    private IEnumerable<JsonObject> Of(string kind, string ns) =>
        _objects.Where(o => KubeObject.Kind(o) == kind && KubeObject.Namespace(o) == ns);

    private static JsonArray Rules(string[] rules) => new(rules.Select(r => (JsonNode?)Rule(r)).ToArray());

    private static JsonArray List(string csv) => new(csv.Split(',').Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
