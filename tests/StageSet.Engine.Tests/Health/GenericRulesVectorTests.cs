using System.Text.Json.Nodes;
using StageSet.Engine.Health;

namespace StageSet.Engine.Tests.Health;

/// <summary>Terminating / generation / standard-condition / Ready-fallback rules (kstatus-generic-rules.derived.json).</summary>
public sealed class GenericRulesVectorTests
{
    private static readonly JsonArray Cases = KStatusVectors.Cases(KStatusVectors.GenericRules, "cases");

    public static TheoryData<string> Names => KStatusVectors.Names(Cases);

    [Fact]
    public void The_vector_file_holds_every_derived_case() => Assert.Equal(8, Cases.Count);

    [Theory]
    [MemberData(nameof(Names))]
    public void Generic_rules_match_kstatus(string name)
    {
        var testCase = KStatusVectors.Case(Cases, name);
        var result = KStatus.Compute(KStatusVectors.Object(testCase["object"]!), KStatusVectors.Now);

        var expected = testCase["expected"]!;
        Assert.Equal((string)expected["status"]!, result.Status.ToString());
        Assert.Equal((string)expected["message"]!, result.Message);
        var conditions = expected["conditions"]?.AsArray() ?? [];
        Assert.Equal(conditions.Count, result.Conditions.Count);
        foreach (var c in conditions)
        {
            Assert.Contains(result.Conditions, r =>
                r.Type == (string)c!["type"]! && r.Status == (string)c["status"]! && r.Reason == (string)c["reason"]!);
        }
    }
}
