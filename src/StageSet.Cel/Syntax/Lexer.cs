namespace StageSet.Cel.Syntax;

internal enum TokenKind
{
    Eof,
    Error,
    Ident,
    QuotedIdent,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    True,
    False,
    Null,
    In,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    EqualEqual,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    AndAnd,
    OrOr,
    Bang,
    Question,
    Colon,
    Dot,
    Comma,
    LBracket,
    RBracket,
    LParen,
    RParen,
    LBrace,
    RBrace,
}

/// <summary>A token: its kind, UTF-16 start offset, source text, and for literals the decoded value.</summary>
internal readonly record struct Token(TokenKind Kind, int Offset, string Text, CelValue? Value = null, string? Error = null);

/// <summary>Splits CEL source into tokens; literal values are decoded here, malformed ones become error tokens.</summary>
internal sealed class Lexer
{
    private readonly string _src;
    private int _pos;

    public Lexer(string source) => _src = source;

    public List<Token> Tokenize()
    {
        var tokens = new List<Token>();
        while (true)
        {
            var t = Next();
            tokens.Add(t);
            if (t.Kind == TokenKind.Eof)
            {
                return tokens;
            }
        }
    }

    private Token Next()
    {
        SkipTrivia();
        if (_pos >= _src.Length)
        {
            return new Token(TokenKind.Eof, _src.Length, "<EOF>");
        }

        var start = _pos;
        var c = _src[_pos];
        if (char.IsAsciiDigit(c) || (c == '.' && _pos + 1 < _src.Length && char.IsAsciiDigit(_src[_pos + 1])))
        {
            return Number(start);
        }

        if (c == '_' || char.IsAsciiLetter(c))
        {
            // String prefixes: r, b, and their combinations, directly followed by a quote.
            var p = _pos;
            var raw = false;
            var bytes = false;
            while (p < _src.Length && p - _pos < 2 && _src[p] is 'r' or 'R' or 'b' or 'B')
            {
                if (_src[p] is 'r' or 'R')
                {
                    if (raw)
                    {
                        break;
                    }

                    raw = true;
                }
                else
                {
                    if (bytes)
                    {
                        break;
                    }

                    bytes = true;
                }

                p++;
                if (p < _src.Length && _src[p] is '"' or '\'')
                {
                    _pos = p;
                    return StringLiteral(start, raw, bytes);
                }
            }

            while (_pos < _src.Length && (_src[_pos] == '_' || char.IsAsciiLetterOrDigit(_src[_pos])))
            {
                _pos++;
            }

            var text = _src[start.._pos];
            return text switch
            {
                "true" => new Token(TokenKind.True, start, text, CelBool.True),
                "false" => new Token(TokenKind.False, start, text, CelBool.False),
                "null" => new Token(TokenKind.Null, start, text, CelNull.Instance),
                "in" => new Token(TokenKind.In, start, text),
                _ => new Token(TokenKind.Ident, start, text),
            };
        }

        if (c is '"' or '\'')
        {
            return StringLiteral(start, false, false);
        }

        if (c == '`')
        {
            var end = _src.IndexOf('`', _pos + 1);
            if (end < 0)
            {
                _pos = _src.Length;
                return new Token(TokenKind.Error, start, _src[start..], Error: "unterminated quoted identifier");
            }

            _pos = end + 1;
            return new Token(TokenKind.QuotedIdent, start, _src[(start + 1)..end]);
        }

        _pos++;
        var two = _pos < _src.Length ? _src.Substring(start, 2) : "";
        switch (two)
        {
            case "==":
                _pos++;
                return new Token(TokenKind.EqualEqual, start, two);
            case "!=":
                _pos++;
                return new Token(TokenKind.NotEqual, start, two);
            case "<=":
                _pos++;
                return new Token(TokenKind.LessEqual, start, two);
            case ">=":
                _pos++;
                return new Token(TokenKind.GreaterEqual, start, two);
            case "&&":
                _pos++;
                return new Token(TokenKind.AndAnd, start, two);
            case "||":
                _pos++;
                return new Token(TokenKind.OrOr, start, two);
        }

        var kind = c switch
        {
            '+' => TokenKind.Plus,
            '-' => TokenKind.Minus,
            '*' => TokenKind.Star,
            '/' => TokenKind.Slash,
            '%' => TokenKind.Percent,
            '<' => TokenKind.Less,
            '>' => TokenKind.Greater,
            '!' => TokenKind.Bang,
            '?' => TokenKind.Question,
            ':' => TokenKind.Colon,
            '.' => TokenKind.Dot,
            ',' => TokenKind.Comma,
            '[' => TokenKind.LBracket,
            ']' => TokenKind.RBracket,
            '(' => TokenKind.LParen,
            ')' => TokenKind.RParen,
            '{' => TokenKind.LBrace,
            '}' => TokenKind.RBrace,
            _ => TokenKind.Error,
        };
        if (kind == TokenKind.Error && char.IsHighSurrogate(c) && _pos < _src.Length)
        {
            _pos++;
        }

        return new Token(kind, start, _src[start.._pos], Error: kind == TokenKind.Error ? $"token recognition error at: '{_src[start.._pos]}'" : null);
    }

    private void SkipTrivia()
    {
        while (_pos < _src.Length)
        {
            var c = _src[_pos];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                _pos++;
            }
            else if (c == '/' && _pos + 1 < _src.Length && _src[_pos + 1] == '/')
            {
                while (_pos < _src.Length && _src[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private Token Number(int start)
    {
        if (_src[_pos] == '0' && _pos + 1 < _src.Length && _src[_pos + 1] is 'x' or 'X')
        {
            _pos += 2;
            var digitsStart = _pos;
            while (_pos < _src.Length && char.IsAsciiHexDigit(_src[_pos]))
            {
                _pos++;
            }

            var hex = _src[digitsStart.._pos];
            return IntegerToken(start, hex, 16);
        }

        var isDouble = false;
        while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
        {
            _pos++;
        }

        if (_pos + 1 < _src.Length && _src[_pos] == '.' && char.IsAsciiDigit(_src[_pos + 1]))
        {
            isDouble = true;
            _pos++;
            while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
            {
                _pos++;
            }
        }

        if (_pos < _src.Length && _src[_pos] is 'e' or 'E')
        {
            var p = _pos + 1;
            if (p < _src.Length && _src[p] is '+' or '-')
            {
                p++;
            }

            if (p < _src.Length && char.IsAsciiDigit(_src[p]))
            {
                isDouble = true;
                _pos = p;
                while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
                {
                    _pos++;
                }
            }
        }

        if (isDouble)
        {
            var text = _src[start.._pos];
            var d = double.Parse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
            return new Token(TokenKind.Double, start, text, new CelDouble(d));
        }

        return IntegerToken(start, _src[start.._pos], 10);
    }

    private Token IntegerToken(int start, string digits, int radix)
    {
        var unsigned = false;
        if (_pos < _src.Length && _src[_pos] is 'u' or 'U')
        {
            unsigned = true;
            _pos++;
        }

        var text = _src[start.._pos];
        if (digits.Length == 0)
        {
            return new Token(TokenKind.Error, start, text, Error: "invalid int literal");
        }

        UInt128 value = 0;
        foreach (var ch in digits)
        {
            value = value * (uint)radix + (uint)Convert.ToInt32(ch.ToString(), 16);
            if (value > ulong.MaxValue)
            {
                return new Token(unsigned ? TokenKind.Uint : TokenKind.Int, start, text, Error: unsigned ? "invalid uint literal" : "invalid int literal");
            }
        }

        if (unsigned)
        {
            return new Token(TokenKind.Uint, start, text, new CelUint((ulong)value));
        }

        // The value is kept unsigned so that a leading minus can still form int64's minimum.
        return new Token(TokenKind.Int, start, text, new CelUint((ulong)value));
    }

    private Token StringLiteral(int start, bool raw, bool bytes)
    {
        var quote = _src[_pos];
        var triple = _pos + 2 < _src.Length && _src[_pos + 1] == quote && _src[_pos + 2] == quote;
        var delim = triple ? new string(quote, 3) : quote.ToString();
        _pos += delim.Length;
        var bodyStart = _pos;
        while (true)
        {
            if (_pos >= _src.Length)
            {
                return new Token(TokenKind.Error, start, _src[start..], Error: "unterminated string literal");
            }

            var c = _src[_pos];
            if (!triple && c is '\n' or '\r')
            {
                return new Token(TokenKind.Error, start, _src[start.._pos], Error: "unterminated string literal");
            }

            if (c == '\\' && !raw)
            {
                _pos += 2;
                continue;
            }

            if (string.CompareOrdinal(_src, _pos, delim, 0, delim.Length) == 0)
            {
                break;
            }

            _pos++;
        }

        var body = _src[bodyStart.._pos];
        _pos += delim.Length;
        var text = _src[start.._pos];
        if (raw)
        {
            return bytes
                ? new Token(TokenKind.Bytes, start, text, CelBytes.Own(System.Text.Encoding.UTF8.GetBytes(body)))
                : new Token(TokenKind.String, start, text, new CelString(body));
        }

        return Unescaper.Unescape(body, bytes) switch
        {
            { Error: { } error } => new Token(TokenKind.Error, start, text, Error: error),
            { Value: var value } => new Token(bytes ? TokenKind.Bytes : TokenKind.String, start, text, value),
        };
    }
}
