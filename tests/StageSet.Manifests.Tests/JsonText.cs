using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StageSet.Manifests.Tests;

/// <summary>Order-independent JSON comparison that still sees number spelling (1 vs 1.0 vs 1e+36).</summary>
internal static class JsonText
{
    public static string Canonical(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    public static string Canonical(string json) => Canonical(JsonNode.Parse(json));

    public static void Equal(string expectedJson, JsonNode? actual) => Assert.Equal(Canonical(expectedJson), Canonical(actual));

    public static void Equal(JsonNode? expected, JsonNode? actual) => Assert.Equal(Canonical(expected), Canonical(actual));

    private static void Write(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    sb.Append(first ? "" : ",").Append(JsonSerializer.Serialize(key)).Append(':');
                    Write(sb, value);
                    first = false;
                }

                sb.Append('}');
                break;
            case JsonArray array:
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    sb.Append(i == 0 ? "" : ",");
                    Write(sb, array[i]);
                }

                sb.Append(']');
                break;
            default:
                sb.Append(node.ToJsonString());
                break;
        }
    }
}
