using System.Text.Json;
using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.Tests;

/// <summary>Deep JSON comparison with both documents in the failure message.</summary>
internal static class JsonAssert
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static void Equal(string expectedJson, JsonNode? actual)
    {
        var expected = JsonNode.Parse(expectedJson);
        Assert.True(
            JsonNode.DeepEquals(expected, actual),
            $"expected {expected?.ToJsonString(Compact)}\n  actual {actual?.ToJsonString(Compact)}");
    }

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();
}
