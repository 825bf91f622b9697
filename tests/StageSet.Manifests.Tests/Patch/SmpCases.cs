using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;
using StageSet.Testing;

namespace StageSet.Manifests.Tests.Patch;

/// <summary>Loads apimachinery's strategic merge patch test data and its MergeItem/PrecisionItem schemas.</summary>
internal static class SmpCases
{
    public static readonly SchemaSet MergeItemSchemas = Load("swagger-merge-item-v3.json");
    public static readonly SchemaSet PrecisionSchemas = Load("swagger-precision-item-v3.json");

    public static JsonSchemaProps MergeItem => MergeItemSchemas.Lookup("mergeItem")!;

    public static JsonSchemaProps PrecisionItem => PrecisionSchemas.Lookup("precisionItem")!;

    public static JsonArray YamlCases(string file) =>
        KubeYaml.Parse(File.ReadAllText(TestData(file)), file)!["testCases"]!.AsArray();

    public static JsonObject Raw(string group, int index) =>
        JsonNode.Parse(File.ReadAllText(TestData("raw_smp_cases.transcribed.json")))![group]![index]!.AsObject();

    public static int RawCount(string group) =>
        JsonNode.Parse(File.ReadAllText(TestData("raw_smp_cases.transcribed.json")))![group]!.AsArray().Count;

    public static JsonObject NumberAndUnknown(string group) =>
        JsonNode.Parse(File.ReadAllText(TestData("number_and_unknown_field_cases.transcribed.json")))![group]!["cases"]!.AsObject();

    /// <summary>A raw case field: verbatim YAML text, empty meaning an empty document.</summary>
    public static JsonObject Doc(JsonObject c, string field) =>
        c[field] is JsonValue v && KubeYaml.Parse(v.GetValue<string>()) is JsonObject o ? o : new JsonObject();

    public static JsonObject Obj(JsonNode? node) => node as JsonObject ?? new JsonObject();

    public static TheoryData<int> Indexes(int count)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static string TestData(string file) => TestPaths.TestData("patch", "strategicpatch", file);

    private static SchemaSet Load(string file) => SchemaSet.FromOpenApi(JsonNode.Parse(File.ReadAllText(TestData(file)))!);
}
