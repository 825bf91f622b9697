using System.Text.Json;
using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Admission;

/// <summary>
/// Go's <c>%#v</c> rendering of the few API values kube-apiserver prints in immutable-field errors (label selectors,
/// label maps, string slices, role references), so messages read exactly as on a real cluster.
/// </summary>
internal static class GoSyntax
{
    /// <summary><c>map[string]string{"a":"1", "b":"2"}</c> (keys sorted) or <c>map[string]string(nil)</c>.</summary>
    public static string StringMap(JsonNode? map) =>
        map is JsonObject obj
            ? "map[string]string{" + string.Join(", ", obj.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => FieldError.Quote(p.Key) + ":" + FieldError.Quote(Str(p.Value)))) + "}"
            : "map[string]string(nil)";

    /// <summary><c>[]string{"a", "b"}</c> or <c>[]string(nil)</c>.</summary>
    public static string StringSlice(JsonNode? list) =>
        list is JsonArray arr
            ? "[]string{" + string.Join(", ", arr.Select(v => FieldError.Quote(Str(v)))) + "}"
            : "[]string(nil)";

    /// <summary><c>v1.LabelSelector{MatchLabels:…, MatchExpressions:…}</c>.</summary>
    public static string LabelSelector(JsonNode? selector)
    {
        var expressions = selector?["matchExpressions"] is JsonArray arr
            ? "[]v1.LabelSelectorRequirement{" + string.Join(", ", arr.Select(e =>
                $"v1.LabelSelectorRequirement{{Key:{FieldError.Quote(Str(e?["key"]))}, Operator:{FieldError.Quote(Str(e?["operator"]))}, Values:{StringSlice(e?["values"])}}}")) + "}"
            : "[]v1.LabelSelectorRequirement(nil)";
        return $"v1.LabelSelector{{MatchLabels:{StringMap(selector?["matchLabels"])}, MatchExpressions:{expressions}}}";
    }

    /// <summary><c>rbac.RoleRef{APIGroup:"…", Kind:"…", Name:"…"}</c>.</summary>
    public static string RoleRef(JsonNode? roleRef) =>
        $"rbac.RoleRef{{APIGroup:{FieldError.Quote(Str(roleRef?["apiGroup"]))}, Kind:{FieldError.Quote(Str(roleRef?["kind"]))}, Name:{FieldError.Quote(Str(roleRef?["name"]))}}}";

    /// <summary>A scalar as kube-apiserver prints a bad value: strings quoted, numbers and bools bare, absent as "null".</summary>
    public static string Scalar(JsonNode? value) => value switch
    {
        null => FieldError.Quote("null"),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => FieldError.Quote(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => FieldManagement.GoJson.Number(v),
        JsonValue v => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        _ => value.ToJsonString(),
    };

    public static string Str(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
