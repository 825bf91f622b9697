using System.Text.Json.Nodes;

namespace StageSet.Engine.Health;

/// <summary>
/// Field reads with kstatus' lenient semantics: a missing field or one of the wrong type yields the default, the way
/// cli-utils' GetIntField/GetStringField do. Integers are JSON numbers written without a fraction or exponent.
/// </summary>
internal static class ObjectFields
{
    public static JsonNode? At(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(part, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static bool Has(JsonObject obj, string path) => At(obj, path) is not null;

    public static long Int(JsonObject obj, string path, long defaultValue) =>
        AsInteger(At(obj, path)) ?? defaultValue;

    public static string Str(JsonObject obj, string path, string defaultValue) =>
        At(obj, path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : defaultValue;

    public static bool? Bool(JsonObject obj, string path) =>
        At(obj, path) is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>The integer value of a node, or null when it is absent, not a number, or not integral.</summary>
    public static long? AsInteger(JsonNode? node)
    {
        if (node is not JsonValue v)
        {
            return null;
        }

        if (v.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (v.TryGetValue<int>(out var i))
        {
            return i;
        }

        // Parsed JSON keeps the number text; only integral spellings count, as in Go's unstructured decoding.
        if (v.TryGetValue<System.Text.Json.JsonElement>(out var e) && e.ValueKind == System.Text.Json.JsonValueKind.Number
            && e.TryGetInt64(out var parsed))
        {
            return parsed;
        }

        return null;
    }

    /// <summary>
    /// A strict integer read, as apimachinery's NestedInt64: absent is fine (null), present with another type is an error.
    /// </summary>
    public static long? StrictInt(JsonObject obj, string section, string field)
    {
        if (obj[section] is not JsonObject parent || !parent.TryGetPropertyValue(field, out var node))
        {
            return null;
        }

        return AsInteger(node) ?? throw new KStatusException(
            $"looking up {section}.{field} from resource: .{section}.{field} accessor error: {Describe(node)} is of the type {TypeName(node)}, expected int64");
    }

    public static string TypeName(JsonNode? node) => node switch
    {
        null => "<nil>",
        JsonObject => "map[string]interface {}",
        JsonArray => "[]interface {}",
        JsonValue v when v.TryGetValue<string>(out _) => "string",
        JsonValue v when v.TryGetValue<bool>(out _) => "bool",
        _ => "float64",
    };

    public static string Describe(JsonNode? node) => node switch
    {
        null => "<nil>",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
