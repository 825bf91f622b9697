using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.FieldManagement;

/// <summary>
/// Merges an apply configuration into the live object by schema (api-server.md §6.2 step 1): scalars and atomic nodes
/// from the configuration, granular maps key by key, map-lists and sets item by item with the configuration's order
/// for its items and live-only items kept next to their neighbours.
/// </summary>
internal static class StructuredMerger
{
    /// <summary>Never mutates its inputs; the result shares no nodes with them.</summary>
    public static JsonObject Merge(JsonObject live, JsonObject config, MapShape shape) =>
        (JsonObject)MergeValue(live, config, shape)!;

    private static JsonNode? MergeValue(JsonNode? lhs, JsonNode? rhs, TypeShape declared)
    {
        var shape = declared.For(rhs);
        switch (shape)
        {
            case MapShape { Atomic: false } map when rhs is JsonObject rMap:
                if (lhs is not JsonObject lMap || (lMap.Count == 0 && rMap.Count == 0))
                {
                    return Clean(rhs, declared);
                }

                return MergeMap(lMap, rMap, map);
            case MapShape { Atomic: false } when rhs is null && lhs is JsonObject { Count: > 0 }:
                // A null configuration contributes no keys to a granular map; the live keys stay.
                return lhs.DeepClone();
            case ListShape { Kind: not ListKind.Atomic } list when rhs is JsonArray rList:
                if (lhs is not JsonArray lList || (lList.Count == 0 && rList.Count == 0))
                {
                    return Clean(rhs, declared);
                }

                return MergeList(lList, rList, list);
            case ListShape { Kind: not ListKind.Atomic } when rhs is null && lhs is JsonArray { Count: > 0 }:
                return lhs.DeepClone();
            default:
                return Clean(rhs, declared);
        }
    }

    private static JsonObject MergeMap(JsonObject lhs, JsonObject rhs, MapShape map)
    {
        var result = new JsonObject();
        foreach (var (key, value) in lhs)
        {
            if (rhs.TryGetPropertyValue(key, out var configured))
            {
                Put(result, key, MergeValue(value, configured, map.Child(key) ?? Deduced), map.Child(key));
            }
            else
            {
                result[key] = value?.DeepClone();
            }
        }

        foreach (var (key, value) in rhs)
        {
            if (!lhs.ContainsKey(key))
            {
                Put(result, key, Clean(value, map.Child(key) ?? Deduced), map.Child(key));
            }
        }

        return result;
    }

    /// <summary>A merged null is kept only where the schema allows null; elsewhere typed decoding drops the field.</summary>
    private static void Put(JsonObject result, string key, JsonNode? value, TypeShape? shape)
    {
        if (value is not null || shape is null || shape.Nullable)
        {
            result[key] = value;
        }
    }

    private static JsonArray MergeList(JsonArray lhs, JsonArray rhs, ListShape list)
    {
        var rhsElements = Elements(rhs, list);
        var lhsElements = Elements(lhs, list);
        var rhsByElement = new Dictionary<PathElement, JsonNode?>();
        foreach (var (element, item) in rhsElements)
        {
            rhsByElement.TryAdd(element, item);
        }

        var lhsByElement = new Dictionary<PathElement, JsonNode?>();
        var lhsDuplicates = new HashSet<PathElement>();
        foreach (var (element, item) in lhsElements)
        {
            if (!lhsByElement.TryAdd(element, item))
            {
                lhsDuplicates.Add(element);
            }
        }

        // Items both sides have, in the configuration's order: live-only items are emitted when they come up in
        // live order, shared ones only when it is their turn in this order.
        var shared = new Queue<PathElement>(rhsElements.Select(e => e.Element).Where(lhsByElement.ContainsKey));
        var emitted = new HashSet<PathElement>();
        var result = new JsonArray();
        int li = 0, ri = 0;
        while (li < lhsElements.Count || ri < rhsElements.Count)
        {
            if (li < lhsElements.Count && ri < rhsElements.Count)
            {
                var le = lhsElements[li].Element;
                if (le.Equals(rhsElements[ri].Element))
                {
                    Emit(le);
                    li++;
                    ri++;
                    Advance(le);
                    continue;
                }

                if (rhsByElement.ContainsKey(le) && shared.Count > 0 && !shared.Peek().Equals(le))
                {
                    li++;
                    continue;
                }
            }

            if (li < lhsElements.Count)
            {
                var le = lhsElements[li].Element;
                if (!rhsByElement.ContainsKey(le))
                {
                    result.Add(lhsElements[li].Item?.DeepClone());
                    li++;
                    continue;
                }

                if (emitted.Contains(le))
                {
                    li++;
                    continue;
                }
            }

            if (ri < rhsElements.Count)
            {
                var re = rhsElements[ri].Element;
                Emit(re);
                ri++;
                Advance(re);
            }
        }

        return result;

        void Emit(PathElement element)
        {
            if (!emitted.Add(element))
            {
                return;
            }

            // Duplicated live items cannot be told apart: the configured item replaces them all.
            var live = lhsByElement.GetValueOrDefault(element);
            result.Add(lhsDuplicates.Contains(element) || !lhsByElement.ContainsKey(element)
                ? Clean(rhsByElement[element], list.Item)
                : MergeValue(live, rhsByElement[element], list.Item));
        }

        void Advance(PathElement element)
        {
            if (shared.Count > 0 && shared.Peek().Equals(element))
            {
                shared.Dequeue();
            }
        }
    }

    /// <summary>Each item with its path element; items without one (missing key) are kept by position.</summary>
    private static List<(PathElement Element, JsonNode? Item)> Elements(JsonArray arr, ListShape list)
    {
        var result = new List<(PathElement, JsonNode?)>(arr.Count);
        for (var i = 0; i < arr.Count; i++)
        {
            result.Add((list.ItemElement(arr[i], i, out _) ?? PathElement.OfIndex(i), arr[i]));
        }

        return result;
    }

    /// <summary>A copy with nulls dropped where the schema does not allow them.</summary>
    private static JsonNode? Clean(JsonNode? value, TypeShape declared)
    {
        var shape = declared.For(value);
        switch (value)
        {
            case JsonObject obj when shape is MapShape map:
                var copy = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    var childShape = map.Child(key);
                    Put(copy, key, childShape is null ? child?.DeepClone() : Clean(child, childShape), childShape);
                }

                return copy;
            case JsonArray arr when shape is ListShape list:
                return new JsonArray(arr.Select(item => Clean(item, list.Item)).ToArray());
            default:
                return value?.DeepClone();
        }
    }

    private static readonly DeducedShape Deduced = new();
}
