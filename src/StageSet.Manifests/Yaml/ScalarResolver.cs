using System.Globalization;
using System.Text.RegularExpressions;

namespace StageSet.Manifests.Yaml;

internal enum ScalarKind
{
    Null,
    Bool,
    Int,
    UInt,
    Float,
    String,
}

/// <summary>A scalar's value after YAML 1.1 resolution. Timestamps stay strings (go-yaml v2 keeps them as text
/// when decoding into untyped values), but <see cref="LooksLikeTimestamp"/> marks them so the emitter quotes them.</summary>
internal readonly record struct ResolvedScalar(ScalarKind Kind, string Text, long Int = 0, ulong UInt = 0, double Float = 0, bool Bool = false, bool LooksLikeTimestamp = false)
{
    public static ResolvedScalar Str(string s, bool timestamp = false) => new(ScalarKind.String, s, LooksLikeTimestamp: timestamp);
}

/// <summary>
/// Plain-scalar resolution exactly as go-yaml v2 (behind sigs.k8s.io/yaml) does it: YAML 1.1 booleans and nulls,
/// Go <c>ParseInt(s, 0, 64)</c> integers after dropping underscores (so <c>0x1F</c>, <c>017</c>, <c>0o17</c>, <c>0b11</c>),
/// uint64 beyond int64, YAML-style floats, and date-like strings recognised but kept as text.
/// </summary>
internal static partial class ScalarResolver
{
    public const string TagPrefix = "tag:yaml.org,2002:";
    public const string StrTag = TagPrefix + "str";
    public const string IntTag = TagPrefix + "int";
    public const string FloatTag = TagPrefix + "float";
    public const string BoolTag = TagPrefix + "bool";
    public const string NullTag = TagPrefix + "null";
    public const string BinaryTag = TagPrefix + "binary";
    public const string TimestampTag = TagPrefix + "timestamp";
    public const string MergeTag = TagPrefix + "merge";

    private static readonly Dictionary<string, ResolvedScalar> Words = BuildWords();

    /// <summary>Resolves a plain scalar written without a tag.</summary>
    public static ResolvedScalar ResolvePlain(string s)
    {
        if (Words.TryGetValue(s, out var word))
        {
            return word;
        }

        if (s.Length == 0)
        {
            return new ResolvedScalar(ScalarKind.Null, s);
        }

        var first = s[0];
        if (first == '.')
        {
            return DotFloat().IsMatch(s) && TryParseDouble(s, out var f) ? Float(s, f) : ResolvedScalar.Str(s);
        }

        if (first is not ('+' or '-') && !char.IsAsciiDigit(first))
        {
            return ResolvedScalar.Str(s);
        }

        if (GoTimestamp.IsTimestamp(s))
        {
            return ResolvedScalar.Str(s, timestamp: true);
        }

        var plain = s.Replace("_", "", StringComparison.Ordinal);
        if (TryParseGoInteger(plain, out var negative, out var magnitude))
        {
            if (negative)
            {
                if (magnitude <= 1UL << 63)
                {
                    return new ResolvedScalar(ScalarKind.Int, s, Int: unchecked(-(long)magnitude));
                }
            }
            else if (magnitude <= long.MaxValue)
            {
                return new ResolvedScalar(ScalarKind.Int, s, Int: (long)magnitude);
            }
            else if (plain[0] != '+')
            {
                // Go's ParseUint takes no sign, so "+18446744073709551615" falls through to the float rule.
                return new ResolvedScalar(ScalarKind.UInt, s, UInt: magnitude);
            }
        }

        if (YamlFloat().IsMatch(plain) && TryParseDouble(plain, out var d))
        {
            return Float(s, d);
        }

        return ResolvedScalar.Str(s);
    }

    /// <summary>
    /// Resolves a scalar as go-yaml v2's decoder does: quoted and block scalars are strings unless tagged; explicit
    /// core tags must agree with what the text resolves to (<c>!!float</c> also takes integers); other tags are strings.
    /// Returns an error text for a tag the value cannot satisfy.
    /// </summary>
    public static ResolvedScalar Resolve(string value, string? tag, bool plain, out string? error)
    {
        error = null;
        if (tag is null or "!" && !plain)
        {
            return ResolvedScalar.Str(value);
        }

        if (tag is null)
        {
            return ResolvePlain(value);
        }

        switch (tag)
        {
            case StrTag:
            case "!":
                return ResolvedScalar.Str(value);
            case BinaryTag:
                return ResolveBinary(value, out error);
            case IntTag:
            case FloatTag:
            case BoolTag:
            case NullTag:
            case TimestampTag:
                var resolved = ResolvePlain(value);
                var got = TagOf(resolved);
                if (got == tag)
                {
                    return resolved;
                }

                if (tag == FloatTag && resolved.Kind is ScalarKind.Int or ScalarKind.UInt)
                {
                    return Float(value, resolved.Kind == ScalarKind.Int ? resolved.Int : resolved.UInt);
                }

                error = $"cannot decode {ShortTag(got)} `{value}` as a {ShortTag(tag)}";
                return ResolvedScalar.Str(value);
            default:
                // Unknown and local tags (!Ref, !foo) leave the scalar a string, as go-yaml v2 does.
                return ResolvedScalar.Str(value);
        }
    }

    /// <summary>True when a string can be written as a plain scalar and read back as the same string.</summary>
    public static bool ReadsBackAsString(string s)
    {
        var r = ResolvePlain(s);
        return r.Kind == ScalarKind.String && !r.LooksLikeTimestamp && !Base60Float().IsMatch(s);
    }

    /// <summary>Go's <c>ParseInt/ParseUint(s, 0, 64)</c> syntax: sign, 0x/0o/0b or leading-0 octal, digits.</summary>
    public static bool TryParseGoInteger(string s, out bool negative, out ulong magnitude)
    {
        negative = false;
        magnitude = 0;
        var i = 0;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            i = 1;
        }

        var radix = 10;
        if (s.Length - i >= 2 && s[i] == '0')
        {
            switch (s[i + 1])
            {
                case 'x' or 'X':
                    radix = 16;
                    i += 2;
                    break;
                case 'o' or 'O':
                    radix = 8;
                    i += 2;
                    break;
                case 'b' or 'B':
                    radix = 2;
                    i += 2;
                    break;
                default:
                    radix = 8;
                    i += 1;
                    break;
            }
        }

        if (i >= s.Length)
        {
            return false;
        }

        for (; i < s.Length; i++)
        {
            var digit = HexValue(s[i]);
            if (digit < 0 || digit >= radix)
            {
                return false;
            }

            if (magnitude > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return false;
            }

            magnitude = magnitude * (ulong)radix + (ulong)digit;
        }

        return true;
    }

    private static ResolvedScalar ResolveBinary(string value, out string? error)
    {
        error = null;
        try
        {
            // Go's StdEncoding ignores line breaks (block scalars), but nothing else.
            var bytes = Convert.FromBase64String(value.Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal));
            return ResolvedScalar.Str(GoStrings.FromBytes(bytes));
        }
        catch (FormatException)
        {
            error = "!!binary value contains invalid base64 data";
            return ResolvedScalar.Str(value);
        }
    }

    private static string TagOf(ResolvedScalar r) => r.Kind switch
    {
        ScalarKind.Null => NullTag,
        ScalarKind.Bool => BoolTag,
        ScalarKind.Int or ScalarKind.UInt => IntTag,
        ScalarKind.Float => FloatTag,
        _ => r.LooksLikeTimestamp ? TimestampTag : StrTag,
    };

    private static string ShortTag(string tag) => tag.StartsWith(TagPrefix, StringComparison.Ordinal) ? "!!" + tag[TagPrefix.Length..] : tag;

    private static ResolvedScalar Float(string text, double value) => new(ScalarKind.Float, text, Float: value);

    private static bool TryParseDouble(string s, out double d) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d) && !double.IsInfinity(d);

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static Dictionary<string, ResolvedScalar> BuildWords()
    {
        var words = new Dictionary<string, ResolvedScalar>(StringComparer.Ordinal);
        foreach (var w in new[] { "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON" })
        {
            words[w] = new ResolvedScalar(ScalarKind.Bool, w, Bool: true);
        }

        foreach (var w in new[] { "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF" })
        {
            words[w] = new ResolvedScalar(ScalarKind.Bool, w, Bool: false);
        }

        foreach (var w in new[] { "", "~", "null", "Null", "NULL" })
        {
            words[w] = new ResolvedScalar(ScalarKind.Null, w);
        }

        foreach (var w in new[] { ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF" })
        {
            words[w] = Float(w, double.PositiveInfinity);
        }

        foreach (var w in new[] { "-.inf", "-.Inf", "-.INF" })
        {
            words[w] = Float(w, double.NegativeInfinity);
        }

        foreach (var w in new[] { ".nan", ".NaN", ".NAN" })
        {
            words[w] = Float(w, double.NaN);
        }

        return words;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();

    [GeneratedRegex(@"^\.[0-9]+([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DotFloat();

    // YAML 1.1 sexagesimal numbers (1:20): go-yaml never parses them but quotes them on output for other parsers.
    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Base60Float();
}
