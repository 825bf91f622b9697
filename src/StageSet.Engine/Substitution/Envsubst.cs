using System.Globalization;
using System.Text;

namespace StageSet.Engine.Substitution;

/// <summary>
/// Flux's envsubst (fluxcd/pkg/envsubst): bash-style <c>${...}</c> expansion over text. Bare <c>$var</c> is literal;
/// <c>$$</c> emits <c>$</c>. In strict mode (the controller's mode) a variable referenced without a default-style
/// operator must exist.
/// </summary>
public static class Envsubst
{
    /// <summary>Expands every expression in <paramref name="text"/>.</summary>
    /// <exception cref="SubstitutionException">Malformed expression, or an unset variable in strict mode.</exception>
    public static string Evaluate(string text, IReadOnlyDictionary<string, string> variables, bool strict = true)
    {
        var root = EnvsubstParser.Parse(text);
        var output = new StringBuilder(text.Length);
        Eval(root, variables, strict, output);
        return output.ToString();
    }

    private static void Eval(EnvsubstNode node, IReadOnlyDictionary<string, string> vars, bool strict, StringBuilder output)
    {
        switch (node)
        {
            case TextNode text:
                output.Append(text.Value);
                break;
            case ListNode list:
                foreach (var child in list.Nodes)
                {
                    Eval(child, vars, strict, output);
                }

                break;
            case FuncNode func:
                output.Append(EvalFunc(func, vars, strict));
                break;
        }
    }

    private static string EvalFunc(FuncNode func, IReadOnlyDictionary<string, string> vars, bool strict)
    {
        // Arguments are expanded first, as Flux does, so an unset variable inside a default still fails strictly.
        var args = new List<string>(func.Args.Count);
        foreach (var arg in func.Args)
        {
            var sb = new StringBuilder();
            Eval(arg, vars, strict, sb);
            args.Add(sb.ToString());
        }

        var exists = vars.TryGetValue(func.Param, out var value);
        value ??= "";
        if (!exists && strict && !IsDefaultOp(func.Op))
        {
            throw new SubstitutionException($"variable not set (strict mode): \"{func.Param}\"");
        }

        return func.Op switch
        {
            "," => LowerFirst(value),
            ",," => value.ToLowerInvariant(),
            "^" => UpperFirst(value),
            "^^" => value.ToUpperInvariant(),
            "#" when args.Count == 0 => Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture),
            "#" => TrimPrefix(value, args[0], longest: false),
            "##" => TrimPrefix(value, args[0], longest: true),
            "%" => TrimSuffix(value, args[0], longest: false),
            "%%" => TrimSuffix(value, args[0], longest: true),
            ":" => Substring(value, args),
            "/" => Replace(value, args, count: 1),
            "//" => Replace(value, args, count: -1),
            "/#" => args.Count == 2 && value.StartsWith(args[0], StringComparison.Ordinal) ? args[1] + value[args[0].Length..] : value,
            "/%" => args.Count == 2 && value.EndsWith(args[0], StringComparison.Ordinal) ? value[..^args[0].Length] + args[1] : value,
            // Bash's "use default only when unset" form; Flux's parser rejects it, the spec documents it.
            "-" => exists ? value : string.Concat(args),
            _ => value.Length == 0 && args.Count > 0 ? string.Concat(args) : value,
        };
    }

    private static bool IsDefaultOp(string op) => op is "-" or "+" or "=" or "?" or ":-" or ":+" or ":=" or ":?";

    private static string LowerFirst(string s) =>
        s.Length == 0 ? s : char.IsSurrogate(s[0]) ? s : char.ToLowerInvariant(s[0]) + s[1..];

    private static string UpperFirst(string s) =>
        s.Length == 0 ? s : char.IsSurrogate(s[0]) ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary><c>${v:pos}</c> / <c>${v:pos:len}</c> over UTF-8 bytes, with bash's negative offsets.</summary>
    internal static string Substring(string value, IReadOnlyList<string> args)
    {
        var s = Encoding.UTF8.GetBytes(value);
        if (args.Count == 0 || !int.TryParse(args[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var pos))
        {
            return value;
        }

        if (pos < 0)
        {
            pos = Math.Max(0, s.Length + pos);
        }

        if (args.Count == 1)
        {
            return pos < s.Length ? Encoding.UTF8.GetString(s, pos, s.Length - pos) : "";
        }

        if (!int.TryParse(args[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var length))
        {
            return value;
        }

        if (length < 0)
        {
            var end = s.Length + length;
            return end < pos ? "" : Encoding.UTF8.GetString(s, pos, end - pos);
        }

        if (pos + length >= s.Length)
        {
            return pos < s.Length ? Encoding.UTF8.GetString(s, pos, s.Length - pos) : "";
        }

        return Encoding.UTF8.GetString(s, pos, length);
    }

    /// <summary>Literal (not glob) replacement; an empty pattern inserts, as Go's <c>strings.Replace</c> does.</summary>
    private static string Replace(string value, List<string> args, int count)
    {
        if (args.Count == 0)
        {
            return value;
        }

        var pattern = args[0];
        var replacement = args.Count > 1 ? args[1] : "";
        if (pattern.Length == 0)
        {
            if (count == 1)
            {
                return replacement + value;
            }

            var sb = new StringBuilder(replacement);
            foreach (var rune in value.EnumerateRunes())
            {
                sb.Append(rune.ToString()).Append(replacement);
            }

            return sb.ToString();
        }

        if (count < 0)
        {
            return value.Replace(pattern, replacement, StringComparison.Ordinal);
        }

        var at = value.IndexOf(pattern, StringComparison.Ordinal);
        return at < 0 ? value : value[..at] + replacement + value[(at + pattern.Length)..];
    }

    private static string TrimPrefix(string value, string pattern, bool longest)
    {
        // Candidates are the non-empty prefixes; the longest or the shortest one matching the glob is removed.
        string? match = null;
        for (var length = value.Length; length > 0; length--)
        {
            switch (Glob.Match(pattern, value[..length]))
            {
                case null:
                    return value;
                case true:
                    match = value[..length];
                    if (longest)
                    {
                        return value[length..];
                    }

                    break;
            }
        }

        return match is null ? value : value[match.Length..];
    }

    private static string TrimSuffix(string value, string pattern, bool longest) =>
        Reverse(TrimPrefix(Reverse(value), Reverse(pattern), longest));

    private static string Reverse(string s)
    {
        var runes = s.EnumerateRunes().ToArray();
        Array.Reverse(runes);
        return string.Concat(runes.Select(r => r.ToString()));
    }
}
