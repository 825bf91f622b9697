using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Authorization;

/// <summary>One <c>rules[]</c> entry of a Role or ClusterRole.</summary>
internal sealed record PolicyRule(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls)
{
    public static PolicyRule Parse(JsonObject rule) => new(
        Strings(rule, "verbs"),
        Strings(rule, "apiGroups"),
        Strings(rule, "resources"),
        Strings(rule, "resourceNames"),
        Strings(rule, "nonResourceURLs"));

    public static IReadOnlyList<PolicyRule> ParseAll(JsonObject? role) =>
        role?["rules"] is JsonArray rules ? rules.OfType<JsonObject>().Select(Parse).ToList() : [];

    /// <summary>RBAC's rule match: verb, group, resource (<c>res</c>, <c>res/sub</c>, <c>*/sub</c>) and names.</summary>
    public bool Allows(RequestAttributes request)
    {
        if (!Matches(Verbs, request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return NonResourceUrls.Any(url => url == "*" || url == request.Path
                || (url.EndsWith('*') && request.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        }

        return Matches(ApiGroups, request.ApiGroup)
            && ResourceMatches(request.Resource, request.Subresource)
            && (ResourceNames.Count == 0 || ResourceNames.Contains(request.Name, StringComparer.Ordinal));
    }

    private bool ResourceMatches(string resource, string subresource)
    {
        var combined = subresource.Length == 0 ? resource : resource + "/" + subresource;
        foreach (var r in Resources)
        {
            if (r == "*" || r == combined || (subresource.Length > 0 && r == "*/" + subresource))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(IReadOnlyList<string> allowed, string value) =>
        allowed.Any(a => a == "*" || a == value);

    public JsonObject ToJson()
    {
        var o = new JsonObject();
        Put(o, "verbs", Verbs, always: true);
        Put(o, "apiGroups", ApiGroups);
        Put(o, "resources", Resources);
        Put(o, "resourceNames", ResourceNames);
        Put(o, "nonResourceURLs", NonResourceUrls);
        return o;
    }

    internal static void Put(JsonObject o, string key, IReadOnlyList<string> values, bool always = false)
    {
        if (always || values.Count > 0)
        {
            o[key] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        }
    }

    internal static IReadOnlyList<string> Strings(JsonObject? obj, string key) =>
        obj?[key] is JsonArray a
            ? a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList()
            : [];
}

/// <summary>A binding's <c>subjects[]</c> entry.</summary>
internal sealed record RbacSubject(string Kind, string Name, string Namespace)
{
    public static RbacSubject Parse(JsonObject s) => new(Str(s, "kind"), Str(s, "name"), Str(s, "namespace"));

    /// <summary>ServiceAccount subjects without a namespace take the binding's (none for ClusterRoleBindings).</summary>
    public bool AppliesTo(UserInfo user, string bindingNamespace)
    {
        switch (Kind)
        {
            case "User":
                return user.Name == Name;
            case "Group":
                return user.Groups.Contains(Name, StringComparer.Ordinal);
            case "ServiceAccount":
                var ns = Namespace.Length > 0 ? Namespace : bindingNamespace;
                return ns.Length > 0 && user.Name == "system:serviceaccount:" + ns + ":" + Name;
            default:
                return false;
        }
    }

    /// <summary>As RBAC names subjects in "allowed by" reasons: <c>ServiceAccount "name/ns"</c>.</summary>
    public string Describe(string bindingNamespace) => Kind == "ServiceAccount"
        ? $"{Kind} {FieldQuote(Name + "/" + (Namespace.Length > 0 ? Namespace : bindingNamespace))}"
        : $"{Kind} {FieldQuote(Name)}";

    internal static string FieldQuote(string s) => Manifests.Schema.FieldError.Quote(s);

    internal static string Str(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}

/// <summary>A RoleBinding or ClusterRoleBinding (namespace empty) with its role reference.</summary>
internal sealed record RbacBinding(string Name, string Namespace, string RoleKind, string RoleName, IReadOnlyList<RbacSubject> Subjects)
{
    public static RbacBinding Parse(JsonObject binding)
    {
        var roleRef = binding["roleRef"] as JsonObject;
        var subjects = binding["subjects"] is JsonArray a ? a.OfType<JsonObject>().Select(RbacSubject.Parse).ToList() : [];
        return new RbacBinding(
            KubeObject.Name(binding),
            KubeObject.Namespace(binding),
            RbacSubject.Str(roleRef, "kind"),
            RbacSubject.Str(roleRef, "name"),
            subjects);
    }

    public RbacSubject? SubjectFor(UserInfo user) => Subjects.FirstOrDefault(s => s.AppliesTo(user, Namespace));

    /// <summary><c>ClusterRoleBinding "n" of ClusterRole "r" to Group "g"</c> / <c>RoleBinding "n/ns" of …</c>.</summary>
    public string Describe(RbacSubject subject) => Namespace.Length == 0
        ? $"ClusterRoleBinding {RbacSubject.FieldQuote(Name)} of {RoleKind} {RbacSubject.FieldQuote(RoleName)} to {subject.Describe("")}"
        : $"RoleBinding {RbacSubject.FieldQuote(Name + "/" + Namespace)} of {RoleKind} {RbacSubject.FieldQuote(RoleName)} to {subject.Describe(Namespace)}";
}
