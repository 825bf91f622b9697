using System.Text.Json.Nodes;

namespace StageSet.Engine.Health;

/// <summary>A condition as most Kubernetes kinds write it; absent fields read as empty strings.</summary>
internal sealed record BasicCondition(string Type, string Status, string Reason, string Message);

/// <summary>
/// Reads <c>status.conditions</c> the way kstatus' typed conversion does: absence is an empty list, but a shape that
/// cannot be a condition list is an error (kstatus then reports the object as Unknown rather than guessing).
/// </summary>
internal static class ConditionList
{
    public static IReadOnlyList<BasicCondition> Read(JsonObject obj)
    {
        if (!obj.TryGetPropertyValue("status", out var statusNode) || statusNode is null)
        {
            return [];
        }

        if (statusNode is not JsonObject status)
        {
            throw Shape(".status", "an object", statusNode);
        }

        if (!status.TryGetPropertyValue("conditions", out var conditionsNode) || conditionsNode is null)
        {
            return [];
        }

        if (conditionsNode is not JsonArray items)
        {
            throw Shape(".status.conditions", "an array", conditionsNode);
        }

        var result = new List<BasicCondition>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject c)
            {
                throw Shape($".status.conditions[{i}]", "an object", items[i]);
            }

            result.Add(new BasicCondition(
                Field(c, "type", i), Field(c, "status", i), Field(c, "reason", i), Field(c, "message", i)));
        }

        return result;
    }

    public static BasicCondition? Find(IReadOnlyList<BasicCondition> conditions, string type, string status)
    {
        foreach (var c in conditions)
        {
            if (c.Type == type && c.Status == status)
            {
                return c;
            }
        }

        return null;
    }

    private static string Field(JsonObject c, string name, int index)
    {
        if (!c.TryGetPropertyValue(name, out var node) || node is null)
        {
            return "";
        }

        return node is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : throw Shape($".status.conditions[{index}].{name}", "a string", node);
    }

    private static KStatusException Shape(string path, string expected, JsonNode? actual) =>
        new($"{path}: expected {expected}, got {ObjectFields.TypeName(actual)}");
}
