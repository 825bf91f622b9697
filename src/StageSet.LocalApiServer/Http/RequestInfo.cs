namespace StageSet.LocalApiServer.Http;

/// <summary>
/// What a request addresses, parsed from its path the way kube-apiserver's RequestInfoFactory does: the RBAC verb,
/// and for resource requests group, version, namespace, resource, name and subresource.
/// </summary>
internal sealed record RequestInfo
{
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    public required string Path { get; init; }

    public required string Verb { get; init; }

    public bool IsResourceRequest { get; init; }

    public string ApiGroup { get; init; } = "";

    public string ApiVersion { get; init; } = "";

    public string Namespace { get; init; } = "";

    public string Resource { get; init; } = "";

    public string Name { get; init; } = "";

    public string Subresource { get; init; } = "";

    /// <summary>Path segments after <c>/api</c> or <c>/apis</c> (discovery requests have fewer than a resource needs).</summary>
    public IReadOnlyList<string> Parts { get; init; } = [];

    public static RequestInfo Parse(string method, string path, bool watchParam)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var nonResourceVerb = method switch
        {
            "POST" => "post",
            "PUT" => "put",
            "PATCH" => "patch",
            "DELETE" => "delete",
            "HEAD" => "head",
            _ => "get",
        };
        var nonResource = new RequestInfo { Path = path, Verb = nonResourceVerb };
        if (parts.Length == 0 || (parts[0] != "api" && parts[0] != "apis"))
        {
            return nonResource;
        }

        int rest;
        string group, version;
        if (parts[0] == "api")
        {
            if (parts.Length < 2)
            {
                return nonResource with { Parts = parts[1..] };
            }

            group = "";
            version = parts[1];
            rest = 2;
        }
        else
        {
            if (parts.Length < 3)
            {
                return nonResource with { Parts = parts[1..] };
            }

            group = parts[1];
            version = parts[2];
            rest = 3;
        }

        var current = parts[rest..];
        if (current.Length == 0)
        {
            return nonResource with { Parts = parts[1..], ApiGroup = group, ApiVersion = version };
        }

        var ns = "";
        if (current[0] == "namespaces" && current.Length > 1)
        {
            ns = current[1];
            if (current.Length > 2 && !NamespaceSubresources.Contains(current[2]))
            {
                current = current[2..];
            }
        }

        var resource = current[0];
        var name = current.Length > 1 ? current[1] : "";
        var sub = current.Length > 2 ? current[2] : "";
        if (current.Length > 3)
        {
            // Deeper paths (proxy and the like) are not served; keep them unmatched.
            sub = string.Join('/', current[2..]);
        }

        var verb = method switch
        {
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name.Length == 0 ? "deletecollection" : "delete",
            _ => watchParam ? "watch" : name.Length == 0 ? "list" : "get",
        };
        return new RequestInfo
        {
            Path = path,
            Verb = verb,
            IsResourceRequest = true,
            ApiGroup = group,
            ApiVersion = version,
            Namespace = ns,
            Resource = resource,
            Name = name,
            Subresource = sub,
            Parts = parts[1..],
        };
    }
}
