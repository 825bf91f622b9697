using System.Text.Json.Nodes;
using StageSet.Manifests.Patch;

namespace StageSet.Manifests.Tests.Patch;

/// <summary>Two- and three-way strategic merge patch creation against apimachinery's cases.</summary>
public sealed class StrategicMergePatchCreateTests
{
    public static TheoryData<int> CreateCases() => StrategicMergePatchApplyTests.CreateCases();

    public static TheoryData<int> RawCases() => StrategicMergePatchApplyTests.RawCases();

    public static TheoryData<int> RawExtensionCases() => StrategicMergePatchApplyTests.RawExtensionCases();

    public static TheoryData<string> NumberCases() => StrategicMergePatchApplyTests.NumberCases();

    public static TheoryData<string> UnknownFieldCases() => StrategicMergePatchApplyTests.UnknownFieldCases();

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void Create_smp_cases(int index)
    {
        var c = SmpCases.YamlCases("create_smp_cases.yaml")[index]!.AsObject();
        Check(SmpCases.Obj(c["original"]), SmpCases.Obj(c["modified"]), SmpCases.Obj(c["current"]), c["twoWay"], c["threeWay"], c["description"]);
    }

    [Theory]
    [MemberData(nameof(RawCases))]
    public void Raw_cases(int index) => CheckRaw(SmpCases.Raw("strategicMergePatchRawTestCases", index));

    [Theory]
    [MemberData(nameof(RawExtensionCases))]
    public void Raw_extension_cases(int index) => CheckRaw(SmpCases.Raw("replaceRawExtensionPatchTestCases", index));

    [Theory]
    [MemberData(nameof(NumberCases))]
    public void Number_conversion(string name)
    {
        var c = SmpCases.NumberAndUnknown("TestNumberConversion")[name]!.AsObject();
        var patch = StrategicMergePatch.CreateTwoWay(Parse(c["Old"]), Parse(c["New"]), SmpCases.PrecisionItem, SmpCases.PrecisionSchemas);
        Assert.Equal(JsonText.Canonical(c["ExpectedPatch"]!.GetValue<string>()), JsonText.Canonical(patch));
    }

    [Theory]
    [MemberData(nameof(UnknownFieldCases))]
    public void Unknown_fields(string name)
    {
        var c = SmpCases.NumberAndUnknown("TestUnknownField")[name]!.AsObject();
        var (original, modified, current) = (Parse(c["Original"]), Parse(c["Modified"]), Parse(c["Current"]));
        if (c.ContainsKey("ExpectedTwoWay"))
        {
            // The OpenAPI schema knows jsonItem, so the cases that only fail with Go struct tags succeed here.
            JsonText.Equal(c["ExpectedTwoWay"]!.GetValue<string>(), StrategicMergePatch.CreateTwoWay(original, modified, SmpCases.MergeItem, SmpCases.MergeItemSchemas));
            JsonText.Equal(c["ExpectedThreeWay"]!.GetValue<string>(), StrategicMergePatch.CreateThreeWay(original, modified, current, SmpCases.MergeItem, SmpCases.MergeItemSchemas));
        }
        else
        {
            var e = Assert.Throws<StrategicMergePatchException>(() => StrategicMergePatch.CreateTwoWay(original, modified, SmpCases.MergeItem, SmpCases.MergeItemSchemas));
            Assert.Contains(c["ExpectedTwoWayErr"]!.GetValue<string>(), e.Message, StringComparison.Ordinal);
            e = Assert.Throws<StrategicMergePatchException>(() => StrategicMergePatch.CreateThreeWay(original, modified, current, SmpCases.MergeItem, SmpCases.MergeItemSchemas));
            Assert.Contains(c["ExpectedThreeWayErr"]!.GetValue<string>(), e.Message, StringComparison.Ordinal);
        }
    }

    private static void CheckRaw(JsonObject c) =>
        Check(SmpCases.Doc(c, "original"), SmpCases.Doc(c, "modified"), SmpCases.Doc(c, "current"), SmpCases.Doc(c, "twoWay"), SmpCases.Doc(c, "threeWay"), c["description"]);

    private static void Check(JsonObject original, JsonObject modified, JsonObject current, JsonNode? twoWay, JsonNode? threeWay, JsonNode? description)
    {
        var label = description?.GetValue<string>() ?? "";
        var two = StrategicMergePatch.CreateTwoWay(original, modified, SmpCases.MergeItem, SmpCases.MergeItemSchemas);
        Assert.True(JsonText.Canonical(SmpCases.Obj(twoWay)) == JsonText.Canonical(two), $"{label} (two-way)\nexpected {JsonText.Canonical(SmpCases.Obj(twoWay))}\nactual   {JsonText.Canonical(two)}");
        if (threeWay is null)
        {
            return;
        }

        JsonObject three;
        if (label.Contains("conflict", StringComparison.Ordinal))
        {
            Assert.Throws<StrategicMergePatchConflictException>(() => StrategicMergePatch.CreateThreeWay(original, modified, current, SmpCases.MergeItem, SmpCases.MergeItemSchemas));
            three = StrategicMergePatch.CreateThreeWay(original, modified, current, SmpCases.MergeItem, SmpCases.MergeItemSchemas, overwrite: true);
        }
        else
        {
            three = StrategicMergePatch.CreateThreeWay(original, modified, current, SmpCases.MergeItem, SmpCases.MergeItemSchemas);
        }

        Assert.True(JsonText.Canonical(SmpCases.Obj(threeWay)) == JsonText.Canonical(three), $"{label} (three-way)\nexpected {JsonText.Canonical(SmpCases.Obj(threeWay))}\nactual   {JsonText.Canonical(three)}");
    }

    private static JsonObject Parse(JsonNode? text) => JsonNode.Parse(text!.GetValue<string>())!.AsObject();
}
