namespace StageSet.Api.Validation;

/// <summary>Where an expression is evaluated, which decides the variables it may use.</summary>
public enum ExpressionUse
{
    /// <summary><c>readyChecks.exprs[]</c>: variables apiVersion, kind, metadata, spec, status of an applied object.</summary>
    ReadyCheck,

    /// <summary><c>wait.expr</c>: the same variables, of the wait target.</summary>
    WaitCondition,
}

/// <summary>
/// Compiles CEL expressions for <see cref="StageSetValidation"/>: an expression is acceptable when it compiles and
/// its result type is bool or dyn.
/// </summary>
public interface IExpressionChecker
{
    /// <summary>Null when the expression is acceptable, else a message saying why not.</summary>
    string? Check(string expression, ExpressionUse use);
}

/// <summary>Accepts every expression; for callers that validate CEL elsewhere (or not at all).</summary>
public sealed class AcceptAllExpressions : IExpressionChecker
{
    public string? Check(string expression, ExpressionUse use) => null;
}
