using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Authorization;

/// <summary>
/// The authorization.k8s.io review kinds (§8.4): turning a review's <c>spec</c> into request attributes and the decision
/// into its <c>status</c>. The server echoes the spec, sets the status and answers 201.
/// </summary>
public static class AccessReviews
{
    /// <summary>Field errors of a review spec (422), as kube-apiserver's review validation words them.</summary>
    /// <param name="subjectReview">SubjectAccessReview/LocalSubjectAccessReview, which must also name a user or group.</param>
    public static IReadOnlyList<FieldError> Validate(JsonObject? spec, bool subjectReview)
    {
        var errors = new List<FieldError>();
        var hasResource = spec?["resourceAttributes"] is JsonObject;
        var hasNonResource = spec?["nonResourceAttributes"] is JsonObject;
        if (hasResource && hasNonResource)
        {
            errors.Add(FieldError.Invalid("spec.nonResourceAttributes", StructText(spec!["nonResourceAttributes"]!.AsObject()),
                "cannot be specified in combination with resourceAttributes"));
        }

        if (!hasResource && !hasNonResource)
        {
            errors.Add(FieldError.Invalid("spec.resourceAttributes", FieldError.Quote("null"),
                "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }

        if (subjectReview && Str(spec, "user").Length == 0 && PolicyRule.Strings(spec, "groups").Count == 0)
        {
            errors.Add(FieldError.Invalid("spec.user", FieldError.Quote(""), "at least one of user or group must be specified"));
        }

        return errors;
    }

    /// <summary>The attributes a review asks about, for <paramref name="user"/> (the caller for self reviews).</summary>
    public static RequestAttributes Attributes(UserInfo user, JsonObject? spec)
    {
        if (spec?["resourceAttributes"] is JsonObject r)
        {
            return new RequestAttributes(user, Str(r, "verb"), true, "", Str(r, "group"), Str(r, "version"), Str(r, "resource"),
                Str(r, "subresource"), Str(r, "namespace"), Str(r, "name"));
        }

        var n = spec?["nonResourceAttributes"] as JsonObject;
        return RequestAttributes.ForPath(user, Str(n, "verb"), Str(n, "path"));
    }

    /// <summary>The user a SubjectAccessReview asks about: <c>user</c>, <c>groups</c>, <c>uid</c>, <c>extra</c>.</summary>
    public static UserInfo SubjectOf(JsonObject? spec)
    {
        Dictionary<string, IReadOnlyList<string>>? extra = null;
        if (spec?["extra"] is JsonObject e)
        {
            extra = e.ToDictionary(p => p.Key, p => PolicyRule.Strings(e, p.Key), StringComparer.Ordinal);
        }

        return new UserInfo(Str(spec, "user"), PolicyRule.Strings(spec, "groups"), Str(spec, "uid"), extra);
    }

    /// <summary><c>{"allowed":…,"reason":…}</c>; the reason is omitted when empty, as Go's omitempty does.</summary>
    public static JsonObject Status(AuthorizationDecision decision)
    {
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }

        return status;
    }

    private static string Str(JsonObject? o, string key) => RbacSubject.Str(o, key);

    /// <summary>Go's <c>%#v</c> of the pointer-dereferenced NonResourceAttributes struct.</summary>
    private static string StructText(JsonObject n) =>
        $"authorization.NonResourceAttributes{{Path:{FieldError.Quote(Str(n, "path"))}, Verb:{FieldError.Quote(Str(n, "verb"))}}}";
}
