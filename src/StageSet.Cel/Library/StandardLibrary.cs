using StageSet.Cel.Syntax;

namespace StageSet.Cel.Library;

/// <summary>CEL's standard functions and operators: declarations for the checker and implementations for evaluation.</summary>
internal static class StandardLibrary
{
    public static void Register(FunctionSetBuilder b)
    {
        var dyn = CelType.Dyn;
        var boolT = CelType.Bool;
        var intT = CelType.Int;
        var uintT = CelType.Uint;
        var dbl = CelType.Double;
        var str = CelType.String;
        var bytes = CelType.Bytes;
        var ts = CelType.Timestamp;
        var dur = CelType.Duration;
        var a = CelType.Param("A");
        var k = CelType.Param("K");
        var v = CelType.Param("V");
        var listA = CelType.List(a);
        var mapKV = CelType.Map(k, v);

        // Logic: the planner evaluates these itself (they are not strict), the declarations serve the checker.
        b.Add(Operators.LogicalAnd, new Overload("logical_and", false, [boolT, boolT], boolT));
        b.Add(Operators.LogicalOr, new Overload("logical_or", false, [boolT, boolT], boolT));
        b.Add(Operators.Conditional, new Overload("conditional", false, [boolT, a, a], a));
        b.Add(Operators.NotStrictlyFalse, new Overload("not_strictly_false", false, [boolT], boolT));
        b.Global(Operators.LogicalNot, "logical_not", [boolT], boolT, x => CelBool.Of(!((CelBool)x).Value));

        b.Global(Operators.Equal, "equals", [a, a], boolT, (x, y) => CelBool.Of(x.CelEquals(y)));
        b.Global(Operators.NotEquals, "not_equals", [a, a], boolT, (x, y) => CelBool.Of(!x.CelEquals(y)));
        RegisterOrdering(b);

        b.Global(Operators.Add, "add_int64", [intT, intT], intT, Arithmetic.AddInt);
        b.Global(Operators.Add, "add_uint64", [uintT, uintT], uintT, Arithmetic.AddUint);
        b.Global(Operators.Add, "add_double", [dbl, dbl], dbl, Arithmetic.AddDouble);
        b.Global(Operators.Add, "add_string", [str, str], str, (x, y) => new CelString(((CelString)x).Value + ((CelString)y).Value));
        b.Global(Operators.Add, "add_bytes", [bytes, bytes], bytes,
            (x, y) => CelBytes.Own([.. ((CelBytes)x).Value, .. ((CelBytes)y).Value]));
        b.Global(Operators.Add, "add_list", [listA, listA], listA, ConcatLists);
        b.Global(Operators.Add, "add_timestamp_duration", [ts, dur], ts, Arithmetic.AddTimestampDuration);
        b.Global(Operators.Add, "add_duration_timestamp", [dur, ts], ts, (x, y) => Arithmetic.AddTimestampDuration(y, x));
        b.Global(Operators.Add, "add_duration_duration", [dur, dur], dur, Arithmetic.AddDurations);
        b.Global(Operators.Subtract, "subtract_int64", [intT, intT], intT, Arithmetic.SubtractInt);
        b.Global(Operators.Subtract, "subtract_uint64", [uintT, uintT], uintT, Arithmetic.SubtractUint);
        b.Global(Operators.Subtract, "subtract_double", [dbl, dbl], dbl, Arithmetic.SubtractDouble);
        b.Global(Operators.Subtract, "subtract_timestamp_timestamp", [ts, ts], dur, Arithmetic.SubtractTimestamps);
        b.Global(Operators.Subtract, "subtract_timestamp_duration", [ts, dur], ts, Arithmetic.SubtractTimestampDuration);
        b.Global(Operators.Subtract, "subtract_duration_duration", [dur, dur], dur, Arithmetic.SubtractDurations);
        b.Global(Operators.Multiply, "multiply_int64", [intT, intT], intT, Arithmetic.MultiplyInt);
        b.Global(Operators.Multiply, "multiply_uint64", [uintT, uintT], uintT, Arithmetic.MultiplyUint);
        b.Global(Operators.Multiply, "multiply_double", [dbl, dbl], dbl, Arithmetic.MultiplyDouble);
        b.Global(Operators.Divide, "divide_int64", [intT, intT], intT, Arithmetic.DivideInt);
        b.Global(Operators.Divide, "divide_uint64", [uintT, uintT], uintT, Arithmetic.DivideUint);
        b.Global(Operators.Divide, "divide_double", [dbl, dbl], dbl, Arithmetic.DivideDouble);
        b.Global(Operators.Modulo, "modulo_int64", [intT, intT], intT, Arithmetic.ModuloInt);
        b.Global(Operators.Modulo, "modulo_uint64", [uintT, uintT], uintT, Arithmetic.ModuloUint);
        b.Global(Operators.Negate, "negate_int64", [intT], intT, Arithmetic.NegateInt);
        b.Global(Operators.Negate, "negate_double", [dbl], dbl, Arithmetic.NegateDouble);

        b.Global(Operators.Index, "index_list", [listA, intT], a, Index);
        b.Global(Operators.Index, "index_map", [mapKV, k], v, Index);
        b.Global(Operators.In, "in_list", [a, listA], boolT, (x, l) => CelBool.Of(((CelList)l).Elements.Any(e => e.CelEquals(x))));
        b.Global(Operators.In, "in_map", [k, mapKV], boolT, (x, m) => CelBool.Of(((CelMap)m).TryGetValue(x, out _)));

        foreach (var (t, id) in new[] { (str, "string"), (bytes, "bytes"), (listA, "list"), (mapKV, "map") })
        {
            b.Global("size", "size_" + id, [t], intT, Size);
            b.Member("size", id + "_size", [t], intT, Size);
        }

        b.Member("contains", "contains_string", [str, str], boolT,
            (x, y) => CelBool.Of(((CelString)x).Value.Contains(((CelString)y).Value, StringComparison.Ordinal)));
        b.Member("startsWith", "starts_with_string", [str, str], boolT,
            (x, y) => CelBool.Of(((CelString)x).Value.StartsWith(((CelString)y).Value, StringComparison.Ordinal)));
        b.Member("endsWith", "ends_with_string", [str, str], boolT,
            (x, y) => CelBool.Of(((CelString)x).Value.EndsWith(((CelString)y).Value, StringComparison.Ordinal)));
        b.Global("matches", "matches", [str, str], boolT, Matches);
        b.Member("matches", "matches_string", [str, str], boolT, Matches);

        RegisterConversions(b, dyn, boolT, intT, uintT, dbl, str, bytes, ts, dur, a);
        TimeFunctions.Register(b);
    }

    private static void RegisterConversions(FunctionSetBuilder b, CelType dyn, CelType boolT, CelType intT, CelType uintT,
        CelType dbl, CelType str, CelType bytes, CelType ts, CelType dur, CelType a)
    {
        b.Global("int", "int64_to_int64", [intT], intT, x => x);
        b.Global("int", "uint64_to_int64", [uintT], intT, Conversions.IntFromUint);
        b.Global("int", "double_to_int64", [dbl], intT, Conversions.IntFromDouble);
        b.Global("int", "string_to_int64", [str], intT, Conversions.IntFromString);
        b.Global("int", "timestamp_to_int64", [ts], intT, x => CelInt.Of(((CelTimestamp)x).Seconds));
        b.Global("uint", "uint64_to_uint64", [uintT], uintT, x => x);
        b.Global("uint", "int64_to_uint64", [intT], uintT, Conversions.UintFromInt);
        b.Global("uint", "double_to_uint64", [dbl], uintT, Conversions.UintFromDouble);
        b.Global("uint", "string_to_uint64", [str], uintT, Conversions.UintFromString);
        b.Global("double", "double_to_double", [dbl], dbl, x => x);
        b.Global("double", "int64_to_double", [intT], dbl, x => new CelDouble(((CelInt)x).Value));
        b.Global("double", "uint64_to_double", [uintT], dbl, x => new CelDouble(((CelUint)x).Value));
        b.Global("double", "string_to_double", [str], dbl, Conversions.DoubleFromString);
        foreach (var (t, id) in new[] { (str, "string"), (boolT, "bool"), (intT, "int64"), (uintT, "uint64"), (dbl, "double"), (bytes, "bytes"), (ts, "timestamp"), (dur, "duration") })
        {
            b.Global("string", id + "_to_string", [t], str, Conversions.StringOf);
        }

        b.Global("bytes", "bytes_to_bytes", [bytes], bytes, x => x);
        b.Global("bytes", "string_to_bytes", [str], bytes, Conversions.BytesFromString);
        b.Global("bool", "bool_to_bool", [boolT], boolT, x => x);
        b.Global("bool", "string_to_bool", [str], boolT, Conversions.BoolFromString);
        b.Global("timestamp", "timestamp_to_timestamp", [ts], ts, x => x);
        b.Global("timestamp", "string_to_timestamp", [str], ts, x => CelTimestamp.Parse(((CelString)x).Value));
        b.Global("timestamp", "int64_to_timestamp", [intT], ts, x => CelTimestamp.FromUnixSeconds(((CelInt)x).Value));
        b.Global("duration", "duration_to_duration", [dur], dur, x => x);
        b.Global("duration", "string_to_duration", [str], dur, x => CelDuration.Parse(((CelString)x).Value));
        b.Global("dyn", "to_dyn", [a], dyn, x => x);
        b.Global("type", "type", [a], CelType.TypeOf(a), x => new CelTypeValue(x.Type));
    }

    private static void RegisterOrdering(FunctionSetBuilder b)
    {
        (CelType T, string Id)[] numbers = [(CelType.Int, "int64"), (CelType.Uint, "uint64"), (CelType.Double, "double")];
        (string Fn, string Id, Func<int, bool> Test)[] ops =
        [
            (Operators.Less, "less", c => c < 0),
            (Operators.LessEquals, "less_equals", c => c <= 0),
            (Operators.Greater, "greater", c => c > 0),
            (Operators.GreaterEquals, "greater_equals", c => c >= 0),
        ];
        foreach (var (fn, id, test) in ops)
        {
            CelValue Compare(CelValue x, CelValue y) => CompareValues(x, y) is { } c ? CelBool.Of(test(c)) : CelBool.False;
            foreach (var (t1, id1) in numbers)
            {
                foreach (var (t2, id2) in numbers)
                {
                    b.Global(fn, id1 == id2 ? $"{id}_{id1}" : $"{id}_{id1}_{id2}", [t1, t2], CelType.Bool, Compare);
                }
            }

            foreach (var (t, tid) in new[] { (CelType.Bool, "bool"), (CelType.String, "string"), (CelType.Bytes, "bytes"), (CelType.Timestamp, "timestamp"), (CelType.Duration, "duration") })
            {
                b.Global(fn, $"{id}_{tid}", [t, t], CelType.Bool, Compare);
            }
        }
    }

    /// <summary>Orders two values of comparable types; null when they are not comparable (or a NaN is involved).</summary>
    public static int? CompareValues(CelValue x, CelValue y) => (x, y) switch
    {
        (CelBool p, CelBool q) => p.Value.CompareTo(q.Value),
        (CelString p, CelString q) => CodePoints.Compare(p.Value, q.Value),
        (CelBytes p, CelBytes q) => p.Value.SequenceCompareTo(q.Value),
        (CelTimestamp p, CelTimestamp q) => p.CompareTo(q),
        (CelDuration p, CelDuration q) => p.Nanoseconds.CompareTo(q.Nanoseconds),
        _ => Numeric.CompareNumbers(x, y),
    };

    private static CelValue ConcatLists(CelValue x, CelValue y)
    {
        var l = (CelList)x;
        var r = (CelList)y;
        if (l.Count == 0)
        {
            return r;
        }

        if (r.Count == 0)
        {
            return l;
        }

        var items = new CelValue[l.Count + r.Count];
        for (var i = 0; i < l.Count; i++)
        {
            items[i] = l[i];
        }

        for (var i = 0; i < r.Count; i++)
        {
            items[l.Count + i] = r[i];
        }

        return CelArrayList.Own(items);
    }

    public static CelValue Size(CelValue x) => x switch
    {
        CelString s => CelInt.Of(CodePoints.Count(s.Value)),
        CelBytes b => CelInt.Of(b.Length),
        CelList l => CelInt.Of(l.Count),
        CelMap m => CelInt.Of(m.Count),
        _ => Errors.NoSuchOverload("size", [x]),
    };

    /// <summary><c>list[i]</c> (int, uint or integral double index) and <c>map[key]</c>.</summary>
    public static CelValue Index(CelValue container, CelValue key)
    {
        switch (container)
        {
            case CelList list:
                long index;
                switch (key)
                {
                    case CelInt i:
                        index = i.Value;
                        break;
                    case CelUint u:
                        index = u.Value > long.MaxValue ? long.MaxValue : (long)u.Value;
                        break;
                    case CelDouble d when Math.Truncate(d.Value) == d.Value && Math.Abs(d.Value) < 9.2e18:
                        index = (long)d.Value;
                        break;
                    default:
                        return Errors.NoSuchOverload(Operators.Index, [container, key]);
                }

                return index < 0 || index >= list.Count ? Errors.IndexOutOfRange(index, list.Count) : list[(int)index];
            case CelMap map:
                if (!MapKeyComparer.IsValidKey(key) && key is not CelDouble)
                {
                    return Errors.NoSuchOverload(Operators.Index, [container, key]);
                }

                return map.TryGetValue(key, out var value) ? value : Errors.NoSuchKey(key);
            default:
                return Errors.NoSuchOverload(Operators.Index, [container, key]);
        }
    }

    private static CelValue Matches(CelValue s, CelValue pattern)
    {
        var (regex, error) = Re2.Compile(((CelString)pattern).Value);
        return regex is null ? new CelError(error!) : CelBool.Of(regex.IsMatch(((CelString)s).Value));
    }
}
