using StageSet.Cel.Library;

namespace StageSet.Cel.Runtime;

/// <summary>One planned step of evaluation; the planner turns the expression tree into a tree of these.</summary>
internal abstract class Node
{
    public abstract CelValue Eval(EvalFrame frame);
}

internal sealed class ConstNode(CelValue value) : Node
{
    public CelValue Value { get; } = value;

    public override CelValue Eval(EvalFrame frame) => Value;
}

internal sealed class LocalNode(int slot, string name) : Node
{
    public override CelValue Eval(EvalFrame frame) => frame.Locals[slot] ?? new CelError("unbound local variable " + name);
}

/// <summary>A variable from the activation; the candidates are the container-qualified spellings, most specific first.</summary>
internal sealed class VariableNode(IReadOnlyList<string> candidates, CelValue? fallback, string? missingName = null) : Node
{
    public override CelValue Eval(EvalFrame frame)
    {
        frame.Charge(1);
        foreach (var name in candidates)
        {
            if (frame.Activation.TryResolve(name, out var value))
            {
                return value;
            }
        }

        return fallback ?? new CelError("no such attribute(s): " + (missingName ?? string.Join(", ", candidates)));
    }
}

/// <summary>
/// An unchecked <c>a.b.c</c>: it may be the variable <c>a.b.c</c>, or <c>a.b</c> with field <c>c</c>, or <c>a</c> with
/// fields <c>b.c</c>. The longest variable name the activation knows wins, as in cel-go.
/// </summary>
internal sealed class QualifiedAttributeNode(IReadOnlyList<(IReadOnlyList<string> Names, string[] Fields)> alternatives, Node fallback) : Node
{
    public override CelValue Eval(EvalFrame frame)
    {
        frame.Charge(1);
        foreach (var (names, fields) in alternatives)
        {
            foreach (var name in names)
            {
                if (!frame.Activation.TryResolve(name, out var value))
                {
                    continue;
                }

                foreach (var field in fields)
                {
                    value = SelectNode.Select(value, field);
                }

                return value;
            }
        }

        return fallback.Eval(frame);
    }
}

internal sealed class SelectNode(Node operand, string field) : Node
{
    public override CelValue Eval(EvalFrame frame)
    {
        var value = operand.Eval(frame);
        frame.Charge(1);
        return Select(value, field);
    }

    public static CelValue Select(CelValue value, string field) => value switch
    {
        CelOptional opt => Library.OptionalLibrary.OptionalSelect(opt, field),
        CelMap map => map.TryGetField(field, out var v) ? v : new CelError("no such key: " + field),
        CelError or CelUnknown => value,
        _ => new CelError($"type '{value.Type.Erased}' does not support field selection"),
    };
}

/// <summary><c>container[key]</c> for lists (int, uint or integral double index), maps, and optionals of either.</summary>
internal sealed class IndexNode(Node container, Node key) : Node
{
    public override CelValue Eval(EvalFrame frame)
    {
        var c = container.Eval(frame);
        var k = key.Eval(frame);
        if (Strict.FirstErrorOrUnknown([c, k]) is { } failed)
        {
            return failed;
        }

        frame.Charge(1);
        return c is CelOptional ? OptionalLibrary.OptionalIndex(c, k) : StandardLibrary.Index(c, k);
    }
}

/// <summary><c>has(operand.field)</c>.</summary>
internal sealed class HasNode(Node operand, string field) : Node
{
    public override CelValue Eval(EvalFrame frame)
    {
        var value = operand.Eval(frame);
        frame.Charge(1);
        return value switch
        {
            CelMap map => CelBool.Of(map.TryGetField(field, out _)),
            CelOptional { Value: null } => CelBool.False,
            CelOptional { Value: CelMap inner } => CelBool.Of(inner.TryGetField(field, out _)),
            CelError or CelUnknown => value,
            _ => new CelError($"invalid type for field selection: '{value.Type.Erased}' does not support has()"),
        };
    }
}

/// <summary>A call with strict arguments: errors and unknowns in the arguments are the result.</summary>
internal sealed class CallNode(string function, Node[] args, Overload[] overloads) : Node
{
    public override CelValue Eval(EvalFrame frame)
    {
        var values = new CelValue[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            values[i] = args[i].Eval(frame);
        }

        if (Strict.FirstErrorOrUnknown(values) is { } failed)
        {
            return failed;
        }

        // Work on strings, bytes and collections grows with their size; charging for it (before the call) is what
        // stops e.g. repeated doubling of a string long before memory runs out.
        frame.Charge(1 + ArgumentSize(values) / 10);
        foreach (var o in overloads)
        {
            if (o.Accepts(values))
            {
                return o.Invoke(values);
            }
        }

        return Errors.NoSuchOverload(function, values);
    }

    private static long ArgumentSize(CelValue[] values)
    {
        long size = 0;
        foreach (var v in values)
        {
            size += SizeOf(v);
        }

        return size;
    }

    public static long SizeOf(CelValue v) => v switch
    {
        CelString s => s.Value.Length,
        CelBytes b => b.Length,
        CelList l => l.Count,
        CelMap m => m.Count,
        _ => 0,
    };
}

/// <summary>A one-argument call: same semantics as <see cref="CallNode"/> without an argument array.</summary>
internal sealed class UnaryCallNode(string function, Node arg, Overload[] overloads) : Node
{
    public override CelValue Eval(EvalFrame frame)
    {
        var a = arg.Eval(frame);
        if (a.IsErrorOrUnknown)
        {
            return a;
        }

        frame.Charge(1 + CallNode.SizeOf(a) / 10);
        foreach (var o in overloads)
        {
            if (Overload.Fits(a, o.Parameters[0]))
            {
                return o.Unary!(a);
            }
        }

        return Errors.NoSuchOverload(function, [a]);
    }
}

/// <summary>A two-argument call (most operators): same semantics as <see cref="CallNode"/> without an argument array.</summary>
internal sealed class BinaryCallNode(string function, Node left, Node right, Overload[] overloads) : Node
{
    public override CelValue Eval(EvalFrame frame)
    {
        var a = left.Eval(frame);
        var b = right.Eval(frame);
        if (a.IsErrorOrUnknown || b.IsErrorOrUnknown)
        {
            return Strict.FirstErrorOrUnknown([a, b])!;
        }

        frame.Charge(1 + (CallNode.SizeOf(a) + CallNode.SizeOf(b)) / 10);
        foreach (var o in overloads)
        {
            if (Overload.Fits(a, o.Parameters[0]) && Overload.Fits(b, o.Parameters[1]))
            {
                return o.Binary!(a, b);
            }
        }

        return Errors.NoSuchOverload(function, [a, b]);
    }
}

internal static class Strict
{
    /// <summary>Unknowns win over errors (they may resolve later); several unknowns merge.</summary>
    public static CelValue? FirstErrorOrUnknown(ReadOnlySpan<CelValue> values)
    {
        CelValue? error = null;
        CelUnknown? unknown = null;
        foreach (var v in values)
        {
            if (v is CelUnknown u)
            {
                unknown = unknown is null ? u : CelUnknown.Merge(unknown, u);
            }
            else if (v is CelError && error is null)
            {
                error = v;
            }
        }

        return (CelValue?)unknown ?? error;
    }
}

/// <summary><c>&amp;&amp;</c> and <c>||</c>: a deciding operand (false, respectively true) on either side wins over
/// errors and unknowns on the other; only when neither side decides do they surface.</summary>
internal sealed class LogicalNode(Node left, Node right, bool isAnd) : Node
{
    public override CelValue Eval(EvalFrame frame)
    {
        var deciding = !isAnd;
        var l = left.Eval(frame);
        if (l is CelBool lb && lb.Value == deciding)
        {
            return l;
        }

        var r = right.Eval(frame);
        if (r is CelBool rb && rb.Value == deciding)
        {
            return r;
        }

        return Logic.Combine(l, r, isAnd ? "_&&_" : "_||_");
    }
}

internal static class Logic
{
    /// <summary>Neither side decided the result: both bools agree, else unknowns, else the first error.</summary>
    public static CelValue Combine(CelValue l, CelValue r, string op)
    {
        if (l is CelBool && r is CelBool)
        {
            return l;
        }

        if (Strict.FirstErrorOrUnknown([l, r]) is { } failed)
        {
            return failed;
        }

        return Errors.NoSuchOverload(op, [l, r]);
    }
}

internal sealed class NotStrictlyFalseNode(Node operand) : Node
{
    public override CelValue Eval(EvalFrame frame) => operand.Eval(frame) is CelBool b ? b : CelBool.True;
}

internal sealed class ConditionalNode(Node condition, Node then, Node otherwise) : Node
{
    public override CelValue Eval(EvalFrame frame) => condition.Eval(frame) switch
    {
        CelBool { Value: true } => then.Eval(frame),
        CelBool => otherwise.Eval(frame),
        (CelError or CelUnknown) and var v => v,
        var v => Errors.NoSuchOverload("_?_:_", [v]),
    };
}

internal sealed class ListNode(Node[] elements, HashSet<int> optionalIndices) : Node
{
    public override CelValue Eval(EvalFrame frame)
    {
        var items = new List<CelValue>(elements.Length);
        for (var i = 0; i < elements.Length; i++)
        {
            var v = elements[i].Eval(frame);
            if (v.IsErrorOrUnknown)
            {
                return v;
            }

            if (optionalIndices.Contains(i))
            {
                if (v is not CelOptional opt)
                {
                    return Errors.NoSuchOverload("optional list element", [v]);
                }

                if (opt.Value is null)
                {
                    continue;
                }

                v = opt.Value;
            }

            items.Add(v);
        }

        frame.Charge(1);
        return CelArrayList.Own([.. items]);
    }
}

internal sealed class MapNode((Node Key, Node Value, bool Optional)[] entries) : Node
{
    public override CelValue Eval(EvalFrame frame)
    {
        var builder = new CelDictionaryMap.Builder();
        foreach (var (keyNode, valueNode, optional) in entries)
        {
            var key = keyNode.Eval(frame);
            if (key.IsErrorOrUnknown)
            {
                return key;
            }

            var value = valueNode.Eval(frame);
            if (value.IsErrorOrUnknown)
            {
                return value;
            }

            if (optional)
            {
                if (value is not CelOptional opt)
                {
                    return Errors.NoSuchOverload("optional map entry", [value]);
                }

                if (opt.Value is null)
                {
                    continue;
                }

                value = opt.Value;
            }

            if (builder.Add(key, value) is { } error)
            {
                return error;
            }
        }

        frame.Charge(1);
        return builder.Build();
    }
}

/// <summary>The loop behind every macro: fold over a list (index, element) or a map (key, value).</summary>
internal sealed class ComprehensionNode(
    Node range, int iterSlot, int? iterSlot2, Node accuInit, int accuSlot, Node condition, Node step, Node result, ListAppend? append = null) : Node
{
    public override CelValue Eval(EvalFrame frame)
    {
        var r = range.Eval(frame);
        if (r.IsErrorOrUnknown)
        {
            return r;
        }

        var locals = frame.Locals;
        var accu = accuInit.Eval(frame);
        locals[accuSlot] = accu;
        var appended = append is null ? null : new List<CelValue>();
        CelValue? failed = null;
        bool Step() => append is null ? StepOnce(frame) : Append(frame, appended!, ref failed);
        switch (r)
        {
            case CelList list:
                for (var i = 0; i < list.Count; i++)
                {
                    frame.Iteration();
                    if (iterSlot2 is { } valueSlot)
                    {
                        locals[iterSlot] = CelInt.Of(i);
                        locals[valueSlot] = list[i];
                    }
                    else
                    {
                        locals[iterSlot] = list[i];
                    }

                    if (!Step())
                    {
                        break;
                    }
                }

                break;
            case CelMap map:
                foreach (var key in map.Keys)
                {
                    frame.Iteration();
                    locals[iterSlot] = key;
                    if (iterSlot2 is { } valueSlot)
                    {
                        locals[valueSlot] = map.TryGetValue(key, out var v) ? v : CelNull.Instance;
                    }

                    if (!Step())
                    {
                        break;
                    }
                }

                break;
            default:
                return new CelError($"expression of type '{r.Type.Erased}' cannot be range of a comprehension (must be list, map, or dynamic)");
        }

        locals[iterSlot] = null;
        if (iterSlot2 is { } s2)
        {
            locals[s2] = null;
        }

        if (appended is not null)
        {
            locals[accuSlot] = failed ?? CelArrayList.Own([.. appended]);
        }

        var value = result.Eval(frame);
        locals[accuSlot] = null;
        return value;
    }

    /// <summary>The fast path for map/filter/transformList: append to a list instead of copying the accumulator
    /// each step. The first error ends the loop, as it would stay the accumulator anyway.</summary>
    private bool Append(EvalFrame frame, List<CelValue> items, ref CelValue? failed)
    {
        if (append!.Predicate is { } predicate)
        {
            switch (predicate.Eval(frame))
            {
                case CelBool { Value: false }:
                    return true;
                case CelBool:
                    break;
                case var p:
                    failed = p.IsErrorOrUnknown ? p : Errors.NoSuchOverload("_?_:_", [p]);
                    return false;
            }
        }

        var element = append.Element.Eval(frame);
        if (element.IsErrorOrUnknown)
        {
            failed = element;
            return false;
        }

        frame.Charge(1);
        items.Add(element);
        return true;
    }

    private bool StepOnce(EvalFrame frame)
    {
        var c = condition.Eval(frame);
        if (c is not CelBool { Value: true })
        {
            if (c is not CelBool)
            {
                frame.Locals[accuSlot] = c.IsErrorOrUnknown ? c : Errors.NoSuchOverload("loop condition", [c]);
            }

            return false;
        }

        frame.Locals[accuSlot] = step.Eval(frame);
        return true;
    }
}

/// <summary>A comprehension whose step only appends <see cref="Element"/> (when <see cref="Predicate"/> holds).</summary>
internal sealed record ListAppend(Node? Predicate, Node Element);

/// <summary><c>opt.or(other)</c> and <c>opt.orValue(other)</c>: the alternative is only evaluated when needed.</summary>
internal sealed class OptionalOrNode(Node target, Node alternative, bool unwrap) : Node
{
    public override CelValue Eval(EvalFrame frame)
    {
        var t = target.Eval(frame);
        switch (t)
        {
            case CelOptional { Value: { } v }:
                return unwrap ? v : t;
            case CelOptional:
                var alt = alternative.Eval(frame);
                return unwrap || alt is CelOptional || alt.IsErrorOrUnknown ? alt : Errors.NoSuchOverload("or", [t, alt]);
            case CelError or CelUnknown:
                return t;
            default:
                return Errors.NoSuchOverload(unwrap ? "orValue" : "or", [t]);
        }
    }
}

/// <summary><c>matches</c> with a constant pattern, compiled once when the program is planned.</summary>
internal sealed class MatchesNode(Node text, System.Text.RegularExpressions.Regex regex) : Node
{
    public override CelValue Eval(EvalFrame frame)
    {
        var s = text.Eval(frame);
        frame.Charge(1);
        return s switch
        {
            CelString str => CelBool.Of(regex.IsMatch(str.Value)),
            CelError or CelUnknown => s,
            _ => Errors.NoSuchOverload("matches", [s]),
        };
    }
}
