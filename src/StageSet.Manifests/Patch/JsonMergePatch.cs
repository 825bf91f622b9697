using System.Text.Json.Nodes;

namespace StageSet.Manifests.Patch;

/// <summary>RFC 7386 JSON Merge Patch (<c>application/merge-patch+json</c>): objects merge, <c>null</c> deletes, anything else replaces.</summary>
public static class JsonMergePatch
{
    /// <summary>Applies <paramref name="patch"/> to a copy of <paramref name="target"/>; neither input is modified.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (IsNull(value))
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Apply(result[key], value);
            }
        }

        return result;
    }

    /// <summary>
    /// The merge patch that turns <paramref name="original"/> into <paramref name="modified"/>: removed keys as
    /// <c>null</c>, changed objects recursively, everything else (arrays included) whole. An empty object when
    /// nothing changed. Nulls inside <paramref name="modified"/> cannot be expressed by a merge patch and read as
    /// deletions, as RFC 7386 says.
    /// </summary>
    public static JsonNode? Create(JsonNode? original, JsonNode? modified)
    {
        if (original is not JsonObject from || modified is not JsonObject to)
        {
            return JsonEquality.DeepEquals(original, modified) ? new JsonObject() : modified?.DeepClone();
        }

        var patch = new JsonObject();
        foreach (var (key, _) in from)
        {
            if (!to.ContainsKey(key))
            {
                patch[key] = null;
            }
        }

        foreach (var (key, value) in to)
        {
            if (!from.TryGetPropertyValue(key, out var before))
            {
                patch[key] = value?.DeepClone();
            }
            else if (!JsonEquality.DeepEquals(before, value))
            {
                patch[key] = before is JsonObject && value is JsonObject ? Create(before, value) : value?.DeepClone();
            }
        }

        return patch;
    }

    private static bool IsNull(JsonNode? node) => node is null || node.GetValueKind() == System.Text.Json.JsonValueKind.Null;
}
