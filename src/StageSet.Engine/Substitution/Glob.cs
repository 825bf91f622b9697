namespace StageSet.Engine.Substitution;

/// <summary>
/// The glob used by the <c>#</c>/<c>%</c> trimming operators: <c>*</c> matches any run of characters (including
/// <c>/</c>, unlike Go's <c>path.Match</c>), <c>?</c> one character, <c>[...]</c> a class (<c>^</c> negates, ranges
/// allowed), <c>\</c> escapes.
/// </summary>
internal static class Glob
{
    /// <summary>True/false, or null when the pattern is malformed (callers then leave the value untouched).</summary>
    public static bool? Match(string pattern, string text)
    {
        var p = 0;
        var t = 0;
        int starP = -1, starT = -1;
        while (t < text.Length)
        {
            if (p < pattern.Length)
            {
                var c = pattern[p];
                if (c == '*')
                {
                    starP = ++p;
                    starT = t;
                    continue;
                }

                if (c == '?')
                {
                    p++;
                    t++;
                    continue;
                }

                if (c == '[')
                {
                    if (MatchClass(pattern, p, text[t]) is not var (matched, next))
                    {
                        return null;
                    }

                    if (matched)
                    {
                        p = next;
                        t++;
                        continue;
                    }
                }
                else
                {
                    if (c == '\\')
                    {
                        if (++p >= pattern.Length)
                        {
                            return null;
                        }

                        c = pattern[p];
                    }

                    if (c == text[t])
                    {
                        p++;
                        t++;
                        continue;
                    }
                }
            }

            if (starP < 0)
            {
                return Validate(pattern) ? false : null;
            }

            p = starP;
            t = ++starT;
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length ? true : Validate(pattern) ? false : null;
    }

    private static (bool Matched, int Next)? MatchClass(string pattern, int open, char ch)
    {
        var i = open + 1;
        var negate = i < pattern.Length && pattern[i] == '^';
        if (negate)
        {
            i++;
        }

        var matched = false;
        var first = true;
        while (i < pattern.Length && (pattern[i] != ']' || first))
        {
            first = false;
            if (ReadClassChar(pattern, ref i) is not { } lo)
            {
                return null;
            }

            var hi = lo;
            if (i < pattern.Length && pattern[i] == '-' && i + 1 < pattern.Length && pattern[i + 1] != ']')
            {
                i++;
                if (ReadClassChar(pattern, ref i) is not { } h)
                {
                    return null;
                }

                hi = h;
            }

            if (lo <= ch && ch <= hi)
            {
                matched = true;
            }
        }

        return i >= pattern.Length ? null : (matched != negate, i + 1);
    }

    private static char? ReadClassChar(string pattern, ref int i)
    {
        if (pattern[i] == '\\')
        {
            i++;
            if (i >= pattern.Length)
            {
                return null;
            }
        }

        return pattern[i++];
    }

    private static bool Validate(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && ++i >= pattern.Length)
            {
                return false;
            }

            if (pattern[i] == '[' && MatchClass(pattern, i, '\0') is not { } cls)
            {
                return false;
            }
        }

        return true;
    }
}
