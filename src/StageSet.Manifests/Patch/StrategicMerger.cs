using System.Text.Json.Nodes;
using static StageSet.Manifests.Patch.StrategicMergePatch;

namespace StageSet.Manifests.Patch;

/// <summary>
/// The merge half of apimachinery's strategic merge patch. <paramref name="parallelLists"/> is true when applying
/// a patch (directive lists are executed); false when merging two patches while creating a three-way patch
/// (directive lists are carried along, and nulls are kept as deletions).
/// </summary>
internal sealed class Merger(bool parallelLists)
{
    private bool IgnoreUnmatchedNulls => parallelLists;

    public JsonObject MergeMap(JsonObject original, JsonObject patch, PatchSchema schema)
    {
        if (patch.ContainsKey(Directive))
        {
            switch (DirectiveOf(patch))
            {
                case ReplaceDirective:
                    patch.Remove(Directive);
                    return patch;
                case DeleteDirective:
                    return new JsonObject();
                default:
                    throw new StrategicMergePatchException($"unknown patch type: {DirectiveOf(patch)} in map: {Show(patch)}");
            }
        }

        ApplyRetainKeys(original, patch);
        MergeSetElementOrder(original, patch, schema);

        foreach (var key in patch.Select(p => p.Key).ToList())
        {
            if (!patch.TryGetPropertyValue(key, out var patchValue))
            {
                continue;
            }

            var k = key;
            var isDeleteList = false;
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                if (!parallelLists)
                {
                    original[key] = patchValue?.DeepClone();
                    continue;
                }

                k = ExtractKey(key, DeleteFromPrimitiveListPrefix);
                isDeleteList = true;
            }

            if (KindOf(patchValue) == Kind.Null)
            {
                original.Remove(k);
                if (IgnoreUnmatchedNulls)
                {
                    continue;
                }
            }

            if (!original.TryGetPropertyValue(k, out var originalValue) || KindOf(originalValue) != KindOf(patchValue))
            {
                if (!isDeleteList)
                {
                    SetCleaned(original, k, patchValue);
                }

                continue;
            }

            switch (KindOf(originalValue))
            {
                case Kind.Object:
                    {
                        var field = schema.Field(k);
                        var patchMap = (JsonObject)patchValue!.DeepClone();
                        var merged = field.Strategy == ReplaceDirective ? patchMap : MergeMap((JsonObject)originalValue!, patchMap, field.Value);
                        if (!ReferenceEquals(merged, originalValue))
                        {
                            original[k] = merged;
                        }

                        break;
                    }

                case Kind.Array:
                    {
                        var field = schema.Field(k);
                        original[k] = field.Strategy == MergeDirective || isDeleteList
                            ? Build(MergeSlice(Take((JsonArray)originalValue!), Take((JsonArray)patchValue!.DeepClone()), field, isDeleteList))
                            : patchValue!.DeepClone();
                        break;
                    }

                default:
                    SetCleaned(original, k, patchValue);
                    break;
            }
        }

        return original;
    }

    private void SetCleaned(JsonObject original, string key, JsonNode? patchValue)
    {
        var value = patchValue?.DeepClone();
        if (IgnoreUnmatchedNulls)
        {
            DiscardNulls(value);
        }

        value = RemoveDirectives(value, out var keep);
        if (keep)
        {
            original[key] = value;
        }
        else
        {
            original.Remove(key);
        }
    }

    public List<JsonNode?> MergeSlice(List<JsonNode?> original, List<JsonNode?> patch, PatchField field, bool isDeleteList)
    {
        if (original.Count == 0 && patch.Count == 0)
        {
            return original;
        }

        var kind = ElementKind(original, patch);
        var mergeKey = field.MergeKey;
        List<JsonNode?> merged;
        if (kind != Kind.Object)
        {
            if (parallelLists && isDeleteList)
            {
                return original.Where(v => !patch.Any(d => ScalarEquals(v, d))).ToList();
            }

            merged = DeduplicateScalars([.. original, .. patch]);
        }
        else
        {
            if (mergeKey.Length == 0)
            {
                throw new StrategicMergePatchException("cannot merge lists without merge key for type map");
            }

            (original, patch) = MergeSpecialElements(original, patch, mergeKey);
            merged = MergeElements([.. original], patch, mergeKey, field.Value);
        }

        var (patchItems, serverOnly) = Partition(merged, patch, mergeKey, kind);
        return NormalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
    }

    private static (List<JsonNode?> Original, List<JsonNode?> Patch) MergeSpecialElements(List<JsonNode?> original, List<JsonNode?> patch, string mergeKey)
    {
        var rest = new List<JsonNode?>();
        var replace = false;
        foreach (var item in patch)
        {
            var map = AsMap(item);
            if (!map.ContainsKey(Directive))
            {
                rest.Add(item);
                continue;
            }

            switch (DirectiveOf(map))
            {
                case DeleteDirective:
                    if (!map.TryGetPropertyValue(mergeKey, out var value))
                    {
                        throw NoMergeKey(map, mergeKey);
                    }

                    original = original.Where(o => !ScalarEquals(AsMap(o)[mergeKey], value) || !AsMap(o).ContainsKey(mergeKey)).ToList();
                    break;
                case ReplaceDirective:
                    replace = true;
                    break;
                case MergeDirective:
                    throw new StrategicMergePatchException("merging lists cannot yet be specified in the patch");
                default:
                    throw new StrategicMergePatchException($"unknown patch type: {DirectiveOf(map)} in map: {Show(map)}");
            }
        }

        return replace ? (rest, []) : (original, rest);
    }

    private List<JsonNode?> MergeElements(List<JsonNode?> original, List<JsonNode?> patch, string mergeKey, PatchSchema schema)
    {
        foreach (var item in patch)
        {
            var map = AsMap(item);
            if (!map.TryGetPropertyValue(mergeKey, out var value))
            {
                throw NoMergeKey(map, mergeKey);
            }

            var at = IndexOfKey(original, mergeKey, value);
            if (at >= 0)
            {
                original[at] = MergeMap(AsMap(original[at]), (JsonObject)map.DeepClone(), schema);
            }
            else
            {
                original.Add(item);
            }
        }

        return original;
    }

    private void ApplyRetainKeys(JsonObject original, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(RetainKeysDirective, out var retain))
        {
            return;
        }

        patch.Remove(RetainKeysDirective);
        if (!parallelLists)
        {
            if (original.TryGetPropertyValue(RetainKeysDirective, out var existing))
            {
                if (!JsonEquality.DeepEquals(existing, retain))
                {
                    throw new StrategicMergePatchException($"{Show(existing)} and {Show(retain)} are not deep equal: this may happen when calculating the 3-way diff patch");
                }
            }
            else
            {
                original[RetainKeysDirective] = retain?.DeepClone();
            }

            return;
        }

        if (retain is not JsonArray list)
        {
            throw new StrategicMergePatchException("invalid patch format of retainKeys");
        }

        var keep = new HashSet<string>(list.OfType<JsonValue>().Where(v => KindOf(v) == Kind.String).Select(v => v.GetValue<string>()), StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (KindOf(value) == Kind.Null || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal) ||
                key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!keep.Contains(key))
            {
                throw new StrategicMergePatchException("invalid patch format of retainKeys");
            }
        }

        foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
        {
            original.Remove(key);
        }
    }

    // $setElementOrder/<list>: merge the list with its patch, then order it by the directive, the patch and the live
    // list, in that precedence.
    private void MergeSetElementOrder(JsonObject original, JsonObject patch, PatchSchema schema)
    {
        foreach (var key in patch.Select(p => p.Key).Where(k => k.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)).ToList())
        {
            var order = patch[key];
            if (!parallelLists)
            {
                if (original.TryGetPropertyValue(key, out var existing))
                {
                    if (!JsonEquality.DeepEquals(existing, order))
                    {
                        throw new StrategicMergePatchException("invalid patch format of setElementOrder list");
                    }
                }
                else
                {
                    original[key] = order?.DeepClone();
                }
            }

            patch.Remove(key);
            if (order is not JsonArray orderArray)
            {
                throw new StrategicMergePatchException($"invalid type for {key}: expected a list, got {Show(order)}");
            }

            var orderList = orderArray.ToList();
            var listKey = ExtractKey(key, SetElementOrderPrefix);
            var foundOriginal = original.TryGetPropertyValue(listKey, out var originalNode);
            var foundPatch = patch.TryGetPropertyValue(listKey, out var patchNode);
            if ((foundOriginal && originalNode is not JsonArray) || (foundPatch && patchNode is not JsonArray))
            {
                throw new StrategicMergePatchException($"invalid type for {listKey}: expected a list");
            }

            var originalList = foundOriginal ? ((JsonArray)originalNode!).ToList() : [];
            var patchList = foundPatch ? ((JsonArray)patchNode!.DeepClone()).ToList() : [];
            var field = schema.Field(listKey);
            ValidateSetOrder(patchList, orderList, field.MergeKey);

            List<JsonNode?> merged;
            if (foundOriginal && !foundPatch)
            {
                merged = originalList;
            }
            else if (!foundOriginal && foundPatch)
            {
                merged = ((JsonArray)RemoveDirectives(new JsonArray([.. patchList.Select(Detach)]), out _)!).ToList();
            }
            else if (foundOriginal && foundPatch)
            {
                var originalItems = Take((JsonArray)originalNode!);
                merged = field.Strategy == MergeDirective ? MergeSlice(originalItems, patchList, field, false) : patchList;
                originalList = field.Strategy == MergeDirective && field.MergeKey.Length > 0
                    ? GoSliceAliasing.LiveOrderAfterMerge(originalItems, patchList, field.MergeKey)
                    : originalItems;
            }
            else
            {
                continue;
            }

            var kind = ElementKind(originalList, patchList);
            var (patchItems, serverOnly) = Partition(merged, orderList, field.MergeKey, kind);
            original[listKey] = Build(NormalizeElementOrder(patchItems, serverOnly, orderList, originalList, field.MergeKey, kind));
            patch.Remove(listKey);
        }
    }

    private static void ValidateSetOrder(List<JsonNode?> patchList, List<JsonNode?> orderList, string mergeKey)
    {
        if (orderList.Count == 0 || patchList.Count == 0)
        {
            return;
        }

        var nonDelete = mergeKey.Length > 0 ? ExtractToDelete(patchList).Keep : patchList;
        int p = 0, s = 0;
        while (p < nonDelete.Count && s < orderList.Count)
        {
            if (nonDelete[p] is JsonObject m && m.ContainsKey(Directive))
            {
                p++;
                continue;
            }

            if (MergeKeyValueEqual(nonDelete[p], orderList[s], mergeKey))
            {
                p++;
            }

            s++;
        }

        if (p < nonDelete.Count && s >= orderList.Count)
        {
            throw new StrategicMergePatchException($"the order in patch list:\n{Show(new JsonArray([.. patchList.Select(n => n?.DeepClone())]))}\n doesn't match {SetElementOrderPrefix} list:\n{Show(new JsonArray([.. orderList.Select(n => n?.DeepClone())]))}");
        }
    }

    private static bool MergeKeyValueEqual(JsonNode? left, JsonNode? right, string mergeKey)
    {
        if (mergeKey.Length == 0)
        {
            return ScalarEquals(left, right);
        }

        var l = AsMap(left);
        var r = AsMap(right);
        if (!l.TryGetPropertyValue(mergeKey, out var lv))
        {
            throw NoMergeKey(l, mergeKey);
        }

        if (!r.TryGetPropertyValue(mergeKey, out var rv))
        {
            throw NoMergeKey(r, mergeKey);
        }

        return ScalarEquals(lv, rv);
    }

    internal static (List<JsonNode?> PatchItems, List<JsonNode?> ServerOnly) Partition(List<JsonNode?> merged, List<JsonNode?> by, string mergeKey, Kind kind)
    {
        var inPatch = new List<JsonNode?>();
        var serverOnly = new List<JsonNode?>();
        foreach (var item in merged)
        {
            bool found;
            if (mergeKey.Length == 0 || kind != Kind.Object)
            {
                found = by.Any(b => ScalarEquals(b, item));
            }
            else
            {
                var map = AsMap(item);
                if (!map.TryGetPropertyValue(mergeKey, out var value))
                {
                    throw NoMergeKey(map, mergeKey);
                }

                found = IndexOfKey(by, mergeKey, value) >= 0;
            }

            (found ? inPatch : serverOnly).Add(item);
        }

        return (inPatch, serverOnly);
    }

    internal static List<JsonNode?> NormalizeElementOrder(List<JsonNode?> patch, List<JsonNode?> serverOnly, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string mergeKey, Kind kind)
    {
        patch = NormalizeSliceOrder(patch, patchOrder, mergeKey, kind);
        serverOnly = NormalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
        return MergeSorted(serverOnly, patch, serverOrder, mergeKey, kind);
    }

    internal static List<JsonNode?> NormalizeSliceOrder(List<JsonNode?> toSort, List<JsonNode?> order, string mergeKey, Kind kind)
    {
        List<JsonNode?> toDelete = [];
        if (kind == Kind.Object)
        {
            foreach (var item in toSort.Concat(order))
            {
                if (!AsMap(item).ContainsKey(mergeKey))
                {
                    throw NoMergeKey(AsMap(item), mergeKey);
                }
            }

            (toSort, toDelete) = ExtractToDelete(toSort);
        }

        var sorted = toSort.Select((item, i) => (item, i, at: Index(order, item, mergeKey, kind)))
            .OrderBy(x => x.at < 0 ? int.MaxValue : x.at).ThenBy(x => x.i).Select(x => x.item).ToList();
        sorted.AddRange(toDelete);
        return sorted;
    }

    // Interleaves server-only items (left) into patch items (right), keeping both relative orders and placing a
    // server-only item before a patch item only when the live list had it earlier.
    private static List<JsonNode?> MergeSorted(List<JsonNode?> left, List<JsonNode?> right, List<JsonNode?> serverOrder, string mergeKey, Kind kind)
    {
        var result = new List<JsonNode?>(left.Count + right.Count);
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            if (i >= left.Count)
            {
                result.Add(right[j++]);
            }
            else if (j >= right.Count)
            {
                result.Add(left[i++]);
            }
            else
            {
                var li = Index(serverOrder, left[i], mergeKey, kind);
                var ri = Index(serverOrder, right[j], mergeKey, kind);
                result.Add(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
            }
        }

        return result;
    }

    private static int Index(List<JsonNode?> list, JsonNode? item, string mergeKey, Kind kind)
    {
        JsonNode? Value(JsonNode? n) => kind == Kind.Object ? (n as JsonObject)?[mergeKey] : n;
        var target = Value(item);
        for (var i = 0; i < list.Count; i++)
        {
            var v = Value(list[i]);
            if ((target is null && v is null) || ScalarEquals(target, v))
            {
                return i;
            }
        }

        return -1;
    }

    internal static (List<JsonNode?> Keep, List<JsonNode?> Delete) ExtractToDelete(List<JsonNode?> items)
    {
        var keep = new List<JsonNode?>();
        var delete = new List<JsonNode?>();
        foreach (var item in items)
        {
            var map = AsMap(item);
            (map.ContainsKey(Directive) && DirectiveOf(map) == DeleteDirective ? delete : keep).Add(item);
        }

        return (keep, delete);
    }

    internal static int IndexOfKey(List<JsonNode?> list, string mergeKey, JsonNode? value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject map)
            {
                throw new StrategicMergePatchException($"value for key {i} is not a map.");
            }

            if (map.TryGetPropertyValue(mergeKey, out var v) && ScalarEquals(v, value))
            {
                return i;
            }
        }

        return -1;
    }

    // Go's deduplicateScalars: a later duplicate is overwritten by the last element.
    internal static List<JsonNode?> DeduplicateScalars(List<JsonNode?> s)
    {
        var length = s.Count - 1;
        for (var i = 0; i < length; i++)
        {
            for (var j = i + 1; j <= length; j++)
            {
                if (ScalarEquals(s[i], s[j]))
                {
                    s[j] = s[length];
                    s.RemoveAt(length);
                    length--;
                    j--;
                }
            }
        }

        return s;
    }

    internal static Kind ElementKind(List<JsonNode?> a, List<JsonNode?> b)
    {
        Kind? kind = null;
        foreach (var item in a.Concat(b))
        {
            var k = KindOf(item);
            if (kind is null)
            {
                if (k == Kind.Array)
                {
                    throw new StrategicMergePatchException("lists of lists are not supported");
                }

                kind = k;
            }
            else if (kind != k)
            {
                throw new StrategicMergePatchException($"list element types are not identical: {Show(new JsonArray([.. a.Select(n => n?.DeepClone())]))} {Show(new JsonArray([.. b.Select(n => n?.DeepClone())]))}");
            }
        }

        return kind ?? throw new StrategicMergePatchException("no elements in any of the given slices");
    }

    internal static JsonObject AsMap(JsonNode? node) =>
        node as JsonObject ?? throw new StrategicMergePatchException($"expected a map, got {Show(node)}");

    internal static StrategicMergePatchException NoMergeKey(JsonObject map, string mergeKey) =>
        new($"map: {Show(map)} does not contain declared merge key: {mergeKey}");

    /// <summary>The items of an array, detached so they can be placed in a new one.</summary>
    internal static List<JsonNode?> Take(JsonArray array)
    {
        var items = array.ToList();
        array.Clear();
        return items;
    }

    internal static JsonArray Build(List<JsonNode?> items) => new([.. items.Select(Detach)]);
}
