using StageSet.Cel.Checking;
using StageSet.Cel.Library;
using StageSet.Cel.Syntax;

namespace StageSet.Cel.Runtime;

/// <summary>A planned expression: the node tree and how many comprehension slots a frame needs.</summary>
internal sealed record Plan(Node Root, int Slots);

/// <summary>
/// Turns a parsed (and, when available, checked) expression into evaluation nodes: resolves variables and
/// overloads, picks the short-circuiting forms of the logical operators, and precompiles constant regexes.
/// </summary>
internal sealed class Planner
{
    private readonly Declarations _decls;
    private readonly CheckedExpr? _checked;
    private readonly List<Dictionary<string, int>> _scopes = [];
    private int _slots;

    private Planner(Declarations decls, CheckedExpr? checkedExpr)
    {
        _decls = decls;
        _checked = checkedExpr;
    }

    public static Plan Build(Expr root, Declarations decls, CheckedExpr? checkedExpr)
    {
        var planner = new Planner(decls, checkedExpr);
        var node = planner.PlanExpr(root);
        return new Plan(node, planner._slots);
    }

    private Reference? RefOf(Expr e) => _checked?.References.GetValueOrDefault(e.Id);

    private int? LocalSlot(string name)
    {
        for (var i = _scopes.Count - 1; i >= 0; i--)
        {
            if (_scopes[i].TryGetValue(name, out var slot))
            {
                return slot;
            }
        }

        return null;
    }

    private Node PlanExpr(Expr e) => e switch
    {
        ConstExpr c => new ConstNode(c.Value),
        IdentExpr id => PlanIdent(id),
        SelectExpr s => PlanSelect(s),
        CallExpr c => PlanCall(c),
        ListExpr l => new ListNode([.. l.Elements.Select(PlanExpr)], [.. l.OptionalIndices]),
        MapExpr m => new MapNode([.. m.Entries.Select(en => (PlanExpr(en.Key), PlanExpr(en.Value), en.Optional))]),
        StructExpr s => new ConstNode(new CelError($"unknown type '{s.TypeName}': message construction is not supported")),
        ComprehensionExpr c => PlanComprehension(c),
        _ => new ConstNode(new CelError("unsupported expression")),
    };

    private Node PlanIdent(IdentExpr id)
    {
        if (LocalSlot(id.Name) is { } slot)
        {
            return new LocalNode(slot, id.Name);
        }

        if (RefOf(id) is { Name: { } name } r)
        {
            return r.Constant is { } constant ? new ConstNode(constant) : new VariableNode([name], null);
        }

        return PlanQualified(id.Name, id.Name);
    }

    private Node PlanSelect(SelectExpr s)
    {
        if (s.TestOnly)
        {
            // A missing root is reported with the whole path, has() field included, as cel-go does.
            var operand = _checked is null && Declarations.QualifiedName(s.Operand) is { } path && !StartsWithLocal(s.Operand)
                ? PlanQualified(path, path + "." + s.Field)
                : PlanExpr(s.Operand);
            return new HasNode(operand, s.Field);
        }

        if (RefOf(s) is { Name: { } name } r)
        {
            return r.Constant is { } constant ? new ConstNode(constant) : new VariableNode([name], null);
        }

        if (_checked is null && Declarations.QualifiedName(s) is { } qualified && !StartsWithLocal(s))
        {
            return PlanQualified(qualified, qualified);
        }

        return new SelectNode(PlanExpr(s.Operand), s.Field);
    }

    /// <summary>An unchecked dotted name: the longest prefix the activation knows is the variable, the rest are fields.</summary>
    private Node PlanQualified(string qualified, string missingName)
    {
        if (!qualified.Contains('.', StringComparison.Ordinal) || (qualified.StartsWith('.') && qualified.IndexOf('.', 1) < 0))
        {
            return new VariableNode([.. _decls.Candidates(qualified)], _decls.ResolveIdent(qualified)?.Constant, missingName);
        }

        var parts = qualified.TrimStart('.').Split('.');
        var absolute = qualified.StartsWith('.') ? "." : "";
        var alternatives = new List<(IReadOnlyList<string>, string[])>();
        for (var k = parts.Length; k >= 1; k--)
        {
            var prefix = absolute + string.Join('.', parts[..k]);
            alternatives.Add(([.. _decls.Candidates(prefix)], parts[k..]));
        }

        Node fallback = _decls.ResolveIdent(qualified)?.Constant is { } denoted
            ? new ConstNode(denoted)
            : new ConstNode(new CelError("no such attribute(s): " + missingName));
        return new QualifiedAttributeNode(alternatives, fallback);
    }

    private bool StartsWithLocal(Expr e) => e switch
    {
        IdentExpr id => LocalSlot(id.Name) is not null,
        SelectExpr s => StartsWithLocal(s.Operand),
        _ => false,
    };

    private Node PlanCall(CallExpr c)
    {
        var reference = RefOf(c);
        if ((reference?.DropTarget ?? false) || (_checked is null && _decls.ResolveQualifiedCall(c) is not null))
        {
            var (name, decl) = reference?.Name is { } n ? (n, _decls.Functions[n]) : _decls.ResolveQualifiedCall(c)!.Value;
            return Call(name, decl, isMember: false, [.. c.Args.Select(PlanExpr)], reference);
        }

        switch (c.Function, c.Target, c.Args.Count)
        {
            case (Operators.LogicalAnd, null, 2):
                return new LogicalNode(PlanExpr(c.Args[0]), PlanExpr(c.Args[1]), isAnd: true);
            case (Operators.LogicalOr, null, 2):
                return new LogicalNode(PlanExpr(c.Args[0]), PlanExpr(c.Args[1]), isAnd: false);
            case (Operators.Conditional, null, 3):
                return new ConditionalNode(PlanExpr(c.Args[0]), PlanExpr(c.Args[1]), PlanExpr(c.Args[2]));
            case (Operators.Index, null, 2):
                return new IndexNode(PlanExpr(c.Args[0]), PlanExpr(c.Args[1]));
            case (Operators.NotStrictlyFalse, null, 1):
                return new NotStrictlyFalseNode(PlanExpr(c.Args[0]));
            case ("or" or "orValue", { } target, 1):
                return new OptionalOrNode(PlanExpr(target), PlanExpr(c.Args[0]), c.Function == "orValue");
            case ("matches", { } target, 1) when c.Args[0] is ConstExpr { Value: CelString pattern }:
                return Matches(PlanExpr(target), pattern.Value);
            case ("matches", null, 2) when c.Args[1] is ConstExpr { Value: CelString pattern }:
                return Matches(PlanExpr(c.Args[0]), pattern.Value);
        }

        var args = new List<Node>();
        if (c.Target is not null)
        {
            args.Add(PlanExpr(c.Target));
        }

        args.AddRange(c.Args.Select(PlanExpr));
        var resolved = _decls.ResolveFunction(c.Function);
        return resolved is { } fn
            ? Call(fn.Name, fn.Decl, c.Target is not null, [.. args], reference)
            : new CallNode(c.Function, [.. args], []);
    }

    private static Node Call(string name, FunctionDecl decl, bool isMember, Node[] args, Reference? reference)
    {
        var overloads = decl.Overloads
            .Where(o => o.IsMember == isMember && o.Parameters.Count == args.Length)
            .Where(o => reference?.OverloadIds is not { } ids || ids.Contains(o.Id))
            .ToArray();
        return args.Length switch
        {
            1 when overloads.All(o => o.Unary is not null) => new UnaryCallNode(name, args[0], overloads),
            2 when overloads.All(o => o.Binary is not null) => new BinaryCallNode(name, args[0], args[1], overloads),
            _ => new CallNode(name, args, overloads),
        };
    }

    private static Node Matches(Node text, string pattern)
    {
        var (regex, error) = Re2.Compile(pattern);
        return regex is null ? new ConstNode(new CelError(error!)) : new MatchesNode(text, regex);
    }

    private Node PlanComprehension(ComprehensionExpr c)
    {
        var range = PlanExpr(c.IterRange);
        var init = PlanExpr(c.AccuInit);
        var accuSlot = _slots++;
        _scopes.Add(new Dictionary<string, int>(StringComparer.Ordinal) { [c.AccuVar] = accuSlot });
        var iterSlot = _slots++;
        var iterScope = new Dictionary<string, int>(StringComparer.Ordinal) { [c.IterVar] = iterSlot };
        int? iterSlot2 = null;
        if (c.IterVar2 is not null)
        {
            iterSlot2 = _slots++;
            iterScope[c.IterVar2] = iterSlot2.Value;
        }

        _scopes.Add(iterScope);
        var condition = PlanExpr(c.LoopCondition);
        var step = PlanExpr(c.LoopStep);
        var append = AppendPattern(c) is var (predicate, element)
            ? new ListAppend(predicate is null ? null : PlanExpr(predicate), PlanExpr(element))
            : null;
        _scopes.RemoveAt(_scopes.Count - 1);
        var result = PlanExpr(c.Result);
        _scopes.RemoveAt(_scopes.Count - 1);
        return new ComprehensionNode(range, iterSlot, iterSlot2, init, accuSlot, condition, step, result, append);
    }

    /// <summary>
    /// Recognises the list-building loops of <c>map</c>, <c>filter</c> and <c>transformList</c>:
    /// <c>@result + [e]</c> or <c>p ? @result + [e] : @result</c> from an empty list, where neither p nor e reads the
    /// accumulator. Those are planned as appends, which keeps them linear in time and cost.
    /// </summary>
    private static (Expr? Predicate, Expr Element)? AppendPattern(ComprehensionExpr c)
    {
        if (c.AccuInit is not ListExpr { Elements.Count: 0 } || c.Result is not IdentExpr { Name: var r } || r != c.AccuVar ||
            c.LoopCondition is not ConstExpr { Value: CelBool { Value: true } })
        {
            return null;
        }

        bool IsAccu(Expr e) => e is IdentExpr { Name: var n } && n == c.AccuVar;
        Expr? Appended(Expr e) => e is CallExpr { Function: Operators.Add, Target: null, Args: [var a, ListExpr { Elements: [var x], OptionalIndices.Count: 0 }] } && IsAccu(a) ? x : null;

        var (predicate, element) = c.LoopStep switch
        {
            CallExpr { Function: Operators.Conditional, Args: [var p, var then, var otherwise] } when IsAccu(otherwise) && Appended(then) is { } x => (p, x),
            var step when Appended(step) is { } x => ((Expr?)null, x),
            _ => (null, null!),
        };
        if (element is null || Mentions(element, c.AccuVar) || (predicate is not null && Mentions(predicate, c.AccuVar)))
        {
            return null;
        }

        return (predicate, element);
    }

    private static bool Mentions(Expr e, string name) => e switch
    {
        IdentExpr id => id.Name == name,
        SelectExpr s => Mentions(s.Operand, name),
        CallExpr call => (call.Target is not null && Mentions(call.Target, name)) || call.Args.Any(a => Mentions(a, name)),
        ListExpr l => l.Elements.Any(x => Mentions(x, name)),
        MapExpr m => m.Entries.Any(en => Mentions(en.Key, name) || Mentions(en.Value, name)),
        StructExpr st => st.Fields.Any(f => Mentions(f.Value, name)),
        ComprehensionExpr inner => Mentions(inner.IterRange, name) || Mentions(inner.AccuInit, name) ||
            (inner.AccuVar != name && inner.IterVar != name && inner.IterVar2 != name &&
             new[] { inner.LoopCondition, inner.LoopStep, inner.Result }.Any(x => Mentions(x, name))),
        _ => false,
    };
}
