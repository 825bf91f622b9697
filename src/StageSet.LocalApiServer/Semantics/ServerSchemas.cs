using StageSet.LocalApiServer.Registry;
using StageSet.Manifests;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Semantics;

/// <summary>
/// The schemas field management and strategic merge patch work from: built-in kinds from the typed models, custom
/// resources from the openAPIV3Schema of the CRD that currently serves them (read per call: CRDs come and go).
/// </summary>
internal sealed class ServerSchemas(ResourceRegistry registry) : ITypeSchemaProvider
{
    public SchemaSet Schemas => BuiltInSchemas.Instance.Schemas;

    public JsonSchemaProps? GetSchema(GroupVersionKind gvk) =>
        registry.Current.FindKind(gvk.Group, gvk.Kind, gvk.Version) is { Custom: { } custom }
            ? custom.Schema
            : BuiltInSchemas.Instance.GetSchema(gvk);
}
