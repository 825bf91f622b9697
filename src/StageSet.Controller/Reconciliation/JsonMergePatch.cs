using System.Text.Json.Nodes;

namespace StageSet.Controller.Reconciliation;

/// <summary>RFC 7386 merge patch that turns one JSON object into another (arrays replaced whole, removals as null).</summary>
internal static class JsonMergePatch
{
    /// <summary>The patch from <paramref name="from"/> to <paramref name="to"/>; an empty object when they are equal.</summary>
    public static JsonObject Create(JsonObject? from, JsonObject to)
    {
        var patch = new JsonObject();
        from ??= new JsonObject();
        foreach (var (key, value) in from)
        {
            if (!to.ContainsKey(key))
            {
                patch[key] = null;
            }
        }

        foreach (var (key, value) in to)
        {
            var before = from[key];
            if (value is JsonObject toObj && before is JsonObject fromObj)
            {
                var nested = Create(fromObj, toObj);
                if (nested.Count > 0)
                {
                    patch[key] = nested;
                }
            }
            else if (!from.ContainsKey(key) || !JsonNode.DeepEquals(before, value))
            {
                patch[key] = value?.DeepClone();
            }
        }

        return patch;
    }
}
