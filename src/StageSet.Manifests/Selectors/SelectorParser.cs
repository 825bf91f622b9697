using StageSet.Manifests.Schema;

namespace StageSet.Manifests.Selectors;

/// <summary>
/// The label selector grammar of apimachinery's <c>labels.Parse</c>, token for token, so errors read the same:
/// <c>found ',', expected: identifier after ','</c>, <c>unable to parse requirement: ...</c>.
/// </summary>
internal sealed class SelectorParser
{
    private static readonly string BinaryOperators = string.Join(", ", "in", "notin", "=", "==", "!=", "gt", "lt");
    private readonly List<(Token Kind, string Text)> _tokens;
    private int _position;

    public SelectorParser(string selector)
    {
        _tokens = Lex(selector);
    }

    private enum Token
    {
        EndOfString,
        ClosedPar,
        Comma,
        DoesNotExist,
        DoubleEquals,
        EqualsSign,
        GreaterThan,
        Identifier,
        In,
        LessThan,
        NotEquals,
        NotIn,
        OpenPar,
    }

    private enum Context
    {
        KeyAndOperator,
        Values,
    }

    public List<LabelRequirement> Parse()
    {
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            var (tok, lit) = Lookahead(Context.Values);
            switch (tok)
            {
                case Token.Identifier or Token.DoesNotExist:
                    LabelRequirement requirement;
                    try
                    {
                        requirement = ParseRequirement();
                    }
                    catch (LabelSelectorException e)
                    {
                        throw new LabelSelectorException("unable to parse requirement: " + e.Message);
                    }

                    requirements.Add(requirement);
                    var (t, l) = Consume(Context.Values);
                    switch (t)
                    {
                        case Token.EndOfString:
                            return requirements;
                        case Token.Comma:
                            var (t2, l2) = Lookahead(Context.Values);
                            if (t2 is not (Token.Identifier or Token.DoesNotExist))
                            {
                                throw new LabelSelectorException($"found '{l2}', expected: identifier after ','");
                            }

                            break;
                        default:
                            throw new LabelSelectorException($"found '{l}', expected: ',' or 'end of string'");
                    }

                    break;
                case Token.EndOfString:
                    return requirements;
                default:
                    throw new LabelSelectorException($"found '{lit}', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement ParseRequirement()
    {
        var (key, op) = ParseKeyAndInferOperator();
        if (op is SelectorOperator.Exists or SelectorOperator.DoesNotExist)
        {
            return LabelSelector.Requirement(key, op.Value, []);
        }

        var binary = ParseOperator();
        var values = binary is SelectorOperator.In or SelectorOperator.NotIn ? ParseValues() : ParseExactValue();
        return LabelSelector.Requirement(key, binary, values.Order(StringComparer.Ordinal).ToList());
    }

    private (string Key, SelectorOperator? Op) ParseKeyAndInferOperator()
    {
        SelectorOperator? op = null;
        var (tok, literal) = Consume(Context.Values);
        if (tok == Token.DoesNotExist)
        {
            op = SelectorOperator.DoesNotExist;
            (tok, literal) = Consume(Context.Values);
        }

        if (tok != Token.Identifier)
        {
            throw new LabelSelectorException($"found '{literal}', expected: identifier");
        }

        if (KubeNames.QualifiedNameErrors(literal) is { Count: > 0 } errors)
        {
            // The parser validates with a nil field path, which Go prints as <nil>.
            throw new LabelSelectorException(FieldError.Invalid("<nil>", FieldError.Quote(literal), string.Join("; ", errors)).ToString());
        }

        if (Lookahead(Context.Values).Kind is Token.EndOfString or Token.Comma && op != SelectorOperator.DoesNotExist)
        {
            op = SelectorOperator.Exists;
        }

        return (literal, op);
    }

    private SelectorOperator ParseOperator()
    {
        var (tok, lit) = Consume(Context.KeyAndOperator);
        return tok switch
        {
            Token.In => SelectorOperator.In,
            Token.EqualsSign => SelectorOperator.Equals,
            Token.DoubleEquals => SelectorOperator.DoubleEquals,
            Token.GreaterThan => SelectorOperator.GreaterThan,
            Token.LessThan => SelectorOperator.LessThan,
            Token.NotIn => SelectorOperator.NotIn,
            Token.NotEquals => SelectorOperator.NotEquals,
            _ => throw new LabelSelectorException($"found '{lit}', expected: {BinaryOperators}"),
        };
    }

    private HashSet<string> ParseValues()
    {
        var (tok, lit) = Consume(Context.Values);
        if (tok != Token.OpenPar)
        {
            throw new LabelSelectorException($"found '{lit}' expected: '('");
        }

        (tok, lit) = Lookahead(Context.Values);
        switch (tok)
        {
            case Token.Identifier or Token.Comma:
                var values = ParseIdentifiersList();
                if (Consume(Context.Values).Kind != Token.ClosedPar)
                {
                    throw new LabelSelectorException($"found '{lit}', expected: ')'");
                }

                return values;
            case Token.ClosedPar:
                Consume(Context.Values);
                return [""];
            default:
                throw new LabelSelectorException($"found '{lit}', expected: ',', ')' or identifier");
        }
    }

    private HashSet<string> ParseIdentifiersList()
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var (tok, lit) = Consume(Context.Values);
            switch (tok)
            {
                case Token.Identifier:
                    values.Add(lit);
                    var (tok2, lit2) = Lookahead(Context.Values);
                    switch (tok2)
                    {
                        case Token.Comma:
                            continue;
                        case Token.ClosedPar:
                            return values;
                        default:
                            throw new LabelSelectorException($"found '{lit2}', expected: ',' or ')'");
                    }

                case Token.Comma:
                    if (values.Count == 0)
                    {
                        values.Add("");
                    }

                    var next = Lookahead(Context.Values).Kind;
                    if (next == Token.ClosedPar)
                    {
                        values.Add("");
                        return values;
                    }

                    if (next == Token.Comma)
                    {
                        Consume(Context.Values);
                        values.Add("");
                    }

                    break;
                default:
                    throw new LabelSelectorException($"found '{lit}', expected: ',', or identifier");
            }
        }
    }

    private HashSet<string> ParseExactValue()
    {
        if (Lookahead(Context.Values).Kind is Token.EndOfString or Token.Comma)
        {
            return [""];
        }

        var (tok, lit) = Consume(Context.Values);
        return tok == Token.Identifier ? [lit] : throw new LabelSelectorException($"found '{lit}', expected: identifier");
    }

    private (Token Kind, string Text) Lookahead(Context context) => InContext(_tokens[_position], context);

    private (Token Kind, string Text) Consume(Context context) => InContext(_tokens[_position++], context);

    // "in" and "notin" are plain values where a value is expected: "x in (in)".
    private static (Token Kind, string Text) InContext((Token Kind, string Text) item, Context context) =>
        context == Context.Values && item.Kind is Token.In or Token.NotIn ? (Token.Identifier, item.Text) : item;

    private static List<(Token, string)> Lex(string s)
    {
        var tokens = new List<(Token, string)>();
        var pos = 0;
        while (true)
        {
            while (pos < s.Length && IsWhitespace(s[pos]))
            {
                pos++;
            }

            if (pos >= s.Length)
            {
                tokens.Add((Token.EndOfString, ""));
                return tokens;
            }

            if (IsSpecial(s[pos]))
            {
                // The longest run of operator characters that still forms a token: "!=", "==", then single ones.
                var two = pos + 1 < s.Length ? s.Substring(pos, 2) : "";
                var symbol = two is "!=" or "==" ? two : s[pos].ToString();
                tokens.Add((Symbol(symbol), symbol));
                pos += symbol.Length;
                continue;
            }

            var start = pos;
            while (pos < s.Length && !IsSpecial(s[pos]) && !IsWhitespace(s[pos]))
            {
                pos++;
            }

            var word = s[start..pos];
            tokens.Add((word switch { "in" => Token.In, "notin" => Token.NotIn, _ => Token.Identifier }, word));
        }
    }

    private static Token Symbol(string symbol) => symbol switch
    {
        ")" => Token.ClosedPar,
        "," => Token.Comma,
        "!" => Token.DoesNotExist,
        "==" => Token.DoubleEquals,
        "=" => Token.EqualsSign,
        ">" => Token.GreaterThan,
        "<" => Token.LessThan,
        "!=" => Token.NotEquals,
        _ => Token.OpenPar,
    };

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsSpecial(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';
}
