using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StageSet.Api;

/// <summary>
/// A Go <c>time.Duration</c> as Kubernetes APIs carry it (<c>metav1.Duration</c>): a signed count of nanoseconds
/// written as <c>90s</c>, <c>1h30m</c>, <c>1.5h</c>, <c>300ms</c>. Parsing follows <c>time.ParseDuration</c>
/// exactly (no days, no ISO-8601); printing follows <c>Duration.String()</c> (<c>1h30m0s</c>) unless the value was
/// parsed, in which case the original text is kept so a read-modify-write leaves the user's spelling alone.
/// </summary>
[JsonConverter(typeof(DurationJsonConverter))]
public readonly struct Duration : IEquatable<Duration>, IComparable<Duration>
{
    private const long Nanosecond = 1;
    private const long Microsecond = 1000 * Nanosecond;
    private const long Millisecond = 1000 * Microsecond;
    private const long Second = 1000 * Millisecond;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;

    private readonly string? _text;

    public Duration(long nanoseconds)
    {
        Nanoseconds = nanoseconds;
        _text = null;
    }

    private Duration(long nanoseconds, string text)
    {
        Nanoseconds = nanoseconds;
        _text = text;
    }

    public long Nanoseconds { get; }

    public static Duration Zero => default;

    public bool IsPositive => Nanoseconds > 0;

    /// <summary>The value as a <see cref="TimeSpan"/> (100 ns resolution, so sub-tick remainders are dropped).</summary>
    public TimeSpan ToTimeSpan() => TimeSpan.FromTicks(Nanoseconds / 100);

    public static Duration FromTimeSpan(TimeSpan span) => new(checked(span.Ticks * 100));

    public static Duration FromSeconds(long seconds) => new(checked(seconds * Second));

    public static Duration FromMinutes(long minutes) => new(checked(minutes * Minute));

    public static Duration FromHours(long hours) => new(checked(hours * Hour));

    /// <summary>Parses a Go duration string; throws <see cref="FormatException"/> with Go's message on bad input.</summary>
    public static Duration Parse(string text) =>
        TryParse(text, out var d, out var error) ? d : throw new FormatException(error);

    public static bool TryParse(string? text, out Duration duration) => TryParse(text, out duration, out _);

    /// <summary>Parses like Go's <c>time.ParseDuration</c>; <paramref name="error"/> carries Go's wording.</summary>
    public static bool TryParse(string? text, out Duration duration, out string? error)
    {
        duration = default;
        error = null;
        text ??= "";
        var invalid = "time: invalid duration " + Quote(text);
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.SequenceEqual("0"))
        {
            duration = new Duration(0, text);
            return true;
        }

        if (s.IsEmpty)
        {
            error = invalid;
            return false;
        }

        ulong total = 0;
        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                error = invalid;
                return false;
            }

            var before = s.Length;
            if (!LeadingInt(ref s, out var whole))
            {
                error = invalid;
                return false;
            }

            var hadWhole = before != s.Length;
            ulong fraction = 0;
            var scale = 1.0;
            var hadFraction = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var start = s.Length;
                LeadingFraction(ref s, out fraction, out scale);
                hadFraction = start != s.Length;
            }

            if (!hadWhole && !hadFraction)
            {
                error = invalid;
                return false;
            }

            var i = 0;
            while (i < s.Length && s[i] != '.' && !char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == 0)
            {
                error = "time: missing unit in duration " + Quote(text);
                return false;
            }

            var unitText = s[..i].ToString();
            s = s[i..];
            if (UnitOf(unitText) is not { } unit)
            {
                error = "time: unknown unit " + Quote(unitText) + " in duration " + Quote(text);
                return false;
            }

            if (whole > (1UL << 63) / unit)
            {
                error = invalid;
                return false;
            }

            var value = whole * unit;
            if (fraction > 0)
            {
                // Double keeps fractions of an hour nanosecond-accurate, as in Go.
                value += (ulong)(fraction * (unit / scale));
                if (value > 1UL << 63)
                {
                    error = invalid;
                    return false;
                }
            }

            total += value;
            if (total > 1UL << 63)
            {
                error = invalid;
                return false;
            }
        }

        if (negative)
        {
            duration = new Duration(unchecked(-(long)total), text);
            return true;
        }

        if (total > long.MaxValue)
        {
            error = invalid;
            return false;
        }

        duration = new Duration((long)total, text);
        return true;
    }

    private static ulong? UnitOf(string unit) => unit switch
    {
        "ns" => Nanosecond,
        "us" or "\u00b5s" or "\u03bcs" => Microsecond,
        "ms" => Millisecond,
        "s" => Second,
        "m" => Minute,
        "h" => Hour,
        _ => null,
    };

    private static bool LeadingInt(ref ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (value > (1UL << 63) / 10)
            {
                return false;
            }

            value = value * 10 + (ulong)(s[i] - '0');
            if (value > 1UL << 63)
            {
                return false;
            }
        }

        s = s[i..];
        return true;
    }

    private static void LeadingFraction(ref ReadOnlySpan<char> s, out ulong value, out double scale)
    {
        value = 0;
        scale = 1;
        var overflow = false;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (overflow)
            {
                continue;
            }

            if (value > ((1UL << 63) - 1) / 10)
            {
                // Further digits cannot change the value meaningfully; Go stops accumulating here too.
                overflow = true;
                continue;
            }

            var next = value * 10 + (ulong)(s[i] - '0');
            if (next > 1UL << 63)
            {
                overflow = true;
                continue;
            }

            value = next;
            scale *= 10;
        }

        s = s[i..];
    }

    /// <summary>Go's <c>Duration.String()</c> of the value, ignoring any original spelling.</summary>
    public string ToGoString()
    {
        var u = Nanoseconds < 0 ? unchecked((ulong)-Nanoseconds) : (ulong)Nanoseconds;
        var sb = new StringBuilder();
        if (u < Second)
        {
            if (u == 0)
            {
                return "0s";
            }

            var (precision, unit) = u < Microsecond ? (0, "ns") : u < Millisecond ? (3, "\u00b5s") : (6, "ms");
            sb.Append(WholeAndFraction(u, precision)).Append(unit);
        }
        else
        {
            var seconds = u / Second;
            var fraction = Fraction(u % Second, 9);
            var minutes = seconds / 60;
            var hours = minutes / 60;
            if (hours > 0)
            {
                sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
            }

            if (minutes > 0)
            {
                sb.Append((minutes % 60).ToString(CultureInfo.InvariantCulture)).Append('m');
            }

            sb.Append((seconds % 60).ToString(CultureInfo.InvariantCulture)).Append(fraction).Append('s');
        }

        return (Nanoseconds < 0 ? "-" : "") + sb;
    }

    private static string WholeAndFraction(ulong value, int precision)
    {
        ulong divisor = 1;
        for (var i = 0; i < precision; i++)
        {
            divisor *= 10;
        }

        return (value / divisor).ToString(CultureInfo.InvariantCulture) + Fraction(value % divisor, precision);
    }

    /// <summary>".5" style fraction of <paramref name="remainder"/>/10^digits, trailing zeros and empty fraction dropped.</summary>
    private static string Fraction(ulong remainder, int digits)
    {
        if (remainder == 0 || digits == 0)
        {
            return "";
        }

        var text = remainder.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return "." + text;
    }

    /// <summary>The original text when parsed, else Go's canonical spelling.</summary>
    public override string ToString() => _text ?? ToGoString();

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public bool Equals(Duration other) => Nanoseconds == other.Nanoseconds;

    public override bool Equals(object? obj) => obj is Duration d && Equals(d);

    public override int GetHashCode() => Nanoseconds.GetHashCode();

    public int CompareTo(Duration other) => Nanoseconds.CompareTo(other.Nanoseconds);

    public static bool operator ==(Duration left, Duration right) => left.Equals(right);

    public static bool operator !=(Duration left, Duration right) => !left.Equals(right);

    public static bool operator <(Duration left, Duration right) => left.Nanoseconds < right.Nanoseconds;

    public static bool operator >(Duration left, Duration right) => left.Nanoseconds > right.Nanoseconds;

    public static bool operator <=(Duration left, Duration right) => left.Nanoseconds <= right.Nanoseconds;

    public static bool operator >=(Duration left, Duration right) => left.Nanoseconds >= right.Nanoseconds;
}

/// <summary>Reads and writes <see cref="Duration"/> as its Go string; a bad string is a <see cref="JsonException"/>.</summary>
public sealed class DurationJsonConverter : JsonConverter<Duration>
{
    public override Duration Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("a duration must be a string such as \"90s\" or \"1h30m\"");
        }

        var text = reader.GetString()!;
        return Duration.TryParse(text, out var d, out var error) ? d : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, Duration value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
