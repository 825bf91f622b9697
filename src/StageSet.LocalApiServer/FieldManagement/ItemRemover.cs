using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.FieldManagement;

/// <summary>Removes fields and list items named by a field set (a member takes its whole subtree with it).</summary>
internal static class ItemRemover
{
    public static JsonObject Remove(JsonObject value, FieldSet toRemove, MapShape shape) =>
        (JsonObject)Remove((JsonNode)value, toRemove, shape)!;

    private static JsonNode? Remove(JsonNode? value, FieldSet toRemove, TypeShape declared)
    {
        var shape = declared.For(value);
        switch (value)
        {
            case JsonObject obj when shape is MapShape { Atomic: false } map:
                var result = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    var element = PathElement.Field(key);
                    if (toRemove.HasMember(element))
                    {
                        continue;
                    }

                    var below = toRemove.WithPrefix(element);
                    result[key] = below.IsEmpty || map.Child(key) is not { } childShape
                        ? child?.DeepClone()
                        : Remove(child, below, childShape);
                }

                return result;
            case JsonArray arr when shape is ListShape { Kind: not ListKind.Atomic } list:
                var items = new JsonArray();
                for (var i = 0; i < arr.Count; i++)
                {
                    var element = list.ItemElement(arr[i], i, out _);
                    if (element is not null && toRemove.HasMember(element))
                    {
                        continue;
                    }

                    var below = element is null ? null : toRemove.WithPrefix(element);
                    items.Add(below is null || below.IsEmpty ? arr[i]?.DeepClone() : Remove(arr[i], below, list.Item));
                }

                return items;
            default:
                return value?.DeepClone();
        }
    }

    /// <summary>
    /// The set plus, as members, every declared struct field that has members below it (structured-merge-diff's
    /// <c>EnsureNamedFieldsAreMembers</c>), so removing by this set can drop whole structs; map keys and list items
    /// are not added.
    /// </summary>
    public static FieldSet EnsureNamedFieldsAreMembers(FieldSet set, TypeShape shape)
    {
        var result = new FieldSet();
        Ensure(set, shape, result);
        return result;
    }

    private static void Ensure(FieldSet set, TypeShape shape, FieldSet into)
    {
        foreach (var member in set.Members)
        {
            into.InsertMember(member);
        }

        foreach (var (element, child) in set.Children)
        {
            TypeShape? childShape = null;
            if (shape is MapShape map && element.Kind == PathElementKind.Field)
            {
                childShape = map.Child(element.Name!);
                if (map.IsNamed(element.Name!))
                {
                    into.InsertMember(element);
                }
            }
            else if (shape is ListShape list)
            {
                childShape = list.Item;
            }

            var target = into.Child(element);
            if (childShape is null)
            {
                target.UnionInPlace(child);
            }
            else
            {
                Ensure(child, childShape, target);
            }
        }
    }
}
