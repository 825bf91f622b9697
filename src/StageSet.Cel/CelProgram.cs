using StageSet.Cel.Runtime;

namespace StageSet.Cel;

/// <summary>The outcome of compiling an expression: a program, or the issues with a cel-go style message.</summary>
public sealed class CelCompilation
{
    private CelCompilation(CelProgram? program, IReadOnlyList<CelIssue> issues, string? error)
    {
        Program = program;
        Issues = issues;
        Error = error;
    }

    public CelProgram? Program { get; }

    public IReadOnlyList<CelIssue> Issues { get; }

    /// <summary>All issues as cel-go prints them: <c>ERROR: &lt;input&gt;:1:8: message</c>, the line, a caret.</summary>
    public string? Error { get; }

    public bool Success => Program is not null;

    internal static CelCompilation Succeeded(CelProgram program) => new(program, [], null);

    internal static CelCompilation Failed(CelSource source, IReadOnlyList<CelIssue> issues) => new(null, issues, source.Render(issues));

    /// <summary>The program, or a <see cref="CelCompileException"/> carrying <see cref="Error"/>.</summary>
    public CelProgram GetProgramOrThrow() => Program ?? throw new CelCompileException(Error!, Issues);
}

/// <summary>Thrown by <see cref="CelProgram.Compile"/> when an expression does not parse or check.</summary>
public sealed class CelCompileException(string message, IReadOnlyList<CelIssue> issues) : Exception(message)
{
    public IReadOnlyList<CelIssue> Issues { get; } = issues;
}

/// <summary>
/// A compiled expression. Immutable and thread-safe: evaluate it any number of times, concurrently, with
/// different activations.
/// </summary>
public sealed class CelProgram
{
    private readonly Plan _plan;

    internal CelProgram(string source, Plan plan, CelType resultType, long costLimit, IReadOnlySet<string>? referencedVariables)
    {
        Source = source;
        _plan = plan;
        ResultType = resultType;
        CostLimit = costLimit;
        ReferencedVariables = referencedVariables;
    }

    public string Source { get; }

    /// <summary>The checked result type; <see cref="CelType.Dyn"/> when it cannot be known (or the environment does not check).</summary>
    public CelType ResultType { get; }

    public long CostLimit { get; }

    /// <summary>
    /// The declared variables the expression reads (e.g. whether a CRD rule is a transition rule using
    /// <c>oldSelf</c>); null when the environment does not type-check, as names are then only resolved when evaluated.
    /// </summary>
    public IReadOnlySet<string>? ReferencedVariables { get; }

    /// <summary>True when the result is statically a bool, or dyn (which may turn out to be a bool).</summary>
    public bool ResultMayBeBool => ResultType.Kind is CelTypeKind.Bool or CelTypeKind.Dyn;

    public static CelProgram Compile(string source, CelEnvironment environment) =>
        environment.Compile(source).GetProgramOrThrow();

    /// <summary>
    /// Evaluates the program. Evaluation errors (a missing key, division by zero, exceeding the cost limit) come back
    /// as a <see cref="CelError"/> value, never as an exception.
    /// </summary>
    public CelValue Evaluate(CelActivation activation, CancellationToken cancellation = default) =>
        Evaluate(activation, CostLimit, cancellation).Value;

    /// <summary>
    /// Evaluates under a tighter cost limit (never above <see cref="CostLimit"/>) and reports the cost spent, for
    /// callers that share one budget between several expressions, as Kubernetes does for an object's CRD rules.
    /// </summary>
    public CelEvaluation Evaluate(CelActivation activation, long costLimit, CancellationToken cancellation = default)
    {
        var frame = new EvalFrame(activation, _plan.Slots, Math.Min(costLimit, CostLimit), cancellation);
        try
        {
            return new CelEvaluation(_plan.Root.Eval(frame), frame.Cost);
        }
        catch (EvaluationAbortedException e)
        {
            return new CelEvaluation(new CelError(e.Message), frame.Cost);
        }
        catch (InsufficientExecutionStackException)
        {
            return new CelEvaluation(new CelError("expression nesting too deep to evaluate"), frame.Cost);
        }
    }
}

/// <summary>A result with the evaluation cost spent to reach it.</summary>
public sealed record CelEvaluation(CelValue Value, long Cost);
