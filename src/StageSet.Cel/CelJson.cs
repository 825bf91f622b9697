using System.Text.Json;
using System.Text.Json.Nodes;

namespace StageSet.Cel;

/// <summary>
/// Kubernetes objects as CEL values. Objects and arrays are wrapped lazily (nothing is copied), numbers map as the
/// Kubernetes API server maps them: integers to <c>int</c>, everything else to <c>double</c>.
/// </summary>
public static class CelJson
{
    public static CelValue FromNode(JsonNode? node) => node switch
    {
        null => CelNull.Instance,
        JsonObject obj => new JsonObjectMap(obj),
        JsonArray arr => new JsonArrayList(arr),
        JsonValue v => FromJsonValue(v),
        _ => CelNull.Instance,
    };

    private static CelValue FromJsonValue(JsonValue v)
    {
        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                return new CelString(v.GetValue<string>());
            case JsonValueKind.True:
                return CelBool.True;
            case JsonValueKind.False:
                return CelBool.False;
            case JsonValueKind.Number:
                if (v.TryGetValue<long>(out var l))
                {
                    return CelInt.Of(l);
                }

                if (v.TryGetValue<int>(out var i))
                {
                    return CelInt.Of(i);
                }

                if (v.TryGetValue<double>(out var d))
                {
                    return new CelDouble(d);
                }

                if (v.TryGetValue<ulong>(out var u))
                {
                    return new CelDouble(u);
                }

                if (v.TryGetValue<float>(out var f))
                {
                    return new CelDouble(f);
                }

                return v.TryGetValue<decimal>(out var m) ? new CelDouble((double)m) : new CelError("unsupported JSON number: " + v.ToJsonString());
            case JsonValueKind.Null:
                return CelNull.Instance;
            default:
                return new CelError("unsupported JSON value: " + v.ToJsonString());
        }
    }
}

/// <summary>A JSON object seen as <c>map(string, dyn)</c> without copying it.</summary>
internal sealed class JsonObjectMap : CelMap
{
    private readonly JsonObject _obj;

    public JsonObjectMap(JsonObject obj) => _obj = obj;

    public override int Count => _obj.Count;

    public override IEnumerable<CelValue> Keys => _obj.Select(p => (CelValue)new CelString(p.Key));

    public override bool TryGetValue(CelValue key, out CelValue value)
    {
        if (key is CelString s)
        {
            return TryGetField(s.Value, out value);
        }

        value = null!;
        return false;
    }

    public override bool TryGetField(string name, out CelValue value)
    {
        if (_obj.TryGetPropertyValue(name, out var node))
        {
            value = CelJson.FromNode(node);
            return true;
        }

        value = null!;
        return false;
    }

    public override JsonNode? ToJson() => _obj.DeepClone();
}

/// <summary>A JSON array seen as a CEL list without copying it.</summary>
internal sealed class JsonArrayList : CelList
{
    private readonly JsonArray _arr;

    public JsonArrayList(JsonArray arr) => _arr = arr;

    public override int Count => _arr.Count;

    public override CelValue this[int index] => CelJson.FromNode(_arr[index]);

    public override JsonNode? ToJson() => _arr.DeepClone();
}
