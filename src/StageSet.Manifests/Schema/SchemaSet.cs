using System.Text.Json.Nodes;

namespace StageSet.Manifests.Schema;

/// <summary>
/// Named schemas that <c>$ref</c> can point at (OpenAPI v3 <c>components/schemas</c> or v2 <c>definitions</c>),
/// and dereferencing of a node to the schema that actually describes its value.
/// </summary>
public sealed class SchemaSet
{
    private readonly Dictionary<string, JsonSchemaProps> _byName;

    public SchemaSet(IReadOnlyDictionary<string, JsonSchemaProps> byName)
    {
        _byName = new Dictionary<string, JsonSchemaProps>(byName, StringComparer.Ordinal);
    }

    public static SchemaSet Empty { get; } = new(new Dictionary<string, JsonSchemaProps>());

    public IReadOnlyDictionary<string, JsonSchemaProps> Schemas => _byName;

    /// <summary>Reads <c>components.schemas</c> (v3) or <c>definitions</c> (v2) of an OpenAPI document.</summary>
    public static SchemaSet FromOpenApi(JsonNode document)
    {
        var named = document["components"]?["schemas"] as JsonObject ?? document["definitions"] as JsonObject;
        var byName = new Dictionary<string, JsonSchemaProps>(StringComparer.Ordinal);
        if (named is not null)
        {
            foreach (var (key, value) in named)
            {
                byName[key] = JsonSchemaProps.Parse(value);
            }
        }

        return new SchemaSet(byName);
    }

    public JsonSchemaProps? Lookup(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Follows <c>$ref</c> and the <c>allOf: [{$ref}]</c> wrapper OpenAPI generators emit, keeping the outer node's
    /// Kubernetes extensions (patch strategy, list type) which apply to the referencing field.
    /// </summary>
    public JsonSchemaProps Resolve(JsonSchemaProps schema)
    {
        for (var depth = 0; depth < 32; depth++)
        {
            var target = schema.Ref ?? (schema.AllOf is [{ Ref: { } inner }] && schema.Type is null ? inner : null);
            if (target is null)
            {
                return schema;
            }

            var name = target[(target.LastIndexOf('/') + 1)..];
            if (!_byName.TryGetValue(name, out var resolved))
            {
                return schema;
            }

            schema = Overlay(resolved, schema);
        }

        return schema;
    }

    private static JsonSchemaProps Overlay(JsonSchemaProps target, JsonSchemaProps outer) => new()
    {
        Type = target.Type,
        Format = target.Format,
        Title = target.Title,
        Description = outer.Description ?? target.Description,
        Default = outer.Default ?? target.Default,
        Example = target.Example,
        Enum = target.Enum,
        Properties = target.Properties,
        Items = target.Items,
        AdditionalProperties = target.AdditionalProperties,
        AdditionalPropertiesAllowed = target.AdditionalPropertiesAllowed,
        Required = target.Required,
        Minimum = target.Minimum,
        Maximum = target.Maximum,
        ExclusiveMinimum = target.ExclusiveMinimum,
        ExclusiveMaximum = target.ExclusiveMaximum,
        MultipleOf = target.MultipleOf,
        MinLength = target.MinLength,
        MaxLength = target.MaxLength,
        MinItems = target.MinItems,
        MaxItems = target.MaxItems,
        MinProperties = target.MinProperties,
        MaxProperties = target.MaxProperties,
        Pattern = target.Pattern,
        UniqueItems = target.UniqueItems,
        Nullable = outer.Nullable || target.Nullable,
        AllOf = target.AllOf,
        AnyOf = target.AnyOf,
        OneOf = target.OneOf,
        Not = target.Not,
        Ref = target.Ref,
        PreserveUnknownFields = outer.PreserveUnknownFields || target.PreserveUnknownFields,
        IntOrString = outer.IntOrString || target.IntOrString,
        EmbeddedResource = outer.EmbeddedResource || target.EmbeddedResource,
        ListType = outer.ListType ?? target.ListType,
        ListMapKeys = outer.ListMapKeys ?? target.ListMapKeys,
        MapType = outer.MapType ?? target.MapType,
        Validations = target.Validations,
        PatchMergeKey = outer.PatchMergeKey ?? target.PatchMergeKey,
        PatchStrategy = outer.PatchStrategy ?? target.PatchStrategy,
        Extra = target.Extra,
    };
}
