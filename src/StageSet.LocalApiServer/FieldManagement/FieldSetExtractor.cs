using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.FieldManagement;

/// <summary>
/// The set of fields a value sets (structured-merge-diff's <c>ToFieldSet</c>): every leaf, every list item, atomic
/// nodes whole, map keys that are not declared fields, and empty or null values. In strict mode it also validates the
/// value against its shape (undeclared fields, type mismatches, duplicate or keyless list items), as typing an apply
/// configuration does.
/// </summary>
internal sealed class FieldSetExtractor
{
    private readonly bool _strict;
    private readonly List<string> _errors = [];

    private FieldSetExtractor(bool strict)
    {
        _strict = strict;
    }

    /// <summary>The field set of a configuration, with every validation error (path: message).</summary>
    public static (FieldSet Set, IReadOnlyList<string> Errors) Strict(JsonObject value, MapShape shape)
    {
        var extractor = new FieldSetExtractor(strict: true);
        var set = new FieldSet();
        extractor.Visit(value, shape, new FieldPath([]), set);
        return (set, extractor._errors);
    }

    /// <summary>The field set of a stored object; values that do not fit the schema are skipped, never rejected.</summary>
    public static FieldSet Lenient(JsonNode? value, TypeShape shape)
    {
        var set = new FieldSet();
        new FieldSetExtractor(strict: false).Visit(value, shape, new FieldPath([]), set);
        return set;
    }

    private void Visit(JsonNode? value, TypeShape declared, FieldPath path, FieldSet set)
    {
        var shape = declared.For(value);
        switch (shape)
        {
            case ScalarShape scalar:
                if (scalar.Check(value) is { } problem)
                {
                    Error(path, problem);
                }

                set.Insert(path);
                break;
            case MapShape map:
                VisitMap(value, map, path, set);
                break;
            case ListShape list:
                VisitList(value, list, path, set);
                break;
        }
    }

    private void VisitMap(JsonNode? value, MapShape map, FieldPath path, FieldSet set)
    {
        if (value is null || map.Atomic)
        {
            if (value is not null and not JsonObject)
            {
                Error(path, "expected map, got " + GoJson.Write(value));
            }

            set.Insert(path);
            return;
        }

        if (value is not JsonObject obj)
        {
            Error(path, "expected map, got " + GoJson.Write(value));
            set.Insert(path);
            return;
        }

        foreach (var (key, child) in obj)
        {
            var childPath = path.Append(PathElement.Field(key));
            var childShape = map.Child(key);
            if (childShape is null)
            {
                Error(childPath, "field not declared in schema");
                continue;
            }

            Visit(child, childShape, childPath, set);
            if (child is null || child is JsonObject { Count: 0 } || !map.IsNamed(key))
            {
                set.Insert(childPath);
            }
        }
    }

    private void VisitList(JsonNode? value, ListShape list, FieldPath path, FieldSet set)
    {
        if (value is null || list.Kind == ListKind.Atomic)
        {
            if (value is not null and not JsonArray)
            {
                Error(path, "expected list, got " + GoJson.Write(value));
            }

            set.Insert(path);
            return;
        }

        if (value is not JsonArray arr)
        {
            Error(path, "expected list, got " + GoJson.Write(value));
            set.Insert(path);
            return;
        }

        var seen = new HashSet<PathElement>();
        for (var i = 0; i < arr.Count; i++)
        {
            var element = list.ItemElement(arr[i], i, out var problem);
            if (element is null)
            {
                Error(path, problem!);
                continue;
            }

            if (!seen.Add(element))
            {
                Error(path, "duplicate entries for key " + element);
                continue;
            }

            var itemPath = path.Append(element);
            Visit(arr[i], list.Item, itemPath, set);
            set.Insert(itemPath);
        }
    }

    private void Error(FieldPath path, string message)
    {
        if (_strict)
        {
            _errors.Add(path.Elements.Count == 0 ? message : path + ": " + message);
        }
    }
}
