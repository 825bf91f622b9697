using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.LocalApiServer.Semantics;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Http;

/// <summary>The <c>scale</c> subresource: an <c>autoscaling/v1 Scale</c> view of a workload or custom resource.</summary>
internal sealed class ScaleHandler(ServerCore core, ResourceHandler resources)
{
    public async Task HandleAsync(ApiRequest req)
    {
        var rt = req.Resource;
        switch (req.Info.Verb)
        {
            case "get":
                {
                    var stored = core.Store.Get(rt.StorageKey, req.Namespace, req.Info.Name) ?? throw ApiError.NotFound(rt, req.Info.Name);
                    await Responses.WriteJsonAsync(req.Http.Response, 200, ToScale(rt, stored.ToJsonObject()));
                    break;
                }

            case "update" or "patch":
                {
                    var ctx = resources.NewContext(req, req.Info.Verb == "update" ? "UpdateOptions" : "PatchOptions");
                    var mediaType = req.MediaType;
                    var body = await req.ReadBodyAsync();
                    var result = core.Writer.Update(rt, req.Namespace, req.Info.Name, "scale", ctx, live =>
                    {
                        var scale = ToScale(rt, live);
                        var desiredScale = req.Info.Verb == "update" ? ApiRequest.ParseJsonObject(body) : PatchEngine.Apply(rt, scale, mediaType, body, core.Schemas);
                        var replicas = desiredScale["spec"]?["replicas"]?.DeepClone() ?? JsonValue.Create(0);
                        SetPath(live, SpecReplicasPath(rt), replicas);
                        var rv = KubeObject.Metadata(desiredScale)?["resourceVersion"]?.DeepClone();
                        KubeObject.EnsureMetadata(live)["resourceVersion"] = rv;
                        return live;
                    });
                    await Responses.WriteJsonAsync(req.Http.Response, 200, ToScale(rt, result.Object.ToJsonObject()));
                    break;
                }

            default:
                throw ApiError.MethodNotAllowed(req.Info.Verb, rt);
        }
    }

    private static string SpecReplicasPath(ResourceType rt) => rt.Custom?.Scale?.SpecReplicasPath ?? ".spec.replicas";

    public static JsonObject ToScale(ResourceType rt, JsonObject obj)
    {
        var meta = KubeObject.Metadata(obj) ?? new JsonObject();
        var scaleMeta = new JsonObject { ["name"] = meta["name"]?.DeepClone() };
        if (meta["namespace"] is { } ns)
        {
            scaleMeta["namespace"] = ns.DeepClone();
        }

        scaleMeta["uid"] = meta["uid"]?.DeepClone();
        scaleMeta["resourceVersion"] = meta["resourceVersion"]?.DeepClone();
        scaleMeta["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone();
        var scale = rt.Custom?.Scale;
        var spec = SimpleJsonPath.Read(obj, SpecReplicasPath(rt))?.DeepClone() ?? (rt.IsCustom ? JsonValue.Create(0) : JsonValue.Create(1));
        var status = new JsonObject { ["replicas"] = SimpleJsonPath.Read(obj, scale?.StatusReplicasPath ?? ".status.replicas")?.DeepClone() ?? JsonValue.Create(0) };
        var selector = scale is null ? SelectorString(obj["spec"]?["selector"]) : SimpleJsonPath.Read(obj, scale.LabelSelectorPath ?? "") is JsonValue sv ? (string?)sv : null;
        if (!string.IsNullOrEmpty(selector))
        {
            status["selector"] = selector;
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMeta,
            ["spec"] = new JsonObject { ["replicas"] = spec },
            ["status"] = status,
        };
    }

    private static string? SelectorString(JsonNode? selector)
    {
        if (selector is not JsonObject s)
        {
            return null;
        }

        var parts = new List<string>();
        if (s["matchLabels"] is JsonObject labels)
        {
            parts.AddRange(labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
        }

        if (s["matchExpressions"] is JsonArray expressions)
        {
            foreach (var e in expressions.OfType<JsonObject>())
            {
                var key = (string?)e["key"];
                var values = e["values"] is JsonArray v ? string.Join(",", v.Select(x => x?.ToString())) : "";
                parts.Add(((string?)e["operator"]) switch
                {
                    "In" => $"{key} in ({values})",
                    "NotIn" => $"{key} notin ({values})",
                    "Exists" => key!,
                    "DoesNotExist" => "!" + key,
                    _ => key!,
                });
            }
        }

        return string.Join(",", parts);
    }

    private static void SetPath(JsonObject obj, string path, JsonNode? value)
    {
        var parts = path.TrimStart('.').Split('.');
        var node = obj;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = new JsonObject();
                node[part] = child;
            }

            node = child;
        }

        node[parts[^1]] = value;
    }
}
