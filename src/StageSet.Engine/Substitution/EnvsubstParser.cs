using System.Text;

namespace StageSet.Engine.Substitution;

/// <summary>
/// Parses the fluxcd/pkg envsubst dialect. The grammar is defined by its scanner's behaviour rather than a clean
/// grammar, so the reader below mirrors it: runs of characters are accepted by a predicate that may look at the
/// character and its 1-based position in the run, with <c>${</c> optionally ending a run and escapes (<c>$$</c> at
/// top level; <c>$$</c>, <c>\\</c>, <c>\/</c> inside expressions that allow them) collapsing to their second character.
/// </summary>
internal sealed class EnvsubstParser
{
    private const string BadSubstitution = "bad substitution";
    private const string MissingClosingBrace = "missing closing brace";
    private const string BadVariableName = "unable to parse variable name";
    private const string BadFuncArgument = "unable to parse substitution within function";
    private const string BadDefault = "unable to parse default function";

    private readonly string _text;
    private int _pos;

    // Whether backslash escapes are live: only once inside an expression.
    private bool _backslashEscapes;

    private EnvsubstParser(string text) => _text = text;

    public static EnvsubstNode Parse(string text)
    {
        var parser = new EnvsubstParser(text);
        var nodes = new List<EnvsubstNode>();
        parser.ParseSequence(nodes);
        return nodes.Count == 1 ? nodes[0] : new ListNode(nodes);
    }

    private delegate bool Accept(char c, int index);

    private enum Token
    {
        Illegal,
        End,
        Run,
        Open,
        Close,
    }

    private void ParseSequence(List<EnvsubstNode> nodes)
    {
        while (true)
        {
            _backslashEscapes = false;
            var (token, text) = Scan(static (_, _) => true, run: true, open: true, close: false, escapes: true);
            switch (token)
            {
                case Token.End:
                    return;
                case Token.Run:
                    nodes.Add(new TextNode(text));
                    break;
                case Token.Open:
                    nodes.Add(ParseFunc());
                    break;
                default:
                    throw new SubstitutionException(BadSubstitution);
            }
        }
    }

    private EnvsubstNode ParseFunc()
    {
        _backslashEscapes = true;
        if (Peek() == '#')
        {
            return ParseLength();
        }

        var (token, name) = Scan(IsIdent, run: true, open: false, close: false, escapes: false);
        if (token != Token.Run)
        {
            throw new SubstitutionException(BadVariableName);
        }

        switch (Peek())
        {
            case ':':
                return PeekAt(1) is '=' or '-' or '?' or '+' ? ParseDefault(name) : ParseSubstring(name);
            case '=' or '-' or '?' or '+':
                return ParseDefault(name);
            case ',' or '^':
                return ParseCasing(name);
            case '/':
                return ParseReplace(name);
            case '#':
                return ParseRemove(name, '#');
            case '%':
                return ParseRemove(name, '%');
        }

        return ScanClose() ? new FuncNode(name, "", []) : throw new SubstitutionException(MissingClosingBrace);
    }

    private EnvsubstNode ParseLength()
    {
        var (op, _) = Scan(static (c, i) => c == '#' && i == 1, run: true, open: false, close: false, escapes: false);
        var (param, name) = Scan(IsIdent, run: true, open: false, close: false, escapes: false);
        if (op != Token.Run || param != Token.Run)
        {
            throw new SubstitutionException(BadSubstitution);
        }

        ConsumeClose();
        return new FuncNode(name, "#", []);
    }

    private EnvsubstNode ParseSubstring(string name)
    {
        var op = ScanOperator(static (c, i) => c == ':' && i == 1, BadSubstitution);
        var args = new List<EnvsubstNode> { ParseArgument(static (c, _) => c is not ':' and not '}', escapes: false) };
        var (token, _) = Scan(static (c, _) => c == ':', run: true, open: false, close: true, escapes: false);
        if (token == Token.Close)
        {
            return new FuncNode(name, op, args);
        }

        if (token != Token.Run)
        {
            throw new SubstitutionException(BadSubstitution);
        }

        args.Add(ParseArgument(static (c, _) => c != '}', escapes: false));
        ConsumeClose();
        return new FuncNode(name, op, args);
    }

    private EnvsubstNode ParseRemove(string name, char symbol)
    {
        var op = ScanOperator((c, i) => c == symbol && i < 3, BadSubstitution);
        var arg = ParseArgument(static (c, _) => c != '}', escapes: false);
        ConsumeClose();
        return new FuncNode(name, op, [arg]);
    }

    private EnvsubstNode ParseReplace(string name)
    {
        var op = ScanOperator(static (c, i) => (i == 1 && c == '/') || (i == 2 && c is '/' or '#' or '%'), BadSubstitution);
        var args = new List<EnvsubstNode>
        {
            Peek() == '/' ? new TextNode("") : ParseArgument(static (c, _) => c != '/', escapes: true),
        };
        var (delimiter, _) = Scan(static (c, _) => c == '/', run: true, open: false, close: false, escapes: false);
        if (delimiter != Token.Run)
        {
            throw new SubstitutionException(BadSubstitution);
        }

        if (Peek() != '}')
        {
            args.Add(ParseArgument(static (c, _) => c != '}', escapes: true));
        }

        ConsumeClose();
        return new FuncNode(name, op, args);
    }

    private EnvsubstNode ParseDefault(string name)
    {
        Accept accept = Peek() is '=' or '-' or '?' or '+'
            ? static (_, i) => i == 1
            : static (c, i) => (i == 1 && c == ':') || (i == 2 && c is '=' or '-' or '?' or '+');
        var op = ScanOperator(accept, BadDefault);
        var args = new List<EnvsubstNode>();
        while (Peek() != '}')
        {
            args.Add(ParseArgument(static (c, _) => c != '}', escapes: false));
        }

        ConsumeClose();
        return new FuncNode(name, op, args);
    }

    private EnvsubstNode ParseCasing(string name)
    {
        var op = ScanOperator(static (c, i) => c is ',' or '^' && i < 3, BadSubstitution);
        ConsumeClose();
        return new FuncNode(name, op, []);
    }

    /// <summary>One argument: a nested expression, or a run of accepted characters ending before <c>${</c>.</summary>
    private EnvsubstNode ParseArgument(Accept accept, bool escapes)
    {
        var (token, text) = Scan(accept, run: true, open: true, close: false, escapes: escapes);
        return token switch
        {
            Token.Open => ParseFunc(),
            Token.Run => new TextNode(text),
            _ => throw new SubstitutionException(BadFuncArgument),
        };
    }

    private string ScanOperator(Accept accept, string error)
    {
        var (token, op) = Scan(accept, run: true, open: false, close: false, escapes: false);
        return token == Token.Run ? op : throw new SubstitutionException(error);
    }

    private void ConsumeClose()
    {
        if (!ScanClose())
        {
            throw new SubstitutionException(BadSubstitution);
        }
    }

    private bool ScanClose() => Scan(static (_, _) => false, run: false, open: false, close: true, escapes: false).Token == Token.Close;

    /// <summary>
    /// Reads the next token: end of input, <c>${</c> (when <paramref name="open"/>), <c>}</c> (when
    /// <paramref name="close"/>), or a run of characters the predicate accepts (when <paramref name="run"/>).
    /// </summary>
    private (Token Token, string Text) Scan(Accept accept, bool run, bool open, bool close, bool escapes)
    {
        if (_pos >= _text.Length)
        {
            return (Token.End, "");
        }

        if (open && _text[_pos] == '$' && PeekAt(1) == '{')
        {
            _pos += 2;
            return (Token.Open, "${");
        }

        if (close && _text[_pos] == '}')
        {
            _pos++;
            return (Token.Close, "}");
        }

        if (!run)
        {
            return (Token.Illegal, "");
        }

        var text = new StringBuilder();
        var start = _pos;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (_pos > start && open && c == '$' && PeekAt(1) == '{')
            {
                break;
            }

            if (escapes && IsEscape(c, PeekAt(1)))
            {
                // The escape character is dropped and the next one taken literally, whatever the predicate says.
                text.Append(_text[_pos + 1]);
                _pos += 2;
                continue;
            }

            if (!accept(c, text.Length + 1))
            {
                break;
            }

            text.Append(c);
            _pos++;
        }

        return _pos == start ? (Token.Illegal, "") : (Token.Run, text.ToString());
    }

    private bool IsEscape(char c, char? next) =>
        (c == '$' && next == '$') || (_backslashEscapes && c == '\\' && next is '/' or '\\');

    private char? Peek() => PeekAt(0);

    private char? PeekAt(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : null;

    private static bool IsIdent(char c, int index) => char.IsLetterOrDigit(c) || c == '_';
}
