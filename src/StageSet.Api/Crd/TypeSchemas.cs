using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using StageSet.Manifests.Schema;

namespace StageSet.Api.Crd;

/// <summary>
/// Derives structural OpenAPI schemas from the API types: names and membership exactly as
/// <see cref="StageSetJson.Options"/> serialises them, facts (descriptions, enums, defaults, bounds, rules) from the
/// attributes in <see cref="Crd"/>. Properties are sorted by name and required lists too, as controller-gen does.
/// </summary>
public static class TypeSchemas
{
    public static JsonSchemaProps For(Type type) => Build(type, null, []);

    private static JsonSchemaProps Build(Type type, ICustomAttributeProvider? member, HashSet<Type> path)
    {
        var description = Attr<DescriptionAttribute>(member)?.Text ?? Attr<DescriptionAttribute>(type)?.Text;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            return new JsonSchemaProps
            {
                Type = "string",
                Description = description,
                Enum = Attr<EnumAttribute>(member)?.Values.Select(v => (JsonNode?)JsonValue.Create(v)).ToList(),
                Default = Default(member),
                Pattern = Attr<PatternAttribute>(member)?.Pattern,
                MinLength = Attr<LengthAttribute>(member) is { Minimum: >= 0 } min ? min.Minimum : null,
                MaxLength = Attr<LengthAttribute>(member) is { Maximum: >= 0 } max ? max.Maximum : null,
            };
        }

        if (underlying == typeof(bool))
        {
            return new JsonSchemaProps { Type = "boolean", Description = description, Default = Default(member) };
        }

        if (underlying == typeof(int) || underlying == typeof(long))
        {
            return new JsonSchemaProps
            {
                Type = "integer",
                Format = underlying == typeof(int) ? "int32" : "int64",
                Description = description,
                Default = Default(member),
                Minimum = Attr<MinimumAttribute>(member)?.Value,
                Maximum = Attr<MaximumAttribute>(member)?.Value,
            };
        }

        if (underlying == typeof(Duration))
        {
            return new JsonSchemaProps { Type = "string", Description = description, Default = Default(member) };
        }

        if (underlying == typeof(DateTimeOffset))
        {
            return new JsonSchemaProps { Type = "string", Format = "date-time", Description = description };
        }

        if (underlying == typeof(IReadOnlyDictionary<string, string>))
        {
            return new JsonSchemaProps { Type = "object", Description = description, AdditionalProperties = new JsonSchemaProps { Type = "string" } };
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var itemType = underlying.GetGenericArguments()[0];
            var items = Build(itemType, null, path);
            if (itemType == typeof(int) || itemType == typeof(long))
            {
                // Bounds on a list of numbers constrain its items.
                items = With(items, Attr<MinimumAttribute>(member)?.Value, Attr<MaximumAttribute>(member)?.Value);
            }

            return new JsonSchemaProps
            {
                Type = "array",
                Description = description,
                Items = items,
                MinItems = Attr<MinItemsAttribute>(member)?.Count,
            };
        }

        return Object(underlying, description, member, path);
    }

    private static JsonSchemaProps Object(Type type, string? description, ICustomAttributeProvider? member, HashSet<Type> path)
    {
        if (!path.Add(type))
        {
            throw new InvalidOperationException($"{type.Name} refers to itself; recursive types cannot be structural");
        }

        var info = StageSetJson.Options.GetTypeInfo(type);
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            throw new InvalidOperationException($"{type.Name} has no CRD mapping");
        }

        var properties = new List<KeyValuePair<string, JsonSchemaProps>>();
        var required = new List<string>();
        foreach (var property in info.Properties.Where(p => p.Get is not null).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var provider = property.AttributeProvider;
            properties.Add(new(property.Name, Build(property.PropertyType, provider, path)));
            if (provider?.IsDefined(typeof(RequiredAttribute), true) == true)
            {
                required.Add(property.Name);
            }
        }

        path.Remove(type);
        var rules = type.GetCustomAttributes<ValidationRuleAttribute>().Select(r => new ValidationRule(r.Rule, r.Message)).ToList();
        return new JsonSchemaProps
        {
            Type = "object",
            Description = description,
            Default = Default(member),
            Properties = properties,
            Required = required.Count == 0 ? null : required.Order(StringComparer.Ordinal).ToList(),
            MapType = type.IsDefined(typeof(AtomicAttribute)) ? "atomic" : null,
            Validations = rules.Count == 0 ? null : rules,
        };
    }

    private static JsonSchemaProps With(JsonSchemaProps s, long? minimum, long? maximum) => new()
    {
        Type = s.Type,
        Format = s.Format,
        Description = s.Description,
        Minimum = minimum,
        Maximum = maximum,
    };

    private static JsonNode? Default(ICustomAttributeProvider? member) =>
        Attr<DefaultAttribute>(member) is { } d ? JsonNode.Parse(d.Json) : null;

    private static T? Attr<T>(ICustomAttributeProvider? provider) where T : Attribute =>
        provider?.GetCustomAttributes(typeof(T), true).OfType<T>().FirstOrDefault();
}
