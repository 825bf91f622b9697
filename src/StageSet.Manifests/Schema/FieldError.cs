using System.Globalization;
using System.Text;

namespace StageSet.Manifests.Schema;

/// <summary>The kinds of field error the Kubernetes API reports (apimachinery <c>field.ErrorType</c>).</summary>
public enum FieldErrorType
{
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
    Internal,
    TypeInvalid,
}

/// <summary>
/// One invalid field, worded exactly as kube-apiserver words it, so 422 bodies, CRD schema errors and
/// admission errors read the same as on a real cluster: <c>spec.replicas: Invalid value: -1: must be ...</c>.
/// </summary>
/// <param name="BadValue">The offending value already rendered the way Go prints it (see <see cref="Quote"/>,
/// <see cref="Number"/>); null when the message omits the value.</param>
public sealed record FieldError(FieldErrorType Type, string Field, string? BadValue, string Detail = "")
{
    /// <summary>The <c>details.causes[].reason</c> value, e.g. <c>FieldValueInvalid</c>.</summary>
    public string Reason => Type switch
    {
        FieldErrorType.NotFound => "FieldValueNotFound",
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.Internal => "InternalError",
        FieldErrorType.TypeInvalid => "FieldValueTypeInvalid",
        _ => "FieldValueInvalid",
    };

    /// <summary>The message without the field path (Go <c>ErrorBody</c>).</summary>
    public string Body
    {
        get
        {
            var label = Type switch
            {
                FieldErrorType.NotFound => "Not found",
                FieldErrorType.Required => "Required value",
                FieldErrorType.Duplicate => "Duplicate value",
                FieldErrorType.NotSupported => "Unsupported value",
                FieldErrorType.Forbidden => "Forbidden",
                FieldErrorType.TooLong => "Too long",
                FieldErrorType.TooMany => "Too many",
                FieldErrorType.Internal => "Internal error",
                _ => "Invalid value",
            };
            var omitsValue = Type is FieldErrorType.Required or FieldErrorType.Forbidden or FieldErrorType.TooLong
                or FieldErrorType.Internal || BadValue is null;
            var s = omitsValue ? label : label + ": " + BadValue;
            return Detail.Length == 0 ? s : s + ": " + Detail;
        }
    }

    /// <summary>Go <c>field.Error.Error()</c>: <c>&lt;field&gt;: &lt;body&gt;</c>.</summary>
    public override string ToString() => Field + ": " + Body;

    public static FieldError Invalid(string field, string? badValue, string detail) => new(FieldErrorType.Invalid, field, badValue, detail);

    public static FieldError Required(string field, string detail = "") => new(FieldErrorType.Required, field, null, detail);

    public static FieldError Forbidden(string field, string detail) => new(FieldErrorType.Forbidden, field, null, detail);

    public static FieldError Duplicate(string field, string badValue) => new(FieldErrorType.Duplicate, field, badValue);

    public static FieldError NotSupported(string field, string badValue, IEnumerable<string> supported) =>
        new(FieldErrorType.NotSupported, field, badValue, "supported values: " + string.Join(", ", supported.Select(Quote)));

    public static FieldError TooLong(string field, long max) =>
        new(FieldErrorType.TooLong, field, null, $"may not be more than {max} bytes");

    public static FieldError TooMany(string field, long actual, long max) =>
        new(FieldErrorType.TooMany, field, actual.ToString(CultureInfo.InvariantCulture), $"must have at most {max} items");

    /// <summary>Go's <c>%q</c> of a string: double quotes, Go escapes, non-printables as <c>\x</c>/<c>\u</c>.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\a':
                    sb.Append("\\a");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
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
                case '\v':
                    sb.Append("\\v");
                    break;
                default:
                    if (Rune.IsControl(rune) || rune.Value == 0xFFFD)
                    {
                        sb.Append(rune.Value < 0x80 ? $"\\x{rune.Value:x2}" : rune.Value <= 0xFFFF ? $"\\u{rune.Value:x4}" : $"\\U{rune.Value:x8}");
                    }
                    else
                    {
                        sb.Append(rune.ToString());
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>A number as Go's <c>%v</c> prints it (integers bare, floats in shortest form).</summary>
    public static string Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e21
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
}
