using System.Text.Json;
using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.FieldManagement;

/// <summary>
/// What server-side apply needs to know about one schema node (structured-merge-diff's atom): a scalar leaf, a map
/// (granular or atomic), a list (atomic, set, or map with keys), or a deduced node whose shape comes from the value
/// (inside <c>x-kubernetes-preserve-unknown-fields</c>: objects granular, lists atomic).
/// </summary>
internal abstract class TypeShape
{
    /// <summary>Whether a JSON null here is kept in the merged object (else the field is dropped, as typed decoding does).</summary>
    public bool Nullable { get; init; }

    /// <summary>The concrete shape for a value: deduced nodes become granular maps, atomic lists or scalars.</summary>
    public virtual TypeShape For(JsonNode? value) => this;
}

internal sealed class ScalarShape(string? type) : TypeShape
{
    /// <summary><c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>, or null for int-or-string/any scalar.</summary>
    public string? Type { get; } = type;

    /// <summary>structured-merge-diff's type check; null when the value fits.</summary>
    public string? Check(JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        var kind = value is JsonValue v ? v.GetValueKind() : value is JsonObject ? JsonValueKind.Object : JsonValueKind.Array;
        return Type switch
        {
            "string" when kind != JsonValueKind.String => "expected string, got " + GoJson.Write(value),
            "integer" or "number" when kind != JsonValueKind.Number => "expected numeric (int or float), got " + GoTypeName(kind),
            "boolean" when kind is not (JsonValueKind.True or JsonValueKind.False) => "expected boolean, got " + GoJson.Write(value),
            null when kind is JsonValueKind.Object or JsonValueKind.Array => "expected any scalar, got " + GoJson.Write(value),
            _ => null,
        };
    }

    private static string GoTypeName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Object => "map[string]interface {}",
        JsonValueKind.Array => "[]interface {}",
        _ => "<nil>",
    };
}

internal sealed class MapShape : TypeShape
{
    private readonly Func<string, TypeShape?> _field;
    private readonly IReadOnlySet<string> _named;

    public MapShape(bool atomic, IReadOnlySet<string> named, Func<string, TypeShape?> field, TypeShape? element)
    {
        Atomic = atomic;
        _named = named;
        _field = field;
        Element = element;
    }

    public bool Atomic { get; }

    /// <summary>The shape of keys that are not declared fields; null means such keys are not allowed.</summary>
    public TypeShape? Element { get; }

    public bool IsNamed(string key) => _named.Contains(key);

    /// <summary>The declared field's shape, else the element shape, else null (field not declared in schema).</summary>
    public TypeShape? Child(string key) => _named.Contains(key) ? _field(key) : Element;
}

internal enum ListKind
{
    Atomic,
    Set,
    Map,
}

internal sealed class ListShape(ListKind kind, TypeShape item, IReadOnlyList<string> keys, IReadOnlyDictionary<string, JsonNode?> keyDefaults) : TypeShape
{
    public ListKind Kind { get; } = kind;

    public TypeShape Item { get; } = item;

    public IReadOnlyList<string> Keys { get; } = keys;

    /// <summary>
    /// The path element of one item: its key fields (missing ones taken from schema defaults, e.g. protocol TCP) or,
    /// for sets, its value. Returns null with an error text when a key field is missing.
    /// </summary>
    public PathElement? ItemElement(JsonNode? item, int index, out string? error)
    {
        error = null;
        if (Kind == ListKind.Set)
        {
            return PathElement.OfValue(item);
        }

        if (Kind != ListKind.Map)
        {
            return PathElement.OfIndex(index);
        }

        var fields = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var key in Keys)
        {
            if (item is JsonObject obj && obj.TryGetPropertyValue(key, out var value) && value is not null)
            {
                fields.Add(new(key, value));
            }
            else if (keyDefaults.TryGetValue(key, out var fallback))
            {
                fields.Add(new(key, fallback));
            }
            else
            {
                error = $"associative list with keys has an element that omits key field {GoJson.Quote(key)} (and doesn't have default value)";
                return null;
            }
        }

        return PathElement.Key(fields);
    }
}

/// <summary>Untyped content (preserve-unknown-fields, or no schema at all).</summary>
internal sealed class DeducedShape : TypeShape
{
    private readonly MapShape _map;
    private readonly ListShape _list;
    private readonly ScalarShape _scalar = new(null) { Nullable = true };

    public DeducedShape()
    {
        _map = new MapShape(false, new HashSet<string>(), _ => null, this) { Nullable = true };
        _list = new ListShape(ListKind.Atomic, this, [], new Dictionary<string, JsonNode?>()) { Nullable = true };
        Nullable = true;
    }

    public override TypeShape For(JsonNode? value) => value switch
    {
        JsonObject => _map,
        JsonArray => _list,
        _ => _scalar,
    };
}

/// <summary>
/// Turns OpenAPI schemas into shapes, lazily and once per node (per instance: one factory serves one request, so CRD
/// schema changes are always seen). Object metadata always gets the ObjectMeta semantics, as kube-apiserver does for
/// custom resources whose schema only says <c>metadata: {type: object}</c>.
/// </summary>
internal sealed class ShapeFactory(SchemaSet schemas)
{
    private readonly Dictionary<JsonSchemaProps, TypeShape> _memo = new(ReferenceEqualityComparer.Instance);
    private readonly DeducedShape _deduced = new();

    public TypeShape Deduced => _deduced;

    /// <summary>The shape of a whole object of a kind; no schema means fully deduced.</summary>
    public MapShape Root(JsonSchemaProps? schema)
    {
        if (schema is null)
        {
            return WithObjectFields(null, preserveUnknown: true);
        }

        return WithObjectFields(schemas.Resolve(schema), preserveUnknown: false);
    }

    public TypeShape From(JsonSchemaProps schema)
    {
        if (_memo.TryGetValue(schema, out var known))
        {
            return known;
        }

        var shape = Build(schemas.Resolve(schema));
        _memo[schema] = shape;
        return shape;
    }

    private TypeShape Build(JsonSchemaProps s)
    {
        if (s.IntOrString)
        {
            return new ScalarShape(null) { Nullable = s.Nullable };
        }

        if (s.EmbeddedResource)
        {
            return WithObjectFields(s, preserveUnknown: false);
        }

        switch (s.Type)
        {
            case "object":
                return MapFrom(s);
            case "array":
                return ListFrom(s);
            case "string" or "integer" or "number" or "boolean":
                return new ScalarShape(s.Type) { Nullable = s.Nullable };
        }

        if (s.Properties is not null || s.AdditionalProperties is not null)
        {
            return MapFrom(s);
        }

        return s.Items is not null ? ListFrom(s) : _deduced;
    }

    private MapShape MapFrom(JsonSchemaProps s, Dictionary<string, Func<TypeShape>>? implicitFields = null)
    {
        var props = new Dictionary<string, JsonSchemaProps>(StringComparer.Ordinal);
        foreach (var (name, prop) in s.Properties ?? [])
        {
            props[name] = prop;
        }

        var named = new HashSet<string>(props.Keys, StringComparer.Ordinal);
        if (implicitFields is not null)
        {
            named.UnionWith(implicitFields.Keys);
        }

        TypeShape? element = s.AdditionalProperties is { } ap
            ? From(ap)
            : s.PreserveUnknownFields || s.AdditionalPropertiesAllowed == true ? _deduced : null;
        return new MapShape(s.MapType == "atomic", named, Field, element) { Nullable = s.Nullable };

        TypeShape? Field(string name) =>
            implicitFields is not null && implicitFields.TryGetValue(name, out var make) ? make()
            : props.TryGetValue(name, out var p) ? From(p)
            : null;
    }

    private ListShape ListFrom(JsonSchemaProps s)
    {
        var item = s.Items is null ? _deduced : From(s.Items);
        var kind = s.ListType switch
        {
            "set" => ListKind.Set,
            "map" when s.ListMapKeys is { Count: > 0 } => ListKind.Map,
            _ => ListKind.Atomic,
        };
        var keys = kind == ListKind.Map ? s.ListMapKeys! : [];
        var defaults = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (kind == ListKind.Map && s.Items is not null)
        {
            var itemSchema = schemas.Resolve(s.Items);
            foreach (var key in keys)
            {
                if (itemSchema.Property(key) is { } keySchema && schemas.Resolve(keySchema).Default is { } d)
                {
                    defaults[key] = d;
                }
                else if (key == "protocol")
                {
                    // kube-apiserver's OpenAPI defaults every port protocol key to TCP (§5); schemas derived from
                    // the typed models carry no defaults.
                    defaults[key] = "TCP";
                }
            }
        }

        return new ListShape(kind, item, keys, defaults) { Nullable = s.Nullable };
    }

    /// <summary>A top-level or embedded object: apiVersion, kind and ObjectMeta metadata are always declared.</summary>
    private MapShape WithObjectFields(JsonSchemaProps? s, bool preserveUnknown)
    {
        var own = s is null ? null : schemas.Resolve(s).Property("metadata");
        var ownMeta = own is null ? null : schemas.Resolve(own);
        var metadata = ownMeta?.Property("labels") is not null ? ownMeta : ObjectMetaSchema.Props;
        var implicitFields = new Dictionary<string, Func<TypeShape>>(StringComparer.Ordinal)
        {
            ["apiVersion"] = () => new ScalarShape("string"),
            ["kind"] = () => new ScalarShape("string"),
            ["metadata"] = () => From(metadata),
        };
        var basis = s ?? new JsonSchemaProps { Type = "object", PreserveUnknownFields = preserveUnknown };
        if (preserveUnknown && !basis.PreserveUnknownFields)
        {
            basis = new JsonSchemaProps { Type = "object", Properties = basis.Properties, PreserveUnknownFields = true };
        }

        return MapFrom(basis, implicitFields);
    }
}

/// <summary>ObjectMeta as server-side apply sees it (labels/annotations granular, finalizers a set, ownerReferences keyed by uid).</summary>
internal static class ObjectMetaSchema
{
    public static JsonSchemaProps Props { get; } = JsonSchemaProps.Parse(JsonNode.Parse("""
        {"type":"object","properties":{
          "name":{"type":"string"},"generateName":{"type":"string"},"namespace":{"type":"string"},
          "selfLink":{"type":"string"},"uid":{"type":"string"},"resourceVersion":{"type":"string"},
          "generation":{"type":"integer"},"creationTimestamp":{"type":"string"},"deletionTimestamp":{"type":"string"},
          "deletionGracePeriodSeconds":{"type":"integer"},
          "labels":{"type":"object","additionalProperties":{"type":"string"}},
          "annotations":{"type":"object","additionalProperties":{"type":"string"}},
          "ownerReferences":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["uid"],
            "items":{"type":"object","properties":{"apiVersion":{"type":"string"},"kind":{"type":"string"},
              "name":{"type":"string"},"uid":{"type":"string"},"controller":{"type":"boolean"},
              "blockOwnerDeletion":{"type":"boolean"}}}},
          "finalizers":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
          "managedFields":{"type":"array","items":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}
        """));
}
