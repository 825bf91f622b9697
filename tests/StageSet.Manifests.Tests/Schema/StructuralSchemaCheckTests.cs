using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;

namespace StageSet.Manifests.Tests.Schema;

public class StructuralSchemaCheckTests
{
    private static IReadOnlyList<string> Check(string schemaJson) =>
        StructuralSchemaCheck.Check(JsonSchemaProps.Parse(JsonNode.Parse(schemaJson))).Select(e => e.ToString()).ToList();

    [Fact]
    public void A_fully_typed_schema_is_structural()
    {
        var errors = Check("""
            {"type":"object","properties":{
              "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
              "spec":{"type":"object","required":["size"],"properties":{
                "size":{"type":"integer","minimum":1},
                "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
                "values":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                "labels":{"type":"object","additionalProperties":{"type":"string"}},
                "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                  "items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}},
                "choice":{"type":"string","anyOf":[{"pattern":"^a"},{"pattern":"^b"}]}}}}}
            """);
        Assert.Empty(errors);
    }

    [Fact]
    public void An_untyped_field_is_reported_at_its_crd_path()
    {
        var errors = Check("""{"type":"object","properties":{"spec":{"properties":{"a":{"type":"string"}}}}}""");
        Assert.Equal(["spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields"], errors);
    }

    [Fact]
    public void Root_items_and_arrays_without_items_are_reported()
    {
        Assert.Equal(["spec.versions[0].schema.openAPIV3Schema.type: Required value: must not be empty at the root"], Check("{}"));
        Assert.Equal(
            [
                "spec.versions[0].schema.openAPIV3Schema.properties[a].items.type: Required value: must not be empty for specified array items",
                "spec.versions[0].schema.openAPIV3Schema.properties[b].items: Required value: must be specified",
            ],
            Check("""{"type":"object","properties":{"a":{"type":"array","items":{}},"b":{"type":"array"}}}"""));
        Assert.Equal(["spec.versions[0].schema.openAPIV3Schema.type: Invalid value: \"string\": must be object at the root"], Check("""{"type":"string"}"""));
    }

    [Fact]
    public void Junctors_may_only_validate_values()
    {
        var errors = Check("""
            {"type":"object","properties":{"a":{"type":"string","anyOf":[{"type":"string","description":"x"}],"not":{"nullable":true}}}}
            """);
        Assert.Equal(
            [
                "spec.versions[0].schema.openAPIV3Schema.properties[a].anyOf[0].description: Forbidden: must be empty to be structural",
                "spec.versions[0].schema.openAPIV3Schema.properties[a].anyOf[0].type: Forbidden: must be empty to be structural",
                "spec.versions[0].schema.openAPIV3Schema.properties[a].not.nullable: Forbidden: must be false to be structural",
            ],
            errors);
    }

    [Fact]
    public void Root_junctor_fields_must_exist_in_the_structural_part()
    {
        var errors = Check("""{"type":"object","properties":{"a":{"type":"string"}},"anyOf":[{"required":["b"],"properties":{"b":{}}}]}""");
        Assert.Equal(["spec.versions[0].schema.openAPIV3Schema.properties[b]: Required value: because it is defined in spec.versions[0].schema.openAPIV3Schema.anyOf[0].properties[b]"], errors);
    }

    [Fact]
    public void Root_metadata_may_only_constrain_name_and_generate_name()
    {
        Assert.Empty(Check("""{"type":"object","properties":{"metadata":{"type":"object","properties":{"name":{"type":"string","maxLength":63}}}}}"""));
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified"],
            Check("""{"type":"object","properties":{"metadata":{"type":"object","properties":{"labels":{"type":"object"}}}}}"""));
    }

    [Fact]
    public void Extension_combinations_follow_crd_validation()
    {
        var errors = Check("""
            {"type":"object","properties":{
              "a":{"type":"array","x-kubernetes-list-type":"map","items":{"type":"string"}},
              "b":{"x-kubernetes-int-or-string":true,"x-kubernetes-preserve-unknown-fields":true},
              "c":{"type":"object","x-kubernetes-embedded-resource":true},
              "d":{"type":"array","x-kubernetes-list-type":"bag","items":{"type":"string"}},
              "e":{"type":"string","pattern":"("}}}
            """);
        Assert.Contains("spec.versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map", errors);
        Assert.Contains("spec.versions[0].schema.openAPIV3Schema.properties[a].items.type: Invalid value: \"string\": must be object if parent array's x-kubernetes-list-type is map", errors);
        Assert.Contains("spec.versions[0].schema.openAPIV3Schema.properties[b].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true", errors);
        Assert.Contains("spec.versions[0].schema.openAPIV3Schema.properties[c].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields", errors);
        Assert.Contains("spec.versions[0].schema.openAPIV3Schema.properties[d].x-kubernetes-list-type: Unsupported value: \"bag\": supported values: \"atomic\", \"set\", \"map\"", errors);
        Assert.Contains(errors, e => e.StartsWith("spec.versions[0].schema.openAPIV3Schema.properties[e].pattern: Invalid value: \"(\": must be a valid regular expression, but isn't: ", StringComparison.Ordinal));
        Assert.Equal(errors.Order(StringComparer.Ordinal), errors);
    }

    [Fact]
    public void The_facade_refuses_a_non_structural_schema()
    {
        var schema = StructuralSchema.Create(JsonSchemaProps.Parse(JsonNode.Parse("""{"type":"object","properties":{"x":{}}}""")), out var violations, "spec.validation.openAPIV3Schema");
        Assert.Null(schema);
        Assert.Equal("spec.validation.openAPIV3Schema.properties[x].type", Assert.Single(violations).Field);
    }
}
