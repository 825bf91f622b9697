using System.Globalization;

namespace StageSet.Cel.Library;

/// <summary>Timestamp and duration accessors; timestamp accessors take an optional IANA zone or fixed offset.</summary>
internal static class TimeFunctions
{
    public static void Register(FunctionSetBuilder b)
    {
        var ts = CelType.Timestamp;
        var str = CelType.String;
        var i = CelType.Int;
        (string Name, Func<DateTime, int, long> Get)[] getters =
        [
            ("getFullYear", (d, _) => d.Year),
            ("getMonth", (d, _) => d.Month - 1),
            ("getDayOfYear", (d, _) => d.DayOfYear - 1),
            ("getDayOfMonth", (d, _) => d.Day - 1),
            ("getDate", (d, _) => d.Day),
            ("getDayOfWeek", (d, _) => (long)d.DayOfWeek),
            ("getHours", (d, _) => d.Hour),
            ("getMinutes", (d, _) => d.Minute),
            ("getSeconds", (d, _) => d.Second),
            ("getMilliseconds", (_, nanos) => nanos / 1_000_000),
        ];
        foreach (var (name, get) in getters)
        {
            var id = "timestamp_to_" + name;
            b.Member(name, id, [ts], i, t => Get((CelTimestamp)t, null, get));
            b.Member(name, id + "_with_tz", [ts, str], i, (t, tz) => Get((CelTimestamp)t, ((CelString)tz).Value, get));
        }

        var dur = CelType.Duration;
        b.Member("getHours", "duration_to_hours", [dur], i, d => CelInt.Of(((CelDuration)d).Nanoseconds / 3_600_000_000_000));
        b.Member("getMinutes", "duration_to_minutes", [dur], i, d => CelInt.Of(((CelDuration)d).Nanoseconds / 60_000_000_000));
        b.Member("getSeconds", "duration_to_seconds", [dur], i, d => CelInt.Of(((CelDuration)d).Nanoseconds / 1_000_000_000));
        b.Member("getMilliseconds", "duration_to_milliseconds", [dur], i,
            d => CelInt.Of(((CelDuration)d).Nanoseconds % 1_000_000_000 / 1_000_000));
    }

    private static CelValue Get(CelTimestamp t, string? zone, Func<DateTime, int, long> get)
    {
        var utc = DateTime.UnixEpoch.AddSeconds(t.Seconds);
        if (zone is null)
        {
            return CelInt.Of(get(utc, t.Nanos));
        }

        if (Offset(zone, utc) is not { } offset)
        {
            return new CelError($"unknown time zone: '{zone}'");
        }

        var ticks = utc.Ticks + offset.Ticks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return new CelError("timestamp out of range in time zone " + zone);
        }

        return CelInt.Of(get(new DateTime(ticks, DateTimeKind.Unspecified), t.Nanos));
    }

    /// <summary>The UTC offset of <paramref name="zone"/> at <paramref name="utc"/>: <c>[+|-]HH:MM</c> or an IANA name.</summary>
    private static TimeSpan? Offset(string zone, DateTime utc)
    {
        if (zone.Contains(':', StringComparison.Ordinal))
        {
            var sign = 1;
            var s = zone;
            if (s.StartsWith('+') || s.StartsWith('-'))
            {
                sign = s[0] == '-' ? -1 : 1;
                s = s[1..];
            }

            var parts = s.Split(':');
            if (parts.Length == 2 &&
                int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h) &&
                int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m < 60)
            {
                return TimeSpan.FromMinutes(sign * (h * 60 + m));
            }

            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(zone).GetUtcOffset(utc);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }
}
