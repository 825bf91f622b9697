using System.Text.Json.Nodes;

namespace StageSet.Manifests.Schema;

/// <summary>
/// A CRD version schema known to be structural, with the custom-resource pipeline kube-apiserver runs on it:
/// prune unknown fields, apply defaults, validate. Create one per served CRD version and reuse it.
/// </summary>
public sealed class StructuralSchema
{
    private StructuralSchema(JsonSchemaProps root) => Root = root;

    public JsonSchemaProps Root { get; }

    /// <summary>Null (with the violations) when the schema is not structural.</summary>
    public static StructuralSchema? Create(JsonSchemaProps root, out IReadOnlyList<FieldError> violations, string fieldPath = StructuralSchemaCheck.DefaultPath)
    {
        violations = StructuralSchemaCheck.Check(root, fieldPath);
        return violations.Count == 0 ? new StructuralSchema(root) : null;
    }

    /// <summary>See <see cref="StructuralPruning.Prune"/>; returns the unknown field paths removed.</summary>
    public IReadOnlyList<string> Prune(JsonObject obj) => StructuralPruning.Prune(obj, Root);

    public void Default(JsonObject obj) => StructuralDefaulting.Apply(obj, Root);

    public IReadOnlyList<FieldError> Validate(JsonObject obj, StructuralRuleEvaluator? rules = null) =>
        StructuralValidation.Validate(obj, Root, "", rules);

    /// <summary>Decode-time pipeline for a write: prune, then default, then validate.</summary>
    public StructuralAdmission Admit(JsonObject obj, StructuralRuleEvaluator? rules = null)
    {
        var unknown = Prune(obj);
        Default(obj);
        return new StructuralAdmission(unknown, Validate(obj, rules));
    }
}

/// <summary>What <see cref="StructuralSchema.Admit"/> found: unknown fields it dropped and remaining violations.</summary>
/// <param name="UnknownFields">Paths for <c>unknown field "&lt;path&gt;"</c> (Strict: reject, Warn: warn).</param>
public sealed record StructuralAdmission(IReadOnlyList<string> UnknownFields, IReadOnlyList<FieldError> Errors);
