using System.Text.Json.Nodes;
using StageSet.Manifests.Patch;
using StageSet.Testing;

namespace StageSet.Manifests.Tests.Patch;

/// <summary>kustomize's own strategic merge (kyaml merge2) against the transcribed upstream table cases.</summary>
public sealed class KustomizeMergeTests
{
    private static readonly string[] Groups = ["scalarTestCases", "listTestCases", "elementTestCases", "mapTestCases"];

    private static readonly Lazy<JsonObject> File = new(() =>
        JsonNode.Parse(System.IO.File.ReadAllText(TestPaths.TestData("patch", "kustomize-kyaml-merge2", "merge2_cases.transcribed.json")))!.AsObject());

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var group in Groups)
        {
            for (var i = 0; i < File.Value[group]!.AsArray().Count; i++)
            {
                if (!CarriesSchemaComment(File.Value[group]![i]!.AsObject()))
                {
                    data.Add(group, i);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Merge2_cases(string group, int index)
    {
        var c = File.Value[group]![index]!.AsObject();
        var options = new KustomizeMergeOptions(
            PrependNewItems: c["mergeOptions"]?["ListIncreaseDirection"]?.GetValue<string>() == "MergeOptionsListPrepend",
            InferAssociativeLists: c["infer"]?.GetValue<bool>() == true);
        var patch = Doc(c["source"]);
        var dest = Doc(c["dest"]);
        var expected = Doc(c["expected"]);

        var actual = KustomizeMerge.Apply(dest ?? [], patch ?? [], options: options);

        Assert.True(JsonText.Canonical(expected) == JsonText.Canonical(actual),
            $"{c["description"]}: expected {JsonText.Canonical(expected)} got {JsonText.Canonical(actual)}");
    }

    // kyaml reads an OpenAPI schema from a YAML line comment ("field: # {schema}"); comments do not survive into
    // JsonNode, and neither Flux nor kustomize users rely on it for stage patches, so those cases are not run.
    [Fact]
    public void Only_the_cases_with_inline_schema_comments_are_left_out()
    {
        var left = Groups.SelectMany(g => File.Value[g]!.AsArray().Select(c => c!.AsObject()))
            .Where(CarriesSchemaComment)
            .Select(c => c["description"]!.GetValue<string>())
            .Order(StringComparer.Ordinal);

        Assert.Equal(["merge_primitive_items", "no infer merge keys merge using explicit schema as line comment'"], left);
    }

    [Fact]
    public void Patch_of_another_kind_of_node_is_rejected_naming_the_field()
    {
        var dest = (JsonObject)KubeYaml.Parse("apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n")!;
        var patch = (JsonObject)KubeYaml.Parse("apiVersion: v1\nkind: ConfigMap\ndata: [x]\n")!;

        var e = Assert.Throws<KustomizeMergeException>(() => KustomizeMerge.Apply(dest, patch));

        Assert.Contains(".data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void New_containers_are_prepended_by_default_as_kustomize_build_does()
    {
        var dest = (JsonObject)KubeYaml.Parse("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n")!;
        var patch = (JsonObject)KubeYaml.Parse("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: b\n")!;

        var merged = KustomizeMerge.Apply(dest, patch)!;

        var names = merged["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>());
        Assert.Equal(["b", "a"], names);
    }

    private static bool CarriesSchemaComment(JsonObject c) =>
        new[] { "source", "dest" }.Any(k => c[k]!.GetValue<string>().Contains("# {", StringComparison.Ordinal));

    private static JsonObject? Doc(JsonNode? yaml) =>
        string.IsNullOrWhiteSpace(yaml?.GetValue<string>()) ? null : KubeYaml.Parse(yaml.GetValue<string>()) as JsonObject;
}
