using System.Text.RegularExpressions;
using Cronos;

namespace StageSet.Api.Scheduling;

/// <summary>
/// An update-window schedule with the syntax of robfig/cron's <c>ParseStandard</c>: five fields (minute hour
/// day-of-month month day-of-week, names such as <c>MON-FRI</c> and <c>JAN</c> allowed), the descriptors
/// <c>@yearly @annually @monthly @weekly @daily @midnight @hourly</c> and <c>@every &lt;duration&gt;</c>, and an
/// optional <c>TZ=&lt;zone&gt;</c> or <c>CRON_TZ=&lt;zone&gt;</c> prefix that overrides the window's time zone.
/// </summary>
public sealed partial class CronSchedule
{
    private readonly CronExpression? _cron;
    private readonly Duration? _every;

    private CronSchedule(string text, TimeZoneInfo? zone, CronExpression? cron, Duration? every)
    {
        Text = text;
        Zone = zone;
        _cron = cron;
        _every = every;
    }

    public string Text { get; }

    /// <summary>The zone named by a <c>TZ=</c>/<c>CRON_TZ=</c> prefix, if any.</summary>
    public TimeZoneInfo? Zone { get; }

    /// <summary>The fixed period of an <c>@every</c> schedule (at least one second), else null.</summary>
    public Duration? Every => _every;

    public static bool TryParse(string? text, out CronSchedule schedule, out string? error)
    {
        schedule = null!;
        error = null;
        var spec = (text ?? "").Trim();
        if (spec.Length == 0)
        {
            error = "empty spec string";
            return false;
        }

        TimeZoneInfo? zone = null;
        if (spec.StartsWith("TZ=", StringComparison.Ordinal) || spec.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            var space = spec.IndexOf(' ', StringComparison.Ordinal);
            var name = space < 0 ? spec[(spec.IndexOf('=', StringComparison.Ordinal) + 1)..] : spec[(spec.IndexOf('=', StringComparison.Ordinal) + 1)..space];
            if (!TimeZones.TryFind(name, out var found))
            {
                error = $"provided bad location {name}: unknown time zone {name}";
                return false;
            }

            zone = found;
            spec = space < 0 ? "" : spec[space..].Trim();
            if (spec.Length == 0)
            {
                error = "empty spec string";
                return false;
            }
        }

        if (spec.StartsWith('@'))
        {
            return TryDescriptor(text!, spec, zone, out schedule, out error);
        }

        var fields = spec.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            error = $"expected exactly 5 fields, found {fields.Length}: [{string.Join(" ", fields)}]";
            return false;
        }

        foreach (var field in fields)
        {
            // Cronos also knows L, W and #; robfig does not, so anything beyond names, digits and */,-? is refused.
            if (!FieldChars().IsMatch(field) || Names().Replace(field, "").Any(char.IsAsciiLetter))
            {
                error = $"failed to parse field {Quote(field)} of {Quote(spec)}";
                return false;
            }
        }

        if (!CronExpression.TryParse(spec, CronFormat.Standard, out var cron))
        {
            error = $"failed to parse {Quote(spec)}: not a valid five-field cron expression";
            return false;
        }

        schedule = new CronSchedule(text!, zone, cron, null);
        return true;
    }

    private static bool TryDescriptor(string text, string spec, TimeZoneInfo? zone, out CronSchedule schedule, out string? error)
    {
        schedule = null!;
        error = null;
        if (spec.StartsWith("@every ", StringComparison.Ordinal))
        {
            var durationText = spec["@every ".Length..].Trim();
            if (!Duration.TryParse(durationText, out var every, out var parseError))
            {
                error = $"failed to parse duration {spec}: {parseError}";
                return false;
            }

            // robfig rounds the period down to whole seconds, with a one-second floor.
            const long second = 1_000_000_000;
            var ns = Math.Max(second, every.Nanoseconds - (every.Nanoseconds % second));
            schedule = new CronSchedule(text, zone, null, new Duration(ns));
            return true;
        }

        var expression = spec switch
        {
            "@yearly" or "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" or "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            _ => null,
        };
        if (expression is null)
        {
            error = "unrecognized descriptor: " + spec;
            return false;
        }

        schedule = new CronSchedule(text, zone, CronExpression.Parse(expression, CronFormat.Standard), null);
        return true;
    }

    /// <summary>
    /// The first start strictly after <paramref name="after"/>, evaluated in the prefix zone if present, else in
    /// <paramref name="zone"/>; null when the schedule never fires (for example 31 April).
    /// </summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        if (_every is { } every)
        {
            var truncated = after.AddTicks(-(after.Ticks % TimeSpan.TicksPerSecond));
            return truncated + every.ToTimeSpan();
        }

        return _cron!.GetNextOccurrence(after, Zone ?? zone);
    }

    public override string ToString() => Text;

    private static string Quote(string s) => "\"" + s + "\"";

    [GeneratedRegex(@"^[0-9A-Za-z*?/,-]+$")]
    private static partial Regex FieldChars();

    [GeneratedRegex("(?i)JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT")]
    private static partial Regex Names();
}

/// <summary>IANA time zone lookup with Go's <c>time.LoadLocation</c> conventions (empty and <c>UTC</c> are UTC).</summary>
public static class TimeZones
{
    public static bool TryFind(string? name, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrEmpty(name) || name == "UTC")
        {
            return true;
        }

        if (name == "Local")
        {
            zone = TimeZoneInfo.Local;
            return true;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(name, out zone!);
    }
}
