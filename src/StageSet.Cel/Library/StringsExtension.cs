using System.Globalization;
using System.Text;

namespace StageSet.Cel.Library;

/// <summary>cel-go's strings extension (as Kubernetes and Flux enable it): all indexes count code points.</summary>
internal static class StringsExtension
{
    public static void Register(FunctionSetBuilder b)
    {
        var str = CelType.String;
        var intT = CelType.Int;
        var listStr = CelType.List(str);
        b.Member("charAt", "string_char_at_int", [str, intT], str, CharAt);
        b.Member("indexOf", "string_index_of_string", [str, str], intT, (s, sub) => IndexOf(s, sub, CelInt.Of(0)));
        b.Member("indexOf", "string_index_of_string_int", [str, str, intT], intT, a => IndexOf(a[0], a[1], a[2]));
        b.Member("lastIndexOf", "string_last_index_of_string", [str, str], intT, (s, sub) => LastIndexOf(s, sub, null));
        b.Member("lastIndexOf", "string_last_index_of_string_int", [str, str, intT], intT, a => LastIndexOf(a[0], a[1], a[2]));
        b.Member("lowerAscii", "string_lower_ascii", [str], str, s => new CelString(MapAscii(((CelString)s).Value, upper: false)));
        b.Member("upperAscii", "string_upper_ascii", [str], str, s => new CelString(MapAscii(((CelString)s).Value, upper: true)));
        b.Member("replace", "string_replace_string_string", [str, str, str], str, a => Replace(a[0], a[1], a[2], -1));
        b.Member("replace", "string_replace_string_string_int", [str, str, str, intT], str,
            a => Replace(a[0], a[1], a[2], ((CelInt)a[3]).Value));
        b.Member("split", "string_split_string", [str, str], listStr, (s, sep) => Split(s, sep, -1));
        b.Member("split", "string_split_string_int", [str, str, intT], listStr, a => Split(a[0], a[1], ((CelInt)a[2]).Value));
        b.Member("substring", "string_substring_int", [str, intT], str, (s, start) => Substring(s, start, null));
        b.Member("substring", "string_substring_int_int", [str, intT, intT], str, a => Substring(a[0], a[1], a[2]));
        b.Member("trim", "string_trim", [str], str, s => new CelString(TrimSpace(((CelString)s).Value)));
        b.Member("join", "list_join", [listStr], str, l => Join(l, ""));
        b.Member("join", "list_join_string", [listStr, str], str, (l, sep) => Join(l, ((CelString)sep).Value));
        b.Member("reverse", "string_reverse", [str], str, Reverse);
        b.Global("strings.quote", "strings_quote", [str], str, s => new CelString(Quoting.Quote(((CelString)s).Value)));
        b.Member("format", "string_format", [str, CelType.ListOfDyn], str, (f, args) => StringFormatter.Format(((CelString)f).Value, (CelList)args));
    }

    private static CelError OutOfRange(long index) => new("index out of range: " + index.ToString(CultureInfo.InvariantCulture));

    private static CelValue CharAt(CelValue s, CelValue index)
    {
        var str = ((CelString)s).Value;
        var i = ((CelInt)index).Value;
        var offset = CodePoints.Utf16Offset(str, i);
        if (offset < 0)
        {
            return OutOfRange(i);
        }

        if (offset == str.Length)
        {
            return CelString.Empty;
        }

        var len = char.IsHighSurrogate(str[offset]) && offset + 1 < str.Length ? 2 : 1;
        return new CelString(str.Substring(offset, len));
    }

    private static CelValue IndexOf(CelValue s, CelValue sub, CelValue start)
    {
        var runes = Runes(((CelString)s).Value);
        var needle = Runes(((CelString)sub).Value);
        var offset = ((CelInt)start).Value;
        if (offset < 0 || offset > runes.Length)
        {
            return OutOfRange(offset);
        }

        for (var i = (int)offset; i <= runes.Length - needle.Length; i++)
        {
            if (runes.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return CelInt.Of(i);
            }
        }

        return CelInt.Of(-1);
    }

    private static CelValue LastIndexOf(CelValue s, CelValue sub, CelValue? start)
    {
        var runes = Runes(((CelString)s).Value);
        var needle = Runes(((CelString)sub).Value);
        long offset = runes.Length;
        if (start is CelInt { Value: var i })
        {
            if (i < 0 || i >= runes.Length)
            {
                return OutOfRange(i);
            }

            offset = i;
        }

        if (needle.Length == 0)
        {
            return CelInt.Of(offset);
        }

        for (var j = (int)Math.Min(offset, runes.Length - needle.Length); j >= 0; j--)
        {
            if (runes.AsSpan(j, needle.Length).SequenceEqual(needle))
            {
                return CelInt.Of(j);
            }
        }

        return CelInt.Of(-1);
    }

    private static int[] Runes(string s) => [.. s.EnumerateRunes().Select(r => r.Value)];

    private static string MapAscii(string s, bool upper)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (upper && c is >= 'a' and <= 'z')
            {
                chars[i] = (char)(c - 32);
            }
            else if (!upper && c is >= 'A' and <= 'Z')
            {
                chars[i] = (char)(c + 32);
            }
        }

        return new string(chars);
    }

    /// <summary>Go's <c>strings.Replace</c>: an empty <paramref name="from"/> inserts between code points.</summary>
    private static CelValue Replace(CelValue s, CelValue from, CelValue to, long limit)
    {
        var str = ((CelString)s).Value;
        var old = ((CelString)from).Value;
        var replacement = ((CelString)to).Value;
        if (limit == 0)
        {
            return s;
        }

        var sb = new StringBuilder();
        var count = 0L;
        var pos = 0;
        while (limit < 0 || count < limit)
        {
            int found;
            if (old.Length == 0)
            {
                if (pos > str.Length)
                {
                    break;
                }

                found = pos;
            }
            else
            {
                found = str.IndexOf(old, pos, StringComparison.Ordinal);
                if (found < 0)
                {
                    break;
                }
            }

            sb.Append(str, pos, found - pos).Append(replacement);
            count++;
            if (old.Length == 0)
            {
                if (found >= str.Length)
                {
                    pos = str.Length + 1;
                    break;
                }

                var len = char.IsHighSurrogate(str[found]) && found + 1 < str.Length ? 2 : 1;
                sb.Append(str, found, len);
                pos = found + len;
            }
            else
            {
                pos = found + old.Length;
            }
        }

        if (pos <= str.Length)
        {
            sb.Append(str, pos, str.Length - pos);
        }

        return new CelString(sb.ToString());
    }

    /// <summary>Go's <c>strings.SplitN</c>: n = 0 gives nothing, n &lt; 0 everything, an empty separator splits code points.</summary>
    private static CelValue Split(CelValue s, CelValue sep, long n)
    {
        var str = ((CelString)s).Value;
        var separator = ((CelString)sep).Value;
        if (n == 0)
        {
            return CelArrayList.Empty;
        }

        var parts = new List<CelValue>();
        if (separator.Length == 0)
        {
            var runes = str.EnumerateRunes().Select(r => r.ToString()).ToList();
            for (var i = 0; i < runes.Count; i++)
            {
                if (n > 0 && parts.Count == n - 1)
                {
                    parts.Add(new CelString(string.Concat(runes.Skip(i))));
                    break;
                }

                parts.Add(new CelString(runes[i]));
            }

            return CelArrayList.Own([.. parts]);
        }

        var pos = 0;
        while (n < 0 || parts.Count < n - 1)
        {
            var found = str.IndexOf(separator, pos, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            parts.Add(new CelString(str[pos..found]));
            pos = found + separator.Length;
        }

        parts.Add(new CelString(str[pos..]));
        return CelArrayList.Own([.. parts]);
    }

    private static CelValue Substring(CelValue s, CelValue start, CelValue? end)
    {
        var str = ((CelString)s).Value;
        var i = ((CelInt)start).Value;
        var from = CodePoints.Utf16Offset(str, i);
        if (from < 0)
        {
            return OutOfRange(i);
        }

        if (end is null)
        {
            return new CelString(str[from..]);
        }

        var j = ((CelInt)end).Value;
        var to = CodePoints.Utf16Offset(str, j);
        if (to < 0)
        {
            return OutOfRange(j);
        }

        return j < i ? new CelError($"invalid substring range. start: {i}, end: {j}") : new CelString(str[from..to]);
    }

    /// <summary>Go's <c>strings.TrimSpace</c>: Unicode white space (not the zero-width characters .NET also trims).</summary>
    private static string TrimSpace(string s)
    {
        static bool IsSpace(char c) => c is '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u0085' or '\u00a0' or '\u1680' ||
                                       c is >= '\u2000' and <= '\u200a' || c is '\u2028' or '\u2029' or '\u202f' or '\u205f' or '\u3000';
        var start = 0;
        var end = s.Length;
        while (start < end && IsSpace(s[start]))
        {
            start++;
        }

        while (end > start && IsSpace(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    private static CelValue Join(CelValue list, string separator)
    {
        var sb = new StringBuilder();
        var l = (CelList)list;
        for (var i = 0; i < l.Count; i++)
        {
            if (l[i] is not CelString s)
            {
                return Errors.NoSuchOverload("join", [l[i]]);
            }

            if (i > 0)
            {
                sb.Append(separator);
            }

            sb.Append(s.Value);
        }

        return new CelString(sb.ToString());
    }

    private static CelValue Reverse(CelValue s)
    {
        var runes = ((CelString)s).Value.EnumerateRunes().ToArray();
        Array.Reverse(runes);
        return new CelString(string.Concat(runes.Select(r => r.ToString())));
    }
}
