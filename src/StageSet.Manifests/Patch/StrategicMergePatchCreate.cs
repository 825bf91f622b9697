using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;
using static StageSet.Manifests.Patch.StrategicPatchDiff;

namespace StageSet.Manifests.Patch;

/// <summary>A three-way patch would overwrite a change made to the live object since the original.</summary>
public sealed class StrategicMergePatchConflictException(string message) : Exception(message);

public static partial class StrategicMergePatch
{
    /// <summary>
    /// The strategic merge patch that turns <paramref name="original"/> into <paramref name="modified"/>
    /// (apimachinery <c>CreateTwoWayMergePatch</c>).
    /// </summary>
    /// <exception cref="StrategicMergePatchException">A changed field the schema does not know, or malformed lists.</exception>
    public static JsonObject CreateTwoWay(JsonObject? original, JsonObject? modified, JsonSchemaProps? schema, SchemaSet? schemas = null) =>
        DiffMaps(original ?? new JsonObject(), modified ?? new JsonObject(), new PatchSchema(schema, schemas), new DiffOptions(SetElementOrder: true));

    /// <summary>
    /// The patch <c>kubectl apply</c> sends (apimachinery <c>CreateThreeWayMergePatch</c>): changes from
    /// <paramref name="current"/> to <paramref name="modified"/> without deletions, plus deletions from
    /// <paramref name="original"/> (last applied) to <paramref name="modified"/>.
    /// </summary>
    /// <exception cref="StrategicMergePatchConflictException">Unless <paramref name="overwrite"/>: the patch changes a
    /// field that was changed differently from original to current.</exception>
    public static JsonObject CreateThreeWay(JsonObject? original, JsonObject? modified, JsonObject? current, JsonSchemaProps? schema, SchemaSet? schemas = null, bool overwrite = false)
    {
        original ??= new JsonObject();
        modified ??= new JsonObject();
        current ??= new JsonObject();
        var root = new PatchSchema(schema, schemas);
        var delta = DiffMaps(current, modified, root, new DiffOptions(SetElementOrder: true, IgnoreDeletions: true));
        var deletions = DiffMaps(original, modified, root, new DiffOptions(SetElementOrder: true, IgnoreChangesAndAdditions: true));
        var patch = new Merger(parallelLists: false).MergeMap(deletions, delta, root);
        if (!overwrite)
        {
            var changed = DiffMaps(original, current, root, default);
            if (Conflicts.Between(patch, changed, root, "", ""))
            {
                throw new StrategicMergePatchConflictException(
                    $"patch:\n{KubeYaml.Serialize(patch)}\nconflicts with changes made from original to current:\n{KubeYaml.Serialize(changed)}\n");
            }
        }

        return patch;
    }
}

/// <summary>apimachinery <c>MergingMapsHaveConflicts</c>: do two patches set the same field differently?</summary>
internal static class Conflicts
{
    public static bool Between(JsonNode? left, JsonNode? right, PatchSchema schema, string strategy, string mergeKey)
    {
        switch (left)
        {
            case JsonObject l:
                {
                    if (right is not JsonObject r)
                    {
                        return true;
                    }

                    var hasL = l.TryGetPropertyValue(StrategicMergePatch.Directive, out var dl);
                    var hasR = r.TryGetPropertyValue(StrategicMergePatch.Directive, out var dr);
                    if ((hasL || hasR) && (hasL != hasR || !GoEquals(dl, dr)))
                    {
                        return true;
                    }

                    if (strategy == StrategicMergePatch.ReplaceDirective)
                    {
                        return false;
                    }

                    foreach (var (key, lv) in l)
                    {
                        if (key is StrategicMergePatch.Directive or StrategicMergePatch.RetainKeysDirective || !r.TryGetPropertyValue(key, out var rv))
                        {
                            continue;
                        }

                        var field = schema.Field(key);
                        if (!field.Known)
                        {
                            throw new StrategicMergePatchException($"unable to find api field in struct for the json field \"{key}\"");
                        }

                        if (Between(lv, rv, field.Value, field.Strategy, field.MergeKey))
                        {
                            return true;
                        }
                    }

                    return false;
                }

            case JsonArray la:
                return right is not JsonArray ra || SlicesConflict([.. la], [.. ra], schema, strategy, mergeKey);
            default:
                return !GoEquals(left, right);
        }
    }

    private static bool SlicesConflict(List<JsonNode?> left, List<JsonNode?> right, PatchSchema schema, string strategy, string mergeKey)
    {
        var kind = Merger.ElementKind(left, right);
        if (strategy == StrategicMergePatch.MergeDirective)
        {
            if (kind != StrategicMergePatch.Kind.Object)
            {
                return false;
            }

            var l = ByKey(left, mergeKey);
            var r = ByKey(right, mergeKey);
            return l.Any(p => r.TryGetValue(p.Key, out var rv) && Between(p.Value, rv, schema, "", ""));
        }

        if (left.Count != right.Count)
        {
            return true;
        }

        if (kind != StrategicMergePatch.Kind.Object)
        {
            left = SortScalars(Merger.DeduplicateScalars(left));
            right = SortScalars(Merger.DeduplicateScalars(right));
        }

        return left.Where((t, i) => Between(t, right[i], schema, "", "")).Any();
    }

    private static Dictionary<string, JsonNode?> ByKey(List<JsonNode?> items, string mergeKey)
    {
        var result = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item is not JsonObject map)
            {
                throw new StrategicMergePatchException($"invalid element type in merging list:{StrategicMergePatch.Show(new JsonArray([.. items.Select(n => n?.DeepClone())]))}");
            }

            if (!map.TryGetPropertyValue(mergeKey, out var value))
            {
                throw new StrategicMergePatchException($"cannot find merge key `{mergeKey}` in merging list element:{StrategicMergePatch.Show(map)}");
            }

            result[GoV(value)] = map;
        }

        return result;
    }
}
