using System.Text.Json.Nodes;
using StageSet.Api;
using StageSet.Controller.Reconciliation;

namespace StageSet.Controller.Tests.Reconciliation;

public sealed class StatusRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_merge_patch_carries_only_changes_and_nulls_removed_keys()
    {
        var from = JsonNode.Parse("""{"a":1,"m":{"x":"1","y":"2"},"l":[1,2],"gone":true}""")!.AsObject();
        var to = JsonNode.Parse("""{"a":1,"m":{"x":"1","z":"3"},"l":[1,2,3]}""")!.AsObject();

        var patch = JsonMergePatch.Create(from, to);

        Assert.Equal("""{"gone":null,"m":{"y":null,"z":"3"},"l":[1,2,3]}""", patch.ToJsonString());
    }

    [Fact]
    public void Equal_documents_give_an_empty_patch_so_nothing_is_written()
    {
        var doc = JsonNode.Parse("""{"a":{"b":[{"c":1}]},"d":"e"}""")!.AsObject();

        Assert.Empty(JsonMergePatch.Create(doc, (JsonObject)doc.DeepClone()));
    }

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
