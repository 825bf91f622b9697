using System.Text.Json;
using System.Text.Json.Nodes;
using StageSet.Manifests.Yaml;

namespace StageSet.Manifests.Tests.Yaml;

public sealed class KubeYamlTests
{
    [Fact]
    public void Multi_document_streams_skip_empty_and_null_documents()
    {
        var docs = KubeYaml.ParseDocuments("---\na: 1\n---\n---\n# only a comment\n---\n~\n---\n- x\n...\n---\nb: 2\n");
        Assert.Equal(["{\"a\":1}", "[\"x\"]", "{\"b\":2}"], docs.Select(d => d.ToJsonString()));
    }

    [Fact]
    public void Empty_input_has_no_documents()
    {
        Assert.Empty(KubeYaml.ParseDocuments(""));
        Assert.Empty(KubeYaml.ParseDocuments("# nothing\n"));
        Assert.Null(KubeYaml.Parse(""));
    }

    [Fact]
    public void Parse_rejects_a_second_document()
    {
        var e = Assert.Throws<KubeYamlException>(() => KubeYaml.Parse("a: 1\n---\nb: 2\n", "patch.yaml"));
        Assert.Equal(3, e.Line);
        Assert.StartsWith("patch.yaml: yaml: line 3:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syntax_errors_name_the_source_and_line()
    {
        var e = Assert.Throws<KubeYamlException>(() => KubeYaml.ParseDocuments("a: 1\nb: [1, 2\nc: 3\n", "deploy.yaml"));
        Assert.Equal("deploy.yaml", e.SourceName);
        Assert.True(e.Line >= 2, e.Message);
        Assert.StartsWith("deploy.yaml: yaml: line ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Line:", e.Reason, StringComparison.Ordinal);

        var tab = Assert.Throws<KubeYamlException>(() => KubeYaml.ParseDocuments("a:\n\tb: 1\n"));
        Assert.StartsWith("<input>: yaml: line ", tab.Message, StringComparison.Ordinal);
        Assert.Contains("tab", tab.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_key_errors_point_at_the_repeated_key_in_nested_maps()
    {
        var yaml = "metadata:\n  name: a\n  labels:\n    app: web\n    app: api\n";
        var e = Assert.Throws<KubeYamlException>(() => KubeYaml.ParseDocuments(yaml, "svc.yaml"));
        Assert.Equal("svc.yaml: yaml: line 5: key \"app\" already set in map", e.Message);
        Assert.Equal("api", KubeYaml.ParseDocuments(yaml, strict: false)[0]["metadata"]!["labels"]!["app"]!.GetValue<string>());
    }

    [Fact]
    public void Keys_equal_after_stringification_are_duplicates_in_strict_mode()
    {
        Assert.Throws<KubeYamlException>(() => KubeYaml.Parse("1: a\n\"1\": b\n"));
        Assert.Throws<KubeYamlException>(() => KubeYaml.Parse("yes: a\ntrue: b\n"));
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_follow_go_yaml_v2()
    {
        var yaml = """
            base: &base {a: 1, b: 2}
            copy: *base
            over:
              <<: *base
              b: 3
            before:
              b: explicit
              <<: *base
            list:
              <<: [{a: first}, {a: second, c: 4}]
            """;
        var doc = KubeYaml.Parse(yaml)!;
        JsonText.Equal("""{"a":1,"b":2}""", doc["copy"]);
        JsonText.Equal("""{"a":1,"b":3}""", doc["over"]);
        // go-yaml v2 applies a merge where it stands, so it overrides keys written before it.
        JsonText.Equal("""{"a":1,"b":2}""", doc["before"]);
        JsonText.Equal("""{"a":"first","c":4}""", doc["list"]);
    }

    [Fact]
    public void Merge_of_a_scalar_is_an_error()
    {
        var e = Assert.Throws<KubeYamlException>(() => KubeYaml.Parse("a: &x 1\nb:\n  <<: *x\n"));
        Assert.Contains("map merge requires map or sequence of maps as the value", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_anchor_is_an_error()
    {
        var e = Assert.Throws<KubeYamlException>(() => KubeYaml.Parse("a: *missing\n", "x.yaml"));
        Assert.StartsWith("x.yaml: yaml: line 1:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exponential_alias_expansion_is_refused()
    {
        var sb = new System.Text.StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 9; i++)
        {
            sb.Append($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        var e = Assert.Throws<KubeYamlException>(() => KubeYaml.Parse(sb.ToString()));
        Assert.Contains("excessive aliasing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scalars_resolve_as_yaml_1_1()
    {
        var doc = KubeYaml.Parse("""
            octal: 0777
            octal-o: 0o17
            hex: 0xff
            bin: 0b101
            under: 1_000_000
            big: 9007199254740993
            uint: 18446744073709551615
            toobig: 18446744073709551616
            float: 1.0
            exp: 1e+36
            notoctal: 08
            on: off
            str: !!str 0x10
            date: 2024-01-31
            notdate: 2024-02-30
            """)!;
        Assert.Equal(
            """{"octal":511,"octal-o":15,"hex":255,"bin":5,"under":1000000,"big":9007199254740993,"uint":18446744073709551615,"toobig":18446744073709552000,"float":1,"exp":1e+36,"notoctal":8,"true":false,"str":"0x10","date":"2024-01-31","notdate":"2024-02-30"}""",
            doc.ToJsonString());
    }

    [Fact]
    public void Numbers_keep_their_kind()
    {
        var doc = KubeYaml.Parse("i: 3\nf: 3.5\nbig: 9007199254740993\n")!;
        Assert.Equal(3L, doc["i"]!.GetValue<long>());
        Assert.Equal(3.0, doc["i"]!.GetValue<double>());
        Assert.Equal(9007199254740993L, doc["big"]!.GetValue<long>());
        Assert.False(doc["f"]!.AsValue().TryGetValue<long>(out _));
        Assert.Equal(JsonValueKind.Number, doc["f"]!.GetValueKind());
    }

    [Fact]
    public void Explicit_core_tags_must_fit_the_value()
    {
        Assert.Equal(42, KubeYaml.Parse("a: !!int \"42\"")!["a"]!.GetValue<int>());
        Assert.Equal("3", KubeYaml.Parse("a: !!float 3")!["a"]!.ToJsonString());
        var e = Assert.Throws<KubeYamlException>(() => KubeYaml.Parse("a: !!int abc"));
        Assert.Contains("cannot decode !!str `abc` as a !!int", e.Message, StringComparison.Ordinal);
        var b = Assert.Throws<KubeYamlException>(() => KubeYaml.Parse("a: !!binary '%%%'"));
        Assert.Contains("!!binary value contains invalid base64 data", b.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_block_scalars_decode_across_lines()
    {
        var doc = KubeYaml.Parse("a: !!binary |\n  aGVs\n  bG8=\n")!;
        Assert.Equal("hello", doc["a"]!.GetValue<string>());
    }

    [Fact]
    public void Collection_keys_and_infinities_are_rejected_with_their_line()
    {
        var key = Assert.Throws<KubeYamlException>(() => KubeYaml.Parse("a: 1\n[x]: 2\n"));
        Assert.Equal(2, key.Line);
        var inf = Assert.Throws<KubeYamlException>(() => KubeYaml.Parse("a: 1\nb: .inf\n"));
        Assert.Equal(2, inf.Line);
    }

    [Fact]
    public void Serialize_stream_separates_documents_like_kustomize()
    {
        var text = KubeYaml.SerializeStream([JsonNode.Parse("""{"b":1,"a":"x"}"""), JsonNode.Parse("[]")]);
        Assert.Equal("a: x\nb: 1\n---\n[]\n", text);
    }

    [Fact]
    public void Round_trip_is_stable_for_a_typical_manifest()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              annotations:
                note: |
                  multi
                  line
              labels:
                app: web
              name: web
            spec:
              replicas: 2
              template:
                spec:
                  containers:
                  - args:
                    - --port=8080
                    - "true"
                    image: nginx:1.27
                    name: web
                    ports:
                    - containerPort: 8080
                    resources:
                      limits:
                        cpu: 500m
                        memory: 1Gi

            """;
        Assert.Equal(yaml.TrimEnd('\n') + "\n", KubeYaml.Serialize(KubeYaml.Parse(yaml)));
    }
}
