using System.Text.Json.Nodes;
using StageSet.Cel.Crd;
using StageSet.Manifests.Schema;

namespace StageSet.Cel.Tests;

/// <summary>CRD <c>x-kubernetes-validations</c> through the structural-schema seam, worded as kube-apiserver words them.</summary>
public sealed class CrdRuleValidatorTests
{
    private static readonly JsonSchemaProps Schema = JsonSchemaProps.Parse(JsonNode.Parse("""
        {"type": "object",
         "x-kubernetes-validations": [{"rule": "self.metadata.name.startsWith('w-')", "message": "name must start with w-"}],
         "properties": {
           "spec": {"type": "object",
             "x-kubernetes-validations": [
               {"rule": "self.min <= self.max", "messageExpression": "'min ' + string(self.min) + ' exceeds max ' + string(self.max)", "fieldPath": ".min"},
               {"rule": "!has(self.forbidden)", "reason": "FieldValueForbidden", "message": "must not be set"},
               {"rule": "self.ratio * 2.0 < 10.0"}],
             "properties": {
               "min": {"type": "integer"}, "max": {"type": "integer"}, "forbidden": {"type": "string"}, "ratio": {"type": "number"},
               "mode": {"type": "string", "x-kubernetes-validations": [{"rule": "self == oldSelf", "message": "mode is immutable"}]},
               "grow": {"type": "integer", "x-kubernetes-validations": [
                 {"rule": "!oldSelf.hasValue() || self >= oldSelf.value()", "message": "may only grow", "optionalOldSelf": true}]},
               "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                 "items": {"type": "object", "properties": {"name": {"type": "string"}, "port": {"type": "integer"}},
                           "x-kubernetes-validations": [{"rule": "self.port == oldSelf.port", "message": "port is immutable"}]}},
               "tags": {"type": "array", "items": {"type": "object", "properties": {"v": {"type": "string"}},
                        "x-kubernetes-validations": [{"rule": "self.v == oldSelf.v", "message": "never correlated"}]}},
               "labels": {"type": "object", "additionalProperties": {"type": "string"},
                          "x-kubernetes-validations": [{"rule": "self.all(k, k.size() < 5)", "fieldPath": "['app.kubernetes.io']", "message": "short keys"}]}
             }}}}
        """));

    private static readonly StructuralSchema Structural = StructuralSchema.Create(Schema, out _)!;

    private static List<string> Validate(string json, string? oldJson = null, CrdRuleValidator? validator = null)
    {
        var obj = (JsonObject)JsonNode.Parse(json)!;
        var old = oldJson is null ? null : (JsonObject)JsonNode.Parse(oldJson)!;
        var rules = (validator ?? new CrdRuleValidator()).For(Schema, obj, old);
        return [.. Structural.Validate(obj, rules).Select(e => e.ToString())];
    }

    private const string Valid = """{"metadata": {"name": "w-1"}, "spec": {"min": 1, "max": 2, "ratio": 1.5}}""";

    [Fact]
    public void Rules_that_hold_report_nothing() => Assert.Empty(Validate(Valid));

    [Fact]
    public void Failures_use_message_message_expression_reason_and_field_path()
    {
        var errors = Validate("""{"metadata": {"name": "x"}, "spec": {"min": 3, "max": 2, "forbidden": "y", "ratio": 7.5}}""");
        Assert.Equal(
        [
            "spec.min: Invalid value: \"object\": min 3 exceeds max 2",
            "spec: Forbidden: must not be set",
            "spec: Invalid value: \"object\": failed rule: self.ratio * 2.0 < 10.0",
            "<nil>: Invalid value: \"object\": name must start with w-",
        ], errors);
    }

    [Fact]
    public void Evaluation_errors_name_the_rule()
    {
        var errors = Validate("""{"metadata": {"name": "w-1"}, "spec": {"max": 2, "ratio": 1}}""");
        Assert.Equal(
        [
            "spec: Invalid value: \"object\": no such key: min evaluating rule: self.min <= self.max",
            "spec: Invalid value: \"object\": 'no such overload: _*_(int, double)': call arguments did not match a supported operator, function or macro signature for rule: self.ratio * 2.0 < 10.0",
        ], errors);
    }

    [Fact]
    public void Map_keys_in_a_rule_field_path_render_as_keys()
    {
        var errors = Validate("""{"metadata": {"name": "w-1"}, "spec": {"min": 1, "max": 2, "ratio": 1.5, "labels": {"long-key": "x"}}}""");
        Assert.Equal(["spec.labels[app.kubernetes.io]: Invalid value: \"object\": short keys"], errors);
    }

    [Fact]
    public void Transition_rules_run_only_on_update_against_the_correlated_old_value()
    {
        const string Before = """
            {"metadata": {"name": "w-1"}, "spec": {"min": 1, "max": 2, "ratio": 1.5, "mode": "a", "grow": 5,
             "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}], "tags": [{"v": "x"}]}}
            """;
        Assert.Empty(Validate(Before));
        Assert.Empty(Validate(Before, Before));

        // Reordered map-list items correlate by key; atomic list items never correlate, so their rule is skipped.
        const string After = """
            {"metadata": {"name": "w-1"}, "spec": {"min": 1, "max": 2, "ratio": 1.5, "mode": "b", "grow": 4,
             "ports": [{"name": "https", "port": 8443}, {"name": "http", "port": 80}, {"name": "new", "port": 1}], "tags": [{"v": "y"}]}}
            """;
        Assert.Equal(
        [
            "spec.mode: Invalid value: \"string\": mode is immutable",
            "spec.grow: Invalid value: \"integer\": may only grow",
            "spec.ports[0]: Invalid value: \"object\": port is immutable",
        ], Validate(After, Before));
    }

    [Fact]
    public void Optional_old_self_rules_also_run_on_create_with_old_self_unset()
    {
        var schema = JsonSchemaProps.Parse(JsonNode.Parse("""
            {"type": "object", "properties": {"n": {"type": "integer", "x-kubernetes-validations": [
              {"rule": "oldSelf.hasValue() && oldSelf.value() == self", "message": "no old value", "optionalOldSelf": true},
              {"rule": "oldSelf == self", "message": "not run on create"}]}}}
            """));
        var obj = new JsonObject { ["n"] = 1 };
        var errors = StructuralValidation.Validate(obj, schema, "", new CrdRuleValidator().For(schema, obj)).Select(e => e.ToString());
        Assert.Equal(["n: Invalid value: \"integer\": no old value"], errors);
        var old = new JsonObject { ["n"] = 1 };
        Assert.Empty(StructuralValidation.Validate(obj, schema, "", new CrdRuleValidator().For(schema, obj, old)));
    }

    [Fact]
    public void Runaway_rules_stop_further_validation_with_kubernetes_wording()
    {
        var schema = JsonSchemaProps.Parse(JsonNode.Parse("""
            {"type": "object", "properties": {"n": {"type": "integer",
              "x-kubernetes-validations": [{"rule": "lists.range(self).all(i, lists.range(self).all(j, true))"}, {"rule": "false"}]}}}
            """));
        var obj = new JsonObject { ["n"] = 2000 };
        var errors = StructuralValidation.Validate(obj, schema, "", new CrdRuleValidator().For(schema, obj)).Select(e => e.ToString());
        Assert.Equal(
        [
            "n: Invalid value: \"integer\": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: lists.range(self).all(i, lists.range(self).all(j, true))",
        ], errors);
    }

    [Fact]
    public void Rules_that_do_not_compile_are_reported_and_rejected_up_front()
    {
        var validator = new CrdRuleValidator();
        Assert.Equal("compilation failed: ERROR: <input>:1:6: undeclared reference to 'selff' (in container '')\n | 1 == selff\n | .....^",
            validator.CompileError(new ValidationRule("1 == selff")));
        Assert.Equal("cel expression must evaluate to a bool", validator.CompileError(new ValidationRule("self + 1")));
        Assert.Null(validator.CompileError(new ValidationRule("self.x == oldSelf.x")));

        var schema = JsonSchemaProps.Parse(JsonNode.Parse("""{"type": "object", "x-kubernetes-validations": [{"rule": "self.a ==="}]}"""));
        var obj = new JsonObject { ["a"] = 1 };
        var error = Assert.Single(StructuralValidation.Validate(obj, schema, "", validator.For(schema, obj)));
        Assert.StartsWith("<nil>: Invalid value: \"object\": rule compile error: ERROR: <input>:1:10: Syntax error:", error.ToString(), StringComparison.Ordinal);
    }
}
