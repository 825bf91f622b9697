using System.Globalization;
using System.Numerics;
using System.Text;

namespace StageSet.Cel.Library;

/// <summary><c>'%s is %d'.format([a, b])</c>: the clauses of cel-go's strings extension, with its error wording.</summary>
internal static class StringFormatter
{
    public static CelValue Format(string format, CelList args)
    {
        var sb = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }

            if (++i >= format.Length)
            {
                return new CelError("could not parse formatting clause: unexpected end of string");
            }

            if (format[i] == '%')
            {
                sb.Append('%');
                continue;
            }

            int? precision = null;
            if (format[i] == '.')
            {
                var start = ++i;
                while (i < format.Length && char.IsAsciiDigit(format[i]))
                {
                    i++;
                }

                if (i >= format.Length || start == i)
                {
                    return new CelError("could not parse formatting clause: malformed precision");
                }

                precision = int.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture);
            }

            var verb = format[i];
            if (verb is not ('s' or 'd' or 'f' or 'e' or 'b' or 'o' or 'x' or 'X'))
            {
                return new CelError($"could not parse formatting clause: unrecognized formatting clause \"{verb}\"");
            }

            if (next >= args.Count)
            {
                return new CelError($"index {next} out of range");
            }

            var arg = args[next++];
            var formatted = Clause(verb, precision, arg);
            if (formatted is CelError e)
            {
                return e;
            }

            sb.Append(((CelString)formatted).Value);
        }

        return new CelString(sb.ToString());
    }

    private static CelValue Fail(string message) => new CelError("error during formatting: " + message);

    private static string TypeName(CelValue v) => v.Type.Erased.Name;

    private static CelValue Clause(char verb, int? precision, CelValue arg) => verb switch
    {
        's' => AsString(arg) is { } s ? new CelString(s) : Fail($"string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given {TypeName(arg)}"),
        'd' => arg switch
        {
            CelInt i => new CelString(i.Value.ToString(CultureInfo.InvariantCulture)),
            CelUint u => new CelString(u.Value.ToString(CultureInfo.InvariantCulture)),
            CelDouble d when !double.IsFinite(d.Value) => new CelString(NonFinite(d.Value)),
            _ => Fail($"decimal clause can only be used on integers, was given {TypeName(arg)}"),
        },
        'f' => ToDouble(arg) is { } f ? new CelString(Fixed(f, precision ?? 6)) : Fail($"fixed-point clause can only be used on doubles, was given {TypeName(arg)}"),
        'e' => ToDouble(arg) is { } e ? new CelString(Scientific(e, precision ?? 6)) : Fail($"scientific clause can only be used on doubles, was given {TypeName(arg)}"),
        'b' => arg switch
        {
            CelInt i => new CelString(Radix(i.Value, 2)),
            CelUint u => new CelString(Radix(u.Value, 2)),
            CelBool b => new CelString(b.Value ? "1" : "0"),
            _ => Fail($"only integers and bools can be formatted as binary, was given {TypeName(arg)}"),
        },
        'o' => arg switch
        {
            CelInt i => new CelString(Radix(i.Value, 8)),
            CelUint u => new CelString(Radix(u.Value, 8)),
            _ => Fail($"octal clause can only be used on integers, was given {TypeName(arg)}"),
        },
        _ => Hex(arg, upper: verb == 'X'),
    };

    private static CelValue Hex(CelValue arg, bool upper)
    {
        string? hex = arg switch
        {
            CelInt i => Radix(i.Value, 16),
            CelUint u => Radix(u.Value, 16),
            CelString s => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(s.Value)),
            CelBytes b => Convert.ToHexStringLower(b.Value),
            _ => null,
        };
        if (hex is null)
        {
            return Fail($"only integers, byte buffers, and strings can be formatted as hex, was given {TypeName(arg)}");
        }

        return new CelString(upper ? hex.ToUpperInvariant() : hex);
    }

    private static string Radix(long value, int radix) =>
        value < 0 ? "-" + Radix((ulong)(-(Int128)value), radix) : Radix((ulong)value, radix);

    private static string Radix(ulong value, int radix)
    {
        if (value == 0)
        {
            return "0";
        }

        var sb = new StringBuilder();
        while (value > 0)
        {
            sb.Insert(0, "0123456789abcdef"[(int)(value % (ulong)radix)]);
            value /= (ulong)radix;
        }

        return sb.ToString();
    }

    private static double? ToDouble(CelValue v) => v switch
    {
        CelDouble d => d.Value,
        CelInt i => i.Value,
        CelUint u => u.Value,
        _ => null,
    };

    private static string NonFinite(double d) => double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";

    /// <summary>Fixed-point with exact round-half-to-even on the double's true value, as Go's <c>%.Nf</c>.</summary>
    public static string Fixed(double d, int precision)
    {
        if (!double.IsFinite(d))
        {
            return NonFinite(d);
        }

        var negative = d < 0 || (d == 0 && double.IsNegative(d));
        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(d));
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075;

        // value = mantissa * 2^exponent; scaled = value * 10^precision, rounded half to even.
        var numerator = new BigInteger(mantissa) * BigInteger.Pow(10, precision);
        BigInteger scaled;
        if (exponent >= 0)
        {
            scaled = numerator << exponent;
        }
        else
        {
            var denominator = BigInteger.One << -exponent;
            scaled = BigInteger.DivRem(numerator, denominator, out var remainder);
            var twice = remainder * 2;
            if (twice > denominator || (twice == denominator && !scaled.IsEven))
            {
                scaled += 1;
            }
        }

        var digits = scaled.ToString(CultureInfo.InvariantCulture).PadLeft(precision + 1, '0');
        var result = precision == 0 ? digits : digits[..^precision] + "." + digits[^precision..];
        return negative ? "-" + result : result;
    }

    private static string Scientific(double d, int precision)
    {
        if (!double.IsFinite(d))
        {
            return NonFinite(d);
        }

        var s = d.ToString("e" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var e = s.IndexOf('e', StringComparison.Ordinal);
        var exp = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
        return s[..e] + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>The <c>%s</c> rendering; null for values it does not cover.</summary>
    private static string? AsString(CelValue v)
    {
        switch (v)
        {
            case CelString s:
                return s.Value;
            case CelBool b:
                return b.Value ? "true" : "false";
            case CelInt i:
                return i.Value.ToString(CultureInfo.InvariantCulture);
            case CelUint u:
                return u.Value.ToString(CultureInfo.InvariantCulture);
            case CelDouble d:
                return double.IsFinite(d.Value) ? Numeric.FormatDouble(d.Value) : NonFinite(d.Value);
            case CelBytes bytes:
                return Encoding.UTF8.GetString(bytes.Value);
            case CelNull:
                return "null";
            case CelTypeValue t:
                return t.Value.Erased.Name;
            case CelTimestamp ts:
                return ts.ToRfc3339();
            case CelDuration dur:
                return dur.ToSecondsString();
            case CelList list:
                var items = new List<string>();
                foreach (var e in list.Elements)
                {
                    if (AsString(e) is not { } item)
                    {
                        return null;
                    }

                    items.Add(item);
                }

                return "[" + string.Join(", ", items) + "]";
            case CelMap map:
                var entries = new List<(string Key, string Value)>();
                foreach (var (k, val) in map.Entries)
                {
                    if (AsString(k) is not { } key || AsString(val) is not { } value)
                    {
                        return null;
                    }

                    entries.Add((key, value));
                }

                return "{" + string.Join(", ", entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + ": " + e.Value)) + "}";
            default:
                return null;
        }
    }
}
