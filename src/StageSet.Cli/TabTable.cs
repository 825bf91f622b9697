using System.Text;

namespace StageSet.Cli;

/// <summary>
/// Columns aligned like Go's tabwriter with min width 0 and padding 2: every cell but a row's last is padded to
/// its column's widest cell plus two spaces.
/// </summary>
internal sealed class TabTable(string indent = "")
{
    private readonly List<string[]> _rows = [];

    public TabTable Add(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var columns = _rows.Count == 0 ? 0 : _rows.Max(r => r.Length);
        var widths = new int[columns];
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length - 1; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var sb = new StringBuilder();
        foreach (var row in _rows)
        {
            sb.Append(indent);
            for (var i = 0; i < row.Length; i++)
            {
                sb.Append(i < row.Length - 1 ? row[i].PadRight(widths[i] + 2) : row[i]);
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }
}
