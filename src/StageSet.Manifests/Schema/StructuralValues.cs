using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StageSet.Manifests.Schema;

/// <summary>
/// How the structural-schema engine sees JSON values: the OpenAPI type name Go's unstructured decoding would give a
/// value (whole numbers without a fraction are <c>integer</c>), value equality, and Go's printing of values in
/// field errors, so messages read exactly like kube-apiserver's.
/// </summary>
internal static class StructuralValues
{
    public const string Null = "null";
    public const string Boolean = "boolean";
    public const string String = "string";
    public const string Integer = "integer";
    public const string Number = "number";
    public const string Array = "array";
    public const string Object = "object";

    /// <summary>The OpenAPI type name of a value as decoded by Kubernetes (int64 for whole literals, else float64).</summary>
    public static string TypeOf(JsonNode? node) => node switch
    {
        null => Null,
        JsonObject => Object,
        JsonArray => Array,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => String,
            JsonValueKind.True or JsonValueKind.False => Boolean,
            JsonValueKind.Number => IsIntegerLiteral(v) ? Integer : Number,
            _ => Null,
        },
        _ => Null,
    };

    /// <summary>The number's literal text as it appears (or would appear) on the wire.</summary>
    public static string RawNumber(JsonValue v) =>
        v.TryGetValue<JsonElement>(out var e) ? e.GetRawText() : v.ToJsonString();

    public static bool IsIntegerLiteral(JsonValue v)
    {
        var raw = RawNumber(v);
        return raw.IndexOfAny(['.', 'e', 'E']) < 0 && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
    }

    public static double ToDouble(JsonValue v) =>
        double.Parse(RawNumber(v), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static string? AsString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>Deep equality where numbers compare by value (<c>1</c> equals <c>1.0</c>) and key order is irrelevant.</summary>
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (JsonObject oa, JsonObject ob):
                if (oa.Count != ob.Count)
                {
                    return false;
                }

                foreach (var (key, value) in oa)
                {
                    if (!ob.TryGetPropertyValue(key, out var other) || !Equal(value, other))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonArray xa, JsonArray xb):
                if (xa.Count != xb.Count)
                {
                    return false;
                }

                for (var i = 0; i < xa.Count; i++)
                {
                    if (!Equal(xa[i], xb[i]))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonValue va, JsonValue vb):
                var ka = va.GetValueKind();
                var kb = vb.GetValueKind();
                if (ka == JsonValueKind.Number && kb == JsonValueKind.Number)
                {
                    return ToDouble(va) == ToDouble(vb);
                }

                if (ka != kb)
                {
                    return false;
                }

                return ka == JsonValueKind.String ? va.GetValue<string>() == vb.GetValue<string>() : ka is JsonValueKind.True or JsonValueKind.False;
            default:
                return false;
        }
    }

    /// <summary>
    /// A bad value as Go's <c>field.Error</c> prints it: strings quoted, numbers and booleans bare, null as
    /// <c>"null"</c>, maps and slices in Go syntax (<c>map[string]interface {}{"a":1}</c>).
    /// </summary>
    public static string BadValue(JsonNode? node) => node switch
    {
        null => FieldError.Quote("null"),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => FieldError.Quote(v.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => GoNumber(v),
            _ => FieldError.Quote("null"),
        },
        _ => GoSyntax(node),
    };

    /// <summary>Go's <c>%v</c> of a decoded number (int64 bare, float64 shortest with Go's exponent rules).</summary>
    public static string GoNumber(JsonValue v) =>
        IsIntegerLiteral(v) ? RawNumber(v) : GoFloat(ToDouble(v));

    /// <summary>Go's <c>%v</c> of a float64: shortest digits, exponent form only below 1e-4 or from 1e21.</summary>
    public static string GoFloat(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "+Inf" : "-Inf";
        }

        if (d == 0)
        {
            return "0";
        }

        // Shortest round-trip digits and decimal exponent, then laid out the way Go's strconv 'g' does for %v.
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var negative = r.StartsWith('-');
        if (negative)
        {
            r = r[1..];
        }

        var e = r.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e < 0 ? r : r[..e];
        var exp = e < 0 ? 0 : int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var point = (dot < 0 ? mantissa.Length : dot) + exp;
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..].TrimEnd('0');
        point -= lead;
        var x = point - 1;
        string text;
        if (x < -4 || x >= 21)
        {
            text = digits[..1] + (digits.Length > 1 ? "." + digits[1..] : "") + "e" + (x < 0 ? "-" : "+") +
                Math.Abs(x).ToString("00", CultureInfo.InvariantCulture);
        }
        else if (point <= 0)
        {
            text = "0." + new string('0', -point) + digits;
        }
        else if (point >= digits.Length)
        {
            text = digits + new string('0', point - digits.Length);
        }
        else
        {
            text = digits[..point] + "." + digits[point..];
        }

        return negative ? "-" + text : text;
    }

    /// <summary>Go's <c>%#v</c> of an unstructured value.</summary>
    public static string GoSyntax(JsonNode? node)
    {
        var sb = new StringBuilder();
        AppendGoSyntax(sb, node, nested: false);
        return sb.ToString();
    }

    private static void AppendGoSyntax(StringBuilder sb, JsonNode? node, bool nested)
    {
        switch (node)
        {
            case null:
                sb.Append(nested ? "interface {}(nil)" : "<nil>");
                break;
            case JsonObject obj:
                sb.Append("map[string]interface {}{");
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    sb.Append(FieldError.Quote(key)).Append(':');
                    AppendGoSyntax(sb, value, nested: true);
                }

                sb.Append('}');
                break;
            case JsonArray arr:
                sb.Append("[]interface {}{");
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    AppendGoSyntax(sb, arr[i], nested: true);
                }

                sb.Append('}');
                break;
            case JsonValue v:
                sb.Append(v.GetValueKind() switch
                {
                    JsonValueKind.String => FieldError.Quote(v.GetValue<string>()),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Number => GoNumber(v),
                    _ => "interface {}(nil)",
                });
                break;
        }
    }
}
