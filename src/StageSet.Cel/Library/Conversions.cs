using System.Globalization;
using System.Text;

namespace StageSet.Cel.Library;

/// <summary>The type conversion functions <c>int</c>, <c>uint</c>, <c>double</c>, <c>string</c>, <c>bytes</c>, <c>bool</c>.</summary>
internal static class Conversions
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static CelValue IntFromUint(CelValue v)
    {
        var u = ((CelUint)v).Value;
        return u > long.MaxValue ? Errors.Range("uint to int") : CelInt.Of((long)u);
    }

    public static CelValue IntFromDouble(CelValue v)
    {
        var d = ((CelDouble)v).Value;
        return d is > -9223372036854775808.0 and < 9223372036854775808.0 ? CelInt.Of((long)d) : Errors.Range("double to int");
    }

    public static CelValue IntFromString(CelValue v) =>
        long.TryParse(((CelString)v).Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? CelInt.Of(l)
            : new CelError($"type conversion error from 'string' to 'int': '{((CelString)v).Value}'");

    public static CelValue UintFromInt(CelValue v)
    {
        var i = ((CelInt)v).Value;
        return i < 0 ? Errors.Range("int to uint") : new CelUint((ulong)i);
    }

    public static CelValue UintFromDouble(CelValue v)
    {
        var d = ((CelDouble)v).Value;
        return d is >= 0 and < 18446744073709551616.0 ? new CelUint((ulong)d) : Errors.Range("double to uint");
    }

    public static CelValue UintFromString(CelValue v)
    {
        var s = ((CelString)v).Value;
        return s.Length > 0 && s[0] != '-' && s[0] != '+' &&
               ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var u)
            ? new CelUint(u)
            : new CelError($"type conversion error from 'string' to 'uint': '{s}'");
    }

    public static CelValue DoubleFromString(CelValue v)
    {
        var s = ((CelString)v).Value;
        var lower = s.ToLowerInvariant().TrimStart('+');
        switch (lower)
        {
            case "inf" or "infinity":
                return new CelDouble(s.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity);
            case "-inf" or "-infinity":
                return new CelDouble(double.NegativeInfinity);
            case "nan":
                return new CelDouble(double.NaN);
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? new CelDouble(d)
            : new CelError($"type conversion error from 'string' to 'double': '{s}'");
    }

    public static CelValue StringFromBytes(CelValue v)
    {
        try
        {
            return new CelString(StrictUtf8.GetString(((CelBytes)v).Value));
        }
        catch (DecoderFallbackException)
        {
            return new CelError("invalid UTF-8 in bytes, cannot convert to string");
        }
    }

    public static CelValue BytesFromString(CelValue v) => CelBytes.Own(Encoding.UTF8.GetBytes(((CelString)v).Value));

    public static CelValue BoolFromString(CelValue v) => ((CelString)v).Value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => CelBool.True,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => CelBool.False,
        var s => new CelError($"Type conversion error from 'string' to 'bool': '{s}'"),
    };

    public static CelValue StringOf(CelValue v) => v switch
    {
        CelString => v,
        CelBool b => new CelString(b.Value ? "true" : "false"),
        CelInt i => new CelString(i.Value.ToString(CultureInfo.InvariantCulture)),
        CelUint u => new CelString(u.Value.ToString(CultureInfo.InvariantCulture)),
        CelDouble d => new CelString(Numeric.FormatDouble(d.Value)),
        CelBytes => StringFromBytes(v),
        CelTimestamp t => new CelString(t.ToRfc3339()),
        CelDuration d => new CelString(d.ToSecondsString()),
        _ => new CelError($"type conversion error from '{v.Type}' to 'string'"),
    };
}
