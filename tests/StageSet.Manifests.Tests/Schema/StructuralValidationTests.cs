using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;

namespace StageSet.Manifests.Tests.Schema;

public class StructuralValidationTests
{
    private static JsonSchemaProps S(string json) => JsonSchemaProps.Parse(JsonNode.Parse(json));

    private static List<string> Errors(JsonSchemaProps schema, string objJson, StructuralRuleEvaluator? rules = null) =>
        StructuralValidation.Validate(JsonNode.Parse(objJson), schema, "", rules).Select(e => e.ToString()).ToList();

    private static readonly JsonSchemaProps FieldObject = S("""{"type":"object","properties":{"field":{"type":"object"}}}""");

    [Theory]
    [InlineData("\"foo\"", "string")]
    [InlineData("42", "integer")]
    [InlineData("true", "boolean")]
    [InlineData("1.2", "number")]
    [InlineData("[]", "array")]
    [InlineData("null", "null")]
    public void Type_mismatches_name_the_actual_type(string value, string actual)
    {
        Assert.Equal([$"field: Invalid value: \"{actual}\": field in body must be of type object: \"{actual}\""], Errors(FieldObject, $$"""{"field":{{value}}}"""));
    }

    [Fact]
    public void Nullable_accepts_null_and_untyped_accepts_anything()
    {
        var schema = S("""{"type":"object","properties":{"a":{"type":"object","nullable":true},"b":{"nullable":true}}}""");
        Assert.Empty(Errors(schema, """{"a":null,"b":null}"""));
        Assert.Empty(Errors(schema, """{"b":[1,"x"]}"""));
    }

    [Fact]
    public void Int_or_string_accepts_both_and_rejects_others()
    {
        var schema = S("""{"type":"object","properties":{"field":{"x-kubernetes-int-or-string":true}}}""");
        Assert.Empty(Errors(schema, """{"field":42}"""));
        Assert.Empty(Errors(schema, """{"field":"50%"}"""));
        Assert.Equal(["field: Invalid value: \"number\": field in body must be of type integer,string: \"number\""], Errors(schema, """{"field":1.2}"""));
        Assert.Equal(["field: Invalid value: \"null\": field in body must be of type integer,string: \"null\""], Errors(schema, """{"field":null}"""));
    }

    [Fact]
    public void Whole_floats_pass_as_integers_and_integers_as_numbers()
    {
        var schema = S("""{"type":"object","properties":{"i":{"type":"integer"},"n":{"type":"number"}}}""");
        Assert.Empty(Errors(schema, """{"i":3.0,"n":3}"""));
        Assert.Equal(["i: Invalid value: \"number\": i in body must be of type integer: \"number\""], Errors(schema, """{"i":3.5}"""));
    }

    [Fact]
    public void Required_and_enum_are_worded_like_the_api_server()
    {
        var schema = S("""
            {"type":"object","properties":{"field":{"type":"object","required":["nestedint","nestedstring"],"properties":{
              "nestedint":{"type":"integer","enum":[1,2]},"nestedstring":{"type":"string","enum":["a","b"]}}}}}
            """);
        Assert.Equal(["field.nestedint: Required value", "field.nestedstring: Required value"], Errors(schema, """{"field":{}}"""));
        Assert.Equal(
            [
                "field.nestedint: Invalid value: \"string\": field.nestedint in body must be of type integer: \"string\"",
                "field.nestedint: Unsupported value: \"x\": supported values: \"1\", \"2\"",
                "field.nestedstring: Invalid value: \"boolean\": field.nestedstring in body must be of type string: \"boolean\"",
                "field.nestedstring: Unsupported value: true: supported values: \"a\", \"b\"",
            ],
            Errors(schema, """{"field":{"nestedint":"x","nestedstring":true}}""").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Size_limits_use_too_many_and_too_long()
    {
        var schema = S("""
            {"type":"object","properties":{"p":{"type":"object","maxProperties":2},"i":{"type":"array","maxItems":2,"items":{"type":"string"}},
             "s":{"type":"string","maxLength":2},"m":{"type":"array","minItems":1,"items":{"type":"string"}},"t":{"type":"string","minLength":2}}}
            """);
        Assert.Equal(
            [
                "p: Too many: 3: must have at most 2 items",
                "i: Too many: 3: must have at most 2 items",
                "s: Too long: may not be more than 2 bytes",
                "m: Invalid value: 0: m in body should have at least 1 items",
                "t: Invalid value: \"x\": t in body should be at least 2 chars long",
            ],
            Errors(schema, """{"p":{"a":true,"b":true,"c":true},"i":["a","b","c"],"s":"abc","m":[],"t":"x"}"""));
        Assert.Empty(Errors(schema, """{"s":"éé"}"""));
    }

    [Fact]
    public void Numeric_bounds_print_go_numbers()
    {
        var schema = S("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "size":{"type":"integer","minimum":1,"maximum":100},
              "ratio":{"type":"number","minimum":0,"maximum":0.5,"exclusiveMaximum":true},
              "step":{"type":"integer","multipleOf":5}}}}}
            """);
        Assert.Equal(["spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1"], Errors(schema, """{"spec":{"size":0}}"""));
        Assert.Equal(["spec.size: Invalid value: 101: spec.size in body should be less than or equal to 100"], Errors(schema, """{"spec":{"size":101}}"""));
        Assert.Equal(["spec.ratio: Invalid value: 0.5: spec.ratio in body should be less than 0.5"], Errors(schema, """{"spec":{"ratio":0.5}}"""));
        Assert.Equal(["spec.step: Invalid value: 7: spec.step in body should be a multiple of 5"], Errors(schema, """{"spec":{"step":7}}"""));
        Assert.Empty(Errors(schema, """{"spec":{"size":1,"ratio":0.25,"step":10}}"""));
    }

    [Fact]
    public void Patterns_are_unanchored_searches_and_report_the_pattern()
    {
        var schema = S("""{"type":"object","properties":{"name":{"type":"string","pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},"part":{"type":"string","pattern":"b+"}}}""");
        Assert.Empty(Errors(schema, """{"name":"web-1","part":"abba"}"""));
        Assert.Equal(["name: Invalid value: \"Web\": name in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'"], Errors(schema, """{"name":"Web"}"""));
        Assert.Equal(["part: Invalid value: \"a\": part in body should match 'b+'"], Errors(schema, """{"part":"a"}"""));
    }

    [Fact]
    public void Date_time_format_is_checked()
    {
        var schema = S("""{"type":"object","properties":{"at":{"type":"string","format":"date-time"}}}""");
        Assert.Empty(Errors(schema, """{"at":"2026-12-24T00:00:00Z"}"""));
        Assert.Empty(Errors(schema, """{"at":"2026-12-24T00:00:00.123+02:00"}"""));
        Assert.Equal(["at: Invalid value: \"yesterday\": at in body must be of type date-time: \"yesterday\""], Errors(schema, """{"at":"yesterday"}"""));
        Assert.Single(Errors(schema, """{"at":"2026-02-30T00:00:00Z"}"""));
    }

    [Fact]
    public void Any_of_failures_report_the_junctor_and_the_best_branch()
    {
        var schema = S("""{"type":"object","properties":{"field":{"nullable":true,"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]}}}""");
        Assert.Empty(Errors(schema, """{"field":null}"""));
        Assert.Equal(
            [
                "<nil>: Invalid value: \"\": \"field\" must validate at least one schema (anyOf)",
                "field: Invalid value: \"boolean\": field in body must be of type integer,string: \"boolean\"",
                "field: Invalid value: \"boolean\": field in body must be of type integer: \"boolean\"",
            ],
            Errors(schema, """{"field":true}""").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void List_sets_and_maps_reject_duplicates()
    {
        var schema = S("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
              "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                "items":{"type":"object","properties":{"name":{"type":"string"},"port":{"type":"integer"}}}},
              "pairs":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["k1","k2"],
                "items":{"type":"object","properties":{"k1":{"type":"string"},"k2":{"type":"integer"}}}}}}}}
            """);
        Assert.Equal(
            [
                "spec.tags[2]: Duplicate value: \"a\"",
                "spec.ports[1]: Duplicate value: map[string]interface {}{\"name\":\"http\"}",
                "spec.pairs[1]: Duplicate value: map[string]interface {}{\"k1\":\"a\", \"k2\":1}",
            ],
            Errors(schema, """
                {"spec":{"tags":["a","b","a"],"ports":[{"name":"http","port":80},{"name":"http","port":81}],
                 "pairs":[{"k1":"a","k2":1},{"k2":1.0,"k1":"a"},{"k1":"a","k2":2}]}}
                """));
    }

    [Fact]
    public void Embedded_resources_need_api_version_and_kind()
    {
        var schema = S("""{"type":"object","properties":{"t":{"type":"object","x-kubernetes-embedded-resource":true,"x-kubernetes-preserve-unknown-fields":true}}}""");
        Assert.Equal(["t.apiVersion: Required value: must not be empty", "t.kind: Invalid value: \"\": must not be empty"], Errors(schema, """{"t":{"kind":""}}"""));
        Assert.Empty(Errors(schema, """{"t":{"apiVersion":"v1","kind":"Pod"}}"""));
    }

    [Fact]
    public void Rule_evaluator_is_called_for_nodes_with_validations()
    {
        var schema = S("""
            {"type":"object","properties":{"kubeConfig":{"type":"object","properties":{"secretRef":{"type":"object"}},
              "x-kubernetes-validations":[{"rule":"has(self.secretRef)","message":"secretRef required"}]}}}
            """);
        var calls = new List<string>();
        IEnumerable<FieldError> Rules(string path, JsonSchemaProps s, JsonNode? value)
        {
            calls.Add(path + "=" + value!.ToJsonString());
            return value is JsonObject o && o.ContainsKey("secretRef") ? [] : [FieldError.Invalid(path, "\"object\"", s.Validations![0].Message!)];
        }

        Assert.Equal(["kubeConfig: Invalid value: \"object\": secretRef required"], Errors(schema, """{"kubeConfig":{}}""", Rules));
        Assert.Empty(Errors(schema, """{"kubeConfig":{"secretRef":{}}}""", Rules));
        Assert.Empty(Errors(schema, """{}""", Rules));
        Assert.Equal(["kubeConfig={}", "kubeConfig={\"secretRef\":{}}"], calls);
    }

    [Fact]
    public void Admit_prunes_defaults_then_validates()
    {
        var schema = StructuralSchema.Create(S("""
            {"type":"object","properties":{"spec":{"type":"object","required":["size"],"properties":{
              "size":{"type":"integer","minimum":1},"mode":{"type":"string","enum":["Hold","Rollback"],"default":"Hold"}}}}}
            """), out var violations)!;
        Assert.Empty(violations);
        var obj = JsonNode.Parse("""{"apiVersion":"x/v1","kind":"W","metadata":{"name":"n"},"spec":{"size":0,"foo":1}}""")!.AsObject();
        var result = schema.Admit(obj);
        Assert.Equal(["spec.foo"], result.UnknownFields);
        Assert.Equal(["spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1"], result.Errors.Select(e => e.ToString()));
        Assert.Equal("Hold", obj["spec"]!["mode"]!.GetValue<string>());
    }
}

public class StructuralValuesTests
{
    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(100.0, "100")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(-2.5e-7, "-2.5e-07")]
    [InlineData(123456789012345678.0, "123456789012345680")]
    [InlineData(0.0001, "0.0001")]
    public void Floats_print_like_go(double value, string expected) => Assert.Equal(expected, StructuralValues.GoFloat(value));

    [Fact]
    public void Maps_and_slices_print_in_go_syntax()
    {
        Assert.Equal("map[string]interface {}{\"a\":[]interface {}{1, \"x\", interface {}(nil)}, \"b\":true}",
            StructuralValues.GoSyntax(JsonNode.Parse("""{"b":true,"a":[1,"x",null]}""")));
    }
}
