using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;

namespace StageSet.Cel.Crd;

/// <summary>
/// Pairs each value of a new object with its counterpart in the old one, the way Kubernetes decides what
/// <c>oldSelf</c> is for a transition rule: object properties and map entries pair by name (unless the map is neither
/// granular nor atomic), list items only in <c>x-kubernetes-list-type: map</c> lists, by their key fields.
/// Keyed by node identity, so it must be built over the very nodes that are validated.
/// </summary>
internal sealed class CrdCorrelation
{
    private readonly Dictionary<JsonNode, JsonNode> _old = new(ReferenceEqualityComparer.Instance);

    private CrdCorrelation()
    {
    }

    public static CrdCorrelation None { get; } = new();

    public static CrdCorrelation Build(JsonSchemaProps root, JsonNode obj, JsonNode? oldObj)
    {
        var c = new CrdCorrelation();
        c.Walk(root, obj, oldObj);
        return c;
    }

    public JsonNode? OldOf(JsonNode value) => _old.GetValueOrDefault(value);

    private void Walk(JsonSchemaProps schema, JsonNode? value, JsonNode? old)
    {
        if (value is null || old is null)
        {
            return;
        }

        _old[value] = old;
        switch (value, old)
        {
            case (JsonObject obj, JsonObject oldObj) when schema.MapType is null or "granular" or "atomic":
                foreach (var (key, child) in obj)
                {
                    if ((schema.Property(key) ?? schema.AdditionalProperties) is { } sub && oldObj.TryGetPropertyValue(key, out var oldChild))
                    {
                        Walk(sub, child, oldChild);
                    }
                }

                break;
            case (JsonArray list, JsonArray oldList) when schema is { ListType: "map", ListMapKeys: { Count: > 0 } keys, Items: { } items }:
                var byKey = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
                foreach (var item in oldList)
                {
                    if (item is JsonObject o)
                    {
                        byKey.TryAdd(MapKey(o, keys), o);
                    }
                }

                foreach (var item in list)
                {
                    if (item is JsonObject o && byKey.TryGetValue(MapKey(o, keys), out var oldItem))
                    {
                        Walk(items, o, oldItem);
                    }
                }

                break;
        }
    }

    private static string MapKey(JsonObject item, IReadOnlyList<string> keys) =>
        string.Join('\u0000', keys.Select(k => item[k]?.ToJsonString() ?? "null"));
}
