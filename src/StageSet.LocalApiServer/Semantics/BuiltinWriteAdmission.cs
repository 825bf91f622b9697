using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Admission;
using StageSet.LocalApiServer.Registry;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Semantics;

/// <summary>Admission of built-in kinds through the Admission library: pruning, defaulting, §7 validation.</summary>
internal sealed class BuiltinWriteAdmission(BuiltinAdmission admission, IAllocationContext allocation) : IWriteAdmission
{
    public IReadOnlyList<string> Prune(ResourceType rt, JsonObject obj) => admission.PruneUnknownFields(obj, rt.Gvk);

    public void PreserveAllocated(ResourceType rt, JsonObject oldObj, JsonObject newObj) => admission.PreserveAllocated(oldObj, newObj, rt.Gvk);

    public void Default(ResourceType rt, JsonObject obj) => admission.Default(obj, rt.Gvk, allocation);

    public IReadOnlyList<FieldError> ValidateCreate(ResourceType rt, JsonObject obj) => admission.ValidateCreate(obj, rt.Gvk);

    public IReadOnlyList<FieldError> ValidateUpdate(ResourceType rt, JsonObject oldObj, JsonObject newObj) =>
        admission.ValidateUpdate(oldObj, newObj, rt.Gvk);
}
