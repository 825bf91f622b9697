using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;
using static StageSet.Manifests.Patch.StrategicMergePatch;

namespace StageSet.Manifests.Patch;

/// <summary>How <see cref="KustomizeMerge"/> grows merged lists.</summary>
/// <param name="PrependNewItems">New list items go before the resource's own (kustomize build's choice); false appends them.</param>
/// <param name="InferAssociativeLists">Lists the schema does not describe merge by an associative key their items
/// share (<c>mountPath</c>, <c>devicePath</c>, <c>ip</c>, <c>type</c>, <c>topologyKey</c>, <c>name</c>,
/// <c>containerPort</c>) instead of being replaced.</param>
public sealed record KustomizeMergeOptions(bool PrependNewItems = true, bool InferAssociativeLists = false);

/// <summary>A kustomize strategic-merge patch that does not fit the resource.</summary>
public sealed class KustomizeMergeException(string message) : Exception(message);

/// <summary>
/// The strategic merge that <c>kustomize build</c> (kyaml <c>merge2</c>) uses for <c>patches</c> and
/// <c>patchesStrategicMerge</c>, and so Flux for stage patches. It differs from apimachinery's: list items are
/// matched on all of <c>x-kubernetes-list-map-keys</c> present in the patch item, new items are prepended,
/// <c>$patch</c> also works as a list item (<c>replace</c>, <c>delete</c>, <c>merge</c>), nulls and
/// <c>$patch: delete</c> remove fields or whole resources, empty maps stay, and the parallel-list directives are
/// not interpreted.
/// </summary>
public static class KustomizeMerge
{
    private static readonly string[] AssociativeKeys = ["mountPath", "devicePath", "ip", "type", "topologyKey", "name", "containerPort"];

    /// <summary>
    /// Merges <paramref name="patch"/> into a copy of <paramref name="resource"/>; the schema comes from the
    /// resource's (or patch's) apiVersion/kind via <paramref name="schemas"/> (built-in kinds when null).
    /// Returns null when the patch deletes the resource (<c>$patch: delete</c> at the top).
    /// </summary>
    /// <exception cref="KustomizeMergeException">A field whose type differs between patch and resource, or an unknown directive.</exception>
    public static JsonObject? Apply(JsonObject resource, JsonObject patch, ITypeSchemaProvider? schemas = null, KustomizeMergeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(patch);
        schemas ??= BuiltInSchemas.Instance;
        var gvk = KubeObject.Kind(resource).Length > 0 ? KubeObject.Gvk(resource) : KubeObject.Gvk(patch);
        var root = new PatchSchema(schemas.GetSchema(gvk), schemas.Schemas);
        var walker = new Walker(options ?? new KustomizeMergeOptions());
        return walker.MergeMap((JsonObject)resource.DeepClone(), (JsonObject)patch.DeepClone(), root, "", isRoot: true) as JsonObject;
    }

    private sealed class Walker(KustomizeMergeOptions options)
    {
        private static readonly PatchSchema ObjectMeta = new(BuiltInSchemas.Instance.Schemas.Lookup("V1ObjectMeta"), BuiltInSchemas.Instance.Schemas);

        /// <summary>The merged value, or null to remove the field.</summary>
        public JsonNode? Merge(JsonNode? dest, JsonNode? src, PatchField field, string path)
        {
            var destKind = KindOf(dest);
            var kind = destKind != Kind.Null ? destKind : KindOf(src);
            if (destKind != Kind.Null && KindOf(src) is not Kind.Null && KindOf(src) != destKind &&
                !(IsScalar(destKind) && IsScalar(KindOf(src))))
            {
                throw new KustomizeMergeException($"{path}: wrong node kind: the patch has {Describe(KindOf(src))}, the resource {Describe(destKind)}");
            }

            return kind switch
            {
                Kind.Object => MergeMap(dest as JsonObject, (JsonObject?)src, field.Value, path, isRoot: false),
                Kind.Array => MergeList(dest as JsonArray, src as JsonArray, field, path),
                _ => src?.DeepClone() ?? dest,
            };
        }

        public JsonNode? MergeMap(JsonObject? dest, JsonObject? src, PatchSchema schema, string path, bool isRoot)
        {
            if (src is null)
            {
                return dest;
            }

            var directive = TakeDirective(src, path);
            if (dest is null)
            {
                return directive == DeleteDirective ? null : Clean(src);
            }

            switch (directive)
            {
                case DeleteDirective:
                    return null;
                case ReplaceDirective:
                    return Clean(src);
            }

            foreach (var (key, value) in src.ToList())
            {
                if (KindOf(value) == Kind.Null)
                {
                    dest.Remove(key);
                    continue;
                }

                var field = isRoot && key == "metadata" && schema.Schema is null
                    ? new PatchField(ObjectMeta, "", false, "")
                    : schema.Field(key);
                var merged = Merge(dest[key], value, field, path + "." + key);
                if (merged is null)
                {
                    dest.Remove(key);
                }
                else if (!ReferenceEquals(merged, dest[key]))
                {
                    dest[key] = Detach(merged);
                }
            }

            return dest;
        }

        private JsonNode? MergeList(JsonArray? dest, JsonArray? src, PatchField field, string path)
        {
            if (src is null)
            {
                return dest;
            }

            var keys = field.Keys;
            var associative = field.Strategy == MergeDirective ||
                              (field.Value.Schema is null && field.Strategy.Length == 0 && options.InferAssociativeLists && InferKey(dest, src) is not null);
            if (!associative)
            {
                return src.DeepClone();
            }

            var srcItems = src.ToList();
            var listDirective = ListDirective(srcItems, path);
            srcItems = srcItems.Where(i => !(i is JsonObject m && m.Count == 1 && m.ContainsKey(Directive))).ToList();
            switch (listDirective)
            {
                case DeleteDirective:
                    return null;
                case ReplaceDirective:
                    return Clean(new JsonArray([.. srcItems.Select(i => i?.DeepClone())]));
            }

            var prepend = options.PrependNewItems || listDirective == MergeDirective;
            if (keys.Count == 0 && srcItems.Concat(dest ?? []).Any(i => i is JsonObject))
            {
                keys = InferKey(dest, src) is { } inferred ? [inferred] : [];
            }

            return keys.Count == 0
                ? MergePrimitives(dest?.ToList() ?? [], srcItems, prepend)
                : MergeElements(dest?.ToList() ?? [], srcItems, keys, field, prepend, path);
        }

        private static JsonArray MergePrimitives(List<JsonNode?> dest, List<JsonNode?> src, bool prepend)
        {
            var ordered = prepend ? src.Concat(dest) : dest.Concat(src);
            var result = new List<JsonNode?>();
            foreach (var item in ordered)
            {
                if (KindOf(item) != Kind.Null && !result.Any(r => ScalarText(r) == ScalarText(item)))
                {
                    result.Add(item);
                }
            }

            return new JsonArray([.. result.Select(i => i?.DeepClone())]);
        }

        // Each distinct key tuple (resource items first, or patch items first when prepending) is merged from the
        // first resource item and the first patch item carrying it; items a patch deletes (or empties) disappear.
        private JsonArray MergeElements(List<JsonNode?> dest, List<JsonNode?> src, IReadOnlyList<string> keys, PatchField field, bool prepend, string path)
        {
            var tuples = new List<List<string>>();
            foreach (var item in prepend ? src.Concat(dest) : dest.Concat(src))
            {
                if (item is not JsonObject map)
                {
                    continue;
                }

                var tuple = keys.Select(k => ScalarText(map[k])).ToList();
                if (tuple.All(v => v.Length == 0) || tuples.Any(t => t.SequenceEqual(tuple)))
                {
                    continue;
                }

                tuples.Add(tuple);
            }

            var items = new List<(JsonObject Item, IReadOnlyList<string> Keys, IReadOnlyList<string> Values)>();
            foreach (var tuple in tuples)
            {
                var (validKeys, values) = ValidKeys(keys, tuple);
                var d = dest.OfType<JsonObject>().FirstOrDefault(i => Matches(i, validKeys, values));
                var s = src.OfType<JsonObject>().FirstOrDefault(i => Matches(i, validKeys, values));
                var merged = MergeMap(d, s is null ? null : (JsonObject)s.DeepClone(), field.Value, path + "[]", isRoot: false) as JsonObject;
                if (merged is null || merged.Count == 0)
                {
                    items.RemoveAll(i => Matches(i.Item, validKeys, values));
                    continue;
                }

                for (var k = 0; k < validKeys.Count; k++)
                {
                    if (!merged.ContainsKey(validKeys[k]))
                    {
                        merged[validKeys[k]] = values[k];
                    }
                }

                var at = items.FindIndex(i => Matches(i.Item, validKeys, values));
                if (at >= 0)
                {
                    items[at] = (merged, validKeys, values);
                }
                else
                {
                    items.Add((merged, validKeys, values));
                }
            }

            return new JsonArray([.. items.Select(i => Detach(i.Item))]);
        }

        private static (IReadOnlyList<string> Keys, IReadOnlyList<string> Values) ValidKeys(IReadOnlyList<string> keys, List<string> values)
        {
            var present = keys.Where((_, i) => values[i].Length > 0).ToList();
            return present.Count == 0 ? (keys, values) : (present, values.Where(v => v.Length > 0).ToList());
        }

        // kyaml matches only on the keys the tuple has values for, so a port without protocol matches on port alone.
        private static bool Matches(JsonObject item, IReadOnlyList<string> keys, IReadOnlyList<string> values) =>
            keys.Select((k, i) => (item[k] is { } v ? ScalarText(v) : "") == values[i]).All(x => x);

        private static string? InferKey(JsonArray? dest, JsonArray src)
        {
            var items = (dest ?? []).Concat(src).OfType<JsonObject>().Where(m => !(m.Count == 1 && m.ContainsKey(Directive))).ToList();
            if (items.Count == 0)
            {
                return null;
            }

            return AssociativeKeys.FirstOrDefault(k => items.All(i => i.ContainsKey(k)));
        }

        private static string? ListDirective(List<JsonNode?> items, string path)
        {
            string? directive = null;
            foreach (var item in items)
            {
                if (item is JsonObject { Count: 1 } m && m.ContainsKey(Directive))
                {
                    directive = DirectiveOf(m);
                    if (directive is not (DeleteDirective or ReplaceDirective or MergeDirective))
                    {
                        throw new KustomizeMergeException($"{path}: unknown patch strategy '{directive}'");
                    }
                }
            }

            return directive;
        }

        private static string? TakeDirective(JsonObject map, string path)
        {
            if (!map.ContainsKey(Directive))
            {
                return null;
            }

            var directive = DirectiveOf(map);
            map.Remove(Directive);
            return directive is DeleteDirective or ReplaceDirective or MergeDirective
                ? directive
                : throw new KustomizeMergeException($"{path}: unknown patch strategy '{directive}'");
        }

        /// <summary>Patch content added as is: directives executed against nothing, null fields dropped.</summary>
        private static JsonNode? Clean(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject map:
                    {
                        var result = new JsonObject();
                        if (map.ContainsKey(Directive) && DirectiveOf(map) == DeleteDirective)
                        {
                            return null;
                        }

                        foreach (var (key, value) in map)
                        {
                            if (key == Directive || KindOf(value) == Kind.Null)
                            {
                                continue;
                            }

                            if (Clean(value) is { } cleaned)
                            {
                                result[key] = Detach(cleaned);
                            }
                        }

                        return result;
                    }

                case JsonArray list:
                    {
                        if (ListDirective(list.ToList(), "") == DeleteDirective)
                        {
                            return null;
                        }

                        var result = new JsonArray();
                        foreach (var item in list)
                        {
                            if (item is JsonObject m && m.ContainsKey(Directive) && (m.Count == 1 || DirectiveOf(m) == DeleteDirective))
                            {
                                continue;
                            }

                            result.Add(Detach(Clean(item)));
                        }

                        return result;
                    }

                default:
                    return node?.DeepClone();
            }
        }

        private static string ScalarText(JsonNode? node) => KindOf(node) switch
        {
            Kind.String => node!.GetValue<string>(),
            Kind.Null => "",
            _ => node!.ToJsonString(),
        };

        private static bool IsScalar(Kind kind) => kind is Kind.String or Kind.Number or Kind.Bool;

        private static string Describe(Kind kind) => kind switch
        {
            Kind.Object => "a map",
            Kind.Array => "a list",
            _ => "a scalar",
        };
    }
}
