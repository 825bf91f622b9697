using System.Text.Json.Nodes;

namespace StageSet.Cel;

/// <summary>How a <see cref="CelExpression"/> is prepared (the options of Flux's <c>cel.NewExpression</c>).</summary>
public sealed record CelExpressionOptions
{
    /// <summary>Type-check the expression (undeclared names and type errors fail up front).</summary>
    public bool Compile { get; init; }

    /// <summary>Variables declared as JSON objects (<c>map(string, dyn)</c>); only with <see cref="Compile"/>.</summary>
    public IReadOnlyList<string> StructVariables { get; init; } = [];

    /// <summary>The result type the checker must infer exactly (dyn does not satisfy bool); only with <see cref="Compile"/>.</summary>
    public CelType? OutputType { get; init; }
}

/// <summary>An expression could not be prepared or evaluated; the message is worded as Flux words it.</summary>
public sealed class CelExpressionException(string message) : Exception(message);

/// <summary>
/// An expression evaluated against a JSON object whose top-level fields are the variables, with Flux's error
/// texts: the building block of <c>healthCheckExprs</c> and of other Flux-compatible CEL fields.
/// </summary>
public sealed class CelExpression
{
    private readonly CelProgram _program;

    private CelExpression(string expression, CelProgram program)
    {
        Expression = expression;
        _program = program;
    }

    public string Expression { get; }

    public static CelExpression Create(string expression, CelExpressionOptions? options = null)
    {
        options ??= new CelExpressionOptions();
        if (!options.Compile && (options.OutputType is not null || options.StructVariables.Count > 0))
        {
            throw new CelExpressionException("output type and variables can only be set when compiling the expression");
        }

        var env = CelEnvironment.Default.WithTypeChecking(options.Compile);
        foreach (var name in options.StructVariables)
        {
            env = env.WithVariable(name, CelType.JsonObject);
        }

        var compilation = env.Compile(expression);
        if (!compilation.Success)
        {
            throw new CelExpressionException($"failed to parse the CEL expression '{expression}': {compilation.Error}");
        }

        var program = compilation.Program!;
        if (options.OutputType is { } wanted && !wanted.Equals(program.ResultType))
        {
            throw new CelExpressionException($"CEL expression output type mismatch: expected {wanted}, got {program.ResultType}");
        }

        return new CelExpression(expression, program);
    }

    public bool EvaluateBoolean(JsonObject data, CancellationToken cancellation = default) =>
        EvaluateValue(data, cancellation) is CelBool b
            ? b.Value
            : throw new CelExpressionException($"failed to evaluate CEL expression as boolean: '{Expression}'");

    public string EvaluateString(JsonObject data, CancellationToken cancellation = default) =>
        EvaluateValue(data, cancellation) is CelString s
            ? s.Value
            : throw new CelExpressionException($"failed to evaluate CEL expression as string: '{Expression}'");

    public IReadOnlyList<string> EvaluateStringSlice(JsonObject data, CancellationToken cancellation = default)
    {
        var value = EvaluateValue(data, cancellation);
        if (value is not CelList list)
        {
            throw SliceError($"unsupported native conversion from {value.Type.Erased} to '[]string'");
        }

        var result = new List<string>(list.Count);
        foreach (var e in list.Elements)
        {
            result.Add(e is CelString s ? s.Value : throw SliceError($"unsupported type conversion from '{e.Type.Erased}' to string"));
        }

        return result;
    }

    /// <summary>The result as JSON (lists, maps and scalars as they would be written back into an object).</summary>
    public JsonNode? Evaluate(JsonObject data, CancellationToken cancellation = default) => EvaluateValue(data, cancellation).ToJson();

    /// <summary>The raw CEL result; evaluation errors are thrown with Flux's wording.</summary>
    public CelValue EvaluateValue(JsonObject data, CancellationToken cancellation = default)
    {
        var value = _program.Evaluate(CelActivation.FromJsonObject(data), cancellation);
        return value switch
        {
            CelError e => throw new CelExpressionException($"failed to evaluate the CEL expression '{Expression}': {e.Message}"),
            CelUnknown => throw new CelExpressionException($"failed to evaluate the CEL expression '{Expression}': unknown value"),
            _ => value,
        };
    }

    private CelExpressionException SliceError(string detail) => new($"failed to evaluate CEL expression '{Expression}' as []string: {detail}");
}
