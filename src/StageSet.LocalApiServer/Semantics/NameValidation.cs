using System.Text.RegularExpressions;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Semantics;

/// <summary>The object name rules of apimachinery validation, with their exact messages.</summary>
internal static partial class NameValidation
{
    private const string SubdomainRegex = @"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private const string Label1123Regex = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Label1035Regex = "[a-z]([-a-z0-9]*[a-z0-9])?";

    /// <summary>Errors for <paramref name="name"/> under the naming rule of a kind.</summary>
    public static IReadOnlyList<FieldError> Validate(string kind, string group, string name, string field = "metadata.name")
    {
        var quoted = FieldError.Quote(name);
        var errors = new List<FieldError>();
        switch (RuleFor(kind, group))
        {
            case NameRule.PathSegment:
                if (name is "." or "..")
                {
                    errors.Add(FieldError.Invalid(field, quoted, $"may not be '{name}'"));
                }

                foreach (var bad in new[] { "/", "%" })
                {
                    if (name.Contains(bad, StringComparison.Ordinal))
                    {
                        errors.Add(FieldError.Invalid(field, quoted, $"may not contain '{bad}'"));
                    }
                }

                break;
            case NameRule.Label1123:
                errors.AddRange(Label(field, quoted, name, Label1123(),
                    $"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '{Label1123Regex}')"));
                break;
            case NameRule.Label1035:
                errors.AddRange(Label(field, quoted, name, Label1035(),
                    $"a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '{Label1035Regex}')"));
                break;
            default:
                if (name.Length > 253)
                {
                    errors.Add(FieldError.Invalid(field, quoted, "must be no more than 253 characters"));
                }

                if (!Subdomain().IsMatch(name))
                {
                    errors.Add(FieldError.Invalid(field, quoted,
                        $"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '{SubdomainRegex}')"));
                }

                break;
        }

        return errors;
    }

    private static IEnumerable<FieldError> Label(string field, string quoted, string name, Regex regex, string message)
    {
        if (name.Length > 63)
        {
            yield return FieldError.Invalid(field, quoted, "must be no more than 63 characters");
        }

        if (!regex.IsMatch(name))
        {
            yield return FieldError.Invalid(field, quoted, message);
        }
    }

    private static NameRule RuleFor(string kind, string group) => (group, kind) switch
    {
        ("", "Namespace") => NameRule.Label1123,
        ("", "Service") => NameRule.Label1035,
        ("rbac.authorization.k8s.io", _) => NameRule.PathSegment,
        _ => NameRule.Subdomain,
    };

    private enum NameRule
    {
        Subdomain,
        Label1123,
        Label1035,
        PathSegment,
    }

    [GeneratedRegex("^" + SubdomainRegex + "$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^" + Label1123Regex + "$")]
    private static partial Regex Label1123();

    [GeneratedRegex("^" + Label1035Regex + "$")]
    private static partial Regex Label1035();
}
