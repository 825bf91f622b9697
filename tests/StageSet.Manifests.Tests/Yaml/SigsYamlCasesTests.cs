using System.Text.Json.Nodes;
using StageSet.Manifests.Yaml;
using StageSet.Testing;

namespace StageSet.Manifests.Tests.Yaml;

/// <summary>The sigs.k8s.io/yaml table tests transcribed in testdata/yaml.</summary>
public sealed class SigsYamlCasesTests
{
    private static readonly JsonObject Data = (JsonObject)JsonNode.Parse(File.ReadAllText(TestPaths.TestData("yaml", "sigs-k8s-yaml.transcribed.json")))!;

    public static TheoryData<string> YamlToJsonCases() => Names(Data["yaml_to_json"]!.AsArray());

    public static TheoryData<string> DuplicateCases() => Names(Data["yaml_to_json_duplicates"]!["cases"]!.AsArray());

    [Theory]
    [MemberData(nameof(YamlToJsonCases))]
    public void YamlToJson_matches_sigs_yaml(string name)
    {
        var c = Case(Data["yaml_to_json"]!, name);
        var yaml = c["yaml"]!.GetValue<string>();
        if (c["yaml_to_json_must_fail"]?.GetValue<bool>() == true)
        {
            var e = Assert.Throws<KubeYamlException>(() => KubeYaml.Parse(yaml, "case.yaml"));
            Assert.Contains("case.yaml", e.Message, StringComparison.Ordinal);
            Assert.Equal(1, e.Line);
            return;
        }

        JsonText.Equal(c["json"]!.GetValue<string>(), KubeYaml.Parse(yaml));
        JsonText.Equal(c["json"]!.GetValue<string>(), KubeYaml.Parse(yaml, strict: false));
    }

    [Theory]
    [MemberData(nameof(YamlToJsonCases))]
    public void JsonToYaml_matches_sigs_yaml(string name)
    {
        var c = Case(Data["yaml_to_json"]!, name);
        var expected = c["json_to_yaml_expected"]!.GetValue<string>();
        Assert.Equal(expected, KubeYaml.Serialize(JsonNode.Parse(c["json"]!.GetValue<string>())));
    }

    [Theory]
    [MemberData(nameof(DuplicateCases))]
    public void Duplicate_keys_fail_in_strict_mode_and_last_wins_otherwise(string name)
    {
        var c = Case(Data["yaml_to_json_duplicates"]!["cases"]!, name);
        var yaml = c["yaml"]!.GetValue<string>();
        var e = Assert.Throws<KubeYamlException>(() => KubeYaml.Parse(yaml, "dup.yaml"));
        Assert.Equal("dup.yaml: yaml: line 2: key \"foo\" already set in map", e.Message);
        var lenient = KubeYaml.Parse(yaml, strict: false);
        JsonText.Equal(c["json"]!.GetValue<string>(), lenient);
        Assert.Equal(c["json_to_yaml_expected"]!.GetValue<string>(), KubeYaml.Serialize(lenient));
    }

    [Fact]
    public void Typed_unmarshal_cases_that_apply_to_untyped_json()
    {
        // The Go-struct cases exercise encoding/json conversions we do not have; the map-key, empty-value and
        // duplicate cases describe the JSON that YAMLToJSON produces, which we check here.
        var ran = 0;
        foreach (var c in Data["unmarshal_typed_selected"]!["cases"]!.AsArray().Select(n => n!.AsObject()))
        {
            var yaml = c["yaml"]!.GetValue<string>();
            var target = c["target"]!.GetValue<string>();
            if (c["expected_keys"] is JsonArray keys)
            {
                var obj = KubeYaml.Parse(yaml)!.AsObject();
                Assert.Equal(keys.Select(k => k!.GetValue<string>()), obj.Select(p => p.Key));
                ran++;
            }
            else if (target.StartsWith("map[string]string", StringComparison.Ordinal) || (target == "interface{}" && c["expected"] is JsonObject))
            {
                var strict = c["strict_must_fail"]?.GetValue<bool>() != true;
                if (!strict)
                {
                    Assert.Throws<KubeYamlException>(() => KubeYaml.Parse(yaml));
                }

                JsonText.Equal(c["expected"], KubeYaml.Parse(yaml, strict: strict));
                ran++;
            }
            else if (c["expected_json_of_target"] is JsonObject expected && target.StartsWith("struct field tagged", StringComparison.Ordinal))
            {
                // The tag names the JSON key YAMLToJSON must produce for the YAML key.
                Assert.Equal(expected.Select(p => p.Key), KubeYaml.Parse(yaml)!.AsObject().Select(p => p.Key));
                ran++;
            }
        }

        Assert.Equal(11, ran);
    }

    [Fact]
    public void Resolver_table_matches_go_yaml_v2()
    {
        var facts = Data["resolver_facts_from_source"]!;
        foreach (var word in facts["true"]!.AsArray())
        {
            Assert.Equal("true", KubeYaml.Parse("v: " + word!.GetValue<string>())!["v"]!.ToJsonString());
        }

        foreach (var word in facts["false"]!.AsArray())
        {
            Assert.Equal("false", KubeYaml.Parse("v: " + word!.GetValue<string>())!["v"]!.ToJsonString());
        }

        foreach (var word in facts["null"]!.AsArray())
        {
            var w = word!.GetValue<string>();
            Assert.Null(KubeYaml.Parse("v: " + w)!["v"]);
            Assert.Equal(w, KubeYaml.Parse("v: \"" + w + "\"")!["v"]!.GetValue<string>());
            Assert.Equal(w.Length == 0 ? "v: \"\"\n" : $"v: \"{w}\"\n", KubeYaml.Serialize(new JsonObject { ["v"] = w }));
        }
    }

    private static TheoryData<string> Names(JsonArray cases)
    {
        var data = new TheoryData<string>();
        foreach (var c in cases)
        {
            data.Add(c!["name"]!.GetValue<string>());
        }

        return data;
    }

    private static JsonObject Case(JsonNode cases, string name) =>
        cases.AsArray().Select(n => n!.AsObject()).Single(c => c["name"]!.GetValue<string>() == name);
}
