using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Protobuf;
using StageSet.LocalApiServer.Registry;
using StageSet.Manifests;
using StageSet.Manifests.Yaml;

namespace StageSet.LocalApiServer.Http;

/// <summary>Decodes create/update bodies (JSON; YAML and protobuf as they are wired in) and checks their type.</summary>
internal static class BodyDecoder
{
    private static readonly string[] Accepted = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];

    public static async Task<JsonObject> ReadObjectAsync(ApiRequest req, ResourceType rt)
    {
        var body = await req.ReadBodyAsync();
        var obj = req.MediaType switch
        {
            "application/json" or "" => ApiRequest.ParseJsonObject(body),
            "application/yaml" => ParseYaml(body),
            "application/vnd.kubernetes.protobuf" => ParseProtobuf(body),
            _ => throw ApiError.UnsupportedMediaType(Accepted),
        };
        CheckTypeMeta(rt, obj);
        return obj;
    }

    public static JsonObject ParseYaml(byte[] body)
    {
        try
        {
            return KubeYaml.Parse(System.Text.Encoding.UTF8.GetString(body), strict: false) as JsonObject
                ?? throw ApiError.BadRequest("couldn't get version/kind; json parse error: expected a YAML mapping");
        }
        catch (KubeYamlException e)
        {
            throw ApiError.BadRequest("error converting YAML to JSON: " + e.Message);
        }
    }

    private static JsonObject ParseProtobuf(byte[] body)
    {
        try
        {
            return ProtobufRequestDecoder.Decode(body);
        }
        catch (UnsupportedProtobufKindException)
        {
            throw ApiError.UnsupportedMediaType(["application/json", "application/yaml"]);
        }
        catch (FormatException e)
        {
            throw ApiError.BadRequest("failed to decode protobuf body: " + e.Message);
        }
    }

    /// <summary>apiVersion/kind may be omitted; when given they must name this kind in a served version of its group.</summary>
    public static void CheckTypeMeta(ResourceType rt, JsonObject obj)
    {
        var kind = (string?)(obj["kind"] as JsonValue);
        var apiVersion = (string?)(obj["apiVersion"] as JsonValue);
        if (!string.IsNullOrEmpty(kind) && kind != rt.Kind)
        {
            throw ApiError.BadRequest($"the object provided is unrecognized (must be of type {rt.Kind}): unexpected kind {kind}");
        }

        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != rt.ApiVersion)
        {
            var gv = Manifests.GroupVersion.Parse(apiVersion);
            if (gv.Group != rt.Group)
            {
                throw ApiError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({rt.ApiVersion})");
            }
        }

        obj["apiVersion"] = rt.IsCustom ? rt.Group + "/" + rt.Custom!.StorageVersion : rt.ApiVersion;
        obj["kind"] = rt.Kind;
    }
}
