using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Authentication;

namespace StageSet.LocalApiServer.Access;

/// <summary>What is being asked of the authorizer (kube-apiserver authorizer attributes).</summary>
internal sealed record AccessRequest(
    UserIdentity User,
    string Verb,
    bool IsResourceRequest,
    string Path,
    string ApiGroup,
    string ApiVersion,
    string Resource,
    string Subresource,
    string Namespace,
    string Name);

internal sealed record AccessDecision(bool Allowed, string Reason);

/// <summary>Authorization as the server consults it; RBAC lives behind this.</summary>
internal interface IAccessControl
{
    AccessDecision Authorize(AccessRequest request);

    /// <summary>The exact 403 message for a denied request.</summary>
    string ForbiddenMessage(AccessRequest request, AccessDecision decision);

    /// <summary>SelfSubjectRulesReview status for a user in a namespace.</summary>
    JsonObject RulesReview(UserIdentity user, string ns);
}

/// <summary>Everyone may do everything (until RBAC is wired in; system:masters always may).</summary>
internal sealed class AllowAllAccess : IAccessControl
{
    public AccessDecision Authorize(AccessRequest request) => new(true, "");

    public string ForbiddenMessage(AccessRequest request, AccessDecision decision) => "forbidden";

    public JsonObject RulesReview(UserIdentity user, string ns) => new()
    {
        ["resourceRules"] = new JsonArray(new JsonObject
        {
            ["verbs"] = new JsonArray("*"),
            ["apiGroups"] = new JsonArray("*"),
            ["resources"] = new JsonArray("*"),
        }),
        ["nonResourceRules"] = new JsonArray(new JsonObject
        {
            ["verbs"] = new JsonArray("*"),
            ["nonResourceURLs"] = new JsonArray("*"),
        }),
        ["incomplete"] = false,
    };
}
