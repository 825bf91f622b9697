using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StageSet.Manifests.Schema;

/// <summary>
/// One node of an OpenAPI v3 schema as Kubernetes uses it (apiextensions <c>JSONSchemaProps</c> plus the
/// <c>x-kubernetes-*</c> extensions and <c>$ref</c>). CRDs, built-in kinds, strategic merge patch, server-side
/// apply, pruning, defaulting and validation all read this one model.
/// </summary>
public sealed class JsonSchemaProps
{
    /// <summary><c>$ref</c>, e.g. <c>#/components/schemas/mergeItem</c>; resolve with <see cref="SchemaSet"/>.</summary>
    public string? Ref { get; init; }

    public string? Type { get; init; }

    public string? Format { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    public JsonNode? Default { get; init; }

    public JsonNode? Example { get; init; }

    public IReadOnlyList<JsonNode?>? Enum { get; init; }

    /// <summary>Properties in declaration order.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonSchemaProps>>? Properties { get; init; }

    public JsonSchemaProps? Items { get; init; }

    /// <summary><c>additionalProperties</c> given as a schema.</summary>
    public JsonSchemaProps? AdditionalProperties { get; init; }

    /// <summary><c>additionalProperties</c> given as a boolean.</summary>
    public bool? AdditionalPropertiesAllowed { get; init; }

    public IReadOnlyList<string>? Required { get; init; }

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    public bool ExclusiveMinimum { get; init; }

    public bool ExclusiveMaximum { get; init; }

    public double? MultipleOf { get; init; }

    public long? MinLength { get; init; }

    public long? MaxLength { get; init; }

    public long? MinItems { get; init; }

    public long? MaxItems { get; init; }

    public long? MinProperties { get; init; }

    public long? MaxProperties { get; init; }

    public string? Pattern { get; init; }

    public bool UniqueItems { get; init; }

    public bool Nullable { get; init; }

    public IReadOnlyList<JsonSchemaProps>? AllOf { get; init; }

    public IReadOnlyList<JsonSchemaProps>? AnyOf { get; init; }

    public IReadOnlyList<JsonSchemaProps>? OneOf { get; init; }

    public JsonSchemaProps? Not { get; init; }

    /// <summary><c>x-kubernetes-preserve-unknown-fields</c>.</summary>
    public bool PreserveUnknownFields { get; init; }

    /// <summary><c>x-kubernetes-int-or-string</c>.</summary>
    public bool IntOrString { get; init; }

    /// <summary><c>x-kubernetes-embedded-resource</c>.</summary>
    public bool EmbeddedResource { get; init; }

    /// <summary><c>x-kubernetes-list-type</c>: <c>atomic</c>, <c>set</c> or <c>map</c>; null means atomic for SSA.</summary>
    public string? ListType { get; init; }

    /// <summary><c>x-kubernetes-list-map-keys</c>.</summary>
    public IReadOnlyList<string>? ListMapKeys { get; init; }

    /// <summary><c>x-kubernetes-map-type</c>: <c>granular</c> or <c>atomic</c>.</summary>
    public string? MapType { get; init; }

    /// <summary><c>x-kubernetes-validations</c> (CEL rules).</summary>
    public IReadOnlyList<ValidationRule>? Validations { get; init; }

    /// <summary><c>x-kubernetes-patch-merge-key</c> (strategic merge patch).</summary>
    public string? PatchMergeKey { get; init; }

    /// <summary><c>x-kubernetes-patch-strategy</c>, e.g. <c>merge</c>, <c>retainKeys</c>, <c>merge,retainKeys</c>.</summary>
    public string? PatchStrategy { get; init; }

    /// <summary>Any other keys (unknown <c>x-</c> extensions), kept so a round trip loses nothing.</summary>
    public IReadOnlyDictionary<string, JsonNode?>? Extra { get; init; }

    public JsonSchemaProps? Property(string name)
    {
        if (Properties is null)
        {
            return null;
        }

        foreach (var (key, value) in Properties)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }

    public static JsonSchemaProps Parse(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return new JsonSchemaProps();
        }

        Dictionary<string, JsonNode?>? extra = null;
        foreach (var (key, value) in obj)
        {
            if (!KnownKeys.Contains(key))
            {
                (extra ??= new Dictionary<string, JsonNode?>(StringComparer.Ordinal))[key] = value?.DeepClone();
            }
        }

        var additional = obj["additionalProperties"];
        return new JsonSchemaProps
        {
            Ref = Str(obj, "$ref"),
            Type = Str(obj, "type"),
            Format = Str(obj, "format"),
            Title = Str(obj, "title"),
            Description = Str(obj, "description"),
            Default = obj["default"]?.DeepClone(),
            Example = obj["example"]?.DeepClone(),
            Enum = obj["enum"] is JsonArray e ? e.Select(x => x?.DeepClone()).ToList() : null,
            Properties = obj["properties"] is JsonObject props
                ? props.Select(p => new KeyValuePair<string, JsonSchemaProps>(p.Key, Parse(p.Value))).ToList()
                : null,
            Items = obj["items"] is JsonObject items ? Parse(items) : null,
            AdditionalProperties = additional is JsonObject ap ? Parse(ap) : null,
            AdditionalPropertiesAllowed = additional is JsonValue av && av.TryGetValue<bool>(out var ab) ? ab : null,
            Required = StrList(obj, "required"),
            Minimum = Num(obj, "minimum"),
            Maximum = Num(obj, "maximum"),
            ExclusiveMinimum = Bool(obj, "exclusiveMinimum"),
            ExclusiveMaximum = Bool(obj, "exclusiveMaximum"),
            MultipleOf = Num(obj, "multipleOf"),
            MinLength = Int(obj, "minLength"),
            MaxLength = Int(obj, "maxLength"),
            MinItems = Int(obj, "minItems"),
            MaxItems = Int(obj, "maxItems"),
            MinProperties = Int(obj, "minProperties"),
            MaxProperties = Int(obj, "maxProperties"),
            Pattern = Str(obj, "pattern"),
            UniqueItems = Bool(obj, "uniqueItems"),
            Nullable = Bool(obj, "nullable"),
            AllOf = SchemaList(obj, "allOf"),
            AnyOf = SchemaList(obj, "anyOf"),
            OneOf = SchemaList(obj, "oneOf"),
            Not = obj["not"] is JsonObject not ? Parse(not) : null,
            PreserveUnknownFields = Bool(obj, "x-kubernetes-preserve-unknown-fields"),
            IntOrString = Bool(obj, "x-kubernetes-int-or-string"),
            EmbeddedResource = Bool(obj, "x-kubernetes-embedded-resource"),
            ListType = Str(obj, "x-kubernetes-list-type"),
            ListMapKeys = StrList(obj, "x-kubernetes-list-map-keys"),
            MapType = Str(obj, "x-kubernetes-map-type"),
            Validations = obj["x-kubernetes-validations"] is JsonArray rules
                ? rules.OfType<JsonObject>().Select(ValidationRule.Parse).ToList()
                : null,
            PatchMergeKey = Str(obj, "x-kubernetes-patch-merge-key"),
            PatchStrategy = Str(obj, "x-kubernetes-patch-strategy"),
            Extra = extra,
        };
    }

    /// <summary>Serialises in the key order <c>kubectl</c> and controller-gen use for CRD schemas.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        Put(o, "$ref", Ref);
        Put(o, "additionalProperties", (JsonNode?)AdditionalProperties?.ToJson() ?? (AdditionalPropertiesAllowed is { } b ? JsonValue.Create(b) : null));
        Put(o, "allOf", ToArray(AllOf));
        Put(o, "anyOf", ToArray(AnyOf));
        Put(o, "default", Default?.DeepClone());
        Put(o, "description", Description);
        Put(o, "enum", Enum is null ? null : new JsonArray(Enum.Select(x => x?.DeepClone()).ToArray()));
        Put(o, "example", Example?.DeepClone());
        Put(o, "exclusiveMaximum", ExclusiveMaximum ? true : null);
        Put(o, "exclusiveMinimum", ExclusiveMinimum ? true : null);
        Put(o, "format", Format);
        Put(o, "items", Items?.ToJson());
        Put(o, "maxItems", MaxItems);
        Put(o, "maxLength", MaxLength);
        Put(o, "maxProperties", MaxProperties);
        Put(o, "maximum", Maximum);
        Put(o, "minItems", MinItems);
        Put(o, "minLength", MinLength);
        Put(o, "minProperties", MinProperties);
        Put(o, "minimum", Minimum);
        Put(o, "multipleOf", MultipleOf);
        Put(o, "not", Not?.ToJson());
        Put(o, "nullable", Nullable ? true : null);
        Put(o, "oneOf", ToArray(OneOf));
        Put(o, "pattern", Pattern);
        if (Properties is not null)
        {
            var props = new JsonObject();
            foreach (var (key, value) in Properties)
            {
                props[key] = value.ToJson();
            }

            o["properties"] = props;
        }

        Put(o, "required", Required is null ? null : new JsonArray(Required.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray()));
        Put(o, "title", Title);
        Put(o, "type", Type);
        Put(o, "uniqueItems", UniqueItems ? true : null);
        Put(o, "x-kubernetes-embedded-resource", EmbeddedResource ? true : null);
        Put(o, "x-kubernetes-int-or-string", IntOrString ? true : null);
        Put(o, "x-kubernetes-list-map-keys", ListMapKeys is null ? null : new JsonArray(ListMapKeys.Select(k => (JsonNode?)JsonValue.Create(k)).ToArray()));
        Put(o, "x-kubernetes-list-type", ListType);
        Put(o, "x-kubernetes-map-type", MapType);
        Put(o, "x-kubernetes-patch-merge-key", PatchMergeKey);
        Put(o, "x-kubernetes-patch-strategy", PatchStrategy);
        Put(o, "x-kubernetes-preserve-unknown-fields", PreserveUnknownFields ? true : null);
        Put(o, "x-kubernetes-validations", Validations is null ? null : new JsonArray(Validations.Select(v => (JsonNode?)v.ToJson()).ToArray()));
        if (Extra is not null)
        {
            foreach (var (key, value) in Extra.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                o[key] = value?.DeepClone();
            }
        }

        return o;
    }

    private static readonly HashSet<string> KnownKeys =
    [
        "$ref", "type", "format", "title", "description", "default", "example", "enum", "properties", "items",
        "additionalProperties", "required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "pattern",
        "uniqueItems", "nullable", "allOf", "anyOf", "oneOf", "not", "x-kubernetes-preserve-unknown-fields",
        "x-kubernetes-int-or-string", "x-kubernetes-embedded-resource", "x-kubernetes-list-type",
        "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-validations",
        "x-kubernetes-patch-merge-key", "x-kubernetes-patch-strategy",
    ];

    private static JsonArray? ToArray(IReadOnlyList<JsonSchemaProps>? list) =>
        list is null ? null : new JsonArray(list.Select(s => (JsonNode?)s.ToJson()).ToArray());

    private static void Put(JsonObject o, string key, JsonNode? value)
    {
        if (value is not null)
        {
            o[key] = value;
        }
    }

    private static void Put(JsonObject o, string key, string? value)
    {
        if (value is not null)
        {
            o[key] = value;
        }
    }

    private static void Put(JsonObject o, string key, long? value)
    {
        if (value is { } v)
        {
            o[key] = v;
        }
    }

    private static void Put(JsonObject o, string key, double? value)
    {
        if (value is { } v)
        {
            o[key] = v == Math.Floor(v) && Math.Abs(v) < 1e15 ? JsonValue.Create((long)v) : JsonValue.Create(v);
        }
    }

    private static void Put(JsonObject o, string key, bool? value)
    {
        if (value is { } v)
        {
            o[key] = v;
        }
    }

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static bool Bool(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    // Numbers are read through their JSON text: a JsonValue built in memory from a long does not answer
    // TryGetValue<double>, and schemas arrive both parsed from text and constructed by generators.
    private static double? Num(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : null;

    private static long? Int(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
            ? l
            : null;

    private static List<string>? StrList(JsonObject o, string key) =>
        o[key] is JsonArray a ? a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").ToList() : null;

    private static List<JsonSchemaProps>? SchemaList(JsonObject o, string key) =>
        o[key] is JsonArray a ? a.Select(Parse).ToList() : null;
}

/// <summary>One <c>x-kubernetes-validations</c> entry.</summary>
public sealed record ValidationRule(
    string Rule,
    string? Message = null,
    string? MessageExpression = null,
    string? Reason = null,
    string? FieldPath = null,
    bool? OptionalOldSelf = null)
{
    public static ValidationRule Parse(JsonObject o) => new(
        o["rule"]?.GetValue<string>() ?? "",
        o["message"]?.GetValue<string>(),
        o["messageExpression"]?.GetValue<string>(),
        o["reason"]?.GetValue<string>(),
        o["fieldPath"]?.GetValue<string>(),
        o["optionalOldSelf"] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null);

    public JsonObject ToJson()
    {
        var o = new JsonObject();
        if (FieldPath is not null)
        {
            o["fieldPath"] = FieldPath;
        }

        if (Message is not null)
        {
            o["message"] = Message;
        }

        if (MessageExpression is not null)
        {
            o["messageExpression"] = MessageExpression;
        }

        if (OptionalOldSelf is { } b)
        {
            o["optionalOldSelf"] = b;
        }

        if (Reason is not null)
        {
            o["reason"] = Reason;
        }

        o["rule"] = Rule;
        return o;
    }
}
