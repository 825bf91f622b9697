using System.Text.Json;
using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.LocalApiServer.Semantics;

namespace StageSet.LocalApiServer.Http;

/// <summary>Applies a non-apply PATCH body to the live object by patch type (api-server.md §5).</summary>
internal static class PatchEngine
{
    public static JsonObject Apply(ResourceType rt, JsonObject live, string mediaType, byte[] body)
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
            "application/merge-patch+json" or "application/strategic-merge-patch+json" =>
                patch is JsonObject
                    ? (JsonObject)InterimMergePatch.Apply(live, patch)!
                    : throw ApiError.BadRequest("error decoding patch: the patch is not a JSON object"),
            _ => throw ApiError.UnsupportedMediaType([mediaType]),
        };
    }
}
