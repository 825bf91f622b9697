using System.Text;

namespace StageSet.Cel;

/// <summary>One problem found while parsing or checking, at a 1-based line and column (columns count code points).</summary>
public sealed record CelIssue(string Message, int Line, int Column)
{
    /// <summary><c>ERROR: &lt;input&gt;:1:8: message</c>, as cel-go prints it.</summary>
    public override string ToString() => $"ERROR: <input>:{Line}:{Column}: {Message}";
}

/// <summary>The source text of an expression; turns offsets into positions and renders issues with a caret line.</summary>
internal sealed class CelSource
{
    private readonly int[] _lineStarts;

    public CelSource(string text)
    {
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    public string Text { get; }

    /// <summary>1-based line and column of a UTF-16 offset.</summary>
    public (int Line, int Column) Position(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        var start = _lineStarts[line];
        var column = 0;
        for (var i = start; i < offset; i++)
        {
            if (!char.IsLowSurrogate(Text[i]))
            {
                column++;
            }
        }

        return (line + 1, column + 1);
    }

    public CelIssue Issue(int offset, string message)
    {
        var (line, column) = Position(offset);
        return new CelIssue(message, line, column);
    }

    /// <summary>All issues in cel-go's display form: the message, then the source line and a caret under the column.</summary>
    public string Render(IEnumerable<CelIssue> issues)
    {
        var sb = new StringBuilder();
        foreach (var issue in issues.OrderBy(i => i.Line).ThenBy(i => i.Column))
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append(issue);
            var lineText = LineText(issue.Line);
            if (lineText is null)
            {
                continue;
            }

            sb.Append("\n | ").Append(lineText.Replace('\t', ' ')).Append("\n | ");
            var col = 1;
            foreach (var rune in lineText.EnumerateRunes())
            {
                if (col >= issue.Column)
                {
                    break;
                }

                sb.Append(rune.Utf16SequenceLength > 1 || rune.Value > 0x2E80 ? '\uff0e' : '.');
                col++;
            }

            sb.Append('^');
        }

        return sb.ToString();
    }

    private string? LineText(int line)
    {
        if (line < 1 || line > _lineStarts.Length)
        {
            return null;
        }

        var start = _lineStarts[line - 1];
        var end = line < _lineStarts.Length ? _lineStarts[line] - 1 : Text.Length;
        return Text[start..end].TrimEnd('\r');
    }
}
