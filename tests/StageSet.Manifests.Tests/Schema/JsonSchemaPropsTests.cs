using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;

namespace StageSet.Manifests.Tests.Schema;

public sealed class JsonSchemaPropsTests
{
    [Fact]
    public void Numbers_built_in_memory_read_the_same_as_numbers_parsed_from_text()
    {
        var built = new JsonObject { ["type"] = "integer", ["minimum"] = 100L, ["maximum"] = 2.5, ["maxLength"] = 63 };
        var parsed = JsonNode.Parse("""{"type":"integer","minimum":100,"maximum":2.5,"maxLength":63}""");

        foreach (var schema in new[] { JsonSchemaProps.Parse(built), JsonSchemaProps.Parse(parsed) })
        {
            Assert.Equal(100, schema.Minimum);
            Assert.Equal(2.5, schema.Maximum);
            Assert.Equal(63, schema.MaxLength);
        }
    }

    [Fact]
    public void Round_trip_keeps_bounds_and_extensions()
    {
        var text = """{"type":"array","items":{"type":"string"},"maxItems":5,"x-kubernetes-list-type":"set","x-custom":true}""";
        var schema = JsonSchemaProps.Parse(JsonNode.Parse(text));

        var again = JsonSchemaProps.Parse(schema.ToJson());

        Assert.Equal(5, again.MaxItems);
        Assert.Equal("set", again.ListType);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(text), again.ToJson()), again.ToJson().ToJsonString());
    }
}
