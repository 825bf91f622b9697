using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;

namespace StageSet.Manifests.Tests.Schema;

public class StructuralPruningTests
{
    private static readonly JsonSchemaProps Schema = JsonSchemaProps.Parse(JsonNode.Parse("""
        {"type":"object","properties":{
          "spec":{"type":"object","properties":{
            "size":{"type":"integer"},
            "items":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}},
            "values":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{"typed":{"type":"object","properties":{"a":{"type":"string"}}}}},
            "labels":{"type":"object","additionalProperties":{"type":"object","properties":{"v":{"type":"string"}}}},
            "template":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"spec":{"type":"object","properties":{"x":{"type":"string"}}}}},
            "opt":{"type":"string"},
            "maybe":{"type":"string","nullable":true},
            "mode":{"type":"string","default":"A"}}}}}
        """));

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Unknown_fields_are_removed_and_reported_with_their_paths()
    {
        var obj = Obj("""
            {"apiVersion":"x/v1","kind":"W","metadata":{"name":"n","bogus":1},"extra":true,
             "spec":{"size":1,"foo":"bar","items":[{"name":"a","bar":1},{"name":"b"}]}}
            """);
        var unknown = StructuralPruning.Prune(obj, Schema);
        Assert.Equal(["extra", "metadata.bogus", "spec.foo", "spec.items[0].bar"], unknown);
        Assert.True(JsonNode.DeepEquals(
            Obj("""{"apiVersion":"x/v1","kind":"W","metadata":{"name":"n"},"spec":{"size":1,"items":[{"name":"a"},{"name":"b"}]}}"""), obj));
    }

    [Fact]
    public void A_root_that_preserves_unknown_fields_keeps_them_but_still_prunes_metadata()
    {
        var open = JsonSchemaProps.Parse(JsonNode.Parse("""{"type":"object","x-kubernetes-preserve-unknown-fields":true}"""));
        var obj = Obj("""{"apiVersion":"x/v1","kind":"W","metadata":{"name":"n","bogus":1},"spec":{"size":3}}""");

        Assert.Equal(["metadata.bogus"], StructuralPruning.Prune(obj, open));
        Assert.True(JsonNode.DeepEquals(Obj("""{"apiVersion":"x/v1","kind":"W","metadata":{"name":"n"},"spec":{"size":3}}"""), obj));
    }

    [Fact]
    public void Preserved_subtrees_keep_unknown_fields_but_prune_specified_ones()
    {
        var obj = Obj("""{"spec":{"values":{"anything":{"deep":[1,2]},"typed":{"a":"x","b":"gone"}}}}""");
        Assert.Equal(["spec.values.typed.b"], StructuralPruning.Prune(obj, Schema));
        Assert.True(JsonNode.DeepEquals(Obj("""{"spec":{"values":{"anything":{"deep":[1,2]},"typed":{"a":"x"}}}}"""), obj));
    }

    [Fact]
    public void Additional_properties_values_and_embedded_resources_are_pruned_by_their_schema()
    {
        var obj = Obj("""
            {"spec":{"labels":{"k":{"v":"1","w":"2"}},
             "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","junk":1},"spec":{"x":"y","z":"q"},"status":{}}}}
            """);
        Assert.Equal(["spec.labels.k.w", "spec.template.metadata.junk", "spec.template.spec.z", "spec.template.status"], StructuralPruning.Prune(obj, Schema));
        Assert.True(JsonNode.DeepEquals(
            Obj("""{"spec":{"labels":{"k":{"v":"1"}},"template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"x":"y"}}}}"""), obj));
    }

    [Fact]
    public void Nulls_without_nullable_or_default_are_dropped()
    {
        var obj = Obj("""{"spec":{"opt":null,"maybe":null,"mode":null}}""");
        Assert.Empty(StructuralPruning.Prune(obj, Schema));
        // "mode" stays null here; defaulting replaces it.
        Assert.True(JsonNode.DeepEquals(Obj("""{"spec":{"maybe":null,"mode":null}}"""), obj));
    }

    [Fact]
    public void Without_a_schema_only_type_meta_and_object_meta_survive()
    {
        var obj = Obj("""{"apiVersion":"x/v1","kind":"W","metadata":{"name":"n"},"spec":{"a":1}}""");
        Assert.Equal(["spec"], StructuralPruning.Prune(obj, null));
        Assert.Equal(3, obj.Count);
    }
}

public class StructuralDefaultingTests
{
    private static readonly JsonSchemaProps Schema = JsonSchemaProps.Parse(JsonNode.Parse("""
        {"type":"object","properties":{
          "spec":{"type":"object","properties":{
            "mode":{"type":"string","default":"Hold"},
            "policy":{"type":"object","default":{},"properties":{"action":{"type":"string","default":"Fail"}}},
            "nested":{"type":"object","properties":{"deep":{"type":"integer","default":3}}},
            "list":{"type":"array","items":{"type":"object","properties":{"method":{"type":"string","default":"POST"}}}},
            "maybe":{"type":"string","nullable":true,"default":"x"}}}}}
        """));

    [Fact]
    public void Defaults_fill_absent_fields_of_existing_parents_recursively()
    {
        var obj = JsonNode.Parse("""{"spec":{"list":[{},{"method":"GET"}],"maybe":null}}""")!.AsObject();
        StructuralDefaulting.Apply(obj, Schema);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"spec":{"list":[{"method":"POST"},{"method":"GET"}],"maybe":null,"mode":"Hold","policy":{"action":"Fail"}}}
            """), obj), obj.ToJsonString());
    }

    [Fact]
    public void A_missing_parent_is_not_created_and_null_non_nullable_takes_the_default()
    {
        var obj = JsonNode.Parse("""{"spec":{"mode":null,"policy":{"action":"Recreate"}}}""")!.AsObject();
        StructuralDefaulting.Apply(obj, Schema);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"spec":{"mode":"Hold","policy":{"action":"Recreate"},"maybe":"x"}}"""), obj), obj.ToJsonString());
        var empty = new JsonObject();
        StructuralDefaulting.Apply(empty, Schema);
        Assert.Empty(empty);
    }
}
