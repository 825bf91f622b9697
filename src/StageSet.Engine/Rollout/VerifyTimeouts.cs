namespace StageSet.Engine.Rollout;

/// <summary>What a verify timeout with everything still progressing means (<c>onTimeout</c>).</summary>
public enum OnTimeoutAction
{
    /// <summary>Hold: <c>StageProgressing</c>, no onFailure actions, no rollback.</summary>
    Hold,

    /// <summary>Rollback: an ordinary stage failure.</summary>
    Rollback,
}

/// <summary>How a verify phase that ran out of time ends.</summary>
public sealed record VerifyTimeoutVerdict(bool Hold, string Cause);

/// <summary>The verify bound of a stage and what running past it means (stageset-api.md §1).</summary>
public static class VerifyTimeouts
{
    /// <summary>The last rung of the newer ladder.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(15);

    /// <summary>The last rung of the seed-era ladder.</summary>
    public static readonly TimeSpan SeedDefault = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>readyChecks.timeout</c> → stage <c>timeout</c> → <c>spec.timeout</c> → 15 m; the first positive value wins
    /// (zero and negative values fall through, as an unset duration does).
    /// </summary>
    public static TimeSpan Resolve(TimeSpan? readyChecksTimeout, TimeSpan? stageTimeout, TimeSpan? specTimeout) =>
        FirstPositive(readyChecksTimeout, stageTimeout, specTimeout) ?? Default;

    /// <summary>The seed-era ladder: stage <c>timeout</c> → <c>spec.timeout</c> → 5 m; <c>readyChecks.timeout</c> is ignored.</summary>
    public static TimeSpan ResolveSeed(TimeSpan? stageTimeout, TimeSpan? specTimeout) =>
        FirstPositive(stageTimeout, specTimeout) ?? SeedDefault;

    /// <summary>The stage's <c>onTimeout</c> when set, else the StageSet's, else Hold.</summary>
    public static OnTimeoutAction EffectiveOnTimeout(string? stageOnTimeout, string? specOnTimeout) =>
        (string.IsNullOrEmpty(stageOnTimeout) ? specOnTimeout : stageOnTimeout) == "Rollback"
            ? OnTimeoutAction.Rollback
            : OnTimeoutAction.Hold;

    /// <summary>
    /// A timed-out verify holds (<c>StageProgressing</c>) only when it was still progressing — no object terminally
    /// Failed on a fresh read, or a CEL <c>inProgress</c> expression held — and the effective action is Hold.
    /// </summary>
    public static VerifyTimeoutVerdict Decide(bool stillProgressing, OnTimeoutAction onTimeout, string cause) =>
        new(stillProgressing && onTimeout == OnTimeoutAction.Hold, cause);

    private static TimeSpan? FirstPositive(params TimeSpan?[] candidates) =>
        candidates.FirstOrDefault(t => t > TimeSpan.Zero);
}
