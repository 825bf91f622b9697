using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.Authorization;

/// <summary>An authenticated (or impersonated) identity, as Kubernetes' <c>user.Info</c>.</summary>
public sealed record UserInfo(
    string Name,
    IReadOnlyList<string> Groups,
    string Uid = "",
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Extra = null)
{
    /// <summary>The group that bypasses authorization and impersonation checks.</summary>
    public const string MastersGroup = "system:masters";

    public bool IsMaster => Groups.Contains(MastersGroup, StringComparer.Ordinal);
}

/// <summary>
/// What a request asks to do (Kubernetes' <c>authorizer.Attributes</c>). Resource requests fill the resource fields;
/// non-resource requests (<c>/healthz</c>, <c>/version</c>) fill <see cref="Path"/>.
/// </summary>
public sealed record RequestAttributes(
    UserInfo User,
    string Verb,
    bool IsResourceRequest,
    string Path,
    string ApiGroup,
    string ApiVersion,
    string Resource,
    string Subresource,
    string Namespace,
    string Name)
{
    public static RequestAttributes ForResource(
        UserInfo user, string verb, string apiGroup, string resource, string ns = "", string name = "", string subresource = "", string apiVersion = "") =>
        new(user, verb, true, "", apiGroup, apiVersion, resource, subresource, ns, name);

    public static RequestAttributes ForPath(UserInfo user, string verb, string path) =>
        new(user, verb, false, path, "", "", "", "", "", "");
}

/// <summary>The authorizer's answer; <see cref="Reason"/> is informational (SubjectAccessReview status, 403 suffix).</summary>
public sealed record AuthorizationDecision(bool Allowed, string Reason);

/// <summary>Snapshot reads of the RBAC objects in the server's store.</summary>
public interface IRbacObjects
{
    IEnumerable<JsonObject> ClusterRoles();

    IEnumerable<JsonObject> ClusterRoleBindings();

    IEnumerable<JsonObject> Roles(string ns);

    IEnumerable<JsonObject> RoleBindings(string ns);
}
