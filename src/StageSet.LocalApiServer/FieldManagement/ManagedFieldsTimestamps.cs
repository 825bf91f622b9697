using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.FieldManagement;

/// <summary>
/// kube-apiserver reverts managedFields timestamp changes when nothing else about a write changed, so an apply or
/// update that ends up a no-op (for example because status isolation reset what it changed) does not bump the
/// resourceVersion (api-server.md §3.3). Call this with the stored object and the object about to be stored, before
/// the no-op check.
/// </summary>
public static class ManagedFieldsTimestamps
{
    /// <summary>
    /// Returns <paramref name="updated"/> with <paramref name="stored"/>'s managedFields when the two objects differ
    /// only in managedFields entry times; otherwise returns <paramref name="updated"/> unchanged. Never mutates inputs.
    /// </summary>
    public static JsonObject RestoreIfOnlyTimesChanged(JsonObject? stored, JsonObject updated)
    {
        if (stored is null)
        {
            return updated;
        }

        var storedFields = KubeObject.Metadata(stored)?["managedFields"] as JsonArray;
        var updatedFields = KubeObject.Metadata(updated)?["managedFields"] as JsonArray;
        if (storedFields is null || updatedFields is null || storedFields.Count != updatedFields.Count)
        {
            return updated;
        }

        for (var i = 0; i < storedFields.Count; i++)
        {
            if (!JsonNode.DeepEquals(WithoutTime(storedFields[i]), WithoutTime(updatedFields[i])))
            {
                return updated;
            }
        }

        var restored = (JsonObject)updated.DeepClone();
        KubeObject.EnsureMetadata(restored)["managedFields"] = storedFields.DeepClone();
        return JsonNode.DeepEquals(restored, stored) ? restored : updated;
    }

    private static JsonNode? WithoutTime(JsonNode? entry)
    {
        if (entry is not JsonObject obj)
        {
            return entry;
        }

        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("time");
        return copy;
    }
}
