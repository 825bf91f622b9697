namespace StageSet.LocalApiServer.FieldManagement;

/// <summary>
/// A set of field paths as a trie, the model behind FieldsV1 (structured-merge-diff's <c>fieldpath.Set</c>): at each
/// level the elements that are members themselves, and the elements that lead to deeper members. One element can be
/// both (a list item owned as a whole and through its fields).
/// </summary>
public sealed class FieldSet
{
    private readonly SortedSet<PathElement> _members = [];
    private readonly SortedDictionary<PathElement, FieldSet> _children = [];

    public bool IsEmpty => _members.Count == 0 && _children.Count == 0;

    /// <summary>Elements that are members at this level, in FieldsV1 order.</summary>
    public IEnumerable<PathElement> Members => _members;

    /// <summary>Non-empty subsets below elements of this level, in FieldsV1 order.</summary>
    public IEnumerable<KeyValuePair<PathElement, FieldSet>> Children => _children;

    public static FieldSet Of(params FieldPath[] paths)
    {
        var set = new FieldSet();
        foreach (var path in paths)
        {
            set.Insert(path);
        }

        return set;
    }

    public void Insert(FieldPath path) => Insert(path.Elements, 0);

    private void Insert(IReadOnlyList<PathElement> path, int at)
    {
        if (path.Count == 0)
        {
            return;
        }

        if (at == path.Count - 1)
        {
            _members.Add(path[at]);
            return;
        }

        Child(path[at]).Insert(path, at + 1);
    }

    /// <summary>Adds <paramref name="element"/> as a member of this level.</summary>
    internal void InsertMember(PathElement element) => _members.Add(element);

    /// <summary>The subset below <paramref name="element"/>, created when absent.</summary>
    internal FieldSet Child(PathElement element)
    {
        if (!_children.TryGetValue(element, out var child))
        {
            child = new FieldSet();
            _children[element] = child;
        }

        return child;
    }

    public bool HasMember(PathElement element) => _members.Contains(element);

    /// <summary>The subset below <paramref name="element"/> (structured-merge-diff's <c>WithPrefix</c>), empty when none.</summary>
    public FieldSet WithPrefix(PathElement element) => _children.TryGetValue(element, out var child) ? child : Empty;

    private static FieldSet Empty => new();

    public bool Has(FieldPath path)
    {
        var node = this;
        for (var i = 0; i < path.Elements.Count - 1; i++)
        {
            if (!node._children.TryGetValue(path.Elements[i], out node))
            {
                return false;
            }
        }

        return path.Elements.Count > 0 && node._members.Contains(path.Elements[^1]);
    }

    public FieldSet Union(FieldSet other)
    {
        var result = Clone();
        result.UnionInPlace(other);
        return result;
    }

    internal void UnionInPlace(FieldSet other)
    {
        _members.UnionWith(other._members);
        foreach (var (element, child) in other._children)
        {
            Child(element).UnionInPlace(child);
        }
    }

    /// <summary>Members of this set not members of <paramref name="other"/>; level by level, not whole subtrees.</summary>
    public FieldSet Difference(FieldSet other) => Subtract(other, recursive: false);

    /// <summary>Like <see cref="Difference"/>, but a member of <paramref name="other"/> also removes everything below it.</summary>
    public FieldSet RecursiveDifference(FieldSet other) => Subtract(other, recursive: true);

    private FieldSet Subtract(FieldSet other, bool recursive)
    {
        var result = new FieldSet();
        result._members.UnionWith(_members);
        result._members.ExceptWith(other._members);
        foreach (var (element, child) in _children)
        {
            if (recursive && other._members.Contains(element))
            {
                continue;
            }

            var remaining = other._children.TryGetValue(element, out var otherChild) ? child.Subtract(otherChild, recursive) : child.Clone();
            if (!remaining.IsEmpty)
            {
                result._children[element] = remaining;
            }
        }

        return result;
    }

    public FieldSet Intersection(FieldSet other)
    {
        var result = new FieldSet();
        result._members.UnionWith(_members);
        result._members.IntersectWith(other._members);
        foreach (var (element, child) in _children)
        {
            if (other._children.TryGetValue(element, out var otherChild))
            {
                var common = child.Intersection(otherChild);
                if (!common.IsEmpty)
                {
                    result._children[element] = common;
                }
            }
        }

        return result;
    }

    /// <summary>Only the paths under <paramref name="element"/> (which itself counts when a member).</summary>
    public FieldSet OnlyUnder(PathElement element)
    {
        var result = new FieldSet();
        if (_members.Contains(element))
        {
            result._members.Add(element);
        }

        if (_children.TryGetValue(element, out var child))
        {
            result._children[element] = child.Clone();
        }

        return result;
    }

    /// <summary>Every member path: this level's members first, then each child's, as structured-merge-diff iterates.</summary>
    public IEnumerable<FieldPath> Paths() => Paths([]);

    private IEnumerable<FieldPath> Paths(List<PathElement> prefix)
    {
        foreach (var member in _members)
        {
            yield return new FieldPath([.. prefix, member]);
        }

        foreach (var (element, child) in _children)
        {
            prefix.Add(element);
            foreach (var path in child.Paths(prefix))
            {
                yield return path;
            }

            prefix.RemoveAt(prefix.Count - 1);
        }
    }

    public FieldSet Clone()
    {
        var result = new FieldSet();
        result._members.UnionWith(_members);
        foreach (var (element, child) in _children)
        {
            result._children[element] = child.Clone();
        }

        return result;
    }

    public bool SetEquals(FieldSet other) =>
        _members.SetEquals(other._members)
        && _children.Count == other._children.Count
        && _children.All(c => other._children.TryGetValue(c.Key, out var o) && c.Value.SetEquals(o));

    public override string ToString() => FieldsV1.Serialize(this);
}
