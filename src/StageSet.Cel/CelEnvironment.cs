using System.Collections.Frozen;
using StageSet.Cel.Checking;
using StageSet.Cel.Library;
using StageSet.Cel.Runtime;
using StageSet.Cel.Syntax;

namespace StageSet.Cel;

/// <summary>
/// What expressions may refer to: declared variables and their types, the function library (CEL's standard library
/// plus the strings, math, lists, sets, encoders and optional extensions), a container for name resolution, and the
/// evaluation cost limit. Immutable: the <c>With…</c> methods return changed copies, so environments can be shared.
/// </summary>
public sealed class CelEnvironment
{
    /// <summary>Kubernetes' and StageSet's per-evaluation cost limit.</summary>
    public const long DefaultCostLimit = 10_000_000;

    private static readonly IReadOnlyDictionary<string, FunctionDecl> DefaultFunctions = BuildFunctions();

    private readonly Dictionary<string, CelType> _variables;

    private CelEnvironment(Dictionary<string, CelType> variables, string container, bool typeChecked, long costLimit, IReadOnlyDictionary<string, FunctionDecl> functions)
    {
        _variables = variables;
        Container = container;
        IsTypeChecked = typeChecked;
        CostLimit = costLimit;
        Functions = functions;
        Declarations = new Declarations(container, variables, functions);
    }

    /// <summary>The standard library and extensions; no variables; expressions are type-checked.</summary>
    public static CelEnvironment Default { get; } = new(new(StringComparer.Ordinal), "", true, DefaultCostLimit, DefaultFunctions);

    /// <summary>
    /// StageSet's environment for objects (ready checks, wait expressions): <c>apiVersion</c> and <c>kind</c> are
    /// strings, <c>metadata</c>, <c>spec</c> and <c>status</c> are dyn. Evaluate with
    /// <see cref="CelActivation.FromKubernetesObject"/>.
    /// </summary>
    public static CelEnvironment KubernetesObject { get; } = Default
        .WithVariable("apiVersion", CelType.String)
        .WithVariable("kind", CelType.String)
        .WithVariable("metadata", CelType.Dyn)
        .WithVariable("spec", CelType.Dyn)
        .WithVariable("status", CelType.Dyn);

    /// <summary>
    /// Flux's <c>healthCheckExprs</c> environment: expressions are only parsed, not type-checked, and every name is
    /// looked up when evaluated (any top-level field of the object is a variable; a missing one is an error).
    /// </summary>
    public static CelEnvironment Dynamic { get; } = Default.WithTypeChecking(false);

    public IReadOnlyDictionary<string, CelType> Variables => _variables;

    public string Container { get; }

    /// <summary>False for parse-only environments, where names and overloads are resolved during evaluation.</summary>
    public bool IsTypeChecked { get; }

    public long CostLimit { get; }

    internal IReadOnlyDictionary<string, FunctionDecl> Functions { get; }

    internal Declarations Declarations { get; }

    public CelEnvironment WithVariable(string name, CelType type)
    {
        var vars = new Dictionary<string, CelType>(_variables, StringComparer.Ordinal) { [name] = type };
        return new CelEnvironment(vars, Container, IsTypeChecked, CostLimit, Functions);
    }

    public CelEnvironment WithContainer(string container) => new(_variables, container, IsTypeChecked, CostLimit, Functions);

    public CelEnvironment WithTypeChecking(bool enabled) => new(_variables, Container, enabled, CostLimit, Functions);

    public CelEnvironment WithCostLimit(long limit) => new(_variables, Container, IsTypeChecked, limit, Functions);

    /// <summary>Adds or extends a function with one overload (custom functions, test declarations).</summary>
    public CelEnvironment WithFunction(string name, CelFunctionOverload overload)
    {
        var o = new Overload(overload.Id, overload.IsMember, overload.Parameters, overload.Result) { Nary = overload.Implementation };
        var decl = new FunctionDecl(name, [o]);
        var functions = new Dictionary<string, FunctionDecl>(Functions, StringComparer.Ordinal);
        functions[name] = functions.TryGetValue(name, out var existing) ? existing.Merge(decl) : decl;
        return new CelEnvironment(_variables, Container, IsTypeChecked, CostLimit, functions);
    }

    /// <summary>Parses, checks (when <see cref="IsTypeChecked"/>) and plans an expression. Never throws on bad input.</summary>
    public CelCompilation Compile(string expression) => Compile(expression, enableMacros: true);

    internal CelCompilation Compile(string expression, bool enableMacros)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var parsed = Parser.Parse(expression, ParserOptions.Default with { EnableMacros = enableMacros });
        if (parsed.Root is null)
        {
            return CelCompilation.Failed(parsed.Source, parsed.Issues);
        }

        CheckedExpr? checkedExpr = null;
        var resultType = CelType.Dyn;
        if (IsTypeChecked)
        {
            checkedExpr = Checker.Check(parsed, Declarations);
            if (checkedExpr.Issues.Count > 0)
            {
                return CelCompilation.Failed(parsed.Source, checkedExpr.Issues);
            }

            resultType = checkedExpr.ResultType;
        }

        var plan = Planner.Build(parsed.Root, Declarations, checkedExpr);
        var referenced = checkedExpr?.References.Values
            .Where(r => r is { Name: { } n, Constant: null, OverloadIds: null } && _variables.ContainsKey(n))
            .Select(r => r.Name!)
            .ToHashSet(StringComparer.Ordinal);
        return CelCompilation.Succeeded(new CelProgram(expression, plan, resultType, CostLimit, referenced));
    }

    private static FrozenDictionary<string, FunctionDecl> BuildFunctions()
    {
        var b = new FunctionSetBuilder();
        StandardLibrary.Register(b);
        StringsExtension.Register(b);
        OptionalLibrary.Register(b);
        CollectionsExtensions.Register(b);
        MathExtension.Register(b);
        NetworkExtension.Register(b);
        KubernetesExtension.Register(b);
        return b.Build().ToFrozenDictionary(StringComparer.Ordinal);
    }
}

/// <summary>A user-supplied function overload for <see cref="CelEnvironment.WithFunction"/>.</summary>
public sealed record CelFunctionOverload(
    string Id,
    bool IsMember,
    IReadOnlyList<CelType> Parameters,
    CelType Result,
    Func<CelValue[], CelValue> Implementation);
