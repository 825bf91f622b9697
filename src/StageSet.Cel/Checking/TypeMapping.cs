namespace StageSet.Cel.Checking;

/// <summary>
/// Type-parameter substitutions collected while checking one expression, and the assignability relation that
/// extends them: dyn fits everything, type parameters bind on first use and widen to the more general type later.
/// </summary>
internal sealed class TypeMapping
{
    private Dictionary<string, CelType> _subs = new(StringComparer.Ordinal);
    private int _fresh;

    /// <summary>A type parameter no one else uses.</summary>
    public CelType Fresh(string hint = "T") => CelType.Param("_" + hint + "#" + _fresh++);

    /// <summary>Renames an overload's declared parameters so each call site gets its own.</summary>
    public CelType Instantiate(CelType type, Dictionary<string, CelType> renames)
    {
        if (type.Kind == CelTypeKind.TypeParam)
        {
            if (!renames.TryGetValue(type.Name, out var fresh))
            {
                fresh = Fresh(type.Name);
                renames[type.Name] = fresh;
            }

            return fresh;
        }

        return type.Parameters.Count == 0 ? type : type.WithParameters([.. type.Parameters.Select(p => Instantiate(p, renames))]);
    }

    /// <summary>Replaces bound parameters; with <paramref name="freeToDyn"/> unbound ones become dyn.</summary>
    public CelType Substitute(CelType type, bool freeToDyn = false)
    {
        if (type.Kind == CelTypeKind.TypeParam)
        {
            return _subs.TryGetValue(type.Name, out var bound) ? Substitute(bound, freeToDyn) : freeToDyn ? CelType.Dyn : type;
        }

        return type.Parameters.Count == 0 ? type : type.WithParameters([.. type.Parameters.Select(p => Substitute(p, freeToDyn))]);
    }

    /// <summary>Whether a value of <paramref name="source"/> may be used where <paramref name="target"/> is expected;
    /// on success the substitutions that make it so are kept.</summary>
    public bool IsAssignable(CelType target, CelType source)
    {
        var saved = new Dictionary<string, CelType>(_subs, StringComparer.Ordinal);
        if (Assign(target, source))
        {
            return true;
        }

        _subs = saved;
        return false;
    }

    public IReadOnlyDictionary<string, CelType> Snapshot() => new Dictionary<string, CelType>(_subs, StringComparer.Ordinal);

    public void Restore(IReadOnlyDictionary<string, CelType> snapshot) =>
        _subs = new Dictionary<string, CelType>(snapshot, StringComparer.Ordinal);

    /// <summary>The more general of two types that are assignable to each other (dyn wins, null yields).</summary>
    public CelType Join(CelType a, CelType b)
    {
        a = Substitute(a);
        b = Substitute(b);
        if (a.Equals(b))
        {
            return a;
        }

        if (a.Kind == CelTypeKind.TypeParam)
        {
            return b;
        }

        if (b.Kind == CelTypeKind.TypeParam || b.Kind == CelTypeKind.Null)
        {
            return a;
        }

        if (a.Kind == CelTypeKind.Null)
        {
            return b;
        }

        if (a.IsDynOrError || b.IsDynOrError)
        {
            return CelType.Dyn;
        }

        if (a.Kind == b.Kind && a.Name == b.Name && a.Parameters.Count == b.Parameters.Count)
        {
            return a.WithParameters([.. a.Parameters.Zip(b.Parameters, Join)]);
        }

        return CelType.Dyn;
    }

    private CelType Resolve(CelType t)
    {
        while (t.Kind == CelTypeKind.TypeParam && _subs.TryGetValue(t.Name, out var bound))
        {
            t = bound;
        }

        return t;
    }

    private bool Assign(CelType target, CelType source)
    {
        if (target.Kind == CelTypeKind.TypeParam && _subs.TryGetValue(target.Name, out var bound))
        {
            // Already bound: keep the binding if the source fits, widening it when the source is more general.
            if (!Assign(bound, source))
            {
                return false;
            }

            _subs[target.Name] = Join(bound, source);
            return true;
        }

        var t1 = Resolve(target);
        var t2 = Resolve(source);
        if (t1.Equals(t2))
        {
            return true;
        }

        if (t1.Kind == CelTypeKind.TypeParam)
        {
            return Bind(t1, t2);
        }

        if (t2.Kind == CelTypeKind.TypeParam)
        {
            return Bind(t2, t1);
        }

        if (t1.IsDynOrError || t2.IsDynOrError)
        {
            return true;
        }

        if (t2.Kind == CelTypeKind.Null && IsNullable(t1))
        {
            return true;
        }

        // Type values compare by identity at runtime, so any two type types may meet (type(7) == type(7u)).
        if (t1.Kind == CelTypeKind.Type && t2.Kind == CelTypeKind.Type)
        {
            return true;
        }

        if (t1.Kind != t2.Kind || t1.Name != t2.Name || t1.Parameters.Count != t2.Parameters.Count)
        {
            return false;
        }

        for (var i = 0; i < t1.Parameters.Count; i++)
        {
            if (!Assign(t1.Parameters[i], t2.Parameters[i]))
            {
                return false;
            }
        }

        return true;
    }

    private bool Bind(CelType param, CelType type)
    {
        if (Occurs(param.Name, type))
        {
            return false;
        }

        _subs[param.Name] = type;
        return true;
    }

    private bool Occurs(string name, CelType type)
    {
        var t = Resolve(type);
        return t.Kind == CelTypeKind.TypeParam ? t.Name == name : t.Parameters.Any(p => Occurs(name, p));
    }

    private static bool IsNullable(CelType t) => t.Kind is CelTypeKind.Opaque or CelTypeKind.Timestamp or CelTypeKind.Duration;
}
