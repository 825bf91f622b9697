using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.Admission;

/// <summary>Evaluation of a <c>metav1.LabelSelector</c> (matchLabels and matchExpressions) against a label map.</summary>
internal static class LabelSelectors
{
    public static bool IsEmpty(JsonNode? selector) =>
        selector is not JsonObject s
        || ((s["matchLabels"] as JsonObject)?.Count ?? 0) == 0 && ((s["matchExpressions"] as JsonArray)?.Count ?? 0) == 0;

    public static bool Matches(JsonNode? selector, JsonNode? labels)
    {
        var have = labels as JsonObject;
        string? Label(string key) => have?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        if (selector?["matchLabels"] is JsonObject matchLabels)
        {
            foreach (var (key, value) in matchLabels)
            {
                if (Label(key) != GoSyntax.Str(value))
                {
                    return false;
                }
            }
        }

        if (selector?["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions)
            {
                var key = GoSyntax.Str(expression?["key"]);
                var values = (expression?["values"] as JsonArray)?.Select(GoSyntax.Str).ToHashSet(StringComparer.Ordinal) ?? [];
                var actual = Label(key);
                var ok = GoSyntax.Str(expression?["operator"]) switch
                {
                    "In" => actual is not null && values.Contains(actual),
                    "NotIn" => actual is null || !values.Contains(actual),
                    "Exists" => actual is not null,
                    "DoesNotExist" => actual is null,
                    _ => false,
                };
                if (!ok)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
