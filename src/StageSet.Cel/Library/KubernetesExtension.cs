namespace StageSet.Cel.Library;

/// <summary>The list and regex functions Kubernetes adds for CRD validation rules: <c>isSorted</c>, <c>sum</c>,
/// <c>min</c>, <c>max</c>, <c>find</c>, <c>findAll</c>.</summary>
internal static class KubernetesExtension
{
    public static void Register(FunctionSetBuilder b)
    {
        var a = CelType.Param("A");
        var listA = CelType.List(a);
        b.Member("isSorted", "list_is_sorted", [listA], CelType.Bool, IsSorted);
        foreach (var t in new[] { CelType.Int, CelType.Uint, CelType.Double, CelType.Duration })
        {
            b.Member("sum", "list_" + t.Name + "_sum", [CelType.List(t)], t, l => Sum((CelList)l, t));
        }

        b.Member("min", "list_min", [listA], a, l => Extreme((CelList)l, "min", -1));
        b.Member("max", "list_max", [listA], a, l => Extreme((CelList)l, "max", 1));
        b.Member("find", "string_find_string", [CelType.String, CelType.String], CelType.String, (s, re) => Find(s, re, 1) switch
        {
            CelList { Count: 0 } => CelString.Empty,
            CelList l => l[0],
            var error => error,
        });
        b.Member("findAll", "string_find_all_string", [CelType.String, CelType.String], CelType.List(CelType.String), (s, re) => Find(s, re, -1));
        b.Member("findAll", "string_find_all_string_int", [CelType.String, CelType.String, CelType.Int], CelType.List(CelType.String),
            args => Find(args[0], args[1], ((CelInt)args[2]).Value));
    }

    private static CelValue IsSorted(CelValue l)
    {
        var list = (CelList)l;
        for (var i = 1; i < list.Count; i++)
        {
            if (StandardLibrary.CompareValues(list[i - 1], list[i]) is not { } c)
            {
                return Errors.NoSuchOverload("isSorted", [list[i - 1], list[i]]);
            }

            if (c > 0)
            {
                return CelBool.False;
            }
        }

        return CelBool.True;
    }

    private static CelValue Sum(CelList list, CelType type)
    {
        // Dispatch on dyn lists picks the first overload, so the elements, not the overload, decide the type.
        CelValue total = list.Count > 0 ? list[0] : type.Kind switch
        {
            CelTypeKind.Int => CelInt.Of(0),
            CelTypeKind.Uint => new CelUint(0),
            CelTypeKind.Double => new CelDouble(0),
            _ => new CelDuration(0),
        };
        if (total is not (CelInt or CelUint or CelDouble or CelDuration))
        {
            return Errors.NoSuchOverload("sum", [total]);
        }

        foreach (var e in list.Elements.Skip(1))
        {
            total = (total, e) switch
            {
                (CelInt, CelInt) => Arithmetic.AddInt(total, e),
                (CelUint, CelUint) => Arithmetic.AddUint(total, e),
                (CelDouble, CelDouble) => Arithmetic.AddDouble(total, e),
                (CelDuration, CelDuration) => Arithmetic.AddDurations(total, e),
                _ => Errors.NoSuchOverload("sum", [e]),
            };
            if (total is CelError)
            {
                return total;
            }
        }

        return total;
    }

    private static CelValue Extreme(CelList list, string name, int sign)
    {
        if (list.Count == 0)
        {
            return new CelError(name + " called on empty list");
        }

        var best = list[0];
        for (var i = 1; i < list.Count; i++)
        {
            if (StandardLibrary.CompareValues(list[i], best) is not { } c)
            {
                return Errors.NoSuchOverload(name, [best, list[i]]);
            }

            if (Math.Sign(c) == sign)
            {
                best = list[i];
            }
        }

        return best;
    }

    private static CelValue Find(CelValue s, CelValue pattern, long limit)
    {
        var (regex, error) = Re2.Compile(((CelString)pattern).Value);
        if (regex is null)
        {
            return new CelError(error!);
        }

        var matches = new List<CelValue>();
        foreach (System.Text.RegularExpressions.Match m in regex.Matches(((CelString)s).Value))
        {
            if (limit >= 0 && matches.Count >= limit)
            {
                break;
            }

            matches.Add(new CelString(m.Value));
        }

        return CelArrayList.Own([.. matches]);
    }
}
