using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;

namespace StageSet.Cel.Library;

/// <summary>
/// RE2 patterns (what CEL's <c>matches</c> specifies) on top of .NET regular expressions. The translation makes the
/// differences that matter explicit: RE2's <c>\d \w \s</c> and POSIX classes are ASCII-only, <c>$</c> means end of
/// text unless <c>(?m)</c> is on, <c>.</c> consumes a whole code point, <c>(?P&lt;name&gt;)</c> and <c>\Q..\E</c> are
/// rewritten, and constructs RE2 rejects (backreferences, lookaround, atomic groups, <c>\Z</c>) are rejected here too.
/// Matching runs with <see cref="RegexOptions.NonBacktracking"/>, so like RE2 it takes linear time.
/// </summary>
internal static class Re2
{
    private static readonly FrozenDictionary<string, string> Posix = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z",
        ["alpha"] = "A-Za-z",
        ["ascii"] = "\\x00-\\x7F",
        ["blank"] = "\\t ",
        ["cntrl"] = "\\x00-\\x1F\\x7F",
        ["digit"] = "0-9",
        ["graph"] = "!-~",
        ["lower"] = "a-z",
        ["print"] = " -~",
        ["punct"] = "!-/:-@\\[-`{-~",
        ["space"] = "\\t\\n\\v\\f\\r ",
        ["upper"] = "A-Z",
        ["word"] = "0-9A-Za-z_",
        ["xdigit"] = "0-9A-Fa-f",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Compiles an RE2 pattern, or returns the reason it is not a valid RE2 pattern.</summary>
    public static (Regex? Regex, string? Error) Compile(string pattern)
    {
        var translated = Translate(pattern, out var error);
        if (translated is null)
        {
            return (null, $"invalid regular expression '{pattern}': {error}");
        }

        try
        {
            var regex = new Regex(translated, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            return (regex, null);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return (null, $"invalid regular expression '{pattern}': {e.Message}");
        }
    }

    private static string? Translate(string p, out string? error)
    {
        error = null;
        var sb = new StringBuilder(p.Length + 16);
        var multiline = Regex.IsMatch(p, @"\(\?[imsU]*m");
        var inClass = false;
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '\\')
            {
                if (i + 1 >= p.Length)
                {
                    error = "trailing backslash at end of expression";
                    return null;
                }

                var e = p[++i];
                switch (e)
                {
                    case 'd':
                        sb.Append(inClass ? "0-9" : "[0-9]");
                        break;
                    case 'D':
                        sb.Append(inClass ? "\\D" : "[^0-9]");
                        break;
                    case 'w':
                        sb.Append(inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]");
                        break;
                    case 'W':
                        sb.Append(inClass ? "\\W" : "[^0-9A-Za-z_]");
                        break;
                    case 's':
                        sb.Append(inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]");
                        break;
                    case 'S':
                        sb.Append(inClass ? "\\S" : "[^\\t\\n\\f\\r ]");
                        break;
                    case 'p' or 'P':
                        if (i + 1 < p.Length && p[i + 1] != '{')
                        {
                            sb.Append('\\').Append(e).Append('{').Append(p[++i]).Append('}');
                        }
                        else
                        {
                            sb.Append('\\').Append(e);
                        }

                        break;
                    case 'Q':
                        var end = p.IndexOf("\\E", i + 1, StringComparison.Ordinal);
                        var literal = end < 0 ? p[(i + 1)..] : p[(i + 1)..end];
                        sb.Append(Regex.Escape(literal));
                        i = end < 0 ? p.Length : end + 1;
                        break;
                    case 'Z' or 'C' or 'G' or 'k' or 'K' or 'R' or 'X':
                        error = $"invalid escape sequence: \\{e}";
                        return null;
                    case >= '1' and <= '9':
                        error = $"invalid escape sequence: \\{e}";
                        return null;
                    default:
                        sb.Append('\\').Append(e);
                        break;
                }

                continue;
            }

            if (inClass)
            {
                if (c == '[' && i + 1 < p.Length && p[i + 1] == ':')
                {
                    var close = p.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    if (close > 0 && Posix.TryGetValue(p[(i + 2)..close], out var set))
                    {
                        sb.Append(set);
                        i = close + 1;
                        continue;
                    }
                }

                if (c == '[')
                {
                    sb.Append("\\[");
                    continue;
                }

                if (c == ']')
                {
                    inClass = false;
                }

                sb.Append(c);
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    sb.Append(c);
                    if (i + 1 < p.Length && p[i + 1] == '^')
                    {
                        sb.Append('^');
                        i++;
                    }

                    // A ']' first in a class is a literal in RE2.
                    if (i + 1 < p.Length && p[i + 1] == ']')
                    {
                        sb.Append("\\]");
                        i++;
                    }

                    break;
                case '(' when i + 1 < p.Length && p[i + 1] == '?':
                    var rest = p.AsSpan(i + 2);
                    if (rest.StartsWith("P<"))
                    {
                        sb.Append("(?<");
                        i += 3;
                    }
                    else if (rest.StartsWith("=") || rest.StartsWith("!") || rest.StartsWith("<=") || rest.StartsWith("<!") ||
                             rest.StartsWith(">") || rest.StartsWith("#") || rest.StartsWith("("))
                    {
                        error = "invalid or unsupported Perl syntax: '(?" + rest[..Math.Min(2, rest.Length)].ToString() + "'";
                        return null;
                    }
                    else
                    {
                        var flagEnd = i + 2;
                        while (flagEnd < p.Length && p[flagEnd] is not (')' or ':'))
                        {
                            if (p[flagEnd] is not ('i' or 'm' or 's' or 'U' or '-'))
                            {
                                error = "invalid or unsupported Perl syntax";
                                return null;
                            }

                            flagEnd++;
                        }

                        var flags = p[(i + 2)..flagEnd];
                        if (flags.Contains('U', StringComparison.Ordinal))
                        {
                            error = "ungreedy mode (?U) is not supported";
                            return null;
                        }

                        sb.Append("(?").Append(flags);
                        i = flagEnd - 1;
                    }

                    break;
                case '$':
                    sb.Append(multiline ? "$" : "\\z");
                    break;
                case '.':
                    // One whole code point (a surrogate pair), else .NET's '.' with the same newline rule.
                    sb.Append("(?:[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]|.)");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        if (inClass)
        {
            error = "missing closing ]";
            return null;
        }

        return sb.ToString();
    }
}
