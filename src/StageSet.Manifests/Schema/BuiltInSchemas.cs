using System.Reflection;
using k8s.Models;

namespace StageSet.Manifests.Schema;

/// <summary>
/// Schemas of the built-in Kubernetes kinds (core, apps, batch, rbac, apiextensions, coordination,
/// admissionregistration, events, networking, policy, autoscaling, storage, authorization, authentication and the
/// rest the client knows), derived once from the KubernetesClient typed models plus Kubernetes' list semantics
/// (patch merge keys and strategies, <c>x-kubernetes-list-type</c>/<c>-list-map-keys</c>/<c>-map-type</c>).
/// Immutable after construction; share <see cref="Instance"/>.
/// </summary>
public sealed class BuiltInSchemas : ITypeSchemaProvider
{
    private static readonly Lazy<BuiltInSchemas> Shared = new(() => new BuiltInSchemas(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Dictionary<GroupVersionKind, JsonSchemaProps> _kinds;

    private BuiltInSchemas()
    {
        var reflector = new ModelSchemaReflector();
        var roots = new Dictionary<GroupVersionKind, string>();
        foreach (var type in EntityTypeCatalog.Find(typeof(V1ObjectMeta).Assembly))
        {
            if (type.GetCustomAttribute<KubernetesEntityAttribute>() is { Kind: { Length: > 0 } kind } entity)
            {
                roots[new GroupVersionKind(entity.Group ?? "", entity.ApiVersion, kind)] = reflector.Add(type);
            }
        }

        Schemas = new SchemaSet(reflector.Named);
        _kinds = roots.ToDictionary(r => r.Key, r => Schemas.Lookup(r.Value)!);
    }

    /// <summary>The process-wide instance, built on first use (a few hundred milliseconds of reflection).</summary>
    public static BuiltInSchemas Instance => Shared.Value;

    public SchemaSet Schemas { get; }

    /// <summary>Every kind with a schema, e.g. <c>apps/v1, Kind=Deployment</c>.</summary>
    public IReadOnlyCollection<GroupVersionKind> Kinds => _kinds.Keys;

    public JsonSchemaProps? GetSchema(GroupVersionKind gvk) => _kinds.GetValueOrDefault(gvk);
}
