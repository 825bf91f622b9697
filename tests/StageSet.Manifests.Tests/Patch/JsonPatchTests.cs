using System.Text.Json.Nodes;
using StageSet.Manifests.Patch;
using StageSet.Testing;

namespace StageSet.Manifests.Tests.Patch;

/// <summary>json-patch-tests conformance: every non-disabled record, error cases must throw.</summary>
public sealed class JsonPatchTests
{
    public static TheoryData<string, int> Records()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in new[] { "tests.json", "spec_tests.json" })
        {
            var records = Load(file);
            for (var i = 0; i < records.Count; i++)
            {
                if (records[i]!["disabled"]?.GetValue<bool>() != true && records[i]!["patch"] is not null)
                {
                    data.Add(file, i);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void Conformance(string file, int index)
    {
        var record = Load(file)[index]!.AsObject();
        var doc = record["doc"];
        var patch = record["patch"];
        if (record.ContainsKey("error"))
        {
            Assert.Throws<JsonPatchException>(() => JsonPatch.Apply(doc, patch));
            return;
        }

        var result = JsonPatch.Apply(doc, patch);
        if (record.TryGetPropertyValue("expected", out var expected))
        {
            Assert.True(JsonEquality.DeepEquals(expected, result), $"{record["comment"]}: got {result?.ToJsonString()}");
        }

        JsonText.Equal(record["doc"], doc);
    }

    [Fact]
    public void Conformance_covers_every_enabled_record()
    {
        Assert.Equal(92 + 16, Records().Count);
    }

    [Fact]
    public void Errors_name_the_operation_and_path()
    {
        var doc = JsonNode.Parse("""{"spec":{"replicas":1}}""");
        var e = Assert.Throws<JsonPatchException>(() => JsonPatch.Apply(doc, """[{"op":"add","path":"/spec/x","value":1},{"op":"remove","path":"/spec/missing"}]"""));
        Assert.Equal(1, e.OperationIndex);
        Assert.Equal("operation 1 (remove): path /spec/missing does not exist", e.Message);
        var t = Assert.Throws<JsonPatchException>(() => JsonPatch.Apply(doc, """[{"op":"test","path":"/spec/replicas","value":2}]"""));
        Assert.Equal("operation 0 (test): test failed: the value at /spec/replicas is 1, not 2", t.Message);
        Assert.Throws<JsonPatchException>(() => JsonPatch.Apply(doc, "{not json"));
        Assert.Throws<JsonPatchException>(() => JsonPatch.Apply(doc, """{"op":"add"}"""));
    }

    [Fact]
    public void Escaped_pointer_tokens_address_annotation_keys()
    {
        var doc = JsonNode.Parse("""{"metadata":{"annotations":{"a/b~c":"x"}}}""");
        var result = JsonPatch.Apply(doc, """[{"op":"replace","path":"/metadata/annotations/a~1b~0c","value":"y"}]""");
        Assert.Equal("y", result!["metadata"]!["annotations"]!["a/b~c"]!.GetValue<string>());
    }

    private static JsonArray Load(string file) =>
        JsonNode.Parse(File.ReadAllText(TestPaths.TestData("patch", "json-patch-tests", file)))!.AsArray();
}
