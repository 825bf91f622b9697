namespace StageSet.Cel.Library;

/// <summary>The runtime error values the library produces, worded as cel-go words them.</summary>
internal static class Errors
{
    public static CelError DivideByZero { get; } = new("division by zero");

    public static CelError ModulusByZero { get; } = new("modulus by zero");

    public static CelError IntOverflow { get; } = new("integer overflow");

    public static CelError UintOverflow { get; } = new("unsigned integer overflow");

    public static CelError NoSuchOverload(string function, ReadOnlySpan<CelValue> args)
    {
        var types = new string[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            types[i] = args[i].Type.Erased.ToString();
        }

        return new CelError($"no such overload: {function}({string.Join(", ", types)})");
    }

    public static CelError NoSuchKey(CelValue key) => new("no such key: " + (key is CelString s ? s.Value : key.ToString()));

    public static CelError IndexOutOfRange(long index, int size) => new($"index out of bounds: {index} (size {size})");

    public static CelError Range(string what) => new("range error converting " + what);
}

/// <summary>Code-point helpers: CEL strings count and index code points, .NET strings hold UTF-16.</summary>
internal static class CodePoints
{
    /// <summary>True when every char is a whole code point, so char indexes are code-point indexes.</summary>
    public static bool IsSimple(string s)
    {
        foreach (var c in s)
        {
            if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    public static int Count(string s) => IsSimple(s) ? s.Length : s.EnumerateRunes().Count();

    /// <summary>The UTF-16 offset of code point <paramref name="index"/> (may equal the length); -1 when out of range.</summary>
    public static int Utf16Offset(string s, long index)
    {
        if (index < 0)
        {
            return -1;
        }

        if (IsSimple(s))
        {
            return index <= s.Length ? (int)index : -1;
        }

        var offset = 0;
        for (long i = 0; i < index; i++)
        {
            if (offset >= s.Length)
            {
                return -1;
            }

            offset += char.IsHighSurrogate(s[offset]) && offset + 1 < s.Length ? 2 : 1;
        }

        return offset;
    }

    /// <summary>The code-point index of UTF-16 offset <paramref name="offset"/>.</summary>
    public static int CodePointIndex(string s, int offset)
    {
        var count = 0;
        for (var i = 0; i < offset; i++)
        {
            if (!char.IsLowSurrogate(s[i]))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Orders strings by code point, as Go orders UTF-8 bytes (UTF-16 ordinal order differs above U+FFFF).</summary>
    public static int Compare(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x == y)
            {
                continue;
            }

            // Surrogates encode code points above every BMP char, so they sort after U+E000..U+FFFF.
            var xs = char.IsSurrogate(x);
            var ys = char.IsSurrogate(y);
            if (xs != ys)
            {
                return xs ? 1 : -1;
            }

            return x < y ? -1 : 1;
        }

        return a.Length.CompareTo(b.Length);
    }
}
