using StageSet.Cel.Syntax;

namespace StageSet.Cel.Library;

/// <summary>Optional values: <c>optional.of/ofNonZeroValue/none</c>, <c>hasValue</c>, <c>value</c>, <c>?.</c>, <c>[?]</c>,
/// <c>first()</c> / <c>last()</c>. (<c>or</c> / <c>orValue</c> are declared here and short-circuit in the planner.)</summary>
internal static class OptionalLibrary
{
    public static void Register(FunctionSetBuilder b)
    {
        var a = CelType.Param("A");
        var k = CelType.Param("K");
        var v = CelType.Param("V");
        var optA = CelType.Optional(a);
        var listA = CelType.List(a);
        var mapKV = CelType.Map(k, v);
        b.Global("optional.of", "optional_of", [a], optA, x => CelOptional.Of(x));
        b.Global("optional.ofNonZeroValue", "optional_ofNonZeroValue", [a], optA, x => IsZero(x) ? CelOptional.None : CelOptional.Of(x));
        b.Add("optional.none", new Overload("optional_none", false, [], optA) { Nary = _ => CelOptional.None });
        b.Member("hasValue", "optional_hasValue", [optA], CelType.Bool, x => CelBool.Of(((CelOptional)x).HasValue));
        b.Member("value", "optional_value", [optA], a, x => ((CelOptional)x).Value ?? new CelError("optional.none() dereference"));
        b.Member("or", "optional_or_optional", [optA, optA], optA, (x, y) => ((CelOptional)x).HasValue ? x : y);
        b.Member("orValue", "optional_orValue_value", [optA, a], a, (x, y) => ((CelOptional)x).Value ?? y);
        b.Global(Operators.OptSelect, "select_optional_field", [CelType.Dyn, CelType.String], CelType.Optional(CelType.Dyn),
            (x, f) => OptionalSelect(x, ((CelString)f).Value));
        b.Global(Operators.OptIndex, "list_optindex_optional_int", [listA, CelType.Int], optA, OptionalIndex);
        b.Global(Operators.OptIndex, "optional_list_optindex_optional_int", [CelType.Optional(listA), CelType.Int], optA, OptionalIndex);
        b.Global(Operators.OptIndex, "map_optindex_optional_value", [mapKV, k], CelType.Optional(v), OptionalIndex);
        b.Global(Operators.OptIndex, "optional_map_optindex_optional_value", [CelType.Optional(mapKV), k], CelType.Optional(v), OptionalIndex);
        b.Global(Operators.Index, "optional_list_index_int", [CelType.Optional(listA), CelType.Int], optA, OptionalIndex);
        b.Global(Operators.Index, "optional_map_index_value", [CelType.Optional(mapKV), k], CelType.Optional(v), OptionalIndex);
        b.Member("first", "list_first", [listA], optA, l => ((CelList)l).Count > 0 ? CelOptional.Of(((CelList)l)[0]) : CelOptional.None);
        b.Member("last", "list_last", [listA], optA, l => ((CelList)l).Count > 0 ? CelOptional.Of(((CelList)l)[^1]) : CelOptional.None);
    }

    /// <summary>The zero value of each type, for <c>optional.ofNonZeroValue</c>.</summary>
    public static bool IsZero(CelValue v) => v switch
    {
        CelNull => true,
        CelBool b => !b.Value,
        CelInt i => i.Value == 0,
        CelUint u => u.Value == 0,
        CelDouble d => d.Value == 0,
        CelString s => s.Value.Length == 0,
        CelBytes b => b.Length == 0,
        CelList l => l.Count == 0,
        CelMap m => m.Count == 0,
        CelDuration d => d.Nanoseconds == 0,
        CelTimestamp t => t.Seconds == 0 && t.Nanos == 0,
        CelOptional o => !o.HasValue,
        _ => false,
    };

    /// <summary><c>x.?field</c>: none when the map has no such key; works through optionals.</summary>
    public static CelValue OptionalSelect(CelValue operand, string field)
    {
        if (operand is CelOptional opt)
        {
            if (opt.Value is null)
            {
                return opt;
            }

            operand = opt.Value;
        }

        return operand switch
        {
            CelMap map => map.TryGetField(field, out var v) ? CelOptional.Of(v) : CelOptional.None,
            CelError or CelUnknown => operand,
            _ => new CelError($"type '{operand.Type.Erased}' does not support field selection"),
        };
    }

    /// <summary><c>x[?key]</c>: none when the index or key is absent; works through optionals.</summary>
    public static CelValue OptionalIndex(CelValue container, CelValue key)
    {
        if (container is CelOptional opt)
        {
            if (opt.Value is null)
            {
                return opt;
            }

            container = opt.Value;
        }

        var found = StandardLibrary.Index(container, key);
        if (found is CelError)
        {
            var absent = container switch
            {
                CelList list => key is CelInt or CelUint or CelDouble && StandardLibrary.Index(list, key) is CelError e && e.Message.StartsWith("index out of bounds", StringComparison.Ordinal),
                CelMap map => !map.TryGetValue(key, out _),
                _ => false,
            };
            return absent ? CelOptional.None : found;
        }

        return CelOptional.Of(found);
    }
}
