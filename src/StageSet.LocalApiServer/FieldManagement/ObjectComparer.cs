using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.FieldManagement;

/// <summary>What changed between two versions of an object, as field sets.</summary>
internal sealed record Comparison(FieldSet Added, FieldSet Modified, FieldSet Removed)
{
    public FieldSet Changed => Modified.Union(Added);

    public Comparison Filter(Func<FieldSet, FieldSet> filter) => new(filter(Added), filter(Modified), filter(Removed));
}

/// <summary>
/// structured-merge-diff's typed comparison: leaves and atomic nodes are added, modified or removed; granular maps and
/// lists are walked, and themselves count as added or removed when they appear or disappear (which gives Update
/// entries their <c>".":{}</c> on new maps). Two empty-or-absent collections compare as leaves, keeping the difference
/// between absent, null and empty.
/// </summary>
internal static class ObjectComparer
{
    public static Comparison Compare(JsonNode? lhs, JsonNode? rhs, TypeShape shape)
    {
        var result = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        Visit(new Slot(true, lhs), new Slot(true, rhs), shape, new FieldPath([]), result);
        return result;
    }

    /// <summary>A value that may be absent, distinct from a present JSON null.</summary>
    private readonly record struct Slot(bool Has, JsonNode? Node);

    private static void Visit(Slot lhs, Slot rhs, TypeShape declared, FieldPath path, Comparison result)
    {
        var lShape = declared.For(lhs.Node);
        var rShape = declared.For(rhs.Node);
        var shape = rhs.Has ? rShape : lShape;
        var granular = false;
        if (lShape.GetType() != rShape.GetType() && lhs.Has && rhs.Has && lhs.Node is not null && rhs.Node is not null)
        {
            Leaf(lhs, rhs, path, result);
            return;
        }

        switch (shape)
        {
            case MapShape { Atomic: false } map when !(IsEmptyMap(lhs) && IsEmptyMap(rhs)):
                granular = true;
                VisitMap(lhs.Node as JsonObject, rhs.Node as JsonObject, map, path, result);
                break;
            case ListShape { Kind: not ListKind.Atomic } list when !(IsEmptyList(lhs) && IsEmptyList(rhs)):
                granular = true;
                VisitList(lhs.Node as JsonArray, rhs.Node as JsonArray, list, path, result);
                break;
            default:
                Leaf(lhs, rhs, path, result);
                return;
        }

        if (granular && path.Elements.Count > 0)
        {
            if (!lhs.Has)
            {
                result.Added.Insert(path);
            }
            else if (!rhs.Has)
            {
                result.Removed.Insert(path);
            }
        }
    }

    private static void Leaf(Slot lhs, Slot rhs, FieldPath path, Comparison result)
    {
        if (path.Elements.Count == 0)
        {
            return;
        }

        if (!lhs.Has && !rhs.Has)
        {
            return;
        }

        if (!lhs.Has)
        {
            result.Added.Insert(path);
        }
        else if (!rhs.Has)
        {
            result.Removed.Insert(path);
        }
        else if (!JsonNode.DeepEquals(lhs.Node, rhs.Node))
        {
            result.Modified.Insert(path);
        }
    }

    private static void VisitMap(JsonObject? lhs, JsonObject? rhs, MapShape map, FieldPath path, Comparison result)
    {
        if (lhs is not null)
        {
            foreach (var (key, value) in lhs)
            {
                var childShape = map.Child(key);
                if (childShape is null)
                {
                    continue;
                }

                var r = rhs is not null && rhs.TryGetPropertyValue(key, out var rv) ? new Slot(true, rv) : default;
                Visit(new Slot(true, value), r, childShape, path.Append(PathElement.Field(key)), result);
            }
        }

        if (rhs is not null)
        {
            foreach (var (key, value) in rhs)
            {
                var childShape = map.Child(key);
                if (childShape is null || (lhs is not null && lhs.ContainsKey(key)))
                {
                    continue;
                }

                Visit(default, new Slot(true, value), childShape, path.Append(PathElement.Field(key)), result);
            }
        }
    }

    private static void VisitList(JsonArray? lhs, JsonArray? rhs, ListShape list, FieldPath path, Comparison result)
    {
        var lItems = Index(lhs, list);
        var rItems = Index(rhs, list);
        foreach (var (element, item) in lItems)
        {
            var r = rItems.TryGetValue(element, out var rv) ? new Slot(true, rv) : default;
            Visit(new Slot(true, item), r, list.Item, path.Append(element), result);
        }

        foreach (var (element, item) in rItems)
        {
            if (!lItems.ContainsKey(element))
            {
                Visit(default, new Slot(true, item), list.Item, path.Append(element), result);
            }
        }
    }

    /// <summary>Items by path element in list order; the first of duplicated items represents them.</summary>
    private static Dictionary<PathElement, JsonNode?> Index(JsonArray? arr, ListShape list)
    {
        var result = new Dictionary<PathElement, JsonNode?>();
        if (arr is null)
        {
            return result;
        }

        for (var i = 0; i < arr.Count; i++)
        {
            if (list.ItemElement(arr[i], i, out _) is { } element)
            {
                result.TryAdd(element, arr[i]);
            }
        }

        return result;
    }

    private static bool IsEmptyMap(Slot s) => !s.Has || s.Node is null || s.Node is JsonObject { Count: 0 };

    private static bool IsEmptyList(Slot s) => !s.Has || s.Node is null || s.Node is JsonArray { Count: 0 };
}
