namespace StageSet.Manifests.Yaml;

/// <summary>
/// libyaml's scalar analysis as go-yaml v2 runs it before writing: which styles can represent a string. Tabs,
/// C0/C1 controls and characters outside the BMP count as "special" (double quotes only), a space before a line
/// break rules out block style, indicators at the start rule out plain style.
/// </summary>
internal readonly record struct ScalarAnalysis(bool Multiline, bool BlockPlainAllowed, bool SingleQuotedAllowed, bool BlockAllowed)
{
    public static ScalarAnalysis Of(string value)
    {
        if (value.Length == 0)
        {
            return new ScalarAnalysis(false, BlockPlainAllowed: true, SingleQuotedAllowed: true, BlockAllowed: false);
        }

        var runes = new List<int>(value.Length);
        foreach (var r in value.EnumerateRunes())
        {
            runes.Add(r.Value);
        }

        var blockIndicators = value.StartsWith("---", StringComparison.Ordinal) || value.StartsWith("...", StringComparison.Ordinal);
        bool lineBreaks = false, special = false;
        bool leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
        bool breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
        var precededByWhitespace = true;
        for (var i = 0; i < runes.Count; i++)
        {
            var c = runes[i];
            var followedByWhitespace = i + 1 >= runes.Count || IsBlank(runes[i + 1]);
            if (i == 0)
            {
                if (c is '#' or ',' or '[' or ']' or '{' or '}' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`')
                {
                    blockIndicators = true;
                }

                if (c is '?' or ':' or '-' && followedByWhitespace)
                {
                    blockIndicators = true;
                }
            }
            else
            {
                if (c == ':' && followedByWhitespace)
                {
                    blockIndicators = true;
                }

                if (c == '#' && precededByWhitespace)
                {
                    blockIndicators = true;
                }
            }

            if (!IsPrintable(c))
            {
                special = true;
            }

            if (IsBreak(c))
            {
                lineBreaks = true;
            }

            if (c == ' ')
            {
                leadingSpace |= i == 0;
                trailingSpace |= i == runes.Count - 1;
                breakSpace |= previousBreak;
                previousSpace = true;
                previousBreak = false;
            }
            else if (IsBreak(c))
            {
                leadingBreak |= i == 0;
                trailingBreak |= i == runes.Count - 1;
                spaceBreak |= previousSpace;
                previousSpace = false;
                previousBreak = true;
            }
            else
            {
                previousSpace = false;
                previousBreak = false;
            }

            precededByWhitespace = IsBlank(c);
        }

        var blockPlain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || breakSpace || spaceBreak ||
                           special || lineBreaks || blockIndicators);
        var singleQuoted = !(breakSpace || spaceBreak || special);
        var block = !(trailingSpace || spaceBreak || special);
        return new ScalarAnalysis(lineBreaks, blockPlain, singleQuoted, block);
    }

    /// <summary>go-yaml's printable set: LF, ASCII printables, U+00A0–U+D7FF, U+E000–U+FFFD without the BOM.</summary>
    public static bool IsPrintable(int c) =>
        c == 0x0A || c is >= 0x20 and <= 0x7E || c is >= 0xA0 and <= 0xD7FF || (c is >= 0xE000 and <= 0xFFFD && c != 0xFEFF);

    public static bool IsBreak(int c) => c is '\r' or '\n' or 0x85 or 0x2028 or 0x2029;

    private static bool IsBlank(int c) => c is ' ' or '\t' || IsBreak(c);
}
