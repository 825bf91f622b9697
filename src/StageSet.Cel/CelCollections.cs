using System.Text;
using System.Text.Json.Nodes;

namespace StageSet.Cel;

/// <summary>A CEL list. Implementations are immutable views; elements are never error values.</summary>
public abstract class CelList : CelValue
{
    public abstract int Count { get; }

    public abstract CelValue this[int index] { get; }

    public override CelType Type => CelType.ListOfDyn;

    public IEnumerable<CelValue> Elements
    {
        get
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }
    }

    public override bool CelEquals(CelValue other)
    {
        if (other is not CelList list || list.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < Count; i++)
        {
            if (!this[i].CelEquals(list[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override JsonNode? ToJson() => new JsonArray([.. Elements.Select(e => e.ToJson())]);

    internal override void AppendTo(StringBuilder sb)
    {
        sb.Append('[');
        for (var i = 0; i < Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            this[i].AppendTo(sb);
        }

        sb.Append(']');
    }
}

/// <summary>A list held in an array the list owns.</summary>
public sealed class CelArrayList : CelList
{
    private readonly CelValue[] _items;

    public CelArrayList(IEnumerable<CelValue> items) => _items = [.. items];

    private CelArrayList(CelValue[] owned, bool _) => _items = owned;

    public static CelArrayList Empty { get; } = new([], true);

    public override int Count => _items.Length;

    public override CelValue this[int index] => _items[index];

    /// <summary>Wraps an array the caller promises never to change again.</summary>
    internal static CelArrayList Own(CelValue[] items) => items.Length == 0 ? Empty : new CelArrayList(items, true);
}

/// <summary>A CEL map. Keys are bool, int, uint or string; int and uint keys with equal values are the same key.</summary>
public abstract class CelMap : CelValue
{
    public abstract int Count { get; }

    public override CelType Type => CelType.MapOfDyn;

    /// <summary>Keys in iteration order.</summary>
    public abstract IEnumerable<CelValue> Keys { get; }

    /// <summary>Looks a key up; a double key with an integral value finds the matching int or uint key.</summary>
    public abstract bool TryGetValue(CelValue key, out CelValue value);

    /// <summary>Looks up a string key (field selection); the fast path for JSON objects.</summary>
    public virtual bool TryGetField(string name, out CelValue value) => TryGetValue(new CelString(name), out value);

    public IEnumerable<KeyValuePair<CelValue, CelValue>> Entries
    {
        get
        {
            foreach (var k in Keys)
            {
                if (TryGetValue(k, out var v))
                {
                    yield return new(k, v);
                }
            }
        }
    }

    public override bool CelEquals(CelValue other)
    {
        if (other is not CelMap map || map.Count != Count)
        {
            return false;
        }

        foreach (var (k, v) in Entries)
        {
            if (!map.TryGetValue(k, out var ov) || !v.CelEquals(ov))
            {
                return false;
            }
        }

        return true;
    }

    public override JsonNode? ToJson()
    {
        var obj = new JsonObject();
        foreach (var (k, v) in Entries)
        {
            obj[k is CelString s ? s.Value : k.ToString()] = v.ToJson();
        }

        return obj;
    }

    internal override void AppendTo(StringBuilder sb)
    {
        sb.Append('{');
        var first = true;
        foreach (var (k, v) in Entries)
        {
            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            k.AppendTo(sb);
            sb.Append(": ");
            v.AppendTo(sb);
        }

        sb.Append('}');
    }
}

/// <summary>A map built by an expression or from .NET data; keeps insertion order.</summary>
public sealed class CelDictionaryMap : CelMap
{
    private readonly Dictionary<CelValue, CelValue> _entries;
    private readonly List<CelValue> _order;

    private CelDictionaryMap(Dictionary<CelValue, CelValue> entries, List<CelValue> order)
    {
        _entries = entries;
        _order = order;
    }

    public static CelDictionaryMap Empty { get; } = new(new(MapKeyComparer.Instance), []);

    public override int Count => _order.Count;

    public override IEnumerable<CelValue> Keys => _order;

    /// <summary>Builds a map; fails on a repeated key or a key of a type maps cannot hold.</summary>
    public static CelValue Create(IEnumerable<KeyValuePair<CelValue, CelValue>> entries)
    {
        var builder = new Builder();
        foreach (var (k, v) in entries)
        {
            if (builder.Add(k, v) is { } error)
            {
                return error;
            }
        }

        return builder.Build();
    }

    public override bool TryGetValue(CelValue key, out CelValue value)
    {
        if (MapKeyComparer.Normalize(key) is { } k)
        {
            return _entries.TryGetValue(k, out value!);
        }

        value = null!;
        return false;
    }

    /// <summary>Collects entries in order; the caller decides what a repeated key means.</summary>
    internal sealed class Builder
    {
        private readonly Dictionary<CelValue, CelValue> _entries = new(MapKeyComparer.Instance);
        private readonly List<CelValue> _order = [];

        public bool Contains(CelValue key) => MapKeyComparer.Normalize(key) is { } k && _entries.ContainsKey(k);

        /// <summary>Adds an entry; returns an error value for a repeated or unsupported key.</summary>
        public CelError? Add(CelValue key, CelValue value)
        {
            if (!MapKeyComparer.IsValidKey(key))
            {
                return new CelError("unsupported key type: " + key.Type);
            }

            if (!_entries.TryAdd(key, value))
            {
                return new CelError("Failed with repeated key: " + key);
            }

            _order.Add(key);
            return null;
        }

        /// <summary>Adds or replaces an entry (later entries win, as in transformMap).</summary>
        public void Set(CelValue key, CelValue value)
        {
            if (_entries.TryAdd(key, value))
            {
                _order.Add(key);
            }
            else
            {
                _entries[key] = value;
            }
        }

        public CelDictionaryMap Build() => _order.Count == 0 ? Empty : new CelDictionaryMap(_entries, _order);
    }
}

/// <summary>Map key identity: int and uint keys of equal value are one key; only bool, int, uint, string are keys.</summary>
internal sealed class MapKeyComparer : IEqualityComparer<CelValue>
{
    public static MapKeyComparer Instance { get; } = new();

    public static bool IsValidKey(CelValue key) => key is CelBool or CelInt or CelUint or CelString;

    /// <summary>The key a lookup with <paramref name="key"/> should use, or null when it can match nothing.</summary>
    public static CelValue? Normalize(CelValue key) => key switch
    {
        CelBool or CelInt or CelUint or CelString => key,
        CelDouble d when double.IsFinite(d.Value) && Math.Truncate(d.Value) == d.Value =>
            d.Value is >= -9223372036854775808.0 and < 9223372036854775808.0 ? CelInt.Of((long)d.Value)
            : d.Value is >= 0 and < 18446744073709551616.0 ? new CelUint((ulong)d.Value) : null,
        _ => null,
    };

    public bool Equals(CelValue? x, CelValue? y) => x is not null && y is not null && x.CelEquals(y);

    public int GetHashCode(CelValue obj) => obj switch
    {
        CelBool b => b.Value ? 1 : 0,
        CelInt i => i.Value.GetHashCode(),
        CelUint u => u.Value <= long.MaxValue ? ((long)u.Value).GetHashCode() : u.Value.GetHashCode(),
        CelString s => StringComparer.Ordinal.GetHashCode(s.Value),
        _ => 0,
    };
}
