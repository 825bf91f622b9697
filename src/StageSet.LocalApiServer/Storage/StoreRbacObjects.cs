using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Authorization;

namespace StageSet.LocalApiServer.Storage;

/// <summary>The RBAC objects as currently stored, read fresh for every authorization decision.</summary>
internal sealed class StoreRbacObjects(ObjectStore store) : IRbacObjects
{
    private const string Group = ".rbac.authorization.k8s.io";

    public IEnumerable<JsonObject> ClusterRoles() => Read("clusterroles", null);

    public IEnumerable<JsonObject> ClusterRoleBindings() => Read("clusterrolebindings", null);

    public IEnumerable<JsonObject> Roles(string ns) => Read("roles", ns);

    public IEnumerable<JsonObject> RoleBindings(string ns) => Read("rolebindings", ns);

    private IEnumerable<JsonObject> Read(string resource, string? ns) =>
        store.List(resource + Group, ns).Items.Select(o => o.ToJsonObject());
}
