using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;
using static StageSet.Manifests.Patch.StrategicMergePatch;

namespace StageSet.Manifests.Patch;

/// <summary>
/// Sorts every merging list of a document by its merge key (scalars deduplicated and sorted), recursing only into
/// merging lists and maps: apimachinery's <c>sortMergeListsByName</c>, for order-insensitive comparison of
/// documents whose merging lists may be reordered by a patch.
/// </summary>
internal static class StrategicMergeListSort
{
    public static JsonObject Sort(JsonObject document, JsonSchemaProps? schema, SchemaSet? schemas) =>
        SortMap(document, new PatchSchema(schema, schemas));

    private static JsonObject SortMap(JsonObject map, PatchSchema schema)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map)
        {
            JsonNode? sorted = value?.DeepClone();
            if (key == RetainKeysDirective || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                sorted = value is JsonArray list ? new JsonArray([.. StrategicPatchDiff.SortScalars([.. list]).Select(n => n?.DeepClone())]) : sorted;
            }
            else if (key != Directive && !key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                var field = schema.Field(key);
                sorted = value switch
                {
                    JsonObject child => SortMap(child, field.Value),
                    JsonArray list when field.Strategy == MergeDirective => SortList([.. list], field),
                    _ => sorted,
                };
            }

            result[key] = sorted;
        }

        return result;
    }

    private static JsonArray SortList(List<JsonNode?> items, PatchField field)
    {
        if (items.Count == 0)
        {
            return [];
        }

        if (Merger.ElementKind(items, []) != Kind.Object)
        {
            return new JsonArray([.. StrategicPatchDiff.SortScalars(Merger.DeduplicateScalars(items.ToList())).Select(n => n?.DeepClone())]);
        }

        return new JsonArray([.. items
            .Select(i => SortMap(Merger.AsMap(i), field.Value))
            .OrderBy(m => StrategicPatchDiff.GoV(m[field.MergeKey]), StringComparer.Ordinal)]);
    }
}
