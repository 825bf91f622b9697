using System.Collections.Frozen;

namespace StageSet.Cel.Syntax;

/// <summary>Parser limits and switches.</summary>
internal sealed record ParserOptions
{
    public static ParserOptions Default { get; } = new();

    public bool EnableMacros { get; init; } = true;

    /// <summary>Nesting depth beyond which parsing stops with an error instead of exhausting the stack.</summary>
    public int MaxRecursionDepth { get; init; } = 250;

    /// <summary>Longest accepted expression, in code points (cel-go's default).</summary>
    public int MaxCodePoints { get; init; } = 100_000;
}

/// <summary>The result of parsing: the expression (null on error), positions by expression id, and issues.</summary>
internal sealed record ParsedExpr(Expr? Root, IReadOnlyDictionary<long, int> Offsets, CelSource Source, IReadOnlyList<CelIssue> Issues);

/// <summary>A recursive-descent parser for the CEL grammar, expanding macros as it goes.</summary>
internal sealed class Parser
{
    private static readonly FrozenSet<string> Reserved = new[]
    {
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package",
        "namespace", "return", "var", "void", "while",
    }.ToFrozenSet(StringComparer.Ordinal);

    private const string ExpectedPrimary =
        "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";

    private readonly CelSource _source;
    private readonly ParserOptions _options;
    private readonly Dictionary<long, int> _offsets = [];
    private readonly List<CelIssue> _issues = [];
    private List<Token> _tokens = [];
    private int _index;
    private long _nextId = 1;
    private int _depth;

    private Parser(string text, ParserOptions options)
    {
        _source = new CelSource(text);
        _options = options;
    }

    public static ParsedExpr Parse(string text, ParserOptions? options = null)
    {
        var parser = new Parser(text, options ?? ParserOptions.Default);
        return parser.Run();
    }

    private ParsedExpr Run()
    {
        var codePoints = _source.Text.EnumerateRunes().Count();
        if (codePoints > _options.MaxCodePoints)
        {
            _issues.Add(new CelIssue($"expression code point size exceeds limit: size: {codePoints}, limit {_options.MaxCodePoints}", 1, 1));
            return new ParsedExpr(null, _offsets, _source, _issues);
        }

        _tokens = new Lexer(_source.Text).Tokenize();
        try
        {
            var root = ParseExpr();
            if (Peek.Kind != TokenKind.Eof)
            {
                throw Fail(Peek, $"Syntax error: extraneous input '{Peek.Text}' expecting <EOF>");
            }

            if (_issues.Count == 0 && Depth(root) > _options.MaxRecursionDepth)
            {
                ReportError(_offsets.GetValueOrDefault(root.Id), $"expression recursion limit exceeded: {_options.MaxRecursionDepth}");
            }

            return new ParsedExpr(_issues.Count == 0 ? root : null, _offsets, _source, _issues);
        }
        catch (ParseAbort)
        {
            return new ParsedExpr(null, _offsets, _source, _issues);
        }
    }

    public long NextId(int offset)
    {
        var id = _nextId++;
        _offsets[id] = offset;
        return id;
    }

    public int OffsetOf(Expr e) => _offsets.GetValueOrDefault(e.Id);

    public void ReportError(int offset, string message) => _issues.Add(_source.Issue(offset, message));

    private Token Peek => _tokens[_index];

    private Token PeekAt(int ahead) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private Token Advance() => _tokens[_index++];

    private bool Accept(TokenKind kind)
    {
        if (Peek.Kind != kind)
        {
            return false;
        }

        _index++;
        return true;
    }

    private Token Expect(TokenKind kind, string expected)
    {
        if (Peek.Kind == kind)
        {
            return Advance();
        }

        throw Fail(Peek, $"Syntax error: mismatched input '{Peek.Text}' expecting {expected}");
    }

    private ParseAbort Fail(Token at, string message)
    {
        if (at.Kind == TokenKind.Error)
        {
            message = "Syntax error: " + at.Error;
        }

        ReportError(at.Offset, message);
        return new ParseAbort();
    }

    private void Enter()
    {
        if (++_depth > _options.MaxRecursionDepth)
        {
            ReportError(Peek.Offset, $"expression recursion limit exceeded: {_options.MaxRecursionDepth}");
            throw new ParseAbort();
        }
    }

    private Expr ParseExpr()
    {
        Enter();
        try
        {
            var cond = ParseOr();
            if (Peek.Kind != TokenKind.Question)
            {
                return cond;
            }

            var q = Advance();
            var then = ParseOr();
            Expect(TokenKind.Colon, "':'");
            var otherwise = ParseExpr();
            return Call(q.Offset, Operators.Conditional, cond, then, otherwise);
        }
        finally
        {
            _depth--;
        }
    }

    private Expr ParseOr() => ParseLogical(TokenKind.OrOr, Operators.LogicalOr, ParseAnd);

    private Expr ParseAnd() => ParseLogical(TokenKind.AndAnd, Operators.LogicalAnd, ParseRelation);

    /// <summary>Long <c>&amp;&amp;</c> / <c>||</c> chains become balanced trees, so their depth grows logarithmically.</summary>
    private Expr ParseLogical(TokenKind op, string function, Func<Expr> operand)
    {
        var first = operand();
        if (Peek.Kind != op)
        {
            return first;
        }

        var operands = new List<Expr> { first };
        var ops = new List<int>();
        while (Peek.Kind == op)
        {
            ops.Add(Advance().Offset);
            operands.Add(operand());
        }

        return Balance(function, operands, ops, 0, operands.Count - 1);
    }

    private Expr Balance(string function, List<Expr> operands, List<int> ops, int lo, int hi)
    {
        if (lo == hi)
        {
            return operands[lo];
        }

        var mid = (lo + hi + 1) / 2;
        return Call(ops[mid - 1], function, Balance(function, operands, ops, lo, mid - 1), Balance(function, operands, ops, mid, hi));
    }

    private Expr ParseRelation()
    {
        var left = ParseAddition();
        while (true)
        {
            var fn = Peek.Kind switch
            {
                TokenKind.Less => Operators.Less,
                TokenKind.LessEqual => Operators.LessEquals,
                TokenKind.Greater => Operators.Greater,
                TokenKind.GreaterEqual => Operators.GreaterEquals,
                TokenKind.EqualEqual => Operators.Equal,
                TokenKind.NotEqual => Operators.NotEquals,
                TokenKind.In => Operators.In,
                _ => null,
            };
            if (fn is null)
            {
                return left;
            }

            var op = Advance();
            left = Call(op.Offset, fn, left, ParseAddition());
        }
    }

    private Expr ParseAddition()
    {
        var left = ParseMultiplication();
        while (Peek.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Advance();
            left = Call(op.Offset, op.Kind == TokenKind.Plus ? Operators.Add : Operators.Subtract, left, ParseMultiplication());
        }

        return left;
    }

    private Expr ParseMultiplication()
    {
        var left = ParseUnary();
        while (Peek.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = Advance();
            var fn = op.Kind switch
            {
                TokenKind.Star => Operators.Multiply,
                TokenKind.Slash => Operators.Divide,
                _ => Operators.Modulo,
            };
            left = Call(op.Offset, fn, left, ParseUnary());
        }

        return left;
    }

    private Expr ParseUnary()
    {
        if (Peek.Kind is not (TokenKind.Bang or TokenKind.Minus))
        {
            return ParseMember();
        }

        var ops = new List<Token>();
        while (Peek.Kind is TokenKind.Bang or TokenKind.Minus)
        {
            ops.Add(Advance());
        }

        Enter();
        try
        {
            // A minus directly before a number literal belongs to the literal, so int64's minimum can be written.
            var signed = ops[^1].Kind == TokenKind.Minus && Peek.Kind is TokenKind.Int or TokenKind.Double;
            if (signed)
            {
                ops.RemoveAt(ops.Count - 1);
            }

            var operand = ParseMember(signed);
            for (var i = ops.Count - 1; i >= 0; i--)
            {
                operand = Call(ops[i].Offset, ops[i].Kind == TokenKind.Bang ? Operators.LogicalNot : Operators.Negate, operand);
            }

            return operand;
        }
        finally
        {
            _depth--;
        }
    }

    private Expr ParseMember(bool negateLiteral = false)
    {
        var expr = ParsePrimary(negateLiteral);
        var postfix = 0;
        try
        {
            while (true)
            {
                if (Peek.Kind == TokenKind.Dot)
                {
                    var dot = Advance();
                    var optional = Accept(TokenKind.Question);
                    if (Peek.Kind is not (TokenKind.Ident or TokenKind.QuotedIdent or TokenKind.True or TokenKind.False or TokenKind.Null or TokenKind.In))
                    {
                        var text = optional ? ".?" : ".";
                        throw Fail(Peek, $"Syntax error: no viable alternative at input '{text}{(Peek.Kind == TokenKind.Eof ? "" : Peek.Text)}'");
                    }

                    var name = Advance();
                    Enter();
                    postfix++;
                    if (Peek.Kind == TokenKind.LParen && !optional && name.Kind != TokenKind.QuotedIdent)
                    {
                        var open = Advance();
                        var args = ParseArgs();
                        expr = MemberCall(open.Offset, name.Text, expr, args);
                    }
                    else if (optional)
                    {
                        expr = Call(dot.Offset, Operators.OptSelect, expr, Const(name.Offset, new CelString(name.Text)));
                    }
                    else
                    {
                        expr = new SelectExpr(NextId(dot.Offset), expr, name.Text, false);
                    }
                }
                else if (Peek.Kind == TokenKind.LBracket)
                {
                    var open = Advance();
                    var optional = Accept(TokenKind.Question);
                    var index = ParseExpr();
                    Expect(TokenKind.RBracket, "']'");
                    Enter();
                    postfix++;
                    expr = Call(open.Offset, optional ? Operators.OptIndex : Operators.Index, expr, index);
                }
                else
                {
                    return expr;
                }
            }
        }
        finally
        {
            _depth -= postfix;
        }
    }

    private List<Expr> ParseArgs()
    {
        var args = new List<Expr>();
        if (Accept(TokenKind.RParen))
        {
            return args;
        }

        while (true)
        {
            args.Add(ParseExpr());
            if (Accept(TokenKind.RParen))
            {
                return args;
            }

            Expect(TokenKind.Comma, "{',', ')'}");
        }
    }

    private Expr ParsePrimary(bool negateLiteral)
    {
        var t = Peek;
        switch (t.Kind)
        {
            case TokenKind.Int:
                Advance();
                return IntLiteral(t, negateLiteral);
            case TokenKind.Double:
                Advance();
                var d = ((CelDouble)t.Value!).Value;
                return Const(t.Offset, new CelDouble(negateLiteral ? -d : d));
            case TokenKind.Uint or TokenKind.String or TokenKind.Bytes or TokenKind.True or TokenKind.False or TokenKind.Null:
                if (t.Error is not null)
                {
                    throw Fail(t, "Syntax error: " + t.Error);
                }

                Advance();
                return Const(t.Offset, t.Value!);
            case TokenKind.LParen:
                Advance();
                var inner = ParseExpr();
                Expect(TokenKind.RParen, "')'");
                return inner;
            case TokenKind.LBracket:
                return ParseList();
            case TokenKind.LBrace:
                return ParseMap();
            case TokenKind.Dot or TokenKind.Ident:
                return ParseIdentOrCall();
            default:
                throw Fail(t, $"Syntax error: mismatched input '{t.Text}' expecting {ExpectedPrimary}");
        }
    }

    private Expr IntLiteral(Token t, bool negate)
    {
        if (t.Error is not null)
        {
            throw Fail(t, "Syntax error: " + t.Error);
        }

        var magnitude = ((CelUint)t.Value!).Value;
        if (negate)
        {
            if (magnitude > 9223372036854775808UL)
            {
                throw Fail(t, "invalid int literal");
            }

            return Const(t.Offset, CelInt.Of(magnitude == 9223372036854775808UL ? long.MinValue : -(long)magnitude));
        }

        if (magnitude > long.MaxValue)
        {
            throw Fail(t, "invalid int literal");
        }

        return Const(t.Offset, CelInt.Of((long)magnitude));
    }

    private Expr ParseIdentOrCall()
    {
        var leadingDot = Accept(TokenKind.Dot);
        var first = Expect(TokenKind.Ident, "IDENTIFIER");
        var prefix = leadingDot ? "." : "";

        // Dotted name followed by '{' is message construction.
        var k = 0;
        while (PeekAt(k).Kind == TokenKind.Dot && PeekAt(k + 1).Kind == TokenKind.Ident)
        {
            k += 2;
        }

        if (PeekAt(k).Kind == TokenKind.LBrace)
        {
            var name = prefix + first.Text;
            for (var i = 0; i < k; i += 2)
            {
                Advance();
                name += "." + Advance().Text;
            }

            return ParseStruct(name);
        }

        if (Reserved.Contains(first.Text))
        {
            throw Fail(first, "reserved identifier: " + first.Text);
        }

        if (Peek.Kind == TokenKind.LParen)
        {
            var open = Advance();
            var args = ParseArgs();
            return GlobalCall(open.Offset, prefix + first.Text, args);
        }

        return new IdentExpr(NextId(first.Offset), prefix + first.Text);
    }

    private Expr ParseStruct(string typeName)
    {
        var open = Expect(TokenKind.LBrace, "'{'");
        var id = NextId(open.Offset);
        var fields = new List<FieldInit>();
        while (Peek.Kind != TokenKind.RBrace)
        {
            var optional = Accept(TokenKind.Question);
            var name = Peek;
            if (name.Kind is not (TokenKind.Ident or TokenKind.QuotedIdent or TokenKind.True or TokenKind.False or TokenKind.Null or TokenKind.In))
            {
                throw Fail(name, $"Syntax error: mismatched input '{name.Text}' expecting IDENTIFIER");
            }

            Advance();
            var colon = Expect(TokenKind.Colon, "':'");
            fields.Add(new FieldInit(NextId(colon.Offset), name.Text, ParseExpr(), optional));
            if (!Accept(TokenKind.Comma))
            {
                break;
            }
        }

        Expect(TokenKind.RBrace, "'}'");
        return new StructExpr(id, typeName, fields);
    }

    private Expr ParseList()
    {
        var open = Advance();
        var id = NextId(open.Offset);
        var elements = new List<Expr>();
        var optionals = new List<int>();
        while (Peek.Kind != TokenKind.RBracket)
        {
            if (Accept(TokenKind.Question))
            {
                optionals.Add(elements.Count);
            }

            elements.Add(ParseExpr());
            if (!Accept(TokenKind.Comma))
            {
                break;
            }
        }

        Expect(TokenKind.RBracket, "']'");
        return new ListExpr(id, elements, optionals);
    }

    private Expr ParseMap()
    {
        var open = Advance();
        var id = NextId(open.Offset);
        var entries = new List<MapEntry>();
        while (Peek.Kind != TokenKind.RBrace)
        {
            var optional = Accept(TokenKind.Question);
            var key = ParseExpr();
            var colon = Expect(TokenKind.Colon, "':'");
            var value = ParseExpr();
            entries.Add(new MapEntry(NextId(colon.Offset), key, value, optional));
            if (!Accept(TokenKind.Comma))
            {
                break;
            }
        }

        Expect(TokenKind.RBrace, "'}'");
        return new MapExpr(id, entries);
    }

    /// <summary>The deepest nesting of the tree, measured without recursion so any input is safe to measure.</summary>
    private static int Depth(Expr root)
    {
        var max = 0;
        var stack = new Stack<(Expr, int)>();
        stack.Push((root, 1));
        while (stack.Count > 0)
        {
            var (e, d) = stack.Pop();
            max = Math.Max(max, d);
            foreach (var child in Children(e))
            {
                stack.Push((child, d + 1));
            }
        }

        return max;
    }

    private static IEnumerable<Expr> Children(Expr e) => e switch
    {
        SelectExpr s => [s.Operand],
        CallExpr c => c.Target is null ? c.Args : [c.Target, .. c.Args],
        ListExpr l => l.Elements,
        MapExpr m => m.Entries.SelectMany(en => new[] { en.Key, en.Value }),
        StructExpr s => s.Fields.Select(f => f.Value),
        ComprehensionExpr c => [c.IterRange, c.AccuInit, c.LoopCondition, c.LoopStep, c.Result],
        _ => [],
    };

    public Expr Const(int offset, CelValue value) => new ConstExpr(NextId(offset), value);

    public Expr Ident(int offset, string name) => new IdentExpr(NextId(offset), name);

    public Expr Call(int offset, string function, params Expr[] args) => new CallExpr(NextId(offset), function, null, args);

    private Expr GlobalCall(int offset, string function, List<Expr> args)
    {
        if (_options.EnableMacros && Macros.TryExpand(this, offset, function, null, args) is { } expanded)
        {
            return expanded;
        }

        return new CallExpr(NextId(offset), function, null, args);
    }

    private Expr MemberCall(int offset, string function, Expr target, List<Expr> args)
    {
        if (_options.EnableMacros && Macros.TryExpand(this, offset, function, target, args) is { } expanded)
        {
            return expanded;
        }

        return new CallExpr(NextId(offset), function, target, args);
    }

    /// <summary>Stops the parse after the first syntax error has been recorded.</summary>
    private sealed class ParseAbort : Exception
    {
    }
}
