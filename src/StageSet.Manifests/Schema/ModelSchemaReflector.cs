using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;

namespace StageSet.Manifests.Schema;

/// <summary>
/// Derives OpenAPI v3 schemas from the KubernetesClient typed models: one named schema per model class (referenced
/// with <c>$ref</c>, so recursive types like JSONSchemaProps work), JSON names from <c>[JsonPropertyName]</c>,
/// Kubernetes' special scalars (int-or-string, quantity, date-time, base64 bytes), free-form fields as
/// preserve-unknown, and the merge semantics of <see cref="ListSemantics"/>.
/// </summary>
internal sealed class ModelSchemaReflector
{
    public const string RefPrefix = "#/components/schemas/";

    private static readonly JsonSchemaProps StringSchema = new() { Type = "string" };
    private static readonly JsonSchemaProps BoolSchema = new() { Type = "boolean" };
    private static readonly JsonSchemaProps Int32Schema = new() { Type = "integer", Format = "int32" };
    private static readonly JsonSchemaProps Int64Schema = new() { Type = "integer", Format = "int64" };
    private static readonly JsonSchemaProps DoubleSchema = new() { Type = "number", Format = "double" };
    private static readonly JsonSchemaProps DateTimeSchema = new() { Type = "string", Format = "date-time" };
    private static readonly JsonSchemaProps BytesSchema = new() { Type = "string", Format = "byte" };
    private static readonly JsonSchemaProps IntOrStringSchema = new() { IntOrString = true, AnyOf = [new() { Type = "integer" }, new() { Type = "string" }] };
    private static readonly JsonSchemaProps QuantitySchema = new() { OneOf = [new() { Type = "string" }, new() { Type = "number" }] };
    private static readonly JsonSchemaProps FreeFormSchema = new() { PreserveUnknownFields = true };

    private readonly Dictionary<string, JsonSchemaProps> _named = new(StringComparer.Ordinal);
    private readonly HashSet<Type> _building = [];

    public IReadOnlyDictionary<string, JsonSchemaProps> Named => _named;

    /// <summary>Adds the schema of <paramref name="model"/> and everything it references; returns its name.</summary>
    public string Add(Type model)
    {
        var name = model.Name;
        if (_named.ContainsKey(name) || !_building.Add(model))
        {
            return name;
        }

        var properties = new List<KeyValuePair<string, JsonSchemaProps>>();
        foreach (var property in model.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var jsonName = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (jsonName is null)
            {
                continue;
            }

            properties.Add(new(jsonName, PropertySchema(model, jsonName, property.PropertyType)));
        }

        _named[name] = new JsonSchemaProps
        {
            Type = "object",
            Properties = properties,
            MapType = ListSemantics.IsAtomicStruct(model) ? "atomic" : null,
            Extra = model.GetCustomAttribute<KubernetesEntityAttribute>() is { } entity ? GvkExtension(entity) : null,
        };
        _building.Remove(model);
        return name;
    }

    private JsonSchemaProps PropertySchema(Type owner, string jsonName, Type type)
    {
        var itemType = ElementType(type);
        var semantics = ListSemantics.For(owner, jsonName, itemType);
        var schema = TypeSchema(type);
        if (semantics is null)
        {
            return schema;
        }

        return new JsonSchemaProps
        {
            Type = schema.Type,
            Format = schema.Format,
            Ref = schema.Ref,
            Items = schema.Items,
            AdditionalProperties = schema.AdditionalProperties,
            PatchStrategy = semantics.PatchStrategy,
            PatchMergeKey = semantics.PatchMergeKey,
            ListType = semantics.ListType,
            ListMapKeys = semantics.ListMapKeys,
            MapType = semantics.MapType,
        };
    }

    private JsonSchemaProps TypeSchema(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return StringSchema;
        }

        if (type == typeof(bool))
        {
            return BoolSchema;
        }

        if (type == typeof(int) || type == typeof(short) || type == typeof(byte))
        {
            return Int32Schema;
        }

        if (type == typeof(long))
        {
            return Int64Schema;
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return DoubleSchema;
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return DateTimeSchema;
        }

        if (type == typeof(byte[]))
        {
            return BytesSchema;
        }

        if (type == typeof(IntOrString))
        {
            return IntOrStringSchema;
        }

        if (type == typeof(ResourceQuantity))
        {
            return QuantitySchema;
        }

        if (type == typeof(object) || type == typeof(JsonElement) || type == typeof(JsonNode))
        {
            return FreeFormSchema;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            return new JsonSchemaProps { Type = "object", AdditionalProperties = TypeSchema(valueType) };
        }

        if (ElementType(type) is { } elementType)
        {
            return new JsonSchemaProps { Type = "array", Items = TypeSchema(elementType) };
        }

        if (type.IsClass && type.Namespace == typeof(V1ObjectMeta).Namespace)
        {
            return new JsonSchemaProps { Ref = RefPrefix + Add(type) };
        }

        // Enums and anything unforeseen: keep the value rather than reject it.
        return type.IsEnum ? StringSchema : FreeFormSchema;
    }

    private static Type? DictionaryValueType(Type type) =>
        GenericInterface(type, typeof(IDictionary<,>)) is { } dict && dict.GetGenericArguments()[0] == typeof(string)
            ? dict.GetGenericArguments()[1]
            : null;

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string) || type == typeof(byte[]) || !typeof(IEnumerable).IsAssignableFrom(type) || DictionaryValueType(type) is not null)
        {
            return null;
        }

        return GenericInterface(type, typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    private static Type? GenericInterface(Type type, Type definition)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == definition)
        {
            return type;
        }

        return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
    }

    private static Dictionary<string, JsonNode?> GvkExtension(KubernetesEntityAttribute entity) => new(StringComparer.Ordinal)
    {
        ["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject
        {
            ["group"] = entity.Group ?? "",
            ["kind"] = entity.Kind,
            ["version"] = entity.ApiVersion,
        }),
    };
}
