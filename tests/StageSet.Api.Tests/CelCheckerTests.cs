using StageSet.Api;
using StageSet.Api.Validation;

namespace StageSet.Api.Tests;

public class CelCheckerTests
{
    private static List<string> Errors(CustomHealthCheck check)
    {
        var spec = new StageSetSpec
        {
            Stages = [new Stage { Name = "app", SourceRef = new SourceReference { Name = "app" }, ReadyChecks = new ReadyChecks { Exprs = [check] } }],
        };
        return StageSetValidation.ValidateSpec(spec, "apps").Select(e => e.ToString()).ToList();
    }

    [Fact]
    public void Documented_expressions_compile_with_the_default_checker()
    {
        Assert.Empty(Errors(new CustomHealthCheck
        {
            ApiVersion = "argoproj.io/v1alpha1",
            Kind = "Rollout",
            Current = "status.phase == 'Healthy'",
            InProgress = "status.phase in ['Progressing', 'Paused']",
            Failed = "status.phase == 'Degraded'",
        }));
    }

    [Fact]
    public void Syntax_errors_and_non_bool_results_are_reported_by_the_default_checker()
    {
        var errors = Errors(new CustomHealthCheck { ApiVersion = "v1", Kind = "Pod", Current = "status.phase ==", Failed = "1 + 2" });
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("spec.stages[0].readyChecks.exprs[0].current: Invalid value: \"status.phase ==\": ERROR: <input>:1:", errors[0], StringComparison.Ordinal);
        Assert.Equal("spec.stages[0].readyChecks.exprs[0].failed: Invalid value: \"1 + 2\": must evaluate to bool, got int", errors[1]);
    }

    [Fact]
    public void Wait_expressions_use_the_same_environment()
    {
        var checker = new CelExpressionChecker();
        Assert.Null(checker.Check("has(status.readyReplicas) && status.readyReplicas >= 3", ExpressionUse.WaitCondition));
        Assert.NotNull(checker.Check("data.key == 'x'", ExpressionUse.WaitCondition));
    }
}
