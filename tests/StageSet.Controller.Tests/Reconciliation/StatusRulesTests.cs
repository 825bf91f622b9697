using StageSet.Api;
using StageSet.Controller.Reconciliation;

namespace StageSet.Controller.Tests.Reconciliation;

public sealed class StatusRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ready_keeps_its_transition_time_when_only_the_message_changes()
    {
        var first = ReadyCondition.Set(null, "False", "StageFailed", "one", 3, T0);
        var second = ReadyCondition.Set(first, "False", "StageProgressing", "two", 4, T0.AddMinutes(5));
        var third = ReadyCondition.Set(second, "True", "Succeeded", "ok", 4, T0.AddMinutes(9));

        Assert.Equal(T0, second.Single().LastTransitionTime);
        Assert.Equal("StageProgressing", second.Single().Reason);
        Assert.Equal(4, second.Single().ObservedGeneration);
        Assert.Equal(T0.AddMinutes(9), third.Single().LastTransitionTime);
    }

    [Fact]
    public void Other_condition_types_are_kept()
    {
        var other = new Condition { Type = "Other", Status = "True", Reason = "X", LastTransitionTime = T0 };

        var conditions = ReadyCondition.Set([other], "True", "Succeeded", "ok", 1, T0);

        Assert.Equal(["Other", "Ready"], conditions.Select(c => c.Type));
    }

    [Theory]
    [InlineData("StageFailed", "https://d.example/rb", "m (runbook: https://d.example/rb/stagefailed/)")]
    [InlineData("RBACDenied", "https://d.example/rb/", "m (runbook: https://d.example/rb/rbacdenied/)")]
    [InlineData("Succeeded", "https://d.example/rb", "m")]
    [InlineData("Suspended", "https://d.example/rb", "m")]
    [InlineData("StageFailed", "", "m")]
    public void Runbook_links_use_the_lower_cased_reason(string reason, string baseUrl, string expected)
    {
        Assert.Equal(expected, ReadyCondition.Decorate("m", reason, baseUrl));
    }
}
