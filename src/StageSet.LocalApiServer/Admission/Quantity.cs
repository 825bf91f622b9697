using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace StageSet.LocalApiServer.Admission;

/// <summary>
/// Kubernetes resource quantities in their canonical form (<c>1000m</c> → <c>1</c>, <c>0.5</c> → <c>500m</c>,
/// <c>1.5Gi</c> → <c>1536Mi</c>): the value rounded up to nano units, printed in the family it was written in (binary
/// SI, decimal SI or decimal exponent) with the largest suffix that keeps an integer mantissa.
/// </summary>
internal static partial class Quantity
{
    private static readonly string[] DecimalSuffixes = ["n", "u", "m", "", "k", "M", "G", "T", "P", "E"];
    private static readonly string[] BinarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    private enum Notation
    {
        DecimalSI,
        BinarySI,
        DecimalExponent,
    }

    [GeneratedRegex(@"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")]
    private static partial Regex Syntax();

    /// <summary>The canonical text of a quantity node (string or JSON number); null when it is not a quantity.</summary>
    public static string? Canonical(JsonNode? node)
    {
        var text = node switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
            _ => null,
        };
        return text is null ? null : Canonical(text);
    }

    public static string? Canonical(string text) => Parse(text) is { } parsed ? Print(parsed.Value, parsed.Notation) : null;

    /// <summary>The numeric value of a quantity (rounded up to nano units); null when it is not one.</summary>
    public static decimal? Value(string text) => Parse(text)?.Value;

    private static (decimal Value, Notation Notation)? Parse(string text)
    {
        var match = Syntax().Match(text.Trim());
        if (!match.Success
            || !decimal.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var (notation, multiplier) = Multiplier(match.Groups[2].Value);
        try
        {
            return (RoundUpToNano(number * multiplier), notation);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static (Notation Notation, decimal Multiplier) Multiplier(string suffix)
    {
        var binary = Array.IndexOf(BinarySuffixes, suffix);
        if (suffix.Length > 0 && binary > 0)
        {
            return (Notation.BinarySI, Pow(1024m, binary));
        }

        if (suffix.Length > 0 && suffix[0] is 'e' or 'E')
        {
            var exponent = int.Parse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            return (Notation.DecimalExponent, exponent >= 0 ? Pow(10m, exponent) : 1m / Pow(10m, -exponent));
        }

        var index = Array.IndexOf(DecimalSuffixes, suffix);
        var power = (index - 3) * 3;
        return (Notation.DecimalSI, power >= 0 ? Pow(10m, power) : 1m / Pow(10m, -power));
    }

    /// <summary>Precision below a nano-unit is rounded up (away from zero), as kube-apiserver does.</summary>
    private static decimal RoundUpToNano(decimal value)
    {
        var scaled = value * 1_000_000_000m;
        var rounded = value >= 0 ? decimal.Ceiling(scaled) : decimal.Floor(scaled);
        return rounded / 1_000_000_000m;
    }

    private static string Print(decimal value, Notation format)
    {
        if (value == 0)
        {
            return "0";
        }

        if (format == Notation.BinarySI && (Math.Abs(value) < 1024 || value != decimal.Truncate(value)))
        {
            format = Notation.DecimalSI;
        }

        if (format == Notation.BinarySI)
        {
            var mantissa = value;
            var exponent = 0;
            while (exponent < BinarySuffixes.Length - 1 && mantissa % 1024 == 0)
            {
                mantissa /= 1024;
                exponent++;
            }

            return mantissa.ToString("0", CultureInfo.InvariantCulture) + BinarySuffixes[exponent];
        }

        // An integer mantissa times a power of ten that is a multiple of three, the largest such power.
        var m = value * 1_000_000_000m;
        var e = -9;
        while (m != 0 && m % 10 == 0)
        {
            m /= 10;
            e++;
        }

        switch (((e % 3) + 3) % 3)
        {
            case 1:
                m *= 10;
                e--;
                break;
            case 2:
                m *= 100;
                e -= 2;
                break;
        }

        var digits = m.ToString("0", CultureInfo.InvariantCulture);
        if (format == Notation.DecimalExponent)
        {
            return e == 0 ? digits : digits + "e" + e.ToString(CultureInfo.InvariantCulture);
        }

        var index = (e / 3) + 3;
        return index >= 0 && index < DecimalSuffixes.Length
            ? digits + DecimalSuffixes[index]
            : digits + "e" + e.ToString(CultureInfo.InvariantCulture);
    }

    private static decimal Pow(decimal b, int n)
    {
        var result = 1m;
        for (var i = 0; i < n; i++)
        {
            result *= b;
        }

        return result;
    }
}
