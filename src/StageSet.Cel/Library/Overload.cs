namespace StageSet.Cel.Library;

/// <summary>
/// One signature of a function: what the checker matches (parameter and result types, possibly with type
/// parameters) and what the interpreter calls. Receiver-style overloads list the receiver as the first parameter.
/// </summary>
internal sealed class Overload
{
    public Overload(string id, bool isMember, IReadOnlyList<CelType> parameters, CelType result)
    {
        Id = id;
        IsMember = isMember;
        Parameters = parameters;
        Result = result;
    }

    public string Id { get; }

    public bool IsMember { get; }

    public IReadOnlyList<CelType> Parameters { get; }

    public CelType Result { get; }

    public Func<CelValue, CelValue>? Unary { get; init; }

    public Func<CelValue, CelValue, CelValue>? Binary { get; init; }

    public Func<CelValue[], CelValue>? Nary { get; init; }

    /// <summary>Whether runtime values fit this overload's parameters (type parameters and dyn accept anything).</summary>
    public bool Accepts(ReadOnlySpan<CelValue> args)
    {
        if (args.Length != Parameters.Count)
        {
            return false;
        }

        for (var i = 0; i < args.Length; i++)
        {
            if (!Fits(args[i], Parameters[i]))
            {
                return false;
            }
        }

        return true;
    }

    public CelValue Invoke(CelValue[] args)
    {
        if (Unary is not null && args.Length == 1)
        {
            return Unary(args[0]);
        }

        if (Binary is not null && args.Length == 2)
        {
            return Binary(args[0], args[1]);
        }

        return Nary is not null ? Nary(args) : new CelError($"no implementation for overload '{Id}'");
    }

    public static bool Fits(CelValue value, CelType type) => type.Kind switch
    {
        CelTypeKind.Dyn or CelTypeKind.TypeParam => true,
        CelTypeKind.Null => value is CelNull,
        CelTypeKind.Bool => value is CelBool,
        CelTypeKind.Int => value is CelInt,
        CelTypeKind.Uint => value is CelUint,
        CelTypeKind.Double => value is CelDouble,
        CelTypeKind.String => value is CelString,
        CelTypeKind.Bytes => value is CelBytes,
        CelTypeKind.Timestamp => value is CelTimestamp,
        CelTypeKind.Duration => value is CelDuration,
        CelTypeKind.List => value is CelList,
        CelTypeKind.Map => value is CelMap,
        CelTypeKind.Type => value is CelTypeValue,
        CelTypeKind.Opaque => type.IsOptional ? value is CelOptional : value.Type.Name == type.Name,
        _ => false,
    };
}

/// <summary>A function: its name and all its overloads.</summary>
internal sealed class FunctionDecl
{
    public FunctionDecl(string name, IReadOnlyList<Overload> overloads)
    {
        Name = name;
        Overloads = overloads;
    }

    public string Name { get; }

    public IReadOnlyList<Overload> Overloads { get; }

    public FunctionDecl Merge(FunctionDecl other) => new(Name, [.. Overloads, .. other.Overloads.Where(o => Overloads.All(x => x.Id != o.Id))]);
}

/// <summary>Builds function declarations compactly; the library files use it to declare overloads.</summary>
internal sealed class FunctionSetBuilder
{
    private readonly Dictionary<string, List<Overload>> _functions = new(StringComparer.Ordinal);

    public FunctionSetBuilder Global(string name, string id, CelType[] parameters, CelType result, Func<CelValue, CelValue> impl) =>
        Add(name, new Overload(id, false, parameters, result) { Unary = impl });

    public FunctionSetBuilder Global(string name, string id, CelType[] parameters, CelType result, Func<CelValue, CelValue, CelValue> impl) =>
        Add(name, new Overload(id, false, parameters, result) { Binary = impl });

    public FunctionSetBuilder Global(string name, string id, CelType[] parameters, CelType result, Func<CelValue[], CelValue> impl) =>
        Add(name, new Overload(id, false, parameters, result) { Nary = impl });

    public FunctionSetBuilder Member(string name, string id, CelType[] parameters, CelType result, Func<CelValue, CelValue> impl) =>
        Add(name, new Overload(id, true, parameters, result) { Unary = impl });

    public FunctionSetBuilder Member(string name, string id, CelType[] parameters, CelType result, Func<CelValue, CelValue, CelValue> impl) =>
        Add(name, new Overload(id, true, parameters, result) { Binary = impl });

    public FunctionSetBuilder Member(string name, string id, CelType[] parameters, CelType result, Func<CelValue[], CelValue> impl) =>
        Add(name, new Overload(id, true, parameters, result) { Nary = impl });

    public FunctionSetBuilder Add(string name, Overload overload)
    {
        if (!_functions.TryGetValue(name, out var list))
        {
            list = [];
            _functions[name] = list;
        }

        list.Add(overload);
        return this;
    }

    public IReadOnlyDictionary<string, FunctionDecl> Build() =>
        _functions.ToDictionary(kv => kv.Key, kv => new FunctionDecl(kv.Key, kv.Value), StringComparer.Ordinal);
}
