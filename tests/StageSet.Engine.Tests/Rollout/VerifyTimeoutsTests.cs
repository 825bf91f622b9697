using StageSet.Engine.Rollout;

namespace StageSet.Engine.Tests.Rollout;

public sealed class VerifyTimeoutsTests
{
    private static readonly TimeSpan? Unset = null;

    [Fact]
    public void The_most_specific_positive_timeout_wins()
    {
        Assert.Equal(TimeSpan.FromMinutes(2), VerifyTimeouts.Resolve(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(4)));
        Assert.Equal(TimeSpan.FromMinutes(3), VerifyTimeouts.Resolve(Unset, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(4)));
        Assert.Equal(TimeSpan.FromMinutes(4), VerifyTimeouts.Resolve(Unset, Unset, TimeSpan.FromMinutes(4)));
        Assert.Equal(TimeSpan.FromMinutes(15), VerifyTimeouts.Resolve(Unset, Unset, Unset));
    }

    [Fact]
    public void Zero_and_negative_timeouts_fall_through()
    {
        Assert.Equal(TimeSpan.FromMinutes(4), VerifyTimeouts.Resolve(TimeSpan.Zero, TimeSpan.FromSeconds(-1), TimeSpan.FromMinutes(4)));
        Assert.Equal(TimeSpan.FromMinutes(15), VerifyTimeouts.Resolve(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero));
    }

    [Fact]
    public void The_seed_ladder_ignores_ready_checks_timeout_and_ends_at_five_minutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(3), VerifyTimeouts.ResolveSeed(TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(4)));
        Assert.Equal(TimeSpan.FromMinutes(5), VerifyTimeouts.ResolveSeed(Unset, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(null, null, OnTimeoutAction.Hold)]
    [InlineData(null, "Rollback", OnTimeoutAction.Rollback)]
    [InlineData("", "Rollback", OnTimeoutAction.Rollback)]
    [InlineData("Hold", "Rollback", OnTimeoutAction.Hold)]
    [InlineData("Rollback", "Hold", OnTimeoutAction.Rollback)]
    [InlineData("Rollback", null, OnTimeoutAction.Rollback)]
    public void The_stage_on_timeout_overrides_the_stageset_which_defaults_to_hold(string? stage, string? spec, OnTimeoutAction expected) =>
        Assert.Equal(expected, VerifyTimeouts.EffectiveOnTimeout(stage, spec));

    [Theory]
    [InlineData(true, OnTimeoutAction.Hold, true)]
    [InlineData(true, OnTimeoutAction.Rollback, false)]
    [InlineData(false, OnTimeoutAction.Hold, false)]
    [InlineData(false, OnTimeoutAction.Rollback, false)]
    public void Only_a_still_progressing_stage_under_hold_is_held(bool progressing, OnTimeoutAction action, bool hold)
    {
        var verdict = VerifyTimeouts.Decide(progressing, action, "timeout waiting for: [Deployment/shop/web status: 'InProgress']");

        Assert.Equal(hold, verdict.Hold);
        Assert.Equal("timeout waiting for: [Deployment/shop/web status: 'InProgress']", verdict.Cause);
    }
}
