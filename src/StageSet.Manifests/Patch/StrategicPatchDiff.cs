using System.Globalization;
using System.Text.Json.Nodes;
using static StageSet.Manifests.Patch.StrategicMergePatch;

namespace StageSet.Manifests.Patch;

/// <summary>Which parts of a difference a patch keeps (apimachinery <c>DiffOptions</c>).</summary>
internal readonly record struct DiffOptions(
    bool SetElementOrder = false,
    bool IgnoreChangesAndAdditions = false,
    bool IgnoreDeletions = false,
    bool BuildRetainKeysDirective = false);

/// <summary>
/// The diff half of apimachinery's strategic merge patch: the patch that turns one document into another, with
/// <c>$patch: delete</c> entries for removed list elements, <c>$deleteFromPrimitiveList</c> for removed
/// scalars, <c>$setElementOrder</c> for merged lists and <c>$retainKeys</c> where the schema asks for it.
/// </summary>
internal static class StrategicPatchDiff
{
    public static JsonObject DiffMaps(JsonObject original, JsonObject modified, PatchSchema schema, DiffOptions options)
    {
        var patch = new JsonObject();
        var retainKeys = new List<JsonNode?>();
        foreach (var (key, modifiedValue) in modified)
        {
            if (options.BuildRetainKeysDirective && KindOf(modifiedValue) != Kind.Null)
            {
                retainKeys.Add(key);
            }

            if (!original.TryGetPropertyValue(key, out var originalValue))
            {
                if (!options.IgnoreChangesAndAdditions)
                {
                    patch[key] = modifiedValue?.DeepClone();
                }

                continue;
            }

            if (key == Directive)
            {
                if (KindOf(originalValue) != Kind.String || KindOf(modifiedValue) != Kind.String)
                {
                    throw new StrategicMergePatchException($"invalid value for special key: {Directive}");
                }

                if (!GoEquals(originalValue, modifiedValue))
                {
                    patch[Directive] = modifiedValue!.DeepClone();
                }

                continue;
            }

            if (!SameGoType(originalValue, modifiedValue))
            {
                if (!options.IgnoreChangesAndAdditions)
                {
                    patch[key] = modifiedValue?.DeepClone();
                }

                continue;
            }

            switch (originalValue)
            {
                case JsonObject originalMap:
                    MapDiff(key, originalMap, (JsonObject)modifiedValue!, patch, schema, options);
                    break;
                case JsonArray originalList:
                    SliceDiff(key, [.. originalList], [.. (JsonArray)modifiedValue!], patch, schema, options);
                    break;
                default:
                    ReplaceIfNotEqual(key, originalValue, modifiedValue, patch, options);
                    break;
            }
        }

        if (!options.IgnoreDeletions)
        {
            foreach (var (key, _) in original)
            {
                if (!modified.ContainsKey(key))
                {
                    patch[key] = null;
                }
            }
        }

        if (retainKeys.Count > 0 && (patch.Count > 0 || original.Any(p => KindOf(p.Value) != Kind.Null && !modified.ContainsKey(p.Key))))
        {
            patch[RetainKeysDirective] = new JsonArray([.. SortScalars(retainKeys).Select(n => n?.DeepClone())]);
        }

        return patch;
    }

    private static void MapDiff(string key, JsonObject original, JsonObject modified, JsonObject patch, PatchSchema schema, DiffOptions options)
    {
        var field = Lookup(schema, key, original, modified);
        if (field is null)
        {
            return;
        }

        if (field.Value.Strategy == ReplaceDirective)
        {
            if (!options.IgnoreChangesAndAdditions)
            {
                patch[key] = modified.DeepClone();
            }

            return;
        }

        var value = DiffMaps(original, modified, field.Value.Value, options with { BuildRetainKeysDirective = field.Value.RetainKeys });
        if (value.Count > 0)
        {
            patch[key] = value;
        }
    }

    private static void SliceDiff(string key, List<JsonNode?> original, List<JsonNode?> modified, JsonObject patch, PatchSchema schema, DiffOptions options)
    {
        var field = Lookup(schema, key, new JsonArray([.. original.Select(n => n?.DeepClone())]), new JsonArray([.. modified.Select(n => n?.DeepClone())]));
        if (field is null)
        {
            return;
        }

        if (field.Value.Strategy != MergeDirective)
        {
            ReplaceIfNotEqual(key, new JsonArray([.. original.Select(n => n?.DeepClone())]), new JsonArray([.. modified.Select(n => n?.DeepClone())]), patch, options);
            return;
        }

        var (add, delete, order) = DiffLists(original, modified, field.Value, options with { BuildRetainKeysDirective = field.Value.RetainKeys });
        if (add.Count > 0)
        {
            patch[key] = Clone(add);
        }

        if (delete.Count > 0)
        {
            patch[DeleteFromPrimitiveListPrefix + "/" + key] = Clone(delete);
        }

        if (order.Count > 0)
        {
            patch[SetElementOrderPrefix + "/" + key] = Clone(order);
        }
    }

    // apimachinery tolerates a field the schema does not know only while its value is unchanged.
    private static PatchField? Lookup(PatchSchema schema, string key, JsonNode original, JsonNode modified)
    {
        var field = schema.Field(key);
        if (field.Known)
        {
            return field;
        }

        return GoEquals(original, modified)
            ? null
            : throw new StrategicMergePatchException($"unable to find api field in struct for the json field \"{key}\"");
    }

    private static (List<JsonNode?> Add, List<JsonNode?> Delete, List<JsonNode?> Order) DiffLists(List<JsonNode?> original, List<JsonNode?> modified, PatchField field, DiffOptions options)
    {
        if (original.Count == 0)
        {
            return modified.Count == 0 || options.IgnoreChangesAndAdditions ? ([], [], []) : (modified, [], []);
        }

        var kind = Merger.ElementKind(original, modified);
        var mergeKey = field.MergeKey;
        List<JsonNode?> add, delete, order = [];
        if (kind == Kind.Object)
        {
            (add, delete) = DiffListsOfMaps(original, modified, field, options);
            add = Merger.NormalizeSliceOrder(add, modified, mergeKey, kind);
            var orderSame = IsOrderSame(original, modified, mergeKey);
            add.AddRange(delete);
            delete = [];
            if (options.SetElementOrder &&
                ((!options.IgnoreChangesAndAdditions && (add.Count > 0 || !orderSame)) || (!options.IgnoreDeletions && add.Count > 0)))
            {
                order = modified.Select(m => (JsonNode?)new JsonObject { [mergeKey] = Merger.AsMap(m)[mergeKey]?.DeepClone() }).ToList();
            }
        }
        else
        {
            (add, delete) = DiffListsOfScalars(original, modified, options);
            add = Merger.NormalizeSliceOrder(add, modified, mergeKey, kind);
            if (options.SetElementOrder &&
                ((!options.IgnoreDeletions && delete.Count > 0) || (!options.IgnoreChangesAndAdditions && !GoEquals(new JsonArray(Clone(original)), new JsonArray(Clone(modified))))))
            {
                order = modified;
            }
        }

        return (add, delete, order);
    }

    private static bool IsOrderSame(List<JsonNode?> original, List<JsonNode?> modified, string mergeKey)
    {
        if (original.Count != modified.Count)
        {
            return false;
        }

        for (var i = 0; i < modified.Count; i++)
        {
            if (!GoEquals(Merger.AsMap(original[i])[mergeKey], Merger.AsMap(modified[i])[mergeKey]))
            {
                return false;
            }
        }

        return true;
    }

    private static (List<JsonNode?> Add, List<JsonNode?> Delete) DiffListsOfScalars(List<JsonNode?> original, List<JsonNode?> modified, DiffOptions options)
    {
        var o = SortScalars(original);
        var m = SortScalars(modified);
        var add = new List<JsonNode?>();
        var delete = new List<JsonNode?>();
        int i = 0, j = 0;
        while (i < o.Count || j < m.Count)
        {
            var cmp = i >= o.Count ? 1 : j >= m.Count ? -1 : string.CompareOrdinal(GoV(o[i]), GoV(m[j]));
            if (cmp == 0)
            {
                i++;
                j++;
            }
            else if (cmp > 0)
            {
                if (!options.IgnoreChangesAndAdditions)
                {
                    add.Add(m[j]);
                }

                j++;
            }
            else
            {
                if (!options.IgnoreDeletions)
                {
                    delete.Add(o[i]);
                }

                i++;
            }
        }

        return (add, Merger.DeduplicateScalars(delete));
    }

    private static (List<JsonNode?> Patch, List<JsonNode?> Delete) DiffListsOfMaps(List<JsonNode?> original, List<JsonNode?> modified, PatchField field, DiffOptions options)
    {
        var mergeKey = field.MergeKey;
        var o = SortByMergeKey(original, mergeKey);
        var m = SortByMergeKey(modified, mergeKey);
        var patch = new List<JsonNode?>();
        var delete = new List<JsonNode?>();
        int i = 0, j = 0;
        while (i < o.Count || j < m.Count)
        {
            var ov = i < o.Count ? MergeKeyValue(o[i], mergeKey) : null;
            var mv = j < m.Count ? MergeKeyValue(m[j], mergeKey) : null;
            var cmp = i >= o.Count ? 1 : j >= m.Count ? -1 : string.CompareOrdinal(GoV(ov), GoV(mv));
            if (cmp == 0)
            {
                var value = DiffMaps((JsonObject)o[i]!, (JsonObject)m[j]!, field.Value, options);
                if (value.Count > 0)
                {
                    value[mergeKey] = mv?.DeepClone();
                    patch.Add(value);
                }

                i++;
                j++;
            }
            else if (cmp > 0)
            {
                if (!options.IgnoreChangesAndAdditions)
                {
                    patch.Add(m[j]);
                }

                j++;
            }
            else
            {
                if (!options.IgnoreDeletions)
                {
                    delete.Add(new JsonObject { [mergeKey] = ov?.DeepClone(), [Directive] = DeleteDirective });
                }

                i++;
            }
        }

        return (patch, delete);
    }

    private static JsonNode? MergeKeyValue(JsonNode? item, string mergeKey)
    {
        var map = Merger.AsMap(item);
        return map.TryGetPropertyValue(mergeKey, out var v) ? v : throw Merger.NoMergeKey(map, mergeKey);
    }

    private static List<JsonNode?> SortByMergeKey(List<JsonNode?> items, string mergeKey) =>
        items.OrderBy(i => GoV(MergeKeyValue(i, mergeKey)), StringComparer.Ordinal).ToList();

    internal static List<JsonNode?> SortScalars(List<JsonNode?> items) => items.OrderBy(GoV, StringComparer.Ordinal).ToList();

    private static void ReplaceIfNotEqual(string key, JsonNode? original, JsonNode? modified, JsonObject patch, DiffOptions options)
    {
        if (!options.IgnoreChangesAndAdditions && !GoEquals(original, modified))
        {
            patch[key] = modified?.DeepClone();
        }
    }

    private static JsonArray Clone(List<JsonNode?> items) => new([.. items.Select(n => n?.DeepClone())]);

    /// <summary>Go's <c>fmt.Sprintf("%v")</c> of a decoded JSON scalar, which apimachinery sorts and compares by.</summary>
    internal static string GoV(JsonNode? node) => KindOf(node) switch
    {
        Kind.Null => "<nil>",
        Kind.String => node!.GetValue<string>(),
        Kind.Bool => node!.ToJsonString(),
        Kind.Number => GoNumberV(node!.ToJsonString()),
        _ => node!.ToJsonString(),
    };

    private static string GoNumberV(string json) =>
        long.TryParse(json, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? l.ToString(CultureInfo.InvariantCulture)
            : Yaml.GoFloat.FormatYaml(double.Parse(json, CultureInfo.InvariantCulture));

    /// <summary>
    /// Go <c>reflect.DeepEqual</c> over apimachinery-decoded JSON, where integers decode to int64 and other numbers
    /// to float64: <c>1</c> and <c>1.0</c> differ.
    /// </summary>
    internal static bool GoEquals(JsonNode? a, JsonNode? b)
    {
        if (!SameGoType(a, b))
        {
            return false;
        }

        return a switch
        {
            JsonObject oa => oa.Count == ((JsonObject)b!).Count && oa.All(p => ((JsonObject)b).TryGetPropertyValue(p.Key, out var v) && GoEquals(p.Value, v)),
            JsonArray aa => aa.Count == ((JsonArray)b!).Count && aa.Select((v, i) => GoEquals(v, ((JsonArray)b)[i])).All(x => x),
            _ => JsonEquality.DeepEquals(a, b),
        };
    }

    private static bool SameGoType(JsonNode? a, JsonNode? b) =>
        KindOf(a) == KindOf(b) && (KindOf(a) != Kind.Number || IsInteger(a!) == IsInteger(b!));

    private static bool IsInteger(JsonNode number) =>
        long.TryParse(number.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
}
