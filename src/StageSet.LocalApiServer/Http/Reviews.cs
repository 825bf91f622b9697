using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Authorization;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Http;

/// <summary>The review kinds: access reviews answered by RBAC, SelfSubjectReview by authentication. Never stored.</summary>
internal sealed class Reviews(ServerCore core)
{
    public async Task CreateAsync(ApiRequest req)
    {
        var rt = req.Resource;
        var body = await BodyDecoder.ReadObjectAsync(req, rt);
        body["apiVersion"] = rt.ApiVersion;
        var spec = body["spec"] as JsonObject;
        switch (rt.Kind)
        {
            case "SelfSubjectAccessReview":
                Validate(rt, spec, subjectReview: false);
                body["status"] = Decide(req.User, spec, "");
                break;
            case "SubjectAccessReview":
                Validate(rt, spec, subjectReview: true);
                body["status"] = Decide(AccessReviews.SubjectOf(spec), spec, "");
                break;
            case "LocalSubjectAccessReview":
                Validate(rt, spec, subjectReview: true);
                body["status"] = Decide(AccessReviews.SubjectOf(spec), spec, req.Namespace.Length > 0 ? req.Namespace : req.Info.Namespace);
                break;
            case "SelfSubjectRulesReview":
                body["status"] = core.Access.RulesReview(req.User, (string?)(spec?["namespace"] as JsonValue) ?? "");
                break;
            case "SelfSubjectReview":
                body["status"] = new JsonObject { ["userInfo"] = UserInfoJson(req.User) };
                break;
        }

        KubeObject.EnsureMetadata(body)["creationTimestamp"] = null;
        await Responses.WriteJsonAsync(req.Http.Response, 201, body);
    }

    private static void Validate(Registry.ResourceType rt, JsonObject? spec, bool subjectReview)
    {
        var errors = AccessReviews.Validate(spec, subjectReview);
        if (errors.Count > 0)
        {
            throw ApiError.Invalid(rt, "", errors);
        }
    }

    private JsonObject Decide(UserInfo user, JsonObject? spec, string forcedNamespace)
    {
        var attributes = AccessReviews.Attributes(user, spec);
        if (forcedNamespace.Length > 0 && attributes.IsResourceRequest)
        {
            attributes = attributes with { Namespace = forcedNamespace };
        }

        return AccessReviews.Status(core.Access.Authorize(attributes));
    }

    public static JsonObject UserInfoJson(UserInfo user)
    {
        var info = new JsonObject { ["username"] = user.Name };
        if (user.Uid.Length > 0)
        {
            info["uid"] = user.Uid;
        }

        info["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode?)JsonValue.Create(g)).ToArray());
        if (user.Extra is { Count: > 0 } extra)
        {
            var e = new JsonObject();
            foreach (var (key, values) in extra)
            {
                e[key] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            }

            info["extra"] = e;
        }

        return info;
    }
}
