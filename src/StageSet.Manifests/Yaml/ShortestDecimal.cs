using System.Globalization;

namespace StageSet.Manifests.Yaml;

/// <summary>
/// The shortest decimal digits that round-trip a float (Go's precision -1) and the decimal point position:
/// value = 0.Digits × 10^Point. Go-compatible float printers (YAML, JSON, CEL) lay these digits out their own way.
/// </summary>
public readonly record struct ShortestDecimal(bool Negative, string Digits, int Point)
{
    /// <param name="float32">Use the shortest digits of the value as a 32-bit float.</param>
    public static ShortestDecimal Of(double value, bool float32 = false)
    {
        var negative = double.IsNegative(value);
        // .NET's "R" is the shortest round-trip form for both widths, as Go's precision -1 is.
        var r = float32
            ? Math.Abs((float)value).ToString("R", CultureInfo.InvariantCulture)
            : Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOfAny(['E', 'e']);
        var mantissa = e < 0 ? r : r[..e];
        var exponent = e < 0 ? 0 : int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.');
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var fracPart = dot < 0 ? "" : mantissa[(dot + 1)..];
        var all = intPart + fracPart;
        var point = intPart.Length + exponent;
        var lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0')
        {
            lead++;
        }

        all = all[lead..].TrimEnd('0');
        point -= lead;
        return all.Length == 0 ? new ShortestDecimal(negative, "0", 1) : new ShortestDecimal(negative, all, point);
    }
}
