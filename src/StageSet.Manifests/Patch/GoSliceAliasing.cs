using System.Text.Json.Nodes;
using static StageSet.Manifests.Patch.StrategicMergePatch;

namespace StageSet.Manifests.Patch;

/// <summary>
/// apimachinery orders a <c>$setElementOrder</c> list against the live list <em>after</em> merging into it, and
/// in Go that merge deletes and appends inside the live list's backing array: deleted entries shift the tail
/// left and appended patch items overwrite the vacated slots. The order it sees is therefore not the live list
/// but this mutated view of the same length, which decides where server-only items land. Reproduced here so
/// results match kube-apiserver.
/// </summary>
internal static class GoSliceAliasing
{
    public static List<JsonNode?> LiveOrderAfterMerge(List<JsonNode?> live, List<JsonNode?> patch, string mergeKey)
    {
        var view = live.ToList();
        var length = view.Count;
        var replace = false;
        foreach (var item in patch)
        {
            if (item is not JsonObject map || !map.ContainsKey(Directive))
            {
                continue;
            }

            switch (DirectiveOf(map))
            {
                case DeleteDirective when map.TryGetPropertyValue(mergeKey, out var value):
                    for (var i = Find(view, length, mergeKey, value); i >= 0; i = Find(view, length, mergeKey, value))
                    {
                        for (var j = i; j < length - 1; j++)
                        {
                            view[j] = view[j + 1];
                        }

                        length--;
                    }

                    break;
                case ReplaceDirective:
                    replace = true;
                    break;
            }
        }

        if (replace)
        {
            return view;
        }

        var visible = view.Count;

        foreach (var item in patch)
        {
            if (item is not JsonObject map || map.ContainsKey(Directive) || !map.TryGetPropertyValue(mergeKey, out var value))
            {
                continue;
            }

            if (Find(view, length, mergeKey, value) < 0)
            {
                if (length < view.Count)
                {
                    view[length] = item;
                }
                else
                {
                    view.Add(item);
                }

                length++;
            }
        }

        return view.GetRange(0, visible);
    }

    private static int Find(List<JsonNode?> view, int length, string mergeKey, JsonNode? value)
    {
        for (var i = 0; i < length; i++)
        {
            if (view[i] is JsonObject m && m.TryGetPropertyValue(mergeKey, out var v) && ScalarEquals(v, value))
            {
                return i;
            }
        }

        return -1;
    }
}
