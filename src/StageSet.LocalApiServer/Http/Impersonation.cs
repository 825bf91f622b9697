using System.Net;
using Microsoft.AspNetCore.Http;
using StageSet.LocalApiServer.Authentication;
using StageSet.LocalApiServer.Authorization;

namespace StageSet.LocalApiServer.Http;

/// <summary>
/// <c>Impersonate-*</c> headers (api-server.md §8.2): every impersonated attribute needs the <c>impersonate</c> verb
/// for the caller; the request then runs as the impersonated identity.
/// </summary>
internal static class Impersonation
{
    private const string ExtraPrefix = "Impersonate-Extra-";

    public static UserInfo Resolve(HttpRequest request, UserInfo caller, RbacAuthorizer access)
    {
        var user = request.Headers["Impersonate-User"].ToString();
        var groups = request.Headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        var uid = request.Headers["Impersonate-Uid"].ToString();
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var header in request.Headers)
        {
            if (header.Key.StartsWith(ExtraPrefix, StringComparison.OrdinalIgnoreCase))
            {
                var key = WebUtility.UrlDecode(header.Key[ExtraPrefix.Length..]).ToLowerInvariant();
                extra[key] = header.Value.Where(v => v is not null).Select(v => v!).ToList();
            }
        }

        if (user.Length == 0)
        {
            if (groups.Count > 0 || extra.Count > 0 || uid.Length > 0)
            {
                var what = string.Join(" ", groups.Select(g => $"{{Kind:Group Namespace: Name:{g}}}"));
                throw ApiError.Text(500,
                    $"Internal Server Error: \"{request.Path}{request.QueryString}\": requested [{what}] without impersonating a user");
            }

            return caller;
        }

        var isServiceAccount = Identities.TryParseServiceAccount(user, out var saNamespace, out var saName);
        Check(caller, access, isServiceAccount
            ? new RequestAttributes(caller, "impersonate", true, "", "", "", "serviceaccounts", "", saNamespace, saName)
            : new RequestAttributes(caller, "impersonate", true, "", "", "", "users", "", "", user));
        foreach (var group in groups)
        {
            Check(caller, access, new RequestAttributes(caller, "impersonate", true, "", "", "", "groups", "", "", group));
        }

        foreach (var (key, values) in extra)
        {
            foreach (var value in values)
            {
                Check(caller, access, new RequestAttributes(caller, "impersonate", true, "", "authentication.k8s.io", "", "userextras", key, "", value));
            }
        }

        if (uid.Length > 0)
        {
            Check(caller, access, new RequestAttributes(caller, "impersonate", true, "", "authentication.k8s.io", "", "uids", "", "", uid));
        }

        if (groups.Count == 0 && isServiceAccount)
        {
            groups = ["system:serviceaccounts", "system:serviceaccounts:" + saNamespace];
        }

        if (user != Identities.Anonymous.Name && !groups.Contains(Identities.Authenticated))
        {
            groups.Add(Identities.Authenticated);
        }

        return new UserInfo(user, groups, uid, extra.Count > 0 ? extra : null);
    }

    private static void Check(UserInfo caller, RbacAuthorizer access, RequestAttributes request)
    {
        if (caller.IsMaster)
        {
            return;
        }

        var decision = access.Authorize(request);
        if (!decision.Allowed)
        {
            var details = ApiError.Details(request.Name, request.ApiGroup, request.Resource);
            throw ApiError.Forbidden(access.ForbiddenMessage(request, decision), details);
        }
    }
}
