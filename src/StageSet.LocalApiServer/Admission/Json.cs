using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.Admission;

/// <summary>Small in-place helpers for defaulting over <see cref="JsonObject"/>.</summary>
internal static class Json
{
    /// <summary>Sets <paramref name="key"/> when it is absent or null (Go defaulting treats both as unset).</summary>
    public static void Default(JsonObject obj, string key, JsonNode value)
    {
        if (obj[key] is null)
        {
            obj[key] = value;
        }
    }

    /// <summary>The child object, created when absent or null; null when the field holds something else.</summary>
    public static JsonObject? Ensure(JsonObject obj, string key)
    {
        switch (obj[key])
        {
            case JsonObject child:
                return child;
            case null:
                var created = new JsonObject();
                obj[key] = created;
                return created;
            default:
                return null;
        }
    }

    public static IEnumerable<JsonObject> Items(JsonNode? list) => list is JsonArray arr ? arr.OfType<JsonObject>() : [];

    public static string Str(JsonNode? node) => GoSyntax.Str(node);

    /// <summary>An integer field, whatever CLR type backs the node; null when absent or not an integer.</summary>
    public static long? Long(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && FieldManagement.GoJson.Numeric(v) is { IsInteger: true } n
            ? n.Integer
            : null;

    public static bool IsString(JsonNode? node, string value) => node is JsonValue v && v.TryGetValue<string>(out var s) && s == value;
}
