using System.Globalization;

namespace StageSet.Controller.Hosting;

/// <summary>Go duration strings (<c>300ms</c>, <c>1h30m</c>, <c>1.5h</c>) as flag values.</summary>
internal static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var s = text.Trim();
        var negative = false;
        if (s.StartsWith('-') || s.StartsWith('+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s == "0")
        {
            return true;
        }

        if (s.Length == 0)
        {
            return false;
        }

        double ticks = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture,
                    out var number))
            {
                return false;
            }

            var unit = Units.Where(u => string.CompareOrdinal(s, i, u.Unit, 0, u.Unit.Length) == 0)
                .OrderByDescending(u => u.Unit.Length).FirstOrDefault();
            if (unit.Unit is null)
            {
                return false;
            }

            ticks += number * unit.Ticks;
            i += unit.Unit.Length;
        }

        value = TimeSpan.FromTicks((long)Math.Round(negative ? -ticks : ticks));
        return true;
    }
}
