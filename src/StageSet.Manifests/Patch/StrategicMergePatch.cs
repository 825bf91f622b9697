using System.Text.Json;
using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;

namespace StageSet.Manifests.Patch;

/// <summary>A strategic merge patch that is malformed or cannot be applied to the document.</summary>
public sealed class StrategicMergePatchException(string message) : Exception(message);

/// <summary>
/// Kubernetes strategic merge patch (<c>application/strategic-merge-patch+json</c>, apimachinery
/// <c>strategicpatch</c>): maps merge, lists with <c>x-kubernetes-patch-strategy: merge</c> merge element-wise by
/// their merge key (primitive lists union), other lists and <c>replace</c> fields are replaced, <c>null</c>
/// deletes; directives <c>$patch</c> (replace/delete/merge), <c>$retainKeys</c>, <c>$setElementOrder/&lt;list&gt;</c>
/// and <c>$deleteFromPrimitiveList/&lt;list&gt;</c>.
/// </summary>
public static partial class StrategicMergePatch
{
    internal const string Directive = "$patch";
    internal const string DeleteDirective = "delete";
    internal const string ReplaceDirective = "replace";
    internal const string MergeDirective = "merge";
    internal const string RetainKeysStrategy = "retainKeys";
    internal const string RetainKeysDirective = "$retainKeys";
    internal const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";
    internal const string SetElementOrderPrefix = "$setElementOrder";

    /// <summary>Applies <paramref name="patch"/> to a copy of <paramref name="original"/> of a built-in (or any) kind.</summary>
    /// <exception cref="StrategicMergePatchException">Malformed directives, missing merge keys, mismatched list types.</exception>
    public static JsonObject Apply(JsonObject? original, JsonObject patch, GroupVersionKind gvk, ITypeSchemaProvider schemas) =>
        Apply(original, patch, schemas.GetSchema(gvk), schemas.Schemas);

    /// <summary>
    /// Applies <paramref name="patch"/> to a copy of <paramref name="original"/> guided by <paramref name="schema"/>
    /// (the document's root schema; null merges maps and replaces lists). Neither input is modified.
    /// </summary>
    /// <exception cref="StrategicMergePatchException">Malformed directives, missing merge keys, mismatched list types.</exception>
    public static JsonObject Apply(JsonObject? original, JsonObject patch, JsonSchemaProps? schema, SchemaSet? schemas = null)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var target = (JsonObject?)original?.DeepClone() ?? new JsonObject();
        return new Merger(parallelLists: true).MergeMap(target, (JsonObject)patch.DeepClone(), new PatchSchema(schema, schemas));
    }

    internal enum Kind
    {
        Null,
        Object,
        Array,
        String,
        Number,
        Bool,
    }

    internal static Kind KindOf(JsonNode? node) => node switch
    {
        null => Kind.Null,
        JsonObject => Kind.Object,
        JsonArray => Kind.Array,
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => Kind.String,
            JsonValueKind.Number => Kind.Number,
            JsonValueKind.True or JsonValueKind.False => Kind.Bool,
            JsonValueKind.Object => Kind.Object,
            JsonValueKind.Array => Kind.Array,
            _ => Kind.Null,
        },
    };

    /// <summary>Go's <c>==</c> on decoded JSON scalars (merge key values, primitive list items).</summary>
    internal static bool ScalarEquals(JsonNode? a, JsonNode? b) =>
        KindOf(a) == KindOf(b) && KindOf(a) is not (Kind.Object or Kind.Array) && JsonEquality.DeepEquals(a, b);

    internal static string DirectiveOf(JsonObject map) =>
        map[Directive] is JsonValue v && v.TryGetValue<string>(out var s) ? s : map[Directive]?.ToJsonString() ?? "null";

    internal static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";

    /// <summary>Removes <c>$patch</c>-marked maps (and list items) from a value that is added as a whole.</summary>
    internal static JsonNode? RemoveDirectives(JsonNode? node, out bool keep)
    {
        keep = true;
        switch (node)
        {
            case JsonObject obj:
                if (obj.ContainsKey(Directive))
                {
                    keep = false;
                    return null;
                }

                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var cleaned = RemoveDirectives(obj[key], out var keepChild);
                    if (keepChild)
                    {
                        obj[key] = Detach(cleaned);
                    }
                    else
                    {
                        obj.Remove(key);
                    }
                }

                return obj;
            case JsonArray array:
                var result = new JsonArray();
                foreach (var item in array.ToList())
                {
                    var cleaned = RemoveDirectives(item, out var keepItem);
                    if (keepItem)
                    {
                        result.Add(Detach(cleaned));
                    }
                }

                return result;
            default:
                return node;
        }
    }

    /// <summary>Drops null members of maps, recursively, from a value that is added as a whole.</summary>
    internal static void DiscardNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (KindOf(value) == Kind.Null)
                    {
                        obj.Remove(key);
                    }
                    else
                    {
                        DiscardNulls(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    DiscardNulls(item);
                }

                break;
        }
    }

    /// <summary>A node free to be attached elsewhere: itself when it has no parent, else a copy.</summary>
    internal static JsonNode? Detach(JsonNode? node)
    {
        if (node?.Parent is null)
        {
            return node;
        }

        return node.DeepClone();
    }

    internal static string ExtractKey(string key, string prefix)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || key[..slash] != prefix)
        {
            throw new StrategicMergePatchException(prefix == DeleteFromPrimitiveListPrefix
                ? "invalid patch format of primitive list"
                : "invalid patch format of setElementOrder list");
        }

        return key[(slash + 1)..];
    }
}
