using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StageSet.Manifests.Yaml;

/// <summary>
/// Writes JSON as YAML byte-for-byte the way sigs.k8s.io/yaml's <c>JSONToYAML</c>/<c>Marshal</c> (go-yaml v2, a
/// libyaml port) does, so our output diffs cleanly against <c>kubectl -o yaml</c> and <c>flux build</c>: keys in
/// go-yaml's natural order, block style with sequences unindented under keys, <c>{}</c>/<c>[]</c> for empty
/// collections, strings double-quoted when they would read back as another type, literal blocks for multi-line
/// strings, and libyaml's scalar analysis, escaping and folding at 80 columns.
/// </summary>
/// <remarks>
/// YamlDotNet's emitter differs from libyaml in details that show up in real manifests (tabs, trailing spaces
/// before line breaks, single quotes, keep-chomping), so this is a small emitter of its own. Parsing still uses
/// YamlDotNet.
/// </remarks>
internal sealed class JsonToYaml
{
    private const int BestIndent = 2;
    private const int BestWidth = 80;
    private const int MaxSimpleKeyBytes = 128;

    private readonly StringBuilder _out = new();
    private readonly Stack<int> _indents = new();
    private int _indent = -1;
    private int _column;
    private bool _whitespace = true;
    private bool _indention = true;

    private enum Style
    {
        Plain,
        SingleQuoted,
        DoubleQuoted,
        Literal,
    }

    public static string Serialize(JsonNode? node)
    {
        var emitter = new JsonToYaml();
        emitter.EmitNode(node, mappingContext: false, simpleKey: false);
        emitter.WriteIndent();
        return emitter._out.ToString();
    }

    /// <summary>A JSON number as go-yaml re-reads and writes it: exact integers within 64 bits, otherwise Go's 'g' float.</summary>
    internal static string FormatNumber(JsonValue value)
    {
        var text = value.ToJsonString();
        var r = ScalarResolver.ResolvePlain(text);
        return r.Kind switch
        {
            ScalarKind.Int => r.Int.ToString(CultureInfo.InvariantCulture),
            ScalarKind.UInt => r.UInt.ToString(CultureInfo.InvariantCulture),
            ScalarKind.Float => GoFloat.FormatYaml(r.Float),
            _ => text,
        };
    }

    private void EmitNode(JsonNode? node, bool mappingContext, bool simpleKey)
    {
        switch (node)
        {
            case JsonObject { Count: 0 }:
                EmitEmptyFlow("{", "}");
                break;
            case JsonObject obj:
                EmitMapping(obj);
                break;
            case JsonArray { Count: 0 }:
                EmitEmptyFlow("[", "]");
                break;
            case JsonArray array:
                EmitSequence(array, mappingContext);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                EmitString(value.GetValue<string>(), simpleKey);
                break;
            case JsonValue value when value.GetValueKind() is JsonValueKind.Object or JsonValueKind.Array:
                // A JsonValue wrapping a JsonElement object/array: go through its JSON.
                EmitNode(JsonNode.Parse(value.ToJsonString()), mappingContext, simpleKey);
                break;
            case JsonValue value:
                EmitScalar(ScalarText(value), Style.Plain, simpleKey);
                break;
            default:
                EmitScalar("null", Style.Plain, simpleKey);
                break;
        }
    }

    private static string ScalarText(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => FormatNumber(value),
        _ => "null",
    };

    private void EmitMapping(JsonObject obj)
    {
        IncreaseIndent(flow: false, indentless: false);
        var keys = obj.Select(p => p.Key).ToList();
        keys.Sort(GoKeyOrder.Instance);
        foreach (var key in keys)
        {
            WriteIndent();
            var analysis = ScalarAnalysis.Of(key);
            if (!analysis.Multiline && Encoding.UTF8.GetByteCount(key) <= MaxSimpleKeyBytes)
            {
                EmitString(key, simpleKey: true);
                WriteIndicator(":", needWhitespace: false, isWhitespace: false, isIndention: false);
            }
            else
            {
                WriteIndicator("?", needWhitespace: true, isWhitespace: false, isIndention: true);
                EmitString(key, simpleKey: false);
                WriteIndent();
                WriteIndicator(":", needWhitespace: true, isWhitespace: false, isIndention: true);
            }

            EmitNode(obj[key], mappingContext: true, simpleKey: false);
        }

        _indent = _indents.Pop();
    }

    private void EmitSequence(JsonArray array, bool mappingContext)
    {
        IncreaseIndent(flow: false, indentless: mappingContext && !_indention);
        foreach (var item in array)
        {
            WriteIndent();
            WriteIndicator("-", needWhitespace: true, isWhitespace: false, isIndention: true);
            EmitNode(item, mappingContext: false, simpleKey: false);
        }

        _indent = _indents.Pop();
    }

    private void EmitEmptyFlow(string open, string close)
    {
        WriteIndicator(open, needWhitespace: true, isWhitespace: true, isIndention: false);
        WriteIndicator(close, needWhitespace: false, isWhitespace: false, isIndention: false);
    }

    // go-yaml asks for a literal block when the string has a newline, plain when it reads back as the same string,
    // double quotes otherwise; the scalar analysis may then overrule it.
    private void EmitString(string s, bool simpleKey)
    {
        var style = s.Contains('\n', StringComparison.Ordinal)
            ? Style.Literal
            : ScalarResolver.ReadsBackAsString(s) ? Style.Plain : Style.DoubleQuoted;
        EmitScalar(s, style, simpleKey);
    }

    private void EmitScalar(string value, Style requested, bool simpleKey)
    {
        var a = ScalarAnalysis.Of(value);
        var style = requested;
        if (simpleKey && a.Multiline)
        {
            style = Style.DoubleQuoted;
        }

        if (style == Style.Plain)
        {
            if (!a.BlockPlainAllowed || (value.Length == 0 && simpleKey))
            {
                style = Style.SingleQuoted;
            }
        }

        if (style == Style.SingleQuoted && !a.SingleQuotedAllowed)
        {
            style = Style.DoubleQuoted;
        }

        if (style == Style.Literal && (!a.BlockAllowed || simpleKey))
        {
            style = Style.DoubleQuoted;
        }

        IncreaseIndent(flow: true, indentless: false);
        var runes = Runes(value);
        switch (style)
        {
            case Style.Plain:
                WritePlain(runes, allowBreaks: !simpleKey);
                break;
            case Style.SingleQuoted:
                WriteSingleQuoted(runes, allowBreaks: !simpleKey);
                break;
            case Style.DoubleQuoted:
                WriteDoubleQuoted(runes, allowBreaks: !simpleKey);
                break;
            default:
                WriteLiteral(runes);
                break;
        }

        _indent = _indents.Pop();
    }

    private void IncreaseIndent(bool flow, bool indentless)
    {
        _indents.Push(_indent);
        if (_indent < 0)
        {
            _indent = flow ? BestIndent : 0;
        }
        else if (!indentless)
        {
            _indent += BestIndent;
        }
    }

    private void WriteIndent()
    {
        var indent = Math.Max(_indent, 0);
        if (!_indention || _column > indent || (_column == indent && !_whitespace))
        {
            PutBreak();
        }

        while (_column < indent)
        {
            Put(' ');
        }

        _whitespace = true;
        _indention = true;
    }

    private void WriteIndicator(string indicator, bool needWhitespace, bool isWhitespace, bool isIndention)
    {
        if (needWhitespace && !_whitespace)
        {
            Put(' ');
        }

        _out.Append(indicator);
        _column += indicator.Length;
        _whitespace = isWhitespace;
        _indention = _indention && isIndention;
    }

    private void WritePlain(int[] value, bool allowBreaks)
    {
        if (!_whitespace)
        {
            Put(' ');
        }

        WriteFolding(value, allowBreaks, singleQuoted: false);
        _whitespace = false;
        _indention = false;
    }

    private void WriteSingleQuoted(int[] value, bool allowBreaks)
    {
        WriteIndicator("'", needWhitespace: true, isWhitespace: false, isIndention: false);
        WriteFolding(value, allowBreaks, singleQuoted: true);
        WriteIndicator("'", needWhitespace: false, isWhitespace: false, isIndention: false);
        _whitespace = false;
        _indention = false;
    }

    // The body of plain and single-quoted scalars: a single space past the width becomes a line break, a line
    // break is written twice (once for the folding), quotes are doubled inside single quotes.
    private void WriteFolding(int[] value, bool allowBreaks, bool singleQuoted)
    {
        var spaces = false;
        var breaks = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == ' ')
            {
                var nextIsSpace = i + 1 < value.Length && value[i + 1] == ' ';
                var inside = !singleQuoted || (i > 0 && i < value.Length - 1);
                if (allowBreaks && !spaces && _column > BestWidth && inside && !nextIsSpace)
                {
                    WriteIndent();
                }
                else
                {
                    Write(c);
                }

                spaces = true;
            }
            else if (ScalarAnalysis.IsBreak(c))
            {
                if (!breaks && c == '\n')
                {
                    PutBreak();
                }

                WriteBreak(c);
                _indention = true;
                breaks = true;
            }
            else
            {
                if (breaks)
                {
                    WriteIndent();
                }

                if (singleQuoted && c == '\'')
                {
                    Put('\'');
                }

                Write(c);
                _indention = false;
                spaces = false;
                breaks = false;
            }
        }
    }

    private void WriteDoubleQuoted(int[] value, bool allowBreaks)
    {
        WriteIndicator("\"", needWhitespace: true, isWhitespace: false, isIndention: false);
        var spaces = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!ScalarAnalysis.IsPrintable(c) || c == 0xFEFF || ScalarAnalysis.IsBreak(c) || c == '"' || c == '\\')
            {
                Put('\\');
                var escape = c switch
                {
                    0x00 => "0",
                    0x07 => "a",
                    0x08 => "b",
                    0x09 => "t",
                    0x0A => "n",
                    0x0B => "v",
                    0x0C => "f",
                    0x0D => "r",
                    0x1B => "e",
                    0x22 => "\"",
                    0x5C => "\\",
                    0x85 => "N",
                    0xA0 => "_",
                    0x2028 => "L",
                    0x2029 => "P",
                    <= 0xFF => "x" + c.ToString("X2", CultureInfo.InvariantCulture),
                    <= 0xFFFF => "u" + c.ToString("X4", CultureInfo.InvariantCulture),
                    _ => "U" + c.ToString("X8", CultureInfo.InvariantCulture),
                };
                _out.Append(escape);
                _column += escape.Length;
                spaces = false;
            }
            else if (c == ' ')
            {
                if (allowBreaks && !spaces && _column > BestWidth && i > 0 && i < value.Length - 1)
                {
                    WriteIndent();
                    if (value[i + 1] == ' ')
                    {
                        Put('\\');
                    }
                }
                else
                {
                    Write(c);
                }

                spaces = true;
            }
            else
            {
                Write(c);
                spaces = false;
            }
        }

        WriteIndicator("\"", needWhitespace: false, isWhitespace: false, isIndention: false);
        _whitespace = false;
        _indention = false;
    }

    private void WriteLiteral(int[] value)
    {
        WriteIndicator("|", needWhitespace: true, isWhitespace: false, isIndention: false);
        WriteBlockScalarHints(value);
        PutBreak();
        _indention = true;
        _whitespace = true;
        var breaks = true;
        foreach (var c in value)
        {
            if (ScalarAnalysis.IsBreak(c))
            {
                WriteBreak(c);
                _indention = true;
                breaks = true;
            }
            else
            {
                if (breaks)
                {
                    WriteIndent();
                }

                Write(c);
                _indention = false;
                breaks = false;
            }
        }
    }

    private void WriteBlockScalarHints(int[] value)
    {
        if (value.Length > 0 && (value[0] == ' ' || ScalarAnalysis.IsBreak(value[0])))
        {
            WriteIndicator(BestIndent.ToString(CultureInfo.InvariantCulture), needWhitespace: false, isWhitespace: false, isIndention: false);
        }

        string? chomp = null;
        if (value.Length == 0 || !ScalarAnalysis.IsBreak(value[^1]))
        {
            chomp = "-";
        }
        else if (value.Length == 1 || ScalarAnalysis.IsBreak(value[^2]))
        {
            chomp = "+";
        }

        if (chomp is not null)
        {
            WriteIndicator(chomp, needWhitespace: false, isWhitespace: false, isIndention: false);
        }
    }

    private void Put(char c)
    {
        _out.Append(c);
        _column++;
    }

    private void PutBreak()
    {
        _out.Append('\n');
        _column = 0;
    }

    private void Write(int rune)
    {
        if (rune < 0x10000)
        {
            _out.Append((char)rune);
        }
        else
        {
            _out.Append(char.ConvertFromUtf32(rune));
        }

        _column++;
    }

    private void WriteBreak(int rune)
    {
        if (rune == '\n')
        {
            PutBreak();
        }
        else
        {
            Write(rune);
            _column = 0;
        }
    }

    private static int[] Runes(string s)
    {
        var list = new List<int>(s.Length);
        foreach (var r in s.EnumerateRunes())
        {
            list.Add(r.Value);
        }

        return [.. list];
    }
}
