using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Authorization;

/// <summary>
/// Kubernetes RBAC over the server's stored Roles, ClusterRoles and bindings (api-server.md §8.3), plus the
/// <c>system:masters</c> bypass that kube-apiserver puts in front of it. Reads a fresh snapshot on every call, so
/// binding changes take effect on the next request as on a real cluster.
/// </summary>
public sealed class RbacAuthorizer(IRbacObjects objects)
{
    private readonly IRbacObjects _objects = objects;

    public AuthorizationDecision Authorize(RequestAttributes request)
    {
        if (request.User.IsMaster)
        {
            return new AuthorizationDecision(true, "");
        }

        var errors = new List<string>();
        foreach (var visit in VisitRules(request.User, request.IsResourceRequest ? request.Namespace : ""))
        {
            if (visit.Error is not null)
            {
                errors.Add(visit.Error);
            }
            else if (visit.Rule!.Allows(request))
            {
                return new AuthorizationDecision(true, "RBAC: allowed by " + visit.Source);
            }
        }

        return new AuthorizationDecision(false, errors.Count == 0 ? "" : "RBAC: " + Aggregate(errors));
    }

    /// <summary>
    /// The 403 message: <c>&lt;gr&gt; "&lt;name&gt;" is forbidden: User "u" cannot verb resource "r" in API group "g" in the
    /// namespace "ns"</c>, the decision's reason appended after <c>: </c>. Also words impersonation denials (§8.2).
    /// </summary>
    public string ForbiddenMessage(RequestAttributes request, AuthorizationDecision decision)
    {
        var what = Sanitize(Describe(request));
        var detail = decision.Reason.Length == 0 ? what : what + ": " + decision.Reason;
        if (!request.IsResourceRequest)
        {
            return "forbidden: " + detail;
        }

        var gr = request.ApiGroup.Length == 0 ? request.Resource : request.Resource + "." + request.ApiGroup;
        if (gr.Length == 0)
        {
            return "forbidden: " + detail;
        }

        return request.Name.Length == 0
            ? gr + " is forbidden: " + detail
            : gr + " " + RbacSubject.FieldQuote(request.Name) + " is forbidden: " + detail;
    }

    /// <summary>
    /// The <c>status</c> of a SelfSubjectRulesReview: every rule the user holds cluster-wide or in <paramref name="ns"/>,
    /// split into resource and non-resource rules, with unresolvable role references in <c>evaluationError</c>.
    /// </summary>
    public JsonObject RulesReview(UserInfo user, string ns)
    {
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        if (user.IsMaster)
        {
            resourceRules.Add(new JsonObject { ["verbs"] = new JsonArray("*"), ["apiGroups"] = new JsonArray("*"), ["resources"] = new JsonArray("*") });
            nonResourceRules.Add(new JsonObject { ["verbs"] = new JsonArray("*"), ["nonResourceURLs"] = new JsonArray("*") });
        }

        var errors = new List<string>();
        foreach (var visit in VisitRules(user, ns))
        {
            if (visit.Error is not null)
            {
                errors.Add(visit.Error);
                continue;
            }

            var rule = visit.Rule!;
            if (rule.Resources.Count > 0)
            {
                var o = new JsonObject();
                PolicyRule.Put(o, "verbs", rule.Verbs, always: true);
                PolicyRule.Put(o, "apiGroups", rule.ApiGroups);
                PolicyRule.Put(o, "resources", rule.Resources);
                PolicyRule.Put(o, "resourceNames", rule.ResourceNames);
                resourceRules.Add(o);
            }

            if (rule.NonResourceUrls.Count > 0)
            {
                var o = new JsonObject();
                PolicyRule.Put(o, "verbs", rule.Verbs, always: true);
                PolicyRule.Put(o, "nonResourceURLs", rule.NonResourceUrls);
                nonResourceRules.Add(o);
            }
        }

        var status = new JsonObject
        {
            ["resourceRules"] = resourceRules,
            ["nonResourceRules"] = nonResourceRules,
            ["incomplete"] = false,
        };
        if (errors.Count > 0)
        {
            status["evaluationError"] = Aggregate(errors);
        }

        return status;
    }

    /// <summary>One rule with the binding that grants it, or the error of a binding whose role cannot be resolved.</summary>
    private sealed record RuleVisit(string Source, PolicyRule? Rule, string? Error);

    /// <summary>ClusterRoleBindings first, then RoleBindings of <paramref name="ns"/>, each in name order.</summary>
    private IEnumerable<RuleVisit> VisitRules(UserInfo user, string ns)
    {
        IEnumerable<RbacBinding> bindings = _objects.ClusterRoleBindings().Select(RbacBinding.Parse).OrderBy(b => b.Name, StringComparer.Ordinal);
        if (ns.Length > 0)
        {
            bindings = bindings.Concat(_objects.RoleBindings(ns).Select(RbacBinding.Parse)
                .Select(b => b with { Namespace = ns })
                .OrderBy(b => b.Name, StringComparer.Ordinal));
        }

        foreach (var binding in bindings)
        {
            var subject = binding.SubjectFor(user);
            if (subject is null)
            {
                continue;
            }

            var (rules, error) = ResolveRole(binding);
            if (error is not null)
            {
                yield return new RuleVisit("", null, error);
                continue;
            }

            var source = binding.Describe(subject);
            foreach (var rule in rules)
            {
                yield return new RuleVisit(source, rule, null);
            }
        }
    }

    private (IReadOnlyList<PolicyRule> Rules, string? Error) ResolveRole(RbacBinding binding)
    {
        switch (binding.RoleKind)
        {
            case "ClusterRole":
                var clusterRole = _objects.ClusterRoles().FirstOrDefault(r => KubeObject.Name(r) == binding.RoleName);
                return clusterRole is null
                    ? ([], $"clusterrole.rbac.authorization.k8s.io {RbacSubject.FieldQuote(binding.RoleName)} not found")
                    : (PolicyRule.ParseAll(clusterRole), null);
            case "Role" when binding.Namespace.Length > 0:
                var role = _objects.Roles(binding.Namespace).FirstOrDefault(r => KubeObject.Name(r) == binding.RoleName);
                return role is null
                    ? ([], $"role.rbac.authorization.k8s.io {RbacSubject.FieldQuote(binding.RoleName)} not found")
                    : (PolicyRule.ParseAll(role), null);
            default:
                return ([], $"unsupported role reference kind: {RbacSubject.FieldQuote(binding.RoleKind)}");
        }
    }

    private static string Describe(RequestAttributes request)
    {
        var user = RbacSubject.FieldQuote(request.User.Name);
        if (!request.IsResourceRequest)
        {
            return $"User {user} cannot {request.Verb} path {RbacSubject.FieldQuote(request.Path)}";
        }

        var resource = request.Subresource.Length == 0 ? request.Resource : request.Resource + "/" + request.Subresource;
        var scope = request.Namespace.Length == 0
            ? "at the cluster scope"
            : "in the namespace " + RbacSubject.FieldQuote(request.Namespace);
        return $"User {user} cannot {request.Verb} resource {RbacSubject.FieldQuote(resource)} in API group {RbacSubject.FieldQuote(request.ApiGroup)} {scope}";
    }

    /// <summary>kube-apiserver escapes HTML metacharacters in the generated part of forbidden messages.</summary>
    private static string Sanitize(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Go's aggregate error text: one message bare, several deduplicated in <c>[a, b]</c>.</summary>
    private static string Aggregate(List<string> errors)
    {
        var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
        return errors.Count == 1 ? errors[0] : distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]";
    }
}
