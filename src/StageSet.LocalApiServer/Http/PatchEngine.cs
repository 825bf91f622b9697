using System.Text.Json;
using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.Manifests.Patch;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Http;

/// <summary>Applies a non-apply PATCH body to the live object by patch type (api-server.md §5).</summary>
internal static class PatchEngine
{
    /// <summary>kube-apiserver refuses longer JSON patches.</summary>
    private const int MaxJsonPatchOperations = 10_000;

    public static JsonObject Apply(ResourceType rt, JsonObject live, string mediaType, byte[] body, ITypeSchemaProvider schemas)
    {
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw ApiError.BadRequest("error decoding patch: " + e.Message);
        }

        return mediaType switch
        {
            "application/json-patch+json" => JsonPatchOf(live, patch),
            "application/merge-patch+json" => patch is JsonObject
                ? (JsonObject)JsonMergePatch.Apply(live, patch)!
                : throw ApiError.BadRequest("error decoding patch: the patch is not a JSON object"),
            "application/strategic-merge-patch+json" => StrategicOf(rt, live, patch, schemas),
            _ => throw ApiError.UnsupportedMediaType([mediaType]),
        };
    }

    private static JsonObject JsonPatchOf(JsonObject live, JsonNode? patch)
    {
        if (patch is not JsonArray ops)
        {
            throw ApiError.BadRequest("error decoding patch: json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }

        if (ops.Count > MaxJsonPatchOperations)
        {
            throw ApiError.FromStatus(413, "RequestEntityTooLarge",
                $"The allowed maximum operations in a JSON patch is {MaxJsonPatchOperations}, got {ops.Count}");
        }

        try
        {
            return JsonPatch.Apply(live, ops) as JsonObject
                ?? throw ApiError.FromStatus(422, "Invalid", "the server rejected our request due to an error in our request");
        }
        catch (JsonPatchException)
        {
            // kube-apiserver answers every failing operation with this generic text and no detail.
            throw ApiError.FromStatus(422, "Invalid", "the server rejected our request due to an error in our request");
        }
    }

    private static JsonObject StrategicOf(ResourceType rt, JsonObject live, JsonNode? patch, ITypeSchemaProvider schemas)
    {
        if (patch is not JsonObject p)
        {
            throw ApiError.BadRequest("error decoding patch: the patch is not a JSON object");
        }

        try
        {
            return StrategicMergePatch.Apply(live, p, rt.Gvk, schemas);
        }
        catch (StrategicMergePatchException e)
        {
            throw ApiError.BadRequest(e.Message);
        }
    }
}
