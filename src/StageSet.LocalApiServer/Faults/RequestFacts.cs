using StageSet.LocalApiServer.Http;

namespace StageSet.LocalApiServer.Faults;

/// <summary>
/// What a request is, in the terms fault rules and the request log match on. <see cref="Verb"/> is the RBAC verb,
/// or <c>apply</c> for server-side apply, <c>discovery</c>, <c>openapi</c>, <c>version</c>, or the lower-case HTTP
/// method for other non-resource paths.
/// </summary>
public sealed record RequestFacts
{
    public string Verb { get; init; } = "";

    public string Group { get; init; } = "";

    public string Version { get; init; } = "";

    public string Resource { get; init; } = "";

    public string Subresource { get; init; } = "";

    public string Namespace { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary>The effective user (after impersonation; the caller while authentication has not run).</summary>
    public string User { get; init; } = "";

    public string UserAgent { get; init; } = "";

    internal static RequestFacts From(ApiRequest req) => From(req.Info, req.Http.Request.ContentType, req.User.Name,
        req.Http.Request.Headers.UserAgent.ToString(), req.Http.Request.Path.Value ?? "");

    internal static RequestFacts From(RequestInfo info, string? contentType, string user, string userAgent, string path)
    {
        var verb = info.Verb;
        if (info.IsResourceRequest && verb == "patch" && (contentType ?? "").StartsWith("application/apply-patch", StringComparison.OrdinalIgnoreCase))
        {
            verb = "apply";
        }
        else if (!info.IsResourceRequest)
        {
            verb = path switch
            {
                "/version" or "/version/" => "version",
                _ when path.StartsWith("/openapi", StringComparison.Ordinal) => "openapi",
                _ when path.StartsWith("/api", StringComparison.Ordinal) => "discovery",
                _ => info.Verb,
            };
        }

        return new RequestFacts
        {
            Verb = verb,
            Group = info.ApiGroup,
            Version = info.ApiVersion,
            Resource = info.Resource,
            Subresource = info.Subresource,
            Namespace = info.Namespace,
            Name = info.Name,
            User = user,
            UserAgent = userAgent,
        };
    }
}

/// <summary>Which requests a rule or query is about; null members match anything.</summary>
public sealed record RequestMatch
{
    public static readonly RequestMatch Any = new();

    public string? Verb { get; init; }

    public string? Group { get; init; }

    public string? Version { get; init; }

    public string? Resource { get; init; }

    public string? Subresource { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public string? User { get; init; }

    public string? UserAgentPrefix { get; init; }

    /// <summary>Leaves out kubectl's dispatcher <c>/version</c> probe and discovery/OpenAPI reads (default for counting).</summary>
    public bool ExcludeDiscovery { get; init; }

    public bool Matches(RequestFacts f) =>
        (Verb is null || Verb == f.Verb)
        && (Group is null || Group == f.Group)
        && (Version is null || Version == f.Version)
        && (Resource is null || Resource == f.Resource)
        && (Subresource is null || Subresource == f.Subresource)
        && (Namespace is null || Namespace == f.Namespace)
        && (Name is null || Name == f.Name)
        && (User is null || User == f.User)
        && (UserAgentPrefix is null || f.UserAgent.StartsWith(UserAgentPrefix, StringComparison.Ordinal))
        && (!ExcludeDiscovery || f.Verb is not ("version" or "discovery" or "openapi"));

    public static RequestMatch For(string verb, string resource, string? group = null) => new() { Verb = verb, Resource = resource, Group = group };
}
