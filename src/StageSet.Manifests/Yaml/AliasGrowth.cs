namespace StageSet.Manifests.Yaml;

/// <summary>
/// How many nodes alias expansion adds to a document (expanded size minus written size), computed once per
/// distinct node so a "billion laughs" document is refused before anything is expanded. Saturates instead of
/// overflowing.
/// </summary>
internal static class AliasGrowth
{
    public static long Of(YamlTreeNode root)
    {
        var expanded = new Dictionary<YamlTreeNode, long>(ReferenceEqualityComparer.Instance);
        var written = new HashSet<YamlTreeNode>(ReferenceEqualityComparer.Instance);
        return Saturate(Expanded(root, expanded) - Written(root, written));
    }

    private static long Expanded(YamlTreeNode node, Dictionary<YamlTreeNode, long> memo)
    {
        if (memo.TryGetValue(node, out var known))
        {
            return known;
        }

        long size = node switch
        {
            YamlTreeAlias alias => Expanded(alias.Target, memo),
            YamlTreeSequence seq => Sum(1, seq.Items.Select(i => Expanded(i, memo))),
            YamlTreeMapping map => Sum(1, map.Entries.Select(e => Sum(Expanded(e.Key, memo), [Expanded(e.Value, memo)]))),
            _ => 1,
        };
        memo[node] = size;
        return size;
    }

    // Nodes as written in the text: an alias is one node, each anchored node counts once.
    private static long Written(YamlTreeNode node, HashSet<YamlTreeNode> seen)
    {
        if (!seen.Add(node))
        {
            return 0;
        }

        return node switch
        {
            YamlTreeSequence seq => 1 + seq.Items.Sum(i => Written(i, seen)),
            YamlTreeMapping map => 1 + map.Entries.Sum(e => Written(e.Key, seen) + Written(e.Value, seen)),
            _ => 1,
        };
    }

    private static long Sum(long first, IEnumerable<long> rest)
    {
        var total = first;
        foreach (var n in rest)
        {
            total = Saturate(total + n);
        }

        return total;
    }

    private static long Saturate(long n) => n is < 0 or > long.MaxValue / 4 ? long.MaxValue / 4 : n;
}
