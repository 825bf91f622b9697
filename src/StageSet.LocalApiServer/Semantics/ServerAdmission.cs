using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Crds;
using StageSet.LocalApiServer.Registry;
using StageSet.Manifests;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Semantics;

/// <summary>
/// Admission by kind: custom resources through their CRD's structural schema (prune, default, validate),
/// CustomResourceDefinitions through apiextensions validation, built-ins through <paramref name="builtins"/>.
/// </summary>
internal sealed class ServerAdmission(IWriteAdmission builtins) : IWriteAdmission
{
    public IReadOnlyList<string> Prune(ResourceType rt, JsonObject obj)
    {
        if (rt.Custom?.Structural is not { } schema)
        {
            return builtins.Prune(rt, obj);
        }

        // Unknown metadata fields are always dropped and never reported, as the ObjectMeta decoder does.
        var meta = obj["metadata"]?.DeepClone();
        var unknown = schema.Prune(obj);
        if (meta is not null)
        {
            obj["metadata"] = meta;
        }

        return unknown;
    }

    public void PreserveAllocated(ResourceType rt, JsonObject oldObj, JsonObject newObj)
    {
        if (rt.Custom is null)
        {
            builtins.PreserveAllocated(rt, oldObj, newObj);
        }
    }

    public void Default(ResourceType rt, JsonObject obj)
    {
        if (rt.Custom?.Structural is { } schema)
        {
            schema.Default(obj);
            return;
        }

        builtins.Default(rt, obj);
    }

    public IReadOnlyList<FieldError> ValidateCreate(ResourceType rt, JsonObject obj) => Validate(rt, obj) ?? builtins.ValidateCreate(rt, obj);

    public IReadOnlyList<FieldError> ValidateUpdate(ResourceType rt, JsonObject oldObj, JsonObject newObj) =>
        Validate(rt, newObj) ?? builtins.ValidateUpdate(rt, oldObj, newObj);

    private static IReadOnlyList<FieldError>? Validate(ResourceType rt, JsonObject obj)
    {
        if (rt.Custom?.Structural is { } schema)
        {
            var copy = obj.DeepClone().AsObject();
            copy.Remove("metadata");
            return schema.Validate(copy);
        }

        if (rt.Group == "apiextensions.k8s.io" && rt.Kind == "CustomResourceDefinition")
        {
            return CrdDefinition.Read(obj).Validate();
        }

        return null;
    }
}
