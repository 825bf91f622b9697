using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using StageSet.LocalApiServer.Authorization;
using StageSet.LocalApiServer.Hosting;

namespace StageSet.LocalApiServer.Authentication;

/// <summary>The identities kube-apiserver derives: anonymous, service accounts, <c>system:authenticated</c>.</summary>
internal static class Identities
{
    public const string Authenticated = "system:authenticated";

    public static readonly UserInfo Anonymous = new("system:anonymous", ["system:unauthenticated"]);

    /// <summary>Adds <c>system:authenticated</c> the way authenticators do.</summary>
    public static UserInfo WithAuthenticated(this UserInfo user) =>
        user.Groups.Contains(Authenticated) ? user : user with { Groups = [.. user.Groups, Authenticated] };

    /// <summary>The identity of a service account, with the groups kube-apiserver derives for it.</summary>
    public static UserInfo ServiceAccount(string ns, string name) =>
        new($"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", "system:serviceaccounts:" + ns, Authenticated]);

    /// <summary>Parses <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>.</summary>
    public static bool TryParseServiceAccount(string user, out string ns, out string name)
    {
        ns = name = "";
        const string prefix = "system:serviceaccount:";
        if (!user.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = user[prefix.Length..].Split(':');
        if (rest.Length != 2 || rest[0].Length == 0 || rest[1].Length == 0)
        {
            return false;
        }

        ns = rest[0];
        name = rest[1];
        return true;
    }
}

/// <summary>Bearer tokens from a server-side table, client certificates from the server CA (user = CN, groups = O).</summary>
internal sealed class Authenticator(CertificateAuthority ca, bool anonymousEnabled)
{
    private readonly ConcurrentDictionary<string, UserInfo> _tokens = new(StringComparer.Ordinal);

    public void AddToken(string token, UserInfo user) => _tokens[token] = user;

    public string NewToken(UserInfo user)
    {
        var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        AddToken(token, user);
        return token;
    }

    /// <summary>The caller, or null for bad credentials (401).</summary>
    public UserInfo? Authenticate(string? authorization, X509Certificate2? clientCertificate)
    {
        if (authorization is not null)
        {
            const string bearer = "Bearer ";
            if (!authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            return _tokens.TryGetValue(authorization[bearer.Length..].Trim(), out var user) ? user.WithAuthenticated() : null;
        }

        if (clientCertificate is not null)
        {
            if (!ca.Issued(clientCertificate))
            {
                return null;
            }

            var cn = clientCertificate.GetNameInfo(X509NameType.SimpleName, false);
            var groups = clientCertificate.SubjectName.EnumerateRelativeDistinguishedNames()
                .Where(r => r.GetSingleElementType().Value == "2.5.4.10")
                .Select(r => r.GetSingleElementValue() ?? "")
                .ToList();
            return new UserInfo(cn, groups).WithAuthenticated();
        }

        return anonymousEnabled ? Identities.Anonymous : null;
    }
}
