using StageSet.Api.Scheduling;

namespace StageSet.Api.Tests;

public class CronScheduleTests
{
    private static readonly DateTimeOffset Monday0800Utc = new(2026, 6, 15, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 9 * * MON-FRI", "2026-06-15T09:00:00+00:00")]
    [InlineData("0 17 * * FRI", "2026-06-19T17:00:00+00:00")]
    [InlineData("0 14 * * TUE,THU", "2026-06-16T14:00:00+00:00")]
    [InlineData("*/30 * * * *", "2026-06-15T08:30:00+00:00")]
    [InlineData("@daily", "2026-06-16T00:00:00+00:00")]
    [InlineData("@hourly", "2026-06-15T09:00:00+00:00")]
    [InlineData("@every 1h", "2026-06-15T09:00:00+00:00")]
    [InlineData("@every 1500ms", "2026-06-15T08:00:01+00:00")]
    [InlineData("TZ=Europe/Berlin 0 9 * * *", "2026-06-16T07:00:00+00:00")]
    [InlineData("CRON_TZ=America/New_York 0 9 * * *", "2026-06-15T13:00:00+00:00")]
    public void Standard_schedules_fire_when_robfig_would(string spec, string next)
    {
        Assert.True(CronSchedule.TryParse(spec, out var schedule, out var error), error);
        Assert.Equal(DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture), schedule.Next(Monday0800Utc, TimeZoneInfo.Utc));
    }

    [Fact]
    public void The_window_zone_applies_without_a_prefix()
    {
        Assert.True(TimeZones.TryFind("Europe/Berlin", out var berlin));
        Assert.True(CronSchedule.TryParse("0 9 * * *", out var schedule, out _));
        Assert.Equal(new DateTimeOffset(2026, 6, 16, 7, 0, 0, TimeSpan.Zero), schedule.Next(Monday0800Utc, berlin)!.Value.ToUniversalTime());
    }

    [Fact]
    public void A_schedule_that_never_fires_has_no_next()
    {
        Assert.True(CronSchedule.TryParse("0 0 31 4 *", out var schedule, out _));
        Assert.Null(schedule.Next(Monday0800Utc, TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("", "empty spec string")]
    [InlineData("0 9 * *", "expected exactly 5 fields, found 4: [0 9 * *]")]
    [InlineData("0 0 9 * * *", "expected exactly 5 fields, found 6: [0 0 9 * * *]")]
    [InlineData("@fortnightly", "unrecognized descriptor: @fortnightly")]
    [InlineData("@every 1d", "failed to parse duration @every 1d: time: unknown unit \"d\" in duration \"1d\"")]
    [InlineData("TZ=Mars/Olympus 0 9 * * *", "provided bad location Mars/Olympus: unknown time zone Mars/Olympus")]
    [InlineData("0 9 L * *", "failed to parse field \"L\" of \"0 9 L * *\"")]
    [InlineData("61 9 * * *", "failed to parse \"61 9 * * *\": not a valid five-field cron expression")]
    public void Invalid_schedules_say_why(string spec, string message)
    {
        Assert.False(CronSchedule.TryParse(spec, out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void Time_zones_follow_go_names()
    {
        Assert.True(TimeZones.TryFind("", out var empty));
        Assert.Equal(TimeZoneInfo.Utc, empty);
        Assert.True(TimeZones.TryFind("UTC", out _));
        Assert.False(TimeZones.TryFind("Berlin", out _));
    }
}
