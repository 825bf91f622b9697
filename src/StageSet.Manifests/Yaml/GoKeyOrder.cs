namespace StageSet.Manifests.Yaml;

/// <summary>
/// The order go-yaml gives map keys when writing: a "natural" order in which runs of digits compare as numbers
/// (<c>a2</c> before <c>a10</c>) and letters sort after other characters. <c>kubectl -o yaml</c> and
/// sigs.k8s.io/yaml's <c>Marshal</c> print keys in this order.
/// </summary>
internal sealed class GoKeyOrder : IComparer<string>
{
    public static GoKeyOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        if (Less(x, y))
        {
            return -1;
        }

        return Less(y, x) ? 1 : 0;
    }

    private static bool Less(string x, string y)
    {
        var a = Runes(x);
        var b = Runes(y);
        for (var i = 0; i < a.Length && i < b.Length; i++)
        {
            if (a[i] == b[i])
            {
                continue;
            }

            var aLetter = IsLetter(a[i]);
            var bLetter = IsLetter(b[i]);
            if (aLetter && bLetter)
            {
                return a[i] < b[i];
            }

            if (aLetter || bLetter)
            {
                return bLetter;
            }

            // Compare the digit runs starting here as numbers; a run continuing a non-zero number keeps its
            // leading zeros significant.
            long an = 0, bn = 0;
            if (a[i] == '0' || b[i] == '0')
            {
                for (var j = i - 1; j >= 0 && IsDigit(a[j]); j--)
                {
                    if (a[j] != '0')
                    {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }

            int ai, bi;
            for (ai = i; ai < a.Length && IsDigit(a[ai]); ai++)
            {
                an = unchecked((an * 10) + (a[ai] - '0'));
            }

            for (bi = i; bi < b.Length && IsDigit(b[bi]); bi++)
            {
                bn = unchecked((bn * 10) + (b[bi] - '0'));
            }

            if (an != bn)
            {
                return an < bn;
            }

            if (ai != bi)
            {
                return ai < bi;
            }

            return a[i] < b[i];
        }

        return a.Length < b.Length;
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

    private static bool IsLetter(int rune) => System.Text.Rune.IsLetter(new System.Text.Rune(rune));

    private static bool IsDigit(int rune) => System.Text.Rune.IsDigit(new System.Text.Rune(rune));
}
