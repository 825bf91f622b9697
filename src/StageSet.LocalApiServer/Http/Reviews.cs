using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Access;
using StageSet.LocalApiServer.Authentication;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Http;

/// <summary>The review kinds: access reviews answered by the authorizer, SelfSubjectReview by authentication.</summary>
internal sealed class Reviews(ServerCore core)
{
    public async Task CreateAsync(ApiRequest req)
    {
        var rt = req.Resource;
        var body = await BodyDecoder.ReadObjectAsync(req, rt);
        body["apiVersion"] = rt.ApiVersion;
        var spec = body["spec"] as JsonObject ?? new JsonObject();
        switch (rt.Kind)
        {
            case "SelfSubjectAccessReview":
                body["status"] = Decide(req.User, spec, req.Info.Namespace);
                break;
            case "LocalSubjectAccessReview":
            case "SubjectAccessReview":
                {
                    var user = new UserIdentity(
                        (string?)spec["user"] ?? "",
                        spec["groups"] is JsonArray g ? g.Select(x => x?.ToString() ?? "").ToList() : [],
                        (string?)spec["uid"] ?? "");
                    body["status"] = Decide(user, spec, req.Info.Namespace);
                    break;
                }

            case "SelfSubjectRulesReview":
                body["status"] = core.Access.RulesReview(req.User, (string?)spec["namespace"] ?? "");
                break;
            case "SelfSubjectReview":
                body["status"] = new JsonObject { ["userInfo"] = UserInfoJson(req.User) };
                break;
        }

        var meta = KubeObject.EnsureMetadata(body);
        meta.Remove("creationTimestamp");
        meta["creationTimestamp"] = null;
        await Responses.WriteJsonAsync(req.Http.Response, 201, body);
    }

    private JsonObject Decide(UserIdentity user, JsonObject spec, string requestNamespace)
    {
        AccessRequest request;
        if (spec["resourceAttributes"] is JsonObject ra)
        {
            request = new AccessRequest(user, S(ra, "verb"), true, "", S(ra, "group"), S(ra, "version"), S(ra, "resource"),
                S(ra, "subresource"), S(ra, "namespace") is { Length: > 0 } ns ? ns : requestNamespace, S(ra, "name"));
        }
        else if (spec["nonResourceAttributes"] is JsonObject nra)
        {
            request = new AccessRequest(user, S(nra, "verb"), false, S(nra, "path"), "", "", "", "", "", "");
        }
        else
        {
            return new JsonObject { ["allowed"] = false, ["reason"] = "no resourceAttributes or nonResourceAttributes" };
        }

        var decision = core.Access.Authorize(request);
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }

        return status;
    }

    public static JsonObject UserInfoJson(UserIdentity user)
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

    private static string S(JsonObject o, string key) => (string?)(o[key] as JsonValue) ?? "";
}
