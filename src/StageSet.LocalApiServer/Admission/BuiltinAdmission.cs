using System.Text.Json.Nodes;
using StageSet.Manifests;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Admission;

/// <summary>
/// What kube-apiserver does to built-in kinds between decoding and storage, pure over <see cref="JsonObject"/>:
/// unknown-field pruning (typed decoding), defaulting (§9.1), create-time required checks and the immutable-field
/// rules of §7. Custom resources go through the structural-schema engine instead; for them every method here is a
/// no-op.
/// </summary>
/// <remarks>
/// Order for a write: <see cref="PruneUnknownFields"/>, then (updates) <see cref="PreserveAllocated"/>, then
/// <see cref="Default"/>, then <see cref="ValidateCreate"/> or <see cref="ValidateUpdate"/>. Job selector generation
/// needs <c>metadata.uid</c>, so assign it before defaulting a created Job.
/// </remarks>
public sealed class BuiltinAdmission(ITypeSchemaProvider builtinSchemas) : IObjectDefaulter
{
    private readonly ITypeSchemaProvider _schemas = builtinSchemas;

    public void Default(JsonObject obj, GroupVersionKind gvk, IAllocationContext ctx) => BuiltinDefaults.Apply(obj, gvk.GroupKind, ctx);

    /// <summary>
    /// Carries values the server allocated over to an update that omits them (Service cluster IPs, IP families and
    /// node ports), as the Service REST update does, so defaulting never allocates twice.
    /// </summary>
    public void PreserveAllocated(JsonObject oldObj, JsonObject newObj, GroupVersionKind gvk)
    {
        if (gvk.GroupKind != new GroupKind("", "Service") || oldObj["spec"] is not JsonObject oldSpec || newObj["spec"] is not JsonObject newSpec)
        {
            return;
        }

        if (Json.Str(newSpec["clusterIP"]).Length == 0 && newSpec["clusterIPs"] is null)
        {
            CopyIfPresent(oldSpec, newSpec, "clusterIP");
            CopyIfPresent(oldSpec, newSpec, "clusterIPs");
        }

        if (newSpec["ipFamilies"] is null)
        {
            CopyIfPresent(oldSpec, newSpec, "ipFamilies");
        }

        if (newSpec["ipFamilyPolicy"] is null)
        {
            CopyIfPresent(oldSpec, newSpec, "ipFamilyPolicy");
        }

        if (newSpec["healthCheckNodePort"] is null)
        {
            CopyIfPresent(oldSpec, newSpec, "healthCheckNodePort");
        }

        var oldPorts = Json.Items(oldSpec["ports"]).ToList();
        foreach (var port in Json.Items(newSpec["ports"]))
        {
            if (port["nodePort"] is not null)
            {
                continue;
            }

            var match = oldPorts.FirstOrDefault(p =>
                Json.Long(p["port"]) == Json.Long(port["port"]) && Protocol(p) == Protocol(port) && p["nodePort"] is not null);
            if (match is not null)
            {
                port["nodePort"] = match["nodePort"]!.DeepClone();
            }
        }

        static string Protocol(JsonObject port) => Json.Str(port["protocol"]) is { Length: > 0 } p ? p : "TCP";
    }

    /// <summary>Required fields and consistency of a new object (§7 create-time checks).</summary>
    public IReadOnlyList<FieldError> ValidateCreate(JsonObject obj, GroupVersionKind gvk) => ObjectValidation.Validate(obj, gvk.GroupKind);

    /// <summary>The new object's own checks plus the immutable-field rules against the stored one.</summary>
    public IReadOnlyList<FieldError> ValidateUpdate(JsonObject oldObj, JsonObject newObj, GroupVersionKind gvk)
    {
        var errors = ObjectValidation.Validate(newObj, gvk.GroupKind);
        errors.AddRange(ImmutableFields.Validate(oldObj, newObj, gvk.GroupKind));
        return errors;
    }

    /// <summary>
    /// Drops fields the kind's schema does not declare (outside preserve-unknown subtrees) and returns their paths,
    /// e.g. <c>spec.foo</c>; empty for kinds without a built-in schema.
    /// </summary>
    public IReadOnlyList<string> PruneUnknownFields(JsonObject obj, GroupVersionKind gvk) =>
        _schemas.GetSchema(gvk) is { } schema ? new UnknownFieldPruner(_schemas.Schemas).Prune(obj, schema) : [];

    private static void CopyIfPresent(JsonObject from, JsonObject to, string key)
    {
        if (from[key] is { } value)
        {
            to[key] = value.DeepClone();
        }
    }
}
