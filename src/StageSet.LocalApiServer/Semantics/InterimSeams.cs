using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Semantics;

/// <summary>
/// Admission until the libraries' BuiltinAdmission and the structural-schema engine are wired in: no pruning,
/// defaulting or validation beyond what the writer itself does.
/// </summary>
internal sealed class PassThroughAdmission : IWriteAdmission
{
    public IReadOnlyList<string> Prune(ResourceType rt, JsonObject obj) => [];

    public void Default(ResourceType rt, JsonObject obj)
    {
    }

    public IReadOnlyList<FieldError> ValidateCreate(ResourceType rt, JsonObject obj) => [];

    public IReadOnlyList<FieldError> ValidateUpdate(ResourceType rt, JsonObject oldObj, JsonObject newObj) => [];
}

/// <summary>
/// Field tracking until the libraries' FieldManager is wired in: apply merges the configuration over the live object
/// (maps recursively, everything else replaced) and no managedFields are recorded.
/// </summary>
internal sealed class InterimFieldTracker : IFieldTracker
{
    public JsonObject Apply(ResourceType rt, JsonObject? live, JsonObject config, ApplyOptions options)
    {
        if (live is null)
        {
            return config;
        }

        Merge(live, config);
        return live;
    }

    public JsonObject RecordUpdate(ResourceType rt, JsonObject? live, JsonObject updated, UpdateOptions options) => updated;

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            if (value is JsonObject sourceChild && target[key] is JsonObject targetChild)
            {
                Merge(targetChild, sourceChild);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }
}

/// <summary>RFC 7386 merge patch until StageSet.Manifests' patch engine is wired in.</summary>
internal static class InterimMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject t ? t.DeepClone().AsObject() : new JsonObject();
        foreach (var (key, value) in p)
        {
            if (value is null)
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
}
