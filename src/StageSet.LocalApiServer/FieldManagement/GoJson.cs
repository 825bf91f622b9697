using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.FieldManagement;

/// <summary>
/// JSON text as Go's encoding/json writes it (HTML-safe escapes, shortest numbers, sorted object keys), so FieldsV1
/// keys such as <c>k:{"containerPort":80,"protocol":"TCP"}</c> come out byte-identical to kube-apiserver's.
/// </summary>
internal static class GoJson
{
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        AppendQuoted(sb, s);
        return sb.ToString();
    }

    public static void AppendQuoted(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary>Compact JSON of a value; object keys sorted as Go sorts map keys.</summary>
    public static string Write(JsonNode? node)
    {
        var sb = new StringBuilder();
        Append(sb, node);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, JsonNode? node)
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
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    AppendQuoted(sb, key);
                    sb.Append(':');
                    Append(sb, value);
                }

                sb.Append('}');
                break;
            case JsonArray arr:
                sb.Append('[');
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Append(sb, arr[i]);
                }

                sb.Append(']');
                break;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String:
                        AppendQuoted(sb, v.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                        sb.Append("true");
                        break;
                    case JsonValueKind.False:
                        sb.Append("false");
                        break;
                    case JsonValueKind.Number:
                        sb.Append(Number(v));
                        break;
                    default:
                        sb.Append("null");
                        break;
                }

                break;
        }
    }

    /// <summary>Integers bare; other numbers in Go's shortest float form.</summary>
    public static string Number(JsonValue v)
    {
        var (isInteger, l, d) = Numeric(v);
        if (isInteger)
        {
            return l.ToString(CultureInfo.InvariantCulture);
        }

        if (d == Math.Floor(d) && Math.Abs(d) < 1e21)
        {
            return d.ToString("F0", CultureInfo.InvariantCulture);
        }

        // Go switches to exponent form (e-07, e+21) outside [1e-6, 1e21), as .NET's round-trip format does.
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        return r.Contains('E', StringComparison.Ordinal) ? FixExponent(r) : r;
    }

    /// <summary>
    /// A number node as integer or double, whatever CLR type backs it (values built in code hold int, long, double...;
    /// parsed ones hold a JsonElement).
    /// </summary>
    public static (bool IsInteger, long Integer, double Double) Numeric(JsonValue v)
    {
        using var doc = JsonDocument.Parse(v.ToJsonString());
        var e = doc.RootElement;
        return e.TryGetInt64(out var l) ? (true, l, l) : (false, 0, e.GetDouble());
    }

    private static string FixExponent(string s)
    {
        var idx = s.IndexOf('E', StringComparison.Ordinal);
        var mantissa = s[..idx];
        var exp = int.Parse(s[(idx + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return mantissa + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
    }
}
