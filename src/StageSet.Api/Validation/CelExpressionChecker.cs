using StageSet.Cel;

namespace StageSet.Api.Validation;

/// <summary>
/// The default <see cref="IExpressionChecker"/>: compiles with the StageSet CEL environment for objects
/// (<c>apiVersion</c>, <c>kind</c> strings; <c>metadata</c>, <c>spec</c>, <c>status</c> dyn) and requires a bool
/// or dyn result, as the controller does before evaluating ready checks and wait conditions.
/// </summary>
public sealed class CelExpressionChecker : IExpressionChecker
{
    public string? Check(string expression, ExpressionUse use)
    {
        var compilation = CelEnvironment.KubernetesObject.Compile(expression);
        if (!compilation.Success)
        {
            return compilation.Error;
        }

        return compilation.Program!.ResultMayBeBool ? null : $"must evaluate to bool, got {compilation.Program.ResultType}";
    }
}
