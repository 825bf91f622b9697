using StageSet.Engine.Rollout;

namespace StageSet.Engine.Tests.Rollout;

public sealed class RequeueTests
{
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

    private static RequeueSettings Settings(TimeSpan? interval = null, TimeSpan? retry = null, TimeSpan? drift = null) =>
        new(interval, retry, drift, RequeueSettings.ControllerDefaultInterval);

    private static Func<double> Fixed(double u) => () => u;

    [Fact]
    public void Interval_falls_back_to_the_controller_default_when_unset_or_not_positive()
    {
        Assert.Equal(TenMinutes, Requeue.EffectiveInterval(Settings()));
        Assert.Equal(TenMinutes, Requeue.EffectiveInterval(Settings(interval: TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromMinutes(3), Requeue.EffectiveInterval(Settings(interval: TimeSpan.FromMinutes(3))));
    }

    [Fact]
    public void Drift_detection_interval_counts_only_when_positive_and_shorter_than_the_interval()
    {
        Assert.Equal(TimeSpan.FromMinutes(2), Requeue.SuccessCadence(Settings(drift: TimeSpan.FromMinutes(2))));
        Assert.Equal(TenMinutes, Requeue.SuccessCadence(Settings(drift: TenMinutes)));
        Assert.Equal(TenMinutes, Requeue.SuccessCadence(Settings(drift: TimeSpan.FromMinutes(20))));
        Assert.Equal(TenMinutes, Requeue.SuccessCadence(Settings(drift: TimeSpan.Zero)));
    }

    [Fact]
    public void Retry_uses_retry_interval_else_the_interval()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Requeue.RetryCadence(Settings(retry: TimeSpan.FromSeconds(30))));
        Assert.Equal(TimeSpan.FromMinutes(4), Requeue.RetryCadence(Settings(interval: TimeSpan.FromMinutes(4))));
    }

    [Theory]
    [InlineData(0.0, 570)]
    [InlineData(0.5, 600)]
    [InlineData(0.75, 615)]
    public void Jitter_spreads_over_plus_minus_five_percent(double u, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Requeue.Jitter(TenMinutes, Fixed(u)));

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void A_jitter_source_outside_the_unit_interval_is_rejected(double u) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Requeue.Jitter(TenMinutes, Fixed(u)));

    [Fact]
    public void Each_kind_maps_to_its_requeue()
    {
        var s = Settings(retry: TimeSpan.FromSeconds(40), drift: TimeSpan.FromMinutes(5));

        Assert.Equal(new RequeueDecision(TimeSpan.FromSeconds(285), false), Requeue.For(RequeueKind.Interval, s, Fixed(0.0)));
        Assert.Equal(new RequeueDecision(TimeSpan.FromSeconds(42), false), Requeue.For(RequeueKind.Retry, s, Fixed(1 - 1e-12)).Round());
        Assert.Equal(new RequeueDecision(TimeSpan.FromSeconds(40), false), Requeue.For(RequeueKind.RetryUnjittered, s, Fixed(0.0)));
        Assert.Equal(new RequeueDecision(TimeSpan.FromMinutes(1), false), Requeue.For(RequeueKind.FixedMinute, s, Fixed(0.0)));
        Assert.Equal(RequeueDecision.Backoff, Requeue.For(RequeueKind.Backoff, s, Fixed(0.0)));
        Assert.Equal(RequeueDecision.None, Requeue.For(RequeueKind.None, s, Fixed(0.0)));
    }

    [Fact]
    public void A_window_hold_wakes_at_the_boundary_clamped_to_five_seconds_and_one_hour()
    {
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var s = Settings(retry: TimeSpan.FromSeconds(40));

        Assert.Equal(TimeSpan.FromMinutes(7), Requeue.AtWindowBoundary(now, now.AddMinutes(7), s, Fixed(0.5)).After);
        Assert.Equal(TimeSpan.FromSeconds(5), Requeue.AtWindowBoundary(now, now.AddSeconds(1), s, Fixed(0.5)).After);
        Assert.Equal(TimeSpan.FromHours(1), Requeue.AtWindowBoundary(now, now.AddDays(1), s, Fixed(0.5)).After);
        Assert.Equal(TimeSpan.FromSeconds(40), Requeue.AtWindowBoundary(now, null, s, Fixed(0.5)).After);
    }

    [Theory]
    [InlineData("Succeeded", RequeueKind.Interval)]
    [InlineData("SourceNotReady", RequeueKind.Retry)]
    [InlineData("DependencyNotReady", RequeueKind.Retry)]
    [InlineData("InvalidSpec", RequeueKind.FixedMinute)]
    [InlineData("Stalled", RequeueKind.FixedMinute)]
    [InlineData("StageFailed", RequeueKind.Backoff)]
    [InlineData("StageProgressing", RequeueKind.RetryUnjittered)]
    [InlineData("Suspended", RequeueKind.None)]
    [InlineData("PreviousRevisionUnavailable", RequeueKind.None)]
    public void Ready_reasons_have_their_legend_requeue(string reason, RequeueKind kind) =>
        Assert.Equal(kind, Requeue.KindFor(reason));

    [Fact]
    public void Reasons_outside_the_table_have_no_default() => Assert.Null(Requeue.KindFor("UpdateDeferred"));
}

internal static class RequeueDecisionExtensions
{
    /// <summary>Rounds to whole milliseconds so a jittered value can be compared exactly.</summary>
    public static RequeueDecision Round(this RequeueDecision d) =>
        d with { After = d.After is { } a ? TimeSpan.FromMilliseconds(Math.Round(a.TotalMilliseconds)) : null };
}
