using System.Text;

namespace StageSet.Cel.Library;

/// <summary>The sets, lists and encoders extensions of cel-go.</summary>
internal static class CollectionsExtensions
{
    public static void Register(FunctionSetBuilder b)
    {
        var a = CelType.Param("A");
        var listA = CelType.List(a);
        var boolT = CelType.Bool;
        var intT = CelType.Int;

        var k = CelType.Param("K");
        var v = CelType.Param("V");
        var mapKV = CelType.Map(k, v);
        b.Global("cel.@mapInsert", "cel_mapInsert_map_key_value", [mapKV, k, v], mapKV, a => MapInsert((CelMap)a[0], [new(a[1], a[2])]));
        b.Global("cel.@mapInsert", "cel_mapInsert_map_map", [mapKV, mapKV], mapKV, (m, e) => MapInsert((CelMap)m, ((CelMap)e).Entries));

        b.Global("sets.contains", "list_sets_contains_list", [listA, listA], boolT,
            (x, y) => CelBool.Of(((CelList)y).Elements.All(e => Contains((CelList)x, e))));
        b.Global("sets.equivalent", "list_sets_equivalent_list", [listA, listA], boolT,
            (x, y) => CelBool.Of(((CelList)y).Elements.All(e => Contains((CelList)x, e)) && ((CelList)x).Elements.All(e => Contains((CelList)y, e))));
        b.Global("sets.intersects", "list_sets_intersects_list", [listA, listA], boolT,
            (x, y) => CelBool.Of(((CelList)y).Elements.Any(e => Contains((CelList)x, e))));

        b.Global("base64.encode", "base64_encode_bytes", [CelType.Bytes], CelType.String,
            x => new CelString(Convert.ToBase64String(((CelBytes)x).Value)));
        b.Global("base64.decode", "base64_decode_string", [CelType.String], CelType.Bytes, Base64Decode);

        b.Global("lists.range", "lists_range", [intT], CelType.List(intT), n => Range(((CelInt)n).Value));
        b.Member("slice", "list_slice", [listA, intT, intT], listA, args => Slice((CelList)args[0], ((CelInt)args[1]).Value, ((CelInt)args[2]).Value));
        b.Member("flatten", "list_flatten", [CelType.List(listA)], listA, l => Flatten((CelList)l, 1));
        b.Member("flatten", "list_flatten_int", [CelType.ListOfDyn, intT], CelType.ListOfDyn, (l, d) => Flatten((CelList)l, ((CelInt)d).Value));
        b.Member("distinct", "list_distinct", [listA], listA, Distinct);
        b.Member("reverse", "list_reverse", [listA], listA, l => CelArrayList.Own([.. ((CelList)l).Elements.Reverse()]));
        b.Member("sort", "list_sort", [listA], listA, Sort);
        b.Member("@sortByAssociatedKeys", "list_sort_by_associated_keys", [listA, CelType.ListOfDyn], listA, SortBy);
        b.Member("indexOf", "list_index_of", [listA, a], intT, (l, x) => CelInt.Of(IndexOf((CelList)l, x, last: false)));
        b.Member("lastIndexOf", "list_last_index_of", [listA, a], intT, (l, x) => CelInt.Of(IndexOf((CelList)l, x, last: true)));
    }

    private static CelValue MapInsert(CelMap map, IEnumerable<KeyValuePair<CelValue, CelValue>> entries)
    {
        var builder = new CelDictionaryMap.Builder();
        foreach (var (key, value) in map.Entries)
        {
            builder.Set(key, value);
        }

        foreach (var (key, value) in entries)
        {
            if (builder.Contains(key))
            {
                return new CelError($"insert failed: key {key} already exists");
            }

            if (builder.Add(key, value) is { } error)
            {
                return error;
            }
        }

        return builder.Build();
    }

    private static bool Contains(CelList list, CelValue value) => list.Elements.Any(e => e.CelEquals(value));

    private static CelValue Base64Decode(CelValue x)
    {
        var s = ((CelString)x).Value;
        var padded = s.Length % 4 == 0 ? s : s + new string('=', 4 - s.Length % 4);
        try
        {
            return CelBytes.Own(Convert.FromBase64String(padded));
        }
        catch (FormatException)
        {
            return new CelError("illegal base64 data");
        }
    }

    private static CelValue Range(long n)
    {
        if (n < 0 || n > 1_000_000)
        {
            return new CelError($"lists.range() requires a size between 0 and 1000000, got {n}");
        }

        return CelArrayList.Own([.. Enumerable.Range(0, (int)n).Select(i => (CelValue)CelInt.Of(i))]);
    }

    private static CelValue Slice(CelList list, long start, long end)
    {
        if (start < 0 || end < 0)
        {
            return new CelError($"cannot slice({start}, {end}), negative indexes not supported");
        }

        if (start > end)
        {
            return new CelError($"cannot slice({start}, {end}), start index must be less than or equal to end index");
        }

        if (end > list.Count)
        {
            return new CelError($"cannot slice({start}, {end}), list is length {list.Count}");
        }

        return CelArrayList.Own([.. list.Elements.Skip((int)start).Take((int)(end - start))]);
    }

    private static CelValue Flatten(CelList list, long depth)
    {
        if (depth < 0)
        {
            return new CelError("level must be non-negative");
        }

        var output = new List<CelValue>();
        void Add(CelList l, long d)
        {
            foreach (var e in l.Elements)
            {
                if (e is CelList inner && d > 0)
                {
                    Add(inner, d - 1);
                }
                else
                {
                    output.Add(e);
                }
            }
        }

        Add(list, depth);
        return CelArrayList.Own([.. output]);
    }

    private static CelValue Distinct(CelValue l)
    {
        var output = new List<CelValue>();
        foreach (var e in ((CelList)l).Elements)
        {
            if (!output.Any(o => o.CelEquals(e)))
            {
                output.Add(e);
            }
        }

        return CelArrayList.Own([.. output]);
    }

    private static CelValue Sort(CelValue l)
    {
        var items = ((CelList)l).Elements.ToArray();
        if (items.Length > 1 && items.Any(i => StandardLibrary.CompareValues(items[0], i) is null && !items[0].CelEquals(i)))
        {
            return new CelError("list elements must have the same type and be comparable");
        }

        var sorted = items.Order(Comparer<CelValue>.Create((x, y) => StandardLibrary.CompareValues(x, y) ?? 0)).ToArray();
        return CelArrayList.Own(sorted);
    }

    private static CelValue SortBy(CelValue l, CelValue keys)
    {
        var items = ((CelList)l).Elements.ToArray();
        var k = ((CelList)keys).Elements.ToArray();
        if (items.Length != k.Length)
        {
            return new CelError("sortBy keys and list differ in size");
        }

        var order = Enumerable.Range(0, items.Length)
            .OrderBy(i => k[i], Comparer<CelValue>.Create((x, y) => StandardLibrary.CompareValues(x, y) ?? 0))
            .Select(i => items[i]);
        return CelArrayList.Own([.. order]);
    }

    private static long IndexOf(CelList list, CelValue x, bool last)
    {
        var indexes = Enumerable.Range(0, list.Count);
        foreach (var i in last ? indexes.Reverse() : indexes)
        {
            if (list[i].CelEquals(x))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>cel-go's math extension: <c>math.greatest/least</c>, rounding, <c>abs</c>, <c>sign</c>, float tests, bit operations.</summary>
internal static class MathExtension
{
    public static void Register(FunctionSetBuilder b)
    {
        var intT = CelType.Int;
        var uintT = CelType.Uint;
        var dbl = CelType.Double;
        var boolT = CelType.Bool;
        CelType[] numbers = [intT, uintT, dbl];
        foreach (var (name, pick) in new[] { ("math.@max", 1), ("math.@min", -1) })
        {
            CelValue Reduce(IEnumerable<CelValue> values)
            {
                CelValue? best = null;
                foreach (var v in values)
                {
                    if (v is not (CelInt or CelUint or CelDouble))
                    {
                        return Errors.NoSuchOverload(name, [v]);
                    }

                    if (best is null || Numeric.CompareNumbers(v, best) is { } c && Math.Sign(c) == pick)
                    {
                        best = v;
                    }
                }

                return best ?? new CelError(name + " requires at least one argument");
            }

            foreach (var t in numbers)
            {
                b.Global(name, $"{name}_{t}", [t], t, x => x);
                b.Global(name, $"{name}_list_{t}", [CelType.List(t)], t, l => Reduce(((CelList)l).Elements));
                foreach (var u in numbers)
                {
                    b.Global(name, $"{name}_{t}_{u}", [t, u], t.Equals(u) ? t : CelType.Dyn, (x, y) => Reduce([x, y]));
                }
            }

            b.Global(name, $"{name}_list_dyn", [CelType.ListOfDyn], CelType.Dyn, l => Reduce(((CelList)l).Elements));
        }

        b.Global("math.ceil", "math_ceil_double", [dbl], dbl, x => new CelDouble(Math.Ceiling(((CelDouble)x).Value)));
        b.Global("math.floor", "math_floor_double", [dbl], dbl, x => new CelDouble(Math.Floor(((CelDouble)x).Value)));
        b.Global("math.round", "math_round_double", [dbl], dbl, x => new CelDouble(Math.Round(((CelDouble)x).Value, MidpointRounding.AwayFromZero)));
        b.Global("math.trunc", "math_trunc_double", [dbl], dbl, x => new CelDouble(Math.Truncate(((CelDouble)x).Value)));
        b.Global("math.abs", "math_abs_int", [intT], intT, x => ((CelInt)x).Value == long.MinValue ? Errors.IntOverflow : CelInt.Of(Math.Abs(((CelInt)x).Value)));
        b.Global("math.abs", "math_abs_uint", [uintT], uintT, x => x);
        b.Global("math.abs", "math_abs_double", [dbl], dbl, x => new CelDouble(Math.Abs(((CelDouble)x).Value)));
        b.Global("math.sign", "math_sign_int", [intT], intT, x => CelInt.Of(Math.Sign(((CelInt)x).Value)));
        b.Global("math.sign", "math_sign_uint", [uintT], uintT, x => new CelUint(((CelUint)x).Value == 0 ? 0UL : 1UL));
        b.Global("math.sign", "math_sign_double", [dbl], dbl, x => new CelDouble(double.IsNaN(((CelDouble)x).Value) ? double.NaN : Math.Sign(((CelDouble)x).Value)));
        b.Global("math.isNaN", "math_isNaN_double", [dbl], boolT, x => CelBool.Of(double.IsNaN(((CelDouble)x).Value)));
        b.Global("math.isInf", "math_isInf_double", [dbl], boolT, x => CelBool.Of(double.IsInfinity(((CelDouble)x).Value)));
        b.Global("math.isFinite", "math_isFinite_double", [dbl], boolT, x => CelBool.Of(double.IsFinite(((CelDouble)x).Value)));
        b.Global("math.sqrt", "math_sqrt_double", [dbl], dbl, x => new CelDouble(Math.Sqrt(((CelDouble)x).Value)));
        b.Global("math.sqrt", "math_sqrt_int", [intT], dbl, x => new CelDouble(Math.Sqrt(((CelInt)x).Value)));
        b.Global("math.sqrt", "math_sqrt_uint", [uintT], dbl, x => new CelDouble(Math.Sqrt(((CelUint)x).Value)));

        b.Global("math.bitAnd", "math_bitAnd_int_int", [intT, intT], intT, (x, y) => CelInt.Of(((CelInt)x).Value & ((CelInt)y).Value));
        b.Global("math.bitAnd", "math_bitAnd_uint_uint", [uintT, uintT], uintT, (x, y) => new CelUint(((CelUint)x).Value & ((CelUint)y).Value));
        b.Global("math.bitOr", "math_bitOr_int_int", [intT, intT], intT, (x, y) => CelInt.Of(((CelInt)x).Value | ((CelInt)y).Value));
        b.Global("math.bitOr", "math_bitOr_uint_uint", [uintT, uintT], uintT, (x, y) => new CelUint(((CelUint)x).Value | ((CelUint)y).Value));
        b.Global("math.bitXor", "math_bitXor_int_int", [intT, intT], intT, (x, y) => CelInt.Of(((CelInt)x).Value ^ ((CelInt)y).Value));
        b.Global("math.bitXor", "math_bitXor_uint_uint", [uintT, uintT], uintT, (x, y) => new CelUint(((CelUint)x).Value ^ ((CelUint)y).Value));
        b.Global("math.bitNot", "math_bitNot_int", [intT], intT, x => CelInt.Of(~((CelInt)x).Value));
        b.Global("math.bitNot", "math_bitNot_uint", [uintT], uintT, x => new CelUint(~((CelUint)x).Value));
        b.Global("math.bitShiftLeft", "math_bitShiftLeft_int_int", [intT, intT], intT,
            (x, n) => Shift(n, "math.bitShiftLeft", s => CelInt.Of(s >= 64 ? 0 : ((CelInt)x).Value << (int)s)));
        b.Global("math.bitShiftLeft", "math_bitShiftLeft_uint_int", [uintT, intT], uintT,
            (x, n) => Shift(n, "math.bitShiftLeft", s => new CelUint(s >= 64 ? 0 : ((CelUint)x).Value << (int)s)));
        b.Global("math.bitShiftRight", "math_bitShiftRight_int_int", [intT, intT], intT,
            (x, n) => Shift(n, "math.bitShiftRight", s => CelInt.Of(s >= 64 ? 0 : (long)((ulong)((CelInt)x).Value >> (int)s))));
        b.Global("math.bitShiftRight", "math_bitShiftRight_uint_int", [uintT, intT], uintT,
            (x, n) => Shift(n, "math.bitShiftRight", s => new CelUint(s >= 64 ? 0 : ((CelUint)x).Value >> (int)s)));
    }

    private static CelValue Shift(CelValue amount, string name, Func<long, CelValue> shift)
    {
        var n = ((CelInt)amount).Value;
        return n < 0 ? new CelError($"{name}() negative offset: {n}") : shift(n);
    }
}
