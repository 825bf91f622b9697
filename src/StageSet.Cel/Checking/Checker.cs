using StageSet.Cel.Library;
using StageSet.Cel.Syntax;

namespace StageSet.Cel.Checking;

/// <summary>What the checker learned about one expression node.</summary>
internal sealed record Reference(string? Name, CelValue? Constant, IReadOnlyList<string>? OverloadIds, bool DropTarget = false);

/// <summary>A type-checked expression: the type of every node, and what identifiers and calls resolved to.</summary>
internal sealed record CheckedExpr(
    IReadOnlyDictionary<long, CelType> Types,
    IReadOnlyDictionary<long, Reference> References,
    CelType ResultType,
    IReadOnlyList<CelIssue> Issues);

/// <summary>Infers types bottom-up and resolves names and overloads, reporting errors as cel-go words them.</summary>
internal sealed class Checker
{
    private readonly Declarations _decls;
    private readonly ParsedExpr _parsed;
    private readonly TypeMapping _mapping = new();
    private readonly Dictionary<long, CelType> _types = [];
    private readonly Dictionary<long, Reference> _refs = [];
    private readonly List<CelIssue> _issues = [];
    private readonly List<Dictionary<string, CelType>> _scopes = [];

    private Checker(Declarations decls, ParsedExpr parsed)
    {
        _decls = decls;
        _parsed = parsed;
    }

    public static CheckedExpr Check(ParsedExpr parsed, Declarations decls)
    {
        var checker = new Checker(decls, parsed);
        var result = checker.Visit(parsed.Root!);
        var types = checker._types.ToDictionary(kv => kv.Key, kv => checker._mapping.Substitute(kv.Value, freeToDyn: true));
        return new CheckedExpr(types, checker._refs, checker._mapping.Substitute(result, freeToDyn: true), checker._issues);
    }

    private CelType Visit(Expr e)
    {
        var t = e switch
        {
            ConstExpr c => c.Value is CelTypeValue tv ? CelType.TypeOf(tv.Value) : c.Value.Type,
            IdentExpr id => VisitIdent(id),
            SelectExpr s => VisitSelect(s),
            CallExpr c => VisitCall(c),
            ListExpr l => VisitList(l),
            MapExpr m => VisitMap(m),
            StructExpr s => Error(s, $"undeclared reference to '{s.TypeName}' (in container '{_decls.Container}')"),
            ComprehensionExpr c => VisitComprehension(c),
            _ => CelType.Error,
        };
        _types[e.Id] = t;
        return t;
    }

    private CelType Error(Expr at, string message)
    {
        _issues.Add(_parsed.Source.Issue(_parsed.Offsets.GetValueOrDefault(at.Id), message));
        return CelType.Error;
    }

    private CelType? LookupLocal(string name)
    {
        for (var i = _scopes.Count - 1; i >= 0; i--)
        {
            if (_scopes[i].TryGetValue(name, out var t))
            {
                return t;
            }
        }

        return null;
    }

    private CelType VisitIdent(IdentExpr id)
    {
        if (LookupLocal(id.Name) is { } local)
        {
            return local;
        }

        if (_decls.ResolveIdent(id.Name) is { } r)
        {
            _refs[id.Id] = new Reference(r.Name, r.Constant, null);
            return r.Type;
        }

        return Error(id, $"undeclared reference to '{id.Name}' (in container '{_decls.Container}')");
    }

    private CelType VisitSelect(SelectExpr s)
    {
        // a.b.c may be one qualified variable name rather than selections on a.
        if (!s.TestOnly && Declarations.QualifiedName(s) is { } qualified && RootIsNotLocal(s) && _decls.ResolveIdent(qualified) is { } r)
        {
            _refs[s.Id] = new Reference(r.Name, r.Constant, null);
            return r.Type;
        }

        var operand = _mapping.Substitute(Visit(s.Operand));
        var field = FieldType(s, operand);
        return s.TestOnly ? (field.Kind == CelTypeKind.Error ? field : CelType.Bool) : field;
    }

    private bool RootIsNotLocal(Expr e) => e switch
    {
        IdentExpr id => LookupLocal(id.Name) is null,
        SelectExpr s => RootIsNotLocal(s.Operand),
        _ => false,
    };

    private CelType FieldType(Expr at, CelType operand)
    {
        if (operand.IsOptional)
        {
            var inner = FieldType(at, _mapping.Substitute(operand.Parameters[0]));
            return inner.Kind == CelTypeKind.Error ? inner : CelType.Optional(inner);
        }

        switch (operand.Kind)
        {
            case CelTypeKind.Map:
                if (_mapping.IsAssignable(operand.MapKey, CelType.String))
                {
                    return operand.MapValue;
                }

                break;
            case CelTypeKind.Dyn or CelTypeKind.Error or CelTypeKind.TypeParam:
                return operand.Kind == CelTypeKind.Error ? CelType.Error : CelType.Dyn;
        }

        return Error(at, $"type '{operand}' does not support field selection");
    }

    private CelType VisitCall(CallExpr call)
    {
        if (_decls.ResolveQualifiedCall(call) is { } qualified)
        {
            var qArgs = call.Args.Select(Visit).ToList();
            return ResolveOverload(call, qualified.Name, qualified.Decl, qArgs, isMember: false, dropTarget: true);
        }

        if (call.Function == Operators.OptSelect && call.Args is [var operandExpr, ConstExpr { Value: CelString field }])
        {
            var operand = _mapping.Substitute(Visit(operandExpr));
            _types[call.Args[1].Id] = CelType.String;
            var inner = operand.IsOptional ? _mapping.Substitute(operand.Parameters[0]) : operand;
            var fieldType = FieldType(call, inner);
            return fieldType.Kind == CelTypeKind.Error ? fieldType : CelType.Optional(fieldType);
        }

        var args = new List<CelType>();
        if (call.Target is not null)
        {
            args.Add(Visit(call.Target));
        }

        args.AddRange(call.Args.Select(Visit));
        if (_decls.ResolveFunction(call.Function) is not { } fn)
        {
            return Error(call, $"undeclared reference to '{call.Function}' (in container '{_decls.Container}')");
        }

        return ResolveOverload(call, fn.Name, fn.Decl, args, call.Target is not null, dropTarget: false);
    }

    private CelType ResolveOverload(CallExpr call, string name, FunctionDecl decl, List<CelType> args, bool isMember, bool dropTarget)
    {
        if (args.Any(a => a.Kind == CelTypeKind.Error))
        {
            return CelType.Error;
        }

        CelType? result = null;
        var matched = new List<string>();
        foreach (var o in decl.Overloads)
        {
            if (o.IsMember != isMember || o.Parameters.Count != args.Count)
            {
                continue;
            }

            var renames = new Dictionary<string, CelType>(StringComparer.Ordinal);
            var fits = true;
            var snapshot = _mapping.Snapshot();
            for (var i = 0; i < args.Count && fits; i++)
            {
                fits = _mapping.IsAssignable(_mapping.Instantiate(o.Parameters[i], renames), args[i]);
            }

            if (!fits)
            {
                _mapping.Restore(snapshot);
                continue;
            }

            matched.Add(o.Id);
            var r = _mapping.Substitute(_mapping.Instantiate(o.Result, renames));
            result = result is null ? r : _mapping.Join(result, r);
        }

        if (result is null)
        {
            var shown = args.Select(a => _mapping.Substitute(a, freeToDyn: true).ToString()).ToList();
            var applied = isMember ? $"{shown[0]}.({string.Join(", ", shown.Skip(1))})" : $"({string.Join(", ", shown)})";
            return Error(call, $"found no matching overload for '{name}' applied to '{applied}'");
        }

        _refs[call.Id] = new Reference(name, null, matched, dropTarget);
        return result;
    }

    private CelType VisitList(ListExpr l)
    {
        CelType? elem = null;
        for (var i = 0; i < l.Elements.Count; i++)
        {
            var t = _mapping.Substitute(Visit(l.Elements[i]));
            if (l.OptionalIndices.Contains(i))
            {
                t = OptionalValueType(l.Elements[i], t);
            }

            elem = JoinElement(elem, t);
        }

        return CelType.List(elem ?? _mapping.Fresh("elem"));
    }

    private CelType OptionalValueType(Expr at, CelType t)
    {
        if (t.IsOptional)
        {
            return t.Parameters[0];
        }

        return t.IsDynOrError ? CelType.Dyn : Error(at, $"expected type 'optional_type' but found '{t}'");
    }

    private CelType JoinElement(CelType? previous, CelType next)
    {
        if (previous is null)
        {
            return next;
        }

        if (_mapping.IsAssignable(previous, next) || _mapping.IsAssignable(next, previous))
        {
            return _mapping.Join(previous, next);
        }

        return CelType.Dyn;
    }

    private CelType VisitMap(MapExpr m)
    {
        CelType? key = null;
        CelType? value = null;
        foreach (var entry in m.Entries)
        {
            key = JoinElement(key, _mapping.Substitute(Visit(entry.Key)));
            var v = _mapping.Substitute(Visit(entry.Value));
            if (entry.Optional)
            {
                v = OptionalValueType(entry.Value, v);
            }

            value = JoinElement(value, v);
        }

        return CelType.Map(key ?? _mapping.Fresh("key"), value ?? _mapping.Fresh("value"));
    }

    private CelType VisitComprehension(ComprehensionExpr c)
    {
        var range = _mapping.Substitute(Visit(c.IterRange));
        CelType var1;
        CelType? var2 = null;
        switch (range.Kind)
        {
            case CelTypeKind.List:
                var1 = c.IterVar2 is null ? range.ListElement : CelType.Int;
                var2 = c.IterVar2 is null ? null : range.ListElement;
                break;
            case CelTypeKind.Map:
                var1 = range.MapKey;
                var2 = c.IterVar2 is null ? null : range.MapValue;
                break;
            case CelTypeKind.Dyn or CelTypeKind.Error or CelTypeKind.TypeParam:
                var1 = CelType.Dyn;
                var2 = c.IterVar2 is null ? null : CelType.Dyn;
                break;
            default:
                Error(c.IterRange, $"expression of type '{range}' cannot be range of a comprehension (must be list, map, or dynamic)");
                var1 = CelType.Dyn;
                var2 = c.IterVar2 is null ? null : CelType.Dyn;
                break;
        }

        var accuType = Visit(c.AccuInit);
        _scopes.Add(new Dictionary<string, CelType>(StringComparer.Ordinal) { [c.AccuVar] = accuType });
        var iterScope = new Dictionary<string, CelType>(StringComparer.Ordinal) { [c.IterVar] = var1 };
        if (c.IterVar2 is not null)
        {
            iterScope[c.IterVar2] = var2!;
        }

        _scopes.Add(iterScope);
        var cond = Visit(c.LoopCondition);
        if (!_mapping.IsAssignable(CelType.Bool, cond))
        {
            Error(c.LoopCondition, $"expected type 'bool' but found '{_mapping.Substitute(cond)}'");
        }

        var step = Visit(c.LoopStep);
        if (!_mapping.IsAssignable(accuType, step))
        {
            Error(c.LoopStep, $"expected type '{_mapping.Substitute(accuType)}' but found '{_mapping.Substitute(step)}'");
        }

        _scopes.RemoveAt(_scopes.Count - 1);
        var result = Visit(c.Result);
        _scopes.RemoveAt(_scopes.Count - 1);
        return result;
    }
}
