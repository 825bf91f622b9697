using System.Text.Json.Nodes;
using StageSet.Cel.Crd;
using StageSet.LocalApiServer.Crds;
using StageSet.LocalApiServer.Registry;
using StageSet.Manifests;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Semantics;

/// <summary>
/// Admission by kind: custom resources through their CRD's structural schema (prune, default, validate),
/// CustomResourceDefinitions through apiextensions validation, built-ins through <paramref name="builtins"/>.
/// Custom resources' <c>x-kubernetes-validations</c> rules run with <c>self</c> and, on update, <c>oldSelf</c>.
/// </summary>
internal sealed class ServerAdmission(IWriteAdmission builtins) : IWriteAdmission
{
    private readonly CrdRuleValidator _rules = new();

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

    public IReadOnlyList<FieldError> ValidateCreate(ResourceType rt, JsonObject obj) => Validate(rt, obj, null) ?? builtins.ValidateCreate(rt, obj);

    public IReadOnlyList<FieldError> ValidateUpdate(ResourceType rt, JsonObject oldObj, JsonObject newObj) =>
        Validate(rt, newObj, oldObj) ?? builtins.ValidateUpdate(rt, oldObj, newObj);

    private IReadOnlyList<FieldError>? Validate(ResourceType rt, JsonObject obj, JsonObject? oldObj)
    {
        if (rt.Custom?.Structural is { } schema)
        {
            var copy = WithoutMetadata(obj);
            var rules = _rules.For(schema.Root, copy, oldObj, KubeObject.Metadata(obj));
            return schema.Validate(copy, rules);
        }

        if (rt.Group == "apiextensions.k8s.io" && rt.Kind == "CustomResourceDefinition")
        {
            return CrdDefinition.Read(obj).Validate();
        }

        return null;
    }

    private static JsonObject WithoutMetadata(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        copy.Remove("metadata");
        return copy;
    }
}
