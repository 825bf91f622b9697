using System.Text.RegularExpressions;

namespace StageSet.Manifests.Yaml;

/// <summary>
/// The date-like strings go-yaml v2 resolves as <c>!!timestamp</c>: Go <c>time.Parse</c> with the layouts
/// <c>2006-1-2T15:4:5.999999999Z07:00</c> (also lower-case t), <c>2006-1-2 15:4:5.999999999</c> and <c>2006-1-2</c>,
/// including Go's range checks (a 30th of February is just a string).
/// </summary>
internal static partial class GoTimestamp
{
    public static bool IsTimestamp(string s)
    {
        var m = Shape().Match(s);
        if (!m.Success)
        {
            return false;
        }

        var year = int.Parse(m.Groups["y"].ValueSpan);
        var month = int.Parse(m.Groups["mo"].ValueSpan);
        var day = int.Parse(m.Groups["d"].ValueSpan);
        if (month is < 1 or > 12 || day < 1 || day > DaysIn(year, month))
        {
            return false;
        }

        if (!m.Groups["h"].Success)
        {
            return true;
        }

        var separator = m.Groups["sep"].Value;
        var zone = m.Groups["z"];
        // The space-separated layout has no zone; the T/t layouts require one.
        if ((separator == " ") == zone.Success)
        {
            return false;
        }

        return int.Parse(m.Groups["h"].ValueSpan) < 24 && int.Parse(m.Groups["mi"].ValueSpan) < 60 &&
               int.Parse(m.Groups["s"].ValueSpan) < 60;
    }

    private static int DaysIn(int year, int month) => month switch
    {
        2 => (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    [GeneratedRegex(@"^(?<y>[0-9]{4})-(?<mo>[0-9]{1,2})-(?<d>[0-9]{1,2})(?:(?<sep>[Tt ])(?<h>[0-9]{1,2}):(?<mi>[0-9]{1,2}):(?<s>[0-9]{1,2})(?:[.,][0-9]+)?(?<z>Z|[-+][0-9]{2}:[0-9]{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
