using System.Collections.Frozen;
using StageSet.Cel.Library;
using StageSet.Cel.Syntax;

namespace StageSet.Cel.Checking;

/// <summary>
/// What names mean in an environment: variables with their types, functions with their overloads, the type
/// denotations (<c>int</c>, <c>list</c>, ...), and the container that qualifies unqualified names.
/// </summary>
internal sealed class Declarations
{
    private static readonly FrozenDictionary<string, CelType> TypeDenotations = new Dictionary<string, CelType>(StringComparer.Ordinal)
    {
        ["bool"] = CelType.Bool,
        ["int"] = CelType.Int,
        ["uint"] = CelType.Uint,
        ["double"] = CelType.Double,
        ["string"] = CelType.String,
        ["bytes"] = CelType.Bytes,
        ["list"] = CelType.ListOfDyn,
        ["map"] = CelType.MapOfDyn,
        ["null_type"] = CelType.Null,
        ["type"] = CelType.TypeType,
        ["google.protobuf.Timestamp"] = CelType.Timestamp,
        ["google.protobuf.Duration"] = CelType.Duration,
        ["optional_type"] = CelType.Optional(CelType.Dyn),
        ["net.IP"] = CelIp.IpType,
        ["net.CIDR"] = CelCidr.CidrType,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public Declarations(string container, IReadOnlyDictionary<string, CelType> variables, IReadOnlyDictionary<string, FunctionDecl> functions)
    {
        Container = container;
        Variables = variables;
        Functions = functions;
    }

    public string Container { get; }

    public IReadOnlyDictionary<string, CelType> Variables { get; }

    public IReadOnlyDictionary<string, FunctionDecl> Functions { get; }

    /// <summary>The names <paramref name="name"/> may stand for, most qualified first (a leading dot means absolute).</summary>
    public IEnumerable<string> Candidates(string name)
    {
        if (name.StartsWith('.'))
        {
            yield return name[1..];
            yield break;
        }

        var container = Container;
        while (container.Length > 0)
        {
            yield return container + "." + name;
            var dot = container.LastIndexOf('.');
            container = dot < 0 ? "" : container[..dot];
        }

        yield return name;
    }

    /// <summary>Resolves an identifier to a declared variable or a type denotation.</summary>
    public IdentResolution? ResolveIdent(string name)
    {
        foreach (var candidate in Candidates(name))
        {
            if (Variables.TryGetValue(candidate, out var type))
            {
                return new IdentResolution(candidate, type, null);
            }

            if (TypeDenotations.TryGetValue(candidate, out var denoted))
            {
                return new IdentResolution(candidate, CelType.TypeOf(denoted), new CelTypeValue(denoted));
            }
        }

        return null;
    }

    public (string Name, FunctionDecl Decl)? ResolveFunction(string name)
    {
        foreach (var candidate in Candidates(name))
        {
            if (Functions.TryGetValue(candidate, out var decl))
            {
                return (candidate, decl);
            }
        }

        return null;
    }

    /// <summary>
    /// <c>a.b.f(x)</c> parses as a receiver call on <c>a.b</c>; when <c>a.b.f</c> names a function (e.g.
    /// <c>math.greatest</c>, <c>base64.encode</c>) it is really a global call, and this says so.
    /// </summary>
    public (string Name, FunctionDecl Decl)? ResolveQualifiedCall(CallExpr call)
    {
        if (call.Target is null || QualifiedName(call.Target) is not { } prefix)
        {
            return null;
        }

        return ResolveFunction(prefix + "." + call.Function) is { } found && found.Decl.Overloads.Any(o => !o.IsMember) ? found : null;
    }

    /// <summary><c>a.b.c</c> for a chain of selections on an identifier, otherwise null.</summary>
    public static string? QualifiedName(Expr e) => e switch
    {
        IdentExpr id => id.Name,
        SelectExpr { TestOnly: false } s when QualifiedName(s.Operand) is { } prefix => prefix + "." + s.Field,
        _ => null,
    };
}

/// <summary>What an identifier resolved to: a variable (type only) or a constant such as a type denotation.</summary>
internal sealed record IdentResolution(string Name, CelType Type, CelValue? Constant);
