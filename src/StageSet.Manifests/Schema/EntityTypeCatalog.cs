using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace StageSet.Manifests.Schema;

/// <summary>
/// Finds the model classes carrying <c>[KubernetesEntity]</c> by reading assembly metadata, so only those and the
/// types they reference get loaded: the client assembly holds ~6,000 types and loading all of them costs most of
/// a second.
/// </summary>
internal static class EntityTypeCatalog
{
    private const string ModelNamespace = "k8s.Models";
    private const string EntityAttribute = "KubernetesEntityAttribute";

    public static IEnumerable<Type> Find(Assembly assembly)
    {
        if (assembly.Location is not { Length: > 0 } path || !File.Exists(path))
        {
            // Single-file or in-memory assemblies have no file to read: fall back to loading every type.
            return assembly.GetTypes().Where(t => t.Namespace == ModelNamespace && t.IsClass && t.IsPublic);
        }

        var names = new List<string>();
        using (var stream = File.OpenRead(path))
        using (var pe = new PEReader(stream))
        {
            var md = pe.GetMetadataReader();
            foreach (var handle in md.TypeDefinitions)
            {
                var type = md.GetTypeDefinition(handle);
                if (md.GetString(type.Namespace) == ModelNamespace && HasEntityAttribute(md, type))
                {
                    names.Add(ModelNamespace + "." + md.GetString(type.Name));
                }
            }
        }

        return names.Select(n => assembly.GetType(n, throwOnError: false)).OfType<Type>();
    }

    private static bool HasEntityAttribute(MetadataReader md, TypeDefinition type)
    {
        foreach (var handle in type.GetCustomAttributes())
        {
            var ctor = md.GetCustomAttribute(handle).Constructor;
            var parent = ctor.Kind switch
            {
                HandleKind.MemberReference => md.GetMemberReference((MemberReferenceHandle)ctor).Parent,
                HandleKind.MethodDefinition => md.GetMethodDefinition((MethodDefinitionHandle)ctor).GetDeclaringType(),
                _ => default,
            };
            var name = parent.Kind switch
            {
                HandleKind.TypeDefinition => md.GetString(md.GetTypeDefinition((TypeDefinitionHandle)parent).Name),
                HandleKind.TypeReference => md.GetString(md.GetTypeReference((TypeReferenceHandle)parent).Name),
                _ => null,
            };
            if (name == EntityAttribute)
            {
                return true;
            }
        }

        return false;
    }
}
