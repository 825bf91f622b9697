using System.Text.Json;
using System.Text.Json.Nodes;

namespace StageSet.Cel;

/// <summary>The three expressions of a custom health check (Flux <c>healthCheckExprs</c>, StageSet <c>readyChecks.exprs</c>).</summary>
public sealed record CelHealthCheckExpressions(string? Current, string? InProgress = null, string? Failed = null);

/// <summary>What a health check concluded about an object.</summary>
public enum CelHealthStatus
{
    Current,
    InProgress,
    Failed,
}

/// <summary>A status, or the error that prevented one (the poller then reports the object as Unknown).</summary>
public sealed record CelHealthResult(CelHealthStatus? Status, string? Error)
{
    public static CelHealthResult Of(CelHealthStatus status) => new(status, null);
}

/// <summary>
/// Flux's custom health assessment (RFC 0009): an object whose <c>status.observedGeneration</c> lags
/// <c>metadata.generation</c> is InProgress; otherwise <c>inProgress</c>, then <c>failed</c>, then <c>current</c> are
/// evaluated in that order, the first that holds decides, and if none holds the object is InProgress. An evaluation
/// error (for example a missing <c>status</c>) is the result, as in Flux.
/// </summary>
public sealed class CelHealthCheck
{
    private readonly CelExpression? _current;
    private readonly CelExpression? _inProgress;
    private readonly CelExpression? _failed;
    private readonly CelProgram? _currentProgram;
    private readonly CelProgram? _inProgressProgram;
    private readonly CelProgram? _failedProgram;

    private CelHealthCheck(CelExpression? current, CelExpression? inProgress, CelExpression? failed)
    {
        _current = current;
        _inProgress = inProgress;
        _failed = failed;
    }

    private CelHealthCheck(CelProgram? current, CelProgram? inProgress, CelProgram? failed)
    {
        _currentProgram = current;
        _inProgressProgram = inProgress;
        _failedProgram = failed;
    }

    /// <summary>
    /// Flux semantics exactly: <c>current</c> is required, expressions are only parsed (every top-level field of the
    /// object is a variable), errors are worded as Flux words them. Throws <see cref="CelExpressionException"/>.
    /// </summary>
    public static CelHealthCheck ForFlux(CelHealthCheckExpressions expressions)
    {
        if (string.IsNullOrEmpty(expressions.Current))
        {
            throw new CelExpressionException("expression Current not specified");
        }

        return new CelHealthCheck(
            Parse(expressions.Current, "Current")!,
            Parse(expressions.InProgress, "InProgress"),
            Parse(expressions.Failed, "Failed"));
    }

    /// <summary>
    /// StageSet's ready checks: expressions are compiled in <see cref="CelEnvironment.KubernetesObject"/> (or
    /// <paramref name="environment"/>) and must yield bool or dyn; an unset <c>current</c> never blocks the object.
    /// Throws <see cref="CelExpressionException"/> naming the expression that does not compile.
    /// </summary>
    public static CelHealthCheck ForKubernetesObject(CelHealthCheckExpressions expressions, CelEnvironment? environment = null)
    {
        var env = environment ?? CelEnvironment.KubernetesObject;
        return new CelHealthCheck(
            Compile(env, expressions.Current, "current"),
            Compile(env, expressions.InProgress, "inProgress"),
            Compile(env, expressions.Failed, "failed"));
    }

    private static CelExpression? Parse(string? source, string name)
    {
        if (string.IsNullOrEmpty(source))
        {
            return null;
        }

        try
        {
            return CelExpression.Create(source);
        }
        catch (CelExpressionException e)
        {
            throw new CelExpressionException($"failed to parse the expression {name}: {e.Message}");
        }
    }

    private static CelProgram? Compile(CelEnvironment env, string? source, string name)
    {
        if (string.IsNullOrEmpty(source))
        {
            return null;
        }

        var compilation = env.Compile(source);
        if (!compilation.Success)
        {
            throw new CelExpressionException($"invalid {name} expression '{source}': {compilation.Error}");
        }

        if (!compilation.Program!.ResultMayBeBool)
        {
            throw new CelExpressionException($"invalid {name} expression '{source}': result type must be bool, got {compilation.Program.ResultType}");
        }

        return compilation.Program;
    }

    /// <summary>Assesses <paramref name="obj"/>; never throws for bad objects or failing expressions.</summary>
    public CelHealthResult Evaluate(JsonObject obj, CancellationToken cancellation = default)
    {
        if (Int64At(obj, "status", "observedGeneration") is { } observed && Int64At(obj, "metadata", "generation") is { } generation &&
            observed != generation)
        {
            return CelHealthResult.Of(CelHealthStatus.InProgress);
        }

        (CelHealthStatus Status, Func<bool?>? Holds)[] order =
        [
            (CelHealthStatus.InProgress, Check(_inProgress, _inProgressProgram)),
            (CelHealthStatus.Failed, Check(_failed, _failedProgram)),
            (CelHealthStatus.Current, Check(_current, _currentProgram)),
        ];
        try
        {
            foreach (var (status, holds) in order)
            {
                if (holds?.Invoke() == true)
                {
                    return CelHealthResult.Of(status);
                }
            }
        }
        catch (CelExpressionException e)
        {
            return new CelHealthResult(null, e.Message);
        }

        // Without a current expression (StageSet only), an object nothing objects to is ready.
        return CelHealthResult.Of(_current is null && _currentProgram is null ? CelHealthStatus.Current : CelHealthStatus.InProgress);

        Func<bool?>? Check(CelExpression? flux, CelProgram? program)
        {
            if (flux is not null)
            {
                return () => flux.EvaluateBoolean(obj, cancellation);
            }

            if (program is null)
            {
                return null;
            }

            return () => program.Evaluate(CelActivation.FromKubernetesObject(obj), cancellation) switch
            {
                CelBool b => b.Value,
                CelError e => throw new CelExpressionException($"failed to evaluate the CEL expression '{program.Source}': {e.Message}"),
                _ => throw new CelExpressionException($"failed to evaluate CEL expression as boolean: '{program.Source}'"),
            };
        }
    }

    /// <summary>An int64 at a path, as <c>unstructured.NestedInt64</c> finds it; anything else is ignored.</summary>
    private static long? Int64At(JsonObject obj, string parent, string field) =>
        obj[parent] is JsonObject p && p[field] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l)
            ? l
            : null;
}
