using System.Globalization;
using StageSet.Manifests.Yaml;

namespace StageSet.Cel;

/// <summary>Exact comparisons across int, uint and double (CEL compares numbers by value, not by type).</summary>
internal static class Numeric
{
    private const double TwoTo63 = 9223372036854775808.0;
    private const double TwoTo64 = 18446744073709551616.0;

    /// <summary>
    /// Sign of <paramref name="a"/> - <paramref name="b"/>; null when <paramref name="b"/> is NaN. Like cel-go, doubles
    /// beyond the int range compare as beyond it, and within it the int is compared as a double (so int64's maximum
    /// equals 2^63.0, the double it rounds to).
    /// </summary>
    public static int? Compare(long a, double b)
    {
        if (double.IsNaN(b))
        {
            return null;
        }

        if (b < -TwoTo63)
        {
            return 1;
        }

        return b > TwoTo63 ? -1 : ((double)a).CompareTo(b);
    }

    public static int? Compare(ulong a, double b)
    {
        if (double.IsNaN(b))
        {
            return null;
        }

        if (b < 0)
        {
            return 1;
        }

        return b > TwoTo64 ? -1 : ((double)a).CompareTo(b);
    }

    public static int Compare(long a, ulong b) => a < 0 ? -1 : ((ulong)a).CompareTo(b);

    /// <summary>Numeric ordering of two CEL numbers; null when either is not a number or a NaN is involved.</summary>
    public static int? CompareNumbers(CelValue a, CelValue b) => (a, b) switch
    {
        (CelInt x, CelInt y) => x.Value.CompareTo(y.Value),
        (CelUint x, CelUint y) => x.Value.CompareTo(y.Value),
        (CelDouble x, CelDouble y) => double.IsNaN(x.Value) || double.IsNaN(y.Value) ? null : x.Value.CompareTo(y.Value),
        (CelInt x, CelUint y) => Compare(x.Value, y.Value),
        (CelUint x, CelInt y) => -Compare(y.Value, x.Value),
        (CelInt x, CelDouble y) => Compare(x.Value, y.Value),
        (CelDouble x, CelInt y) => -Compare(y.Value, x.Value),
        (CelUint x, CelDouble y) => Compare(x.Value, y.Value),
        (CelDouble x, CelUint y) => -Compare(y.Value, x.Value),
        _ => null,
    };

    /// <summary>Go's <c>strconv.FormatFloat(f, 'g', -1, 64)</c>, which CEL's <c>string(double)</c> produces.</summary>
    public static string FormatDouble(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "+Inf" : "-Inf";
        }

        var (negative, digits, point) = ShortestDecimal.Of(d);
        var sb = new System.Text.StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        var exp = point - 1;
        if (exp < -4 || exp >= 6)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            sb.Append('e').Append(exp < 0 ? '-' : '+').Append(Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        if (point <= 0)
        {
            sb.Append("0.").Append('0', -point).Append(digits);
        }
        else if (point >= digits.Length)
        {
            sb.Append(digits).Append('0', point - digits.Length);
        }
        else
        {
            sb.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        }

        return sb.ToString();
    }
}
