using System.Text.Json.Nodes;
using StageSet.Engine.Health;

namespace StageSet.Engine.Tests.Health;

/// <summary>cli-utils' Compute, Job-suspend, example and Augment cases (cli-utils-kstatus.transcribed.json).</summary>
public sealed class KStatusComputeVectorTests
{
    private static readonly JsonArray ComputeCases = KStatusVectors.Cases(KStatusVectors.CliUtils, "compute");
    private static readonly JsonArray SuspendCases = KStatusVectors.Cases(KStatusVectors.CliUtils, "compute_job_suspend", "cases");
    private static readonly JsonArray AugmentCases = KStatusVectors.Cases(KStatusVectors.CliUtils, "augment", "cases");

    public static TheoryData<string> Compute => KStatusVectors.Names(ComputeCases);

    public static TheoryData<string> Suspend => KStatusVectors.Names(SuspendCases);

    public static TheoryData<string> Augment => KStatusVectors.Names(AugmentCases);

    [Fact]
    public void The_vector_file_holds_every_transcribed_case()
    {
        Assert.Equal(53, ComputeCases.Count);
        Assert.Equal(4, SuspendCases.Count);
        Assert.Equal(5, AugmentCases.Count);
    }

    [Theory]
    [MemberData(nameof(Compute))]
    public void Compute_matches_cli_utils(string name)
    {
        var testCase = KStatusVectors.Case(ComputeCases, name);
        var result = KStatus.Compute(KStatusVectors.Manifest(testCase), KStatusVectors.Now);

        Assert.Equal((string)testCase["expected_status"]!, result.Status.ToString());
        foreach (var expected in testCase["expected_conditions"]!.AsArray())
        {
            var type = (string)expected!["type"]!;
            var actual = Assert.Single(result.Conditions, c => c.Type == type);
            Assert.Equal((string)expected["status"]!, actual.Status);
            Assert.Equal((string)expected["reason"]!, actual.Reason);
        }

        foreach (var absent in testCase["absent_condition_types"]!.AsArray())
        {
            Assert.DoesNotContain(result.Conditions, c => c.Type == (string)absent!);
        }
    }

    [Theory]
    [MemberData(nameof(Suspend))]
    public void Compute_treats_a_job_as_suspended_only_when_spec_and_condition_agree(string name)
    {
        var testCase = KStatusVectors.Case(SuspendCases, name);
        var result = KStatus.Compute(KStatusVectors.Manifest(testCase), KStatusVectors.Now);
        Assert.Equal((string)testCase["expected_status"]!, result.Status.ToString());
    }

    [Fact]
    public void Example_deployment_is_current_and_augment_leaves_it_untouched()
    {
        var example = KStatusVectors.CliUtils["compute_example"]!;
        var computeCase = example["compute_case"]!.AsObject();
        Assert.Equal(
            (string)computeCase["expected_status"]!,
            KStatus.Compute(KStatusVectors.Manifest(computeCase), KStatusVectors.Now).Status.ToString());

        var augmentCase = example["augment_case"]!.AsObject();
        var obj = KStatusVectors.Manifest(augmentCase);
        KStatus.Augment(obj, KStatusVectors.Now);
        var expected = VectorYaml.Parse((string)augmentCase["expected_yaml_after_augment_trimmed"]!);
        Assert.True(JsonNode.DeepEquals(expected, obj), obj.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Augment))]
    public void Augment_adds_the_standard_conditions_once(string name)
    {
        var testCase = KStatusVectors.Case(AugmentCases, name);
        var obj = KStatusVectors.Manifest(testCase);
        var status = obj["status"] as JsonObject ?? [];
        status["conditions"] = KStatusVectors.Object(new JsonObject { ["c"] = testCase["with_conditions"]!.DeepClone() })["c"]!.DeepClone();
        obj["status"] = status;

        KStatus.Augment(obj, KStatusVectors.Now);

        var conditions = obj["status"]!["conditions"]!.AsArray();
        var expected = testCase["expected_conditions"]!.AsArray();
        Assert.Equal(expected.Count, conditions.Count);
        foreach (var e in expected)
        {
            var actual = Assert.Single(conditions, c => (string)c!["type"]! == (string)e!["type"]!);
            Assert.Equal((string)e!["reason"]!, (string)actual!["reason"]!);
            Assert.Equal((string)e["status"]!, (string)actual["status"]!);
        }
    }
}
