using System.Globalization;
using System.Text;

namespace StageSet.Cel.Tests.Conformance;

/// <summary>A protobuf text-format message: its fields in order (a field may repeat).</summary>
internal sealed class TextMessage
{
    public List<(string Name, object Value)> Fields { get; } = [];

    public IEnumerable<object> All(string name) => Fields.Where(f => f.Name == name).Select(f => f.Value);

    public IEnumerable<TextMessage> Messages(string name) => All(name).OfType<TextMessage>();

    public TextMessage? Message(string name) => Messages(name).FirstOrDefault();

    public TextScalar? Scalar(string name) => All(name).OfType<TextScalar>().FirstOrDefault();

    public string? String(string name) => Scalar(name)?.AsString();

    public bool Bool(string name) => Scalar(name)?.Text is "true" or "True" or "t" or "1";

    public bool Has(string name) => Fields.Any(f => f.Name == name);

    /// <summary>The whole message back as compact text, for skip detection and failure messages.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in Fields)
        {
            sb.Append(name);
            sb.Append(value is TextMessage m ? " { " + m + "} " : ": " + value + " ");
        }

        return sb.ToString();
    }
}

/// <summary>A scalar token: identifiers and numbers keep their text, strings their decoded bytes.</summary>
internal sealed record TextScalar(string Text, byte[]? Bytes)
{
    public string AsString() => Bytes is null ? Text : Encoding.UTF8.GetString(Bytes);

    public override string ToString() => Bytes is null ? Text : "\"" + AsString() + "\"";
}

/// <summary>
/// Parses protobuf text format as used by the cel-spec conformance files: nested messages with <c>{}</c> or
/// <c>&lt;&gt;</c>, optional <c>:</c>, <c>,</c> and <c>;</c>, comments, C-escaped and concatenated strings,
/// <c>[a, b]</c> lists, and expanded <c>Any</c> fields (<c>[type.googleapis.com/...] { ... }</c>).
/// </summary>
internal sealed class TextFormatParser
{
    private readonly string _text;
    private int _pos;

    private TextFormatParser(string text) => _text = text;

    public static TextMessage Parse(string text)
    {
        var p = new TextFormatParser(text);
        var msg = p.ParseFields(null);
        p.SkipTrivia();
        if (p._pos < text.Length)
        {
            throw p.Error("unexpected text");
        }

        return msg;
    }

    private FormatException Error(string message)
    {
        var line = _text.AsSpan(0, Math.Min(_pos, _text.Length)).Count('\n') + 1;
        return new FormatException($"textproto line {line}: {message}");
    }

    private void SkipTrivia()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '#')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
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

    private TextMessage ParseFields(char? close)
    {
        var msg = new TextMessage();
        while (true)
        {
            SkipTrivia();
            if (_pos >= _text.Length)
            {
                if (close is not null)
                {
                    throw Error("unexpected end of input");
                }

                return msg;
            }

            if (close is { } c && _text[_pos] == c)
            {
                _pos++;
                return msg;
            }

            var name = ParseFieldName();
            SkipTrivia();
            var colon = false;
            if (Peek() == ':')
            {
                colon = true;
                _pos++;
                SkipTrivia();
            }

            if (Peek() is '{' or '<')
            {
                var open = _text[_pos++];
                msg.Fields.Add((name, ParseFields(open == '{' ? '}' : '>')));
            }
            else if (Peek() == '[' && colon)
            {
                _pos++;
                while (true)
                {
                    SkipTrivia();
                    if (Peek() == ']')
                    {
                        _pos++;
                        break;
                    }

                    msg.Fields.Add((name, Peek() is '{' or '<' ? ParseNested() : ParseScalar()));
                    SkipTrivia();
                    if (Peek() == ',')
                    {
                        _pos++;
                    }
                }
            }
            else
            {
                if (!colon)
                {
                    throw Error($"expected ':' after field '{name}'");
                }

                msg.Fields.Add((name, ParseScalar()));
            }

            SkipTrivia();
            if (Peek() is ',' or ';')
            {
                _pos++;
            }
        }
    }

    private TextMessage ParseNested()
    {
        var open = _text[_pos++];
        return ParseFields(open == '{' ? '}' : '>');
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private string ParseFieldName()
    {
        if (Peek() == '[')
        {
            var end = _text.IndexOf(']', _pos);
            if (end < 0)
            {
                throw Error("unterminated extension name");
            }

            var name = _text[_pos..(end + 1)];
            _pos = end + 1;
            return name;
        }

        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
        {
            _pos++;
        }

        if (start == _pos)
        {
            throw Error($"expected a field name at '{Peek()}'");
        }

        return _text[start.._pos];
    }

    private TextScalar ParseScalar()
    {
        if (Peek() is '"' or '\'')
        {
            var bytes = new List<byte>();
            while (Peek() is '"' or '\'')
            {
                ReadString(bytes);
                SkipTrivia();
            }

            return new TextScalar("", [.. bytes]);
        }

        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '-' or '+' or '.'))
        {
            _pos++;
        }

        if (start == _pos)
        {
            throw Error($"expected a value at '{Peek()}'");
        }

        return new TextScalar(_text[start.._pos], null);
    }

    private void ReadString(List<byte> output)
    {
        var quote = _text[_pos++];
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("unterminated string");
            }

            var c = _text[_pos++];
            if (c == quote)
            {
                return;
            }

            if (c != '\\')
            {
                var len = char.IsHighSurrogate(c) ? 2 : 1;
                output.AddRange(Encoding.UTF8.GetBytes(_text.Substring(_pos - 1, len)));
                _pos += len - 1;
                continue;
            }

            var e = _text[_pos++];
            switch (e)
            {
                case 'a':
                    output.Add(7);
                    break;
                case 'b':
                    output.Add(8);
                    break;
                case 'f':
                    output.Add(12);
                    break;
                case 'n':
                    output.Add(10);
                    break;
                case 'r':
                    output.Add(13);
                    break;
                case 't':
                    output.Add(9);
                    break;
                case 'v':
                    output.Add(11);
                    break;
                case 'x' or 'X':
                    var hexStart = _pos;
                    while (_pos < _text.Length && _pos - hexStart < 2 && char.IsAsciiHexDigit(_text[_pos]))
                    {
                        _pos++;
                    }

                    output.Add(byte.Parse(_text[hexStart.._pos], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    break;
                case 'u' or 'U':
                    var n = e == 'u' ? 4 : 8;
                    var cp = int.Parse(_text.Substring(_pos, n), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    _pos += n;
                    output.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(cp)));
                    break;
                case >= '0' and <= '7':
                    var value = e - '0';
                    for (var i = 0; i < 2 && _pos < _text.Length && _text[_pos] is >= '0' and <= '7'; i++)
                    {
                        value = value * 8 + (_text[_pos++] - '0');
                    }

                    output.Add((byte)value);
                    break;
                default:
                    output.AddRange(Encoding.UTF8.GetBytes(e.ToString()));
                    break;
            }
        }
    }
}
