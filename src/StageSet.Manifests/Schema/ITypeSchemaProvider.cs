namespace StageSet.Manifests.Schema;

/// <summary>
/// Answers "what is the schema of this kind": built-in kinds (derived from the client's typed models plus the
/// Kubernetes list semantics) and, in the API server, served CustomResourceDefinitions.
/// </summary>
public interface ITypeSchemaProvider
{
    /// <summary>The root schema of the kind at that version, already resolvable through <see cref="Schemas"/>; null when unknown.</summary>
    JsonSchemaProps? GetSchema(GroupVersionKind gvk);

    /// <summary>Where <c>$ref</c>s inside returned schemas resolve.</summary>
    SchemaSet Schemas { get; }
}
