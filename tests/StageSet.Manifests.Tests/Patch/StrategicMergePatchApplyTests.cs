using System.Text.Json.Nodes;
using StageSet.Manifests.Patch;

namespace StageSet.Manifests.Tests.Patch;

/// <summary>The apply direction of apimachinery's strategic merge patch cases: original + patch → result.</summary>
public sealed class StrategicMergePatchApplyTests
{
    public static TheoryData<int> CustomCases() => SmpCases.Indexes(SmpCases.YamlCases("custom_smp_cases.yaml").Count);

    public static TheoryData<int> CreateCases() => SmpCases.Indexes(SmpCases.YamlCases("create_smp_cases.yaml").Count);

    public static TheoryData<int> CustomRawCases() => SmpCases.Indexes(SmpCases.RawCount("customStrategicMergePatchRawTestCases"));

    public static TheoryData<int> RawCases() => SmpCases.Indexes(SmpCases.RawCount("strategicMergePatchRawTestCases"));

    public static TheoryData<int> RawExtensionCases() => SmpCases.Indexes(SmpCases.RawCount("replaceRawExtensionPatchTestCases"));

    public static TheoryData<string> NumberCases() => new(SmpCases.NumberAndUnknown("TestNumberConversion").Select(p => p.Key));

    public static TheoryData<string> UnknownFieldCases() => new(SmpCases.NumberAndUnknown("TestUnknownField").Select(p => p.Key));

    [Theory]
    [MemberData(nameof(CustomCases))]
    public void Custom_smp_cases(int index)
    {
        var c = SmpCases.YamlCases("custom_smp_cases.yaml")[index]!.AsObject();
        AssertApplies(SmpCases.Obj(c["original"]), SmpCases.Obj(c["twoWay"]), c["modified"], c["description"]);
    }

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void Create_smp_cases_apply(int index)
    {
        var c = SmpCases.YamlCases("create_smp_cases.yaml")[index]!.AsObject();
        AssertApplies(SmpCases.Obj(c["original"]), SmpCases.Obj(c["twoWay"]), c["twoWayResult"] ?? c["modified"], c["description"]);
        if (c.ContainsKey("threeWay"))
        {
            AssertApplies(SmpCases.Obj(c["current"]), SmpCases.Obj(c["threeWay"]), c["result"], c["description"]);
        }
    }

    [Theory]
    [MemberData(nameof(CustomRawCases))]
    public void Custom_raw_cases(int index)
    {
        var c = SmpCases.Raw("customStrategicMergePatchRawTestCases", index);
        if (c["expectedError"] is JsonValue error)
        {
            var e = Assert.Throws<StrategicMergePatchException>(() =>
                StrategicMergePatch.Apply(SmpCases.Doc(c, "original"), SmpCases.Doc(c, "twoWay"), SmpCases.MergeItem, SmpCases.MergeItemSchemas));
            Assert.Contains(error.GetValue<string>(), e.Message, StringComparison.Ordinal);
            return;
        }

        AssertApplies(SmpCases.Doc(c, "original"), SmpCases.Doc(c, "twoWay"), c.ContainsKey("twoWayResult") ? SmpCases.Doc(c, "twoWayResult") : SmpCases.Doc(c, "modified"), c["description"]);
    }

    [Theory]
    [MemberData(nameof(RawCases))]
    public void Raw_cases_apply(int index) => ApplyRaw(SmpCases.Raw("strategicMergePatchRawTestCases", index));

    [Theory]
    [MemberData(nameof(RawExtensionCases))]
    public void Raw_extension_cases_apply(int index) => ApplyRaw(SmpCases.Raw("replaceRawExtensionPatchTestCases", index));

    [Theory]
    [MemberData(nameof(NumberCases))]
    public void Number_conversion_keeps_precision(string name)
    {
        var c = SmpCases.NumberAndUnknown("TestNumberConversion")[name]!.AsObject();
        var result = StrategicMergePatch.Apply(Parse(c["Old"]), Parse(c["ExpectedPatch"]), SmpCases.PrecisionItem, SmpCases.PrecisionSchemas);
        Assert.Equal(JsonText.Canonical(c["ExpectedResult"]!.GetValue<string>()), JsonText.Canonical(result));
    }

    [Theory]
    [MemberData(nameof(UnknownFieldCases))]
    public void Unknown_fields_and_nulls_apply(string name)
    {
        var c = SmpCases.NumberAndUnknown("TestUnknownField")[name]!.AsObject();
        if (c.ContainsKey("ExpectedTwoWayResult"))
        {
            var twoWay = StrategicMergePatch.Apply(Parse(c["Original"]), Parse(c["ExpectedTwoWay"]), SmpCases.MergeItem, SmpCases.MergeItemSchemas);
            Assert.Equal(JsonText.Canonical(c["ExpectedTwoWayResult"]!.GetValue<string>()), JsonText.Canonical(twoWay));
        }

        if (c.ContainsKey("ExpectedThreeWayResult"))
        {
            var threeWay = StrategicMergePatch.Apply(Parse(c["Current"]), Parse(c["ExpectedThreeWay"]), SmpCases.MergeItem, SmpCases.MergeItemSchemas);
            Assert.Equal(JsonText.Canonical(c["ExpectedThreeWayResult"]!.GetValue<string>()), JsonText.Canonical(threeWay));
        }
    }

    [Fact]
    public void Inputs_are_not_modified()
    {
        var original = JsonNode.Parse("""{"mergingList":[{"name":"a","value":"1"}],"simpleMap":{"k":"v"}}""")!.AsObject();
        var patch = JsonNode.Parse("""{"mergingList":[{"name":"b"},{"$patch":"delete","name":"a"}],"simpleMap":{"$patch":"replace","x":"y"}}""")!.AsObject();
        var (o, p) = (original.ToJsonString(), patch.ToJsonString());
        var result = StrategicMergePatch.Apply(original, patch, SmpCases.MergeItem, SmpCases.MergeItemSchemas);
        Assert.Equal("""{"mergingList":[{"name":"b"}],"simpleMap":{"x":"y"}}""", JsonText.Canonical(result));
        Assert.Equal((o, p), (original.ToJsonString(), patch.ToJsonString()));
    }

    private static void ApplyRaw(JsonObject c)
    {
        AssertApplies(SmpCases.Doc(c, "original"), SmpCases.Doc(c, "twoWay"), c.ContainsKey("twoWayResult") ? SmpCases.Doc(c, "twoWayResult") : SmpCases.Doc(c, "modified"), c["description"]);
        AssertApplies(SmpCases.Doc(c, "current"), SmpCases.Doc(c, "threeWay"), SmpCases.Doc(c, "result"), c["description"]);
    }

    private static JsonObject Parse(JsonNode? text) => JsonNode.Parse(text!.GetValue<string>())!.AsObject();

    private static void AssertApplies(JsonObject original, JsonObject patch, JsonNode? expected, JsonNode? description)
    {
        var result = StrategicMergePatch.Apply(original, patch, SmpCases.MergeItem, SmpCases.MergeItemSchemas);
        Assert.True(
            JsonText.Canonical(SmpCases.Obj(expected)) == JsonText.Canonical(result),
            $"{description}\nexpected {JsonText.Canonical(SmpCases.Obj(expected))}\nactual   {JsonText.Canonical(result)}");
    }
}

public sealed class StrategicMergeListSortTests
{
    public static TheoryData<int> Cases() => SmpCases.Indexes(SmpCases.YamlCases("sort_merge_list_cases.yaml").Count);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sort_merge_list_cases(int index)
    {
        var c = SmpCases.YamlCases("sort_merge_list_cases.yaml")[index]!.AsObject();
        var sorted = StrategicMergeListSort.Sort(SmpCases.Obj(c["original"]), SmpCases.MergeItem, SmpCases.MergeItemSchemas);
        Assert.Equal(JsonText.Canonical(SmpCases.Obj(c["sorted"])), JsonText.Canonical(sorted));
    }
}
