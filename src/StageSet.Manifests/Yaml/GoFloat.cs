using System.Globalization;
using System.Text;

namespace StageSet.Manifests.Yaml;

/// <summary>
/// Go's shortest float formatting: <c>strconv.FormatFloat(f, 'g', -1, bits)</c> as go-yaml writes floats, and
/// <c>encoding/json</c>'s float form (<c>1e+36</c>, <c>0.000001</c>, <c>1e-7</c>).
/// </summary>
internal static class GoFloat
{
    /// <summary><c>FormatFloat(f, 'g', -1, 64 or 32)</c>; infinities and NaN as YAML spells them.</summary>
    public static string FormatYaml(double value, bool float32 = false)
    {
        if (double.IsNaN(value))
        {
            return ".nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? ".inf" : "-.inf";
        }

        var (negative, digits, point) = ShortestDecimal.Of(value, float32);
        // Go: %e when the exponent is < -4 or >= the precision, where shortest output uses precision
        // max(number of digits, 6) unless the digits reach past the decimal point.
        var eprec = 6;
        if (eprec > digits.Length && digits.Length >= point)
        {
            eprec = digits.Length;
        }

        var exp = point - 1;
        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        if (exp < -4 || exp >= eprec)
        {
            AppendExponent(sb, digits, exp, trimExponent: false);
        }
        else
        {
            AppendFixed(sb, digits, point);
        }

        return sb.ToString();
    }

    /// <summary>Go <c>encoding/json</c>: fixed notation unless |f| &lt; 1e-6 or ≥ 1e21; exponent without leading zero.</summary>
    public static string FormatJson(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no representation for NaN or infinity");
        }

        var (negative, digits, point) = ShortestDecimal.Of(value);
        var abs = Math.Abs(value);
        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            AppendExponent(sb, digits, point - 1, trimExponent: true);
        }
        else
        {
            AppendFixed(sb, digits, point);
        }

        return sb.ToString();
    }

    private static void AppendExponent(StringBuilder sb, string digits, int exp, bool trimExponent)
    {
        sb.Append(digits[0]);
        if (digits.Length > 1)
        {
            sb.Append('.').Append(digits, 1, digits.Length - 1);
        }

        sb.Append('e').Append(exp < 0 ? '-' : '+');
        var abs = Math.Abs(exp);
        if (abs < 10 && !trimExponent)
        {
            sb.Append('0');
        }

        sb.Append(abs.ToString(CultureInfo.InvariantCulture));
    }

    private static void AppendFixed(StringBuilder sb, string digits, int point)
    {
        if (point <= 0)
        {
            sb.Append("0.").Append('0', -point).Append(digits);
            return;
        }

        if (point >= digits.Length)
        {
            sb.Append(digits).Append('0', point - digits.Length);
            return;
        }

        sb.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
    }
}
