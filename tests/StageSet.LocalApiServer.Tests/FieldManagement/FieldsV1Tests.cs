using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using StageSet.LocalApiServer.FieldManagement;

namespace StageSet.LocalApiServer.Tests.FieldManagement;

public class FieldsV1Tests
{
    private static FieldPath P(params PathElement[] elements) => FieldPath.Of(elements);

    private static PathElement F(string name) => PathElement.Field(name);

    private static PathElement K(string name, JsonNode? value) => PathElement.Key([new(name, value)]);

    [Fact]
    public void Spec_apply_example_round_trips_byte_for_byte()
    {
        const string Example = """{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{}}}}}}}""";

        var set = FieldsV1.Parse(JsonNode.Parse(Example));

        Assert.Equal(Example, FieldsV1.Serialize(set));
        Assert.True(set.Has(P(F("spec"), F("template"), F("spec"), F("containers"), K("name", "web"))));
        Assert.True(set.Has(P(F("spec"), F("template"), F("spec"), F("containers"), K("name", "web"), F("image"))));
        Assert.False(set.Has(P(F("spec"), F("template"))));
    }

    [Fact]
    public void Keys_sort_field_before_key_before_value_before_index()
    {
        var set = FieldSet.Of(
            P(F("x"), PathElement.OfIndex(0)),
            P(F("x"), PathElement.OfValue("a")),
            P(F("x"), K("name", "b")),
            P(F("x"), F("z")));

        Assert.Equal("""{"f:x":{"f:z":{},"k:{\"name\":\"b\"}":{},"v:\"a\"":{},"i:0":{}}}""", FieldsV1.Serialize(set));
    }

    [Fact]
    public void Key_values_sort_numerically_not_as_text()
    {
        var set = FieldSet.Of(
            P(F("ports"), PathElement.Key([new("containerPort", 443), new("protocol", "TCP")])),
            P(F("ports"), PathElement.Key([new("protocol", "TCP"), new("containerPort", 80)])));

        Assert.Equal(
            """{"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{},"k:{\"containerPort\":443,\"protocol\":\"TCP\"}":{}}}""",
            FieldsV1.Serialize(set));
    }

    [Fact]
    public void Set_values_sort_numbers_then_strings_then_bools()
    {
        var set = FieldSet.Of(P(F("s"), PathElement.OfValue(true)), P(F("s"), PathElement.OfValue("a")), P(F("s"), PathElement.OfValue(2)));

        Assert.Equal("""{"f:s":{"v:2":{},"v:\"a\"":{},"v:true":{}}}""", FieldsV1.Serialize(set));
    }

    [Fact]
    public void Dot_marks_a_member_that_also_has_members_below_it()
    {
        var set = FieldSet.Of(P(F("a")), P(F("a"), F("b")), P(F("c")));

        Assert.Equal("""{"f:a":{".":{},"f:b":{}},"f:c":{}}""", FieldsV1.Serialize(set));
    }

    [Fact]
    public void Go_escaping_is_used_for_html_characters_in_keys()
    {
        var set = FieldSet.Of(P(F("data"), F("a<b>&c")));

        Assert.Equal("""{"f:data":{"f:a\u003cb\u003e\u0026c":{}}}""", FieldsV1.Serialize(set));
        Assert.True(FieldsV1.Parse(JsonNode.Parse(FieldsV1.Serialize(set))).SetEquals(set));
    }

    [Fact]
    public void Json_form_keeps_fieldsv1_key_order()
    {
        var set = FieldSet.Of(P(F("b")), P(F("a"), K("name", "x"), F("y")), P(F("a"), K("name", "x")), P(F("a"), F("c")));
        var relaxed = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        Assert.Equal(FieldsV1.Serialize(set), FieldsV1.ToJson(set).ToJsonString(relaxed));
    }

    [Theory]
    [InlineData("""{"x:foo":{}}""")]
    [InlineData("""{"f:a":1}""")]
    [InlineData("""{"k:notjson":{}}""")]
    [InlineData("""{"k:[1]":{}}""")]
    [InlineData("""{"i:-1":{}}""")]
    [InlineData("""[]""")]
    public void Malformed_documents_are_format_errors(string json)
    {
        Assert.ThrowsAny<FormatException>(() => FieldsV1.Parse(JsonNode.Parse(json)));
    }

    [Fact]
    public void Paths_print_as_in_conflict_messages()
    {
        var path = P(F("spec"), F("containers"), K("name", "web"), F("ports"),
            PathElement.Key([new("containerPort", 80), new("protocol", "TCP")]), F("x"), PathElement.OfValue("v"), PathElement.OfIndex(3));

        Assert.Equal(""".spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].x[="v"][3]""", path.ToString());
    }

    [Fact]
    public void Set_operations_work_level_by_level()
    {
        var a = FieldSet.Of(P(F("a")), P(F("a"), F("b")), P(F("c"), F("d")));
        var b = FieldSet.Of(P(F("a")), P(F("c"), F("d")), P(F("e")));

        var onlyA = FieldSet.Of(P(F("a")));
        Assert.Equal("""{"f:a":{"f:b":{}}}""", a.Difference(b).ToString());
        Assert.Equal("""{"f:a":{"f:b":{}},"f:c":{"f:d":{}}}""", a.Difference(onlyA).ToString());
        Assert.Equal("""{"f:c":{"f:d":{}}}""", a.RecursiveDifference(onlyA).ToString());
        Assert.Equal("""{"f:a":{},"f:c":{"f:d":{}}}""", a.Intersection(b).ToString());
        Assert.Equal("""{"f:a":{".":{},"f:b":{}},"f:c":{"f:d":{}},"f:e":{}}""", a.Union(b).ToString());
        Assert.Equal([".a", ".a.b", ".c.d"], a.Paths().Select(p => p.ToString()));
    }
}
