using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.FieldManagement;

/// <summary>The four kinds of step in a field path, in the order FieldsV1 sorts them.</summary>
public enum PathElementKind
{
    /// <summary><c>f:name</c>: a struct field or map key.</summary>
    Field = 0,

    /// <summary><c>k:{"name":"web"}</c>: an item of a map-list, by its key fields.</summary>
    Key = 1,

    /// <summary><c>v:"x"</c>: an item of a set-list, by value.</summary>
    Value = 2,

    /// <summary><c>i:3</c>: an item by position.</summary>
    Index = 3,
}

/// <summary>
/// One step of a field path. Equality is by the canonical FieldsV1 key text; ordering follows structured-merge-diff
/// (fields, then keys, then values, then indexes; values compare numbers &lt; strings &lt; bools &lt; lists &lt; maps &lt; null).
/// </summary>
public sealed class PathElement : IEquatable<PathElement>, IComparable<PathElement>
{
    private PathElement(PathElementKind kind, string text, string? name, IReadOnlyList<KeyValuePair<string, JsonNode?>>? keys, JsonNode? value, int index)
    {
        Kind = kind;
        Text = text;
        Name = name;
        Keys = keys;
        Value = value;
        Index = index;
    }

    public PathElementKind Kind { get; }

    /// <summary>The FieldsV1 key: <c>f:spec</c>, <c>k:{"name":"web"}</c>, <c>v:"a"</c>, <c>i:0</c>.</summary>
    public string Text { get; }

    public string? Name { get; }

    /// <summary>Key fields sorted by name (for <see cref="PathElementKind.Key"/>).</summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode?>>? Keys { get; }

    public JsonNode? Value { get; }

    public int Index { get; }

    public static PathElement Field(string name) => new(PathElementKind.Field, "f:" + name, name, null, null, 0);

    public static PathElement Key(IEnumerable<KeyValuePair<string, JsonNode?>> fields)
    {
        var sorted = fields.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new KeyValuePair<string, JsonNode?>(f.Key, f.Value?.DeepClone()))
            .ToList();
        var sb = new StringBuilder("k:{");
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            GoJson.AppendQuoted(sb, sorted[i].Key);
            sb.Append(':').Append(GoJson.Write(sorted[i].Value));
        }

        return new PathElement(PathElementKind.Key, sb.Append('}').ToString(), null, sorted, null, 0);
    }

    public static PathElement OfValue(JsonNode? value) =>
        new(PathElementKind.Value, "v:" + GoJson.Write(value), null, null, value?.DeepClone(), 0);

    public static PathElement OfIndex(int index) =>
        new(PathElementKind.Index, "i:" + index.ToString(CultureInfo.InvariantCulture), null, null, null, index);

    /// <summary>Parses a FieldsV1 key; throws <see cref="FormatException"/> on anything else.</summary>
    public static PathElement Parse(string text)
    {
        if (text.Length < 2 || text[1] != ':')
        {
            throw new FormatException($"invalid FieldsV1 key {GoJson.Quote(text)}");
        }

        var body = text[2..];
        switch (text[0])
        {
            case 'f':
                return Field(body);
            case 'k':
                if (ParseJson(body, text) is not JsonObject key)
                {
                    throw new FormatException($"FieldsV1 key {GoJson.Quote(text)} is not a JSON object");
                }

                return Key(key.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value)).ToList());
            case 'v':
                return OfValue(ParseJson(body, text));
            case 'i':
                return int.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    ? OfIndex(index)
                    : throw new FormatException($"invalid FieldsV1 index {GoJson.Quote(text)}");
            default:
                throw new FormatException($"invalid FieldsV1 key {GoJson.Quote(text)}");
        }
    }

    private static JsonNode? ParseJson(string json, string text)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid JSON in FieldsV1 key {GoJson.Quote(text)}: {e.Message}", e);
        }
    }

    /// <summary>The path form used in conflict messages: <c>.name</c>, <c>[name="web"]</c>, <c>[="v"]</c>, <c>[3]</c>.</summary>
    public override string ToString() => Kind switch
    {
        PathElementKind.Field => "." + Name,
        PathElementKind.Key => "[" + string.Join(",", Keys!.Select(k => k.Key + "=" + ValueText(k.Value))) + "]",
        PathElementKind.Value => "[=" + ValueText(Value) + "]",
        _ => "[" + Index.ToString(CultureInfo.InvariantCulture) + "]",
    };

    /// <summary>structured-merge-diff's <c>value.ToString</c>: strings quoted, scalars bare.</summary>
    private static string ValueText(JsonNode? v) => v switch
    {
        null => "null",
        JsonValue s when s.GetValueKind() == JsonValueKind.String => Manifests.Schema.FieldError.Quote(s.GetValue<string>()),
        JsonValue n when n.GetValueKind() == JsonValueKind.Number => GoJson.Number(n),
        JsonValue b => b.GetValueKind() == JsonValueKind.True ? "true" : "false",
        JsonArray a => "[" + string.Join(",", a.Select(ValueText)) + "]",
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + ValueText(p.Value))) + "}",
        _ => "null",
    };

    public bool Equals(PathElement? other) => other is not null && Text == other.Text;

    public override bool Equals(object? obj) => obj is PathElement other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    public int CompareTo(PathElement? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (Kind != other.Kind)
        {
            return Kind.CompareTo(other.Kind);
        }

        return Kind switch
        {
            PathElementKind.Field => string.CompareOrdinal(Name, other.Name),
            PathElementKind.Key => CompareKeys(Keys!, other.Keys!),
            PathElementKind.Value => ValueOrder.Compare(Value, other.Value),
            _ => Index.CompareTo(other.Index),
        };
    }

    private static int CompareKeys(IReadOnlyList<KeyValuePair<string, JsonNode?>> a, IReadOnlyList<KeyValuePair<string, JsonNode?>> b)
    {
        for (var i = 0; ; i++)
        {
            if (i >= a.Count || i >= b.Count)
            {
                return a.Count.CompareTo(b.Count);
            }

            var c = string.CompareOrdinal(a[i].Key, b[i].Key);
            if (c != 0)
            {
                return c;
            }

            c = ValueOrder.Compare(a[i].Value, b[i].Value);
            if (c != 0)
            {
                return c;
            }
        }
    }
}

/// <summary>A path from the object root; prints as in conflict messages (<c>.spec.containers[name="web"].image</c>).</summary>
public sealed class FieldPath(IReadOnlyList<PathElement> elements) : IEquatable<FieldPath>
{
    public IReadOnlyList<PathElement> Elements { get; } = elements;

    public static FieldPath Of(params PathElement[] elements) => new(elements);

    /// <summary>Dotted field names only, e.g. <c>spec.replicas</c>.</summary>
    public static FieldPath Fields(string dotted) => new(dotted.Split('.').Select(PathElement.Field).ToList());

    public FieldPath Append(PathElement element) => new([.. Elements, element]);

    public override string ToString() => string.Concat(Elements.Select(e => e.ToString()));

    public bool Equals(FieldPath? other) => other is not null && Elements.SequenceEqual(other.Elements);

    public override bool Equals(object? obj) => obj is FieldPath other && Equals(other);

    public override int GetHashCode() => Elements.Aggregate(17, (h, e) => (h * 31) + e.GetHashCode());
}

/// <summary>structured-merge-diff's total order over values, used to sort set items and key fields.</summary>
internal static class ValueOrder
{
    public static int Compare(JsonNode? a, JsonNode? b)
    {
        var ra = Rank(a);
        var rb = Rank(b);
        if (ra != rb)
        {
            return ra.CompareTo(rb);
        }

        switch (a)
        {
            case JsonValue va when ra == 0:
                return GoJson.Numeric(va).Double.CompareTo(GoJson.Numeric((JsonValue)b!).Double);
            case JsonValue va when ra == 1:
                return string.CompareOrdinal(va.GetValue<string>(), ((JsonValue)b!).GetValue<string>());
            case JsonValue va when ra == 2:
                return va.GetValue<bool>().CompareTo(((JsonValue)b!).GetValue<bool>());
            case JsonArray la:
                var lb = (JsonArray)b!;
                for (var i = 0; i < Math.Min(la.Count, lb.Count); i++)
                {
                    var c = Compare(la[i], lb[i]);
                    if (c != 0)
                    {
                        return c;
                    }
                }

                return la.Count.CompareTo(lb.Count);
            case JsonObject ma:
                return string.CompareOrdinal(GoJson.Write(ma), GoJson.Write(b));
            default:
                return 0;
        }
    }

    /// <summary>numbers, strings, bools, lists, maps, null.</summary>
    private static int Rank(JsonNode? n) => n switch
    {
        null => 5,
        JsonArray => 3,
        JsonObject => 4,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.Number => 0,
            JsonValueKind.String => 1,
            JsonValueKind.True or JsonValueKind.False => 2,
            _ => 5,
        },
        _ => 5,
    };
}
