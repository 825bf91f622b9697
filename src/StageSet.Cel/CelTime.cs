using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace StageSet.Cel;

/// <summary>A point in time with nanosecond precision, between year 1 and year 9999 (UTC).</summary>
public sealed partial class CelTimestamp : CelValue
{
    internal const long MinSeconds = -62135596800; // 0001-01-01T00:00:00Z
    internal const long MaxSeconds = 253402300799; // 9999-12-31T23:59:59Z

    private CelTimestamp(long seconds, int nanos)
    {
        Seconds = seconds;
        Nanos = nanos;
    }

    /// <summary>Whole seconds since the Unix epoch (floor).</summary>
    public long Seconds { get; }

    /// <summary>Nanoseconds within the second, 0..999,999,999.</summary>
    public int Nanos { get; }

    public override CelType Type => CelType.Timestamp;

    internal Int128 UnixNanos => (Int128)Seconds * 1_000_000_000 + Nanos;

    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.UnixEpoch.AddTicks(Seconds * TimeSpan.TicksPerSecond + Nanos / 100);

    public static CelTimestamp FromDateTimeOffset(DateTimeOffset value)
    {
        var ticks = value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rem);
        if (rem < 0)
        {
            seconds--;
            rem += TimeSpan.TicksPerSecond;
        }

        return new CelTimestamp(seconds, (int)(rem * 100));
    }

    /// <summary>A timestamp from Unix nanoseconds, or a range error.</summary>
    internal static CelValue FromUnixNanos(Int128 nanos)
    {
        var seconds = Int128.DivRem(nanos, 1_000_000_000);
        var s = seconds.Quotient;
        var n = seconds.Remainder;
        if (n < 0)
        {
            s--;
            n += 1_000_000_000;
        }

        return s < MinSeconds || s > MaxSeconds ? new CelError("timestamp out of range") : new CelTimestamp((long)s, (int)n);
    }

    internal static CelValue FromUnixSeconds(long seconds) =>
        seconds < MinSeconds || seconds > MaxSeconds ? new CelError("timestamp out of range") : new CelTimestamp(seconds, 0);

    /// <summary>Parses RFC 3339 (<c>2009-02-13T23:31:30.5Z</c>, <c>...+01:00</c>) as <c>timestamp(string)</c> does.</summary>
    public static CelValue Parse(string text)
    {
        var m = Rfc3339().Match(text);
        if (!m.Success)
        {
            return new CelError($"timestamp parse error: cannot parse '{text}' as RFC 3339");
        }

        int Part(string name) => int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture);
        var year = Part("y");
        var month = Part("mo");
        var day = Part("d");
        var hour = Part("h");
        var minute = Part("mi");
        var second = Part("s");
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || hour > 23 ||
            minute > 59 || second > 59)
        {
            return new CelError($"timestamp out of range: '{text}'");
        }

        var nanos = 0;
        if (m.Groups["f"].Success)
        {
            var frac = m.Groups["f"].Value.PadRight(9, '0')[..9];
            nanos = int.Parse(frac, CultureInfo.InvariantCulture);
        }

        long offset = 0;
        if (m.Groups["oh"].Success)
        {
            offset = Part("oh") * 3600L + Part("om") * 60L;
            if (m.Groups["os"].Value == "-")
            {
                offset = -offset;
            }
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        var unix = (local.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond - offset;
        return FromUnixNanos((Int128)unix * 1_000_000_000 + nanos);
    }

    /// <summary>RFC 3339 with the shortest fraction, always in UTC: what <c>string(timestamp)</c> returns.</summary>
    public string ToRfc3339()
    {
        var dt = DateTime.UnixEpoch.AddSeconds(Seconds);
        var sb = new StringBuilder(dt.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        if (Nanos != 0)
        {
            sb.Append('.').Append(Nanos.ToString("000000000", CultureInfo.InvariantCulture).TrimEnd('0'));
        }

        return sb.Append('Z').ToString();
    }

    public override bool CelEquals(CelValue other) => other is CelTimestamp t && t.Seconds == Seconds && t.Nanos == Nanos;

    internal int CompareTo(CelTimestamp other) => Seconds != other.Seconds ? Seconds.CompareTo(other.Seconds) : Nanos.CompareTo(other.Nanos);

    public override JsonNode? ToJson() => JsonValue.Create(ToRfc3339());

    internal override void AppendTo(StringBuilder sb) => sb.Append("timestamp(\"").Append(ToRfc3339()).Append("\")");

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})[Tt](?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2})(?:\.(?<f>\d{1,9}))?(?:[Zz]|(?<os>[+-])(?<oh>\d{2}):(?<om>\d{2}))$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}

/// <summary>A signed span of time in nanoseconds; like cel-go, limited to what fits in 64 bits (about ±292 years).</summary>
public sealed class CelDuration : CelValue
{
    public CelDuration(long nanoseconds) => Nanoseconds = nanoseconds;

    public long Nanoseconds { get; }

    public override CelType Type => CelType.Duration;

    public TimeSpan ToTimeSpan() => TimeSpan.FromTicks(Nanoseconds / 100);

    internal static CelValue FromNanos(Int128 nanos) =>
        nanos < long.MinValue || nanos > long.MaxValue ? new CelError("duration out of range") : new CelDuration((long)nanos);

    /// <summary>Parses Go duration syntax (<c>1h2m3.5s</c>, <c>-1.5ms</c>, <c>0</c>) as <c>duration(string)</c> does.</summary>
    public static CelValue Parse(string text)
    {
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return new CelDuration(0);
        }

        if (s.Length == 0)
        {
            return Invalid(text);
        }

        Int128 total = 0;
        while (s.Length > 0)
        {
            var i = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            var whole = s[..i];
            var frac = ReadOnlySpan<char>.Empty;
            if (i < s.Length && s[i] == '.')
            {
                var start = ++i;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }

                frac = s[start..i];
            }

            if (whole.Length == 0 && frac.Length == 0)
            {
                return Invalid(text);
            }

            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            var unit = UnitNanos(s[unitStart..i]);
            if (unit == 0 || whole.Length > 30)
            {
                return Invalid(text);
            }

            Int128 w = whole.Length == 0 ? 0 : Int128.Parse(whole, CultureInfo.InvariantCulture);
            total += w * unit;
            Int128 scale = 1;
            Int128 f = 0;
            foreach (var c in frac[..Math.Min(frac.Length, 20)])
            {
                f = f * 10 + (c - '0');
                scale *= 10;
            }

            total += f * unit / scale;
            if (total > (Int128)long.MaxValue + 1)
            {
                return new CelError($"duration out of range: '{text}'");
            }

            s = s[i..];
        }

        return FromNanos(negative ? -total : total);
    }

    private static CelError Invalid(string text) => new($"invalid duration: '{text}'");

    private static long UnitNanos(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "µs" or "μs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => 0,
    };

    /// <summary>Seconds with the shortest fraction and an <c>s</c>: what <c>string(duration)</c> returns.</summary>
    public string ToSecondsString()
    {
        var seconds = Math.DivRem(Nanoseconds, 1_000_000_000, out var nanos);
        var sb = new StringBuilder();
        if (Nanoseconds < 0)
        {
            sb.Append('-');
        }

        sb.Append(Math.Abs(seconds).ToString(CultureInfo.InvariantCulture));
        if (nanos != 0)
        {
            sb.Append('.').Append(Math.Abs(nanos).ToString("000000000", CultureInfo.InvariantCulture).TrimEnd('0'));
        }

        return sb.Append('s').ToString();
    }

    public override bool CelEquals(CelValue other) => other is CelDuration d && d.Nanoseconds == Nanoseconds;

    public override JsonNode? ToJson() => JsonValue.Create(ToSecondsString());

    internal override void AppendTo(StringBuilder sb) => sb.Append("duration(\"").Append(ToSecondsString()).Append("\")");
}
