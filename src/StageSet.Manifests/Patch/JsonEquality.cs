using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StageSet.Manifests.Patch;

/// <summary>
/// JSON value equality as patch semantics need it: objects compare without regard to key order, numbers by value
/// (<c>1</c> equals <c>1.0</c>), everything else exactly.
/// </summary>
public static class JsonEquality
{
    public static bool DeepEquals(JsonNode? a, JsonNode? b)
    {
        switch (a)
        {
            case null:
                return b is null || b.GetValueKind() == JsonValueKind.Null;
            case JsonObject oa:
                if (b is not JsonObject ob || oa.Count != ob.Count)
                {
                    return false;
                }

                foreach (var (key, value) in oa)
                {
                    if (!ob.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray aa:
                if (b is not JsonArray ab || aa.Count != ab.Count)
                {
                    return false;
                }

                for (var i = 0; i < aa.Count; i++)
                {
                    if (!DeepEquals(aa[i], ab[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return b is JsonValue vb && ValueEquals(a.AsValue(), vb) || (b is null && a.GetValueKind() == JsonValueKind.Null);
        }
    }

    private static bool ValueEquals(JsonValue a, JsonValue b)
    {
        var kind = a.GetValueKind();
        if (kind != b.GetValueKind())
        {
            return false;
        }

        return kind switch
        {
            JsonValueKind.String => a.GetValue<string>() == b.GetValue<string>(),
            JsonValueKind.Number => NumberEquals(a.ToJsonString(), b.ToJsonString()),
            JsonValueKind.Object or JsonValueKind.Array => DeepEquals(JsonNode.Parse(a.ToJsonString()), JsonNode.Parse(b.ToJsonString())),
            _ => true,
        };
    }

    private static bool NumberEquals(string a, string b)
    {
        if (a == b)
        {
            return true;
        }

        if (decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var da) &&
            decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var db))
        {
            return da == db;
        }

        return double.Parse(a, CultureInfo.InvariantCulture) == double.Parse(b, CultureInfo.InvariantCulture);
    }
}
