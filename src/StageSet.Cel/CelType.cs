using System.Text;

namespace StageSet.Cel;

/// <summary>The kinds of CEL types; parameterised kinds carry their parameters on <see cref="CelType"/>.</summary>
public enum CelTypeKind
{
    Dyn,
    Null,
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Timestamp,
    Duration,
    List,
    Map,
    Type,
    Error,
    TypeParam,

    /// <summary>A named type with parameters, e.g. <c>optional_type(int)</c> or a message name.</summary>
    Opaque,
}

/// <summary>
/// A CEL type as the checker sees it and as <c>type()</c> reports it at runtime. Immutable; compares structurally.
/// </summary>
public sealed class CelType : IEquatable<CelType>
{
    private CelType(CelTypeKind kind, string name, IReadOnlyList<CelType> parameters)
    {
        Kind = kind;
        Name = name;
        Parameters = parameters;
    }

    public CelTypeKind Kind { get; }

    /// <summary>The runtime type name (<c>int</c>, <c>list</c>, <c>google.protobuf.Timestamp</c>, <c>optional_type</c>).</summary>
    public string Name { get; }

    public IReadOnlyList<CelType> Parameters { get; }

    public static CelType Dyn { get; } = new(CelTypeKind.Dyn, "dyn", []);

    public static CelType Null { get; } = new(CelTypeKind.Null, "null_type", []);

    public static CelType Bool { get; } = new(CelTypeKind.Bool, "bool", []);

    public static CelType Int { get; } = new(CelTypeKind.Int, "int", []);

    public static CelType Uint { get; } = new(CelTypeKind.Uint, "uint", []);

    public static CelType Double { get; } = new(CelTypeKind.Double, "double", []);

    public static CelType String { get; } = new(CelTypeKind.String, "string", []);

    public static CelType Bytes { get; } = new(CelTypeKind.Bytes, "bytes", []);

    public static CelType Timestamp { get; } = new(CelTypeKind.Timestamp, "google.protobuf.Timestamp", []);

    public static CelType Duration { get; } = new(CelTypeKind.Duration, "google.protobuf.Duration", []);

    public static CelType Error { get; } = new(CelTypeKind.Error, "*error*", []);

    /// <summary>The type of type values without a known parameter (<c>type</c>).</summary>
    public static CelType TypeType { get; } = new(CelTypeKind.Type, "type", []);

    public static CelType ListOfDyn { get; } = List(Dyn);

    public static CelType MapOfDyn { get; } = Map(Dyn, Dyn);

    /// <summary>What Kubernetes objects and Flux's struct variables are: <c>map(string, dyn)</c>.</summary>
    public static CelType JsonObject { get; } = Map(String, Dyn);

    public static CelType List(CelType element) => new(CelTypeKind.List, "list", [element]);

    public static CelType Map(CelType key, CelType value) => new(CelTypeKind.Map, "map", [key, value]);

    public static CelType TypeOf(CelType type) => new(CelTypeKind.Type, "type", [type]);

    public static CelType Param(string name) => new(CelTypeKind.TypeParam, name, []);

    public static CelType Opaque(string name, params CelType[] parameters) => new(CelTypeKind.Opaque, name, parameters);

    public static CelType Optional(CelType value) => Opaque("optional_type", value);

    public bool IsOptional => Kind == CelTypeKind.Opaque && Name == "optional_type" && Parameters.Count == 1;

    public CelType ListElement => Kind == CelTypeKind.List ? Parameters[0] : Dyn;

    public CelType MapKey => Kind == CelTypeKind.Map ? Parameters[0] : Dyn;

    public CelType MapValue => Kind == CelTypeKind.Map ? Parameters[1] : Dyn;

    public bool IsDynOrError => Kind is CelTypeKind.Dyn or CelTypeKind.Error;

    /// <summary>True when the type mentions a type parameter anywhere.</summary>
    public bool HasTypeParams => Kind == CelTypeKind.TypeParam || Parameters.Any(p => p.HasTypeParams);

    /// <summary>The runtime type value of this type: parameters are erased as in <c>type([1]) == list</c>.</summary>
    public CelType Erased => Kind switch
    {
        CelTypeKind.List => List(Dyn),
        CelTypeKind.Map => Map(Dyn, Dyn),
        CelTypeKind.Type => TypeType,
        CelTypeKind.Opaque when Parameters.Count > 0 => Opaque(Name, [.. Parameters.Select(_ => Dyn)]),
        _ => this,
    };

    public CelType WithParameters(IReadOnlyList<CelType> parameters) => new(Kind, Name, parameters);

    /// <summary>The checker's spelling, as in cel-go messages: <c>map(string, dyn)</c>, <c>list(int)</c>.</summary>
    public override string ToString()
    {
        switch (Kind)
        {
            case CelTypeKind.List:
                return "list(" + Parameters[0] + ")";
            case CelTypeKind.Map:
                return "map(" + Parameters[0] + ", " + Parameters[1] + ")";
            case CelTypeKind.Type:
                return Parameters.Count == 0 ? "type" : "type(" + Parameters[0] + ")";
            case CelTypeKind.Timestamp:
            case CelTypeKind.Duration:
                return Name;
            case CelTypeKind.Opaque when Parameters.Count > 0:
                var sb = new StringBuilder(Name).Append('(');
                sb.AppendJoin(", ", Parameters);
                return sb.Append(')').ToString();
            default:
                return Name;
        }
    }

    public bool Equals(CelType? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Kind != Kind || other.Name != Name || other.Parameters.Count != Parameters.Count)
        {
            return false;
        }

        for (var i = 0; i < Parameters.Count; i++)
        {
            if (!Parameters[i].Equals(other.Parameters[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is CelType t && Equals(t);

    public override int GetHashCode()
    {
        var hash = HashCode.Combine(Kind, Name);
        foreach (var p in Parameters)
        {
            hash = HashCode.Combine(hash, p);
        }

        return hash;
    }
}
