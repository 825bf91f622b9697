namespace StageSet.Cel.Syntax;

/// <summary>
/// Expands macro calls into comprehensions while parsing: <c>has</c>, <c>all</c>, <c>exists</c>, <c>exists_one</c>,
/// <c>map</c>, <c>filter</c>, the two-variable forms (<c>all(k, v, p)</c>, <c>transformList</c>, ...),
/// <c>cel.bind</c>, <c>cel.block</c> and the optional helpers <c>optMap</c> / <c>optFlatMap</c>.
/// </summary>
internal static class Macros
{
    public const string AccuVar = "@result";

    public static Expr? TryExpand(Parser p, int offset, string function, Expr? target, IReadOnlyList<Expr> args)
    {
        if (target is null)
        {
            return function == "has" && args.Count == 1 ? Has(p, offset, args[0]) : null;
        }

        if (target is IdentExpr { Name: "math" } && function is "greatest" or "least")
        {
            var fn = function == "greatest" ? "math.@max" : "math.@min";
            if (args.Count == 0)
            {
                return Error(p, offset, $"math.{function}() requires at least one argument");
            }

            return args.Count <= 2
                ? new CallExpr(p.NextId(offset), fn, null, args)
                : p.Call(offset, fn, new ListExpr(p.NextId(offset), args, []));
        }

        if (target is IdentExpr { Name: "cel" })
        {
            return (function, args.Count) switch
            {
                ("bind", 3) => Bind(p, offset, args),
                ("block", 2) => Block(p, offset, args),
                ("index", 1) => BlockIndex(p, offset, args[0]),
                ("iterVar", 2) => BlockVar(p, offset, "@it", args),
                ("accuVar", 2) => BlockVar(p, offset, "@ac", args),
                _ => null,
            };
        }

        return (function, args.Count) switch
        {
            ("all", 2) => Quantifier(p, offset, target, args, Kind.All),
            ("exists", 2) => Quantifier(p, offset, target, args, Kind.Exists),
            ("exists_one", 2) or ("existsOne", 2) => Quantifier(p, offset, target, args, Kind.ExistsOne),
            ("all", 3) => Quantifier(p, offset, target, args, Kind.All),
            ("exists", 3) => Quantifier(p, offset, target, args, Kind.Exists),
            ("exists_one", 3) or ("existsOne", 3) => Quantifier(p, offset, target, args, Kind.ExistsOne),
            ("map", 2) or ("map", 3) => MapMacro(p, offset, target, args),
            ("filter", 2) => Filter(p, offset, target, args),
            ("transformList", 3) or ("transformList", 4) => TransformList(p, offset, target, args),
            ("transformMap", 3) or ("transformMap", 4) => TransformMap(p, offset, target, args, entry: false),
            ("transformMapEntry", 3) or ("transformMapEntry", 4) => TransformMap(p, offset, target, args, entry: true),
            ("sortBy", 2) => SortBy(p, offset, target, args),
            ("optMap", 2) => OptMap(p, offset, target, args, flat: false),
            ("optFlatMap", 2) => OptMap(p, offset, target, args, flat: true),
            _ => null,
        };
    }

    private enum Kind
    {
        All,
        Exists,
        ExistsOne,
    }

    private static Expr Has(Parser p, int offset, Expr arg)
    {
        if (arg is SelectExpr { TestOnly: false } s)
        {
            return new SelectExpr(p.NextId(offset), s.Operand, s.Field, true);
        }

        return Error(p, offset, "invalid argument to has() macro");
    }

    private static Expr Error(Parser p, int offset, string message)
    {
        p.ReportError(offset, message);
        return p.Const(offset, CelNull.Instance);
    }

    private static string? VarName(Parser p, Expr e)
    {
        if (e is IdentExpr { Name: var name } && !name.StartsWith('.'))
        {
            return name;
        }

        p.ReportError(p.OffsetOf(e), "argument must be a simple name");
        return null;
    }

    private static Expr Accu(Parser p, int offset) => p.Ident(offset, AccuVar);

    private static Expr Comprehension(Parser p, int offset, string v1, string? v2, Expr range, Expr init, Expr cond, Expr step, Expr result) =>
        new ComprehensionExpr(p.NextId(offset), v1, v2, range, AccuVar, init, cond, step, result);

    /// <summary>Reads the one or two iteration variables; two-variable macros take one more argument.</summary>
    private static (string V1, string? V2, int Next)? Vars(Parser p, IReadOnlyList<Expr> args, int bodyArgs)
    {
        var twoVars = args.Count - bodyArgs == 2;
        var v1 = VarName(p, args[0]);
        var v2 = twoVars ? VarName(p, args[1]) : null;
        if (v1 is null || (twoVars && v2 is null))
        {
            return null;
        }

        if (twoVars && v1 == v2)
        {
            p.ReportError(p.OffsetOf(args[1]), "duplicate variable name: " + v1);
            return null;
        }

        if (v1 == AccuVar || v2 == AccuVar)
        {
            p.ReportError(p.OffsetOf(args[0]), "iteration variable overwrites accumulator variable");
            return null;
        }

        return (v1, v2, twoVars ? 2 : 1);
    }

    private static Expr Quantifier(Parser p, int offset, Expr target, IReadOnlyList<Expr> args, Kind kind)
    {
        if (Vars(p, args, 1) is not var (v1, v2, next))
        {
            return p.Const(offset, CelNull.Instance);
        }

        var pred = args[next];
        switch (kind)
        {
            case Kind.All:
                return Comprehension(p, offset, v1, v2, target,
                    p.Const(offset, CelBool.True),
                    p.Call(offset, Operators.NotStrictlyFalse, Accu(p, offset)),
                    p.Call(offset, Operators.LogicalAnd, Accu(p, offset), pred),
                    Accu(p, offset));
            case Kind.Exists:
                return Comprehension(p, offset, v1, v2, target,
                    p.Const(offset, CelBool.False),
                    p.Call(offset, Operators.NotStrictlyFalse, p.Call(offset, Operators.LogicalNot, Accu(p, offset))),
                    p.Call(offset, Operators.LogicalOr, Accu(p, offset), pred),
                    Accu(p, offset));
            default:
                return Comprehension(p, offset, v1, v2, target,
                    p.Const(offset, CelInt.Of(0)),
                    p.Const(offset, CelBool.True),
                    p.Call(offset, Operators.Conditional, pred,
                        p.Call(offset, Operators.Add, Accu(p, offset), p.Const(offset, CelInt.Of(1))),
                        Accu(p, offset)),
                    p.Call(offset, Operators.Equal, Accu(p, offset), p.Const(offset, CelInt.Of(1))));
        }
    }

    private static Expr AppendStep(Parser p, int offset, Expr value) =>
        p.Call(offset, Operators.Add, Accu(p, offset), new ListExpr(p.NextId(offset), [value], []));

    private static Expr MapMacro(Parser p, int offset, Expr target, IReadOnlyList<Expr> args)
    {
        if (VarName(p, args[0]) is not { } v)
        {
            return p.Const(offset, CelNull.Instance);
        }

        var step = AppendStep(p, offset, args[^1]);
        if (args.Count == 3)
        {
            step = p.Call(offset, Operators.Conditional, args[1], step, Accu(p, offset));
        }

        return Comprehension(p, offset, v, null, target, EmptyList(p, offset), p.Const(offset, CelBool.True), step, Accu(p, offset));
    }

    private static Expr EmptyList(Parser p, int offset) => new ListExpr(p.NextId(offset), [], []);

    private static Expr Filter(Parser p, int offset, Expr target, IReadOnlyList<Expr> args)
    {
        if (VarName(p, args[0]) is not { } v)
        {
            return p.Const(offset, CelNull.Instance);
        }

        var step = p.Call(offset, Operators.Conditional, args[1], AppendStep(p, offset, p.Ident(offset, v)), Accu(p, offset));
        return Comprehension(p, offset, v, null, target, EmptyList(p, offset), p.Const(offset, CelBool.True), step, Accu(p, offset));
    }

    private static Expr TransformList(Parser p, int offset, Expr target, IReadOnlyList<Expr> args)
    {
        if (Vars(p, args, args.Count - 2) is not var (v1, v2, _))
        {
            return p.Const(offset, CelNull.Instance);
        }

        var step = AppendStep(p, offset, args[^1]);
        if (args.Count == 4)
        {
            step = p.Call(offset, Operators.Conditional, args[2], step, Accu(p, offset));
        }

        return Comprehension(p, offset, v1, v2, target, EmptyList(p, offset), p.Const(offset, CelBool.True), step, Accu(p, offset));
    }

    private static Expr TransformMap(Parser p, int offset, Expr target, IReadOnlyList<Expr> args, bool entry)
    {
        if (Vars(p, args, args.Count - 2) is not var (v1, v2, _))
        {
            return p.Const(offset, CelNull.Instance);
        }

        Expr step = entry
            ? p.Call(offset, "cel.@mapInsert", Accu(p, offset), args[^1])
            : p.Call(offset, "cel.@mapInsert", Accu(p, offset), p.Ident(offset, v1), args[^1]);
        if (args.Count == 4)
        {
            step = p.Call(offset, Operators.Conditional, args[2], step, Accu(p, offset));
        }

        return Comprehension(p, offset, v1, v2, target, new MapExpr(p.NextId(offset), []), p.Const(offset, CelBool.True), step, Accu(p, offset));
    }

    private static Expr SortBy(Parser p, int offset, Expr target, IReadOnlyList<Expr> args)
    {
        if (VarName(p, args[0]) is null)
        {
            return p.Const(offset, CelNull.Instance);
        }

        var keys = MapMacro(p, offset, target, args);
        return new CallExpr(p.NextId(offset), "@sortByAssociatedKeys", target, [keys]);
    }

    private static Expr Bind(Parser p, int offset, IReadOnlyList<Expr> args)
    {
        if (VarName(p, args[0]) is not { } v)
        {
            return p.Const(offset, CelNull.Instance);
        }

        // A loop over nothing whose accumulator is the bound variable: the result sees it, nothing iterates.
        return new ComprehensionExpr(p.NextId(offset), "#unused", null, EmptyList(p, offset), v, args[1],
            p.Const(offset, CelBool.False), p.Ident(offset, v), args[2]);
    }

    private static Expr Block(Parser p, int offset, IReadOnlyList<Expr> args)
    {
        if (args[0] is not ListExpr list)
        {
            return Error(p, p.OffsetOf(args[0]), "cel.block requires the first arg to be a list literal");
        }

        // Each slot binds @index<i> around everything after it, so later slots and the result can see earlier ones.
        var result = args[1];
        for (var i = list.Elements.Count - 1; i >= 0; i--)
        {
            result = new ComprehensionExpr(p.NextId(offset), "#unused", null, EmptyList(p, offset), "@index" + i,
                list.Elements[i], p.Const(offset, CelBool.False), p.Ident(offset, "@index" + i), result);
        }

        return result;
    }

    private static Expr BlockIndex(Parser p, int offset, Expr arg) =>
        arg is ConstExpr { Value: CelUint or CelInt } c
            ? p.Ident(offset, "@index" + c.Value.ToString().TrimEnd('u'))
            : Error(p, offset, "cel.index requires a single non-negative int constant arg");

    private static Expr BlockVar(Parser p, int offset, string prefix, IReadOnlyList<Expr> args) =>
        args is [ConstExpr { Value: CelInt a }, ConstExpr { Value: CelInt b }]
            ? p.Ident(offset, $"{prefix}:{a.Value}:{b.Value}")
            : Error(p, offset, "cel.iterVar and cel.accuVar require two int constant args");

    private static Expr OptMap(Parser p, int offset, Expr target, IReadOnlyList<Expr> args, bool flat)
    {
        if (VarName(p, args[0]) is not { } v)
        {
            return p.Const(offset, CelNull.Instance);
        }

        // target.hasValue() ? [optional.of](cel.bind(v, target.value(), expr)) : optional.none()
        var bind = new ComprehensionExpr(p.NextId(offset), "#unused", null, EmptyList(p, offset), v,
            new CallExpr(p.NextId(offset), "value", target, []), p.Const(offset, CelBool.False), p.Ident(offset, v), args[1]);
        var some = flat ? bind : p.Call(offset, "optional.of", bind);
        return p.Call(offset, Operators.Conditional, new CallExpr(p.NextId(offset), "hasValue", target, []), some,
            p.Call(offset, "optional.none"));
    }
}
