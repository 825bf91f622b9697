namespace StageSet.Engine.Rollout;

/// <summary>The StageSet's scheduling fields (<c>spec.interval</c>, <c>retryInterval</c>, <c>driftDetectionInterval</c>) and the controller default.</summary>
public sealed record RequeueSettings(TimeSpan? Interval, TimeSpan? RetryInterval, TimeSpan? DriftDetectionInterval, TimeSpan DefaultInterval)
{
    /// <summary><c>--default-interval</c> default.</summary>
    public static readonly TimeSpan ControllerDefaultInterval = TimeSpan.FromMinutes(10);
}

/// <summary>How a reconcile asks to be run again (conditions-and-events.md §2, requeue legend).</summary>
public enum RequeueKind
{
    /// <summary>Success cadence: driftDetectionInterval when shorter than the interval, else the interval; jittered.</summary>
    Interval,

    /// <summary>retryInterval, else the interval; jittered.</summary>
    Retry,

    /// <summary>As <see cref="Retry"/> without jitter (StageProgressing).</summary>
    RetryUnjittered,

    /// <summary>A fixed one-minute re-check for terminal reasons that can heal out-of-band; no error.</summary>
    FixedMinute,

    /// <summary>Return the error: the work queue's exponential per-item backoff decides.</summary>
    Backoff,

    /// <summary>No requeue; a watch event or a spec change wakes the StageSet.</summary>
    None,
}

/// <summary>The requeue to return: after <see cref="After"/>, or with an error for backoff, or not at all.</summary>
public sealed record RequeueDecision(TimeSpan? After, bool ReturnError)
{
    public static RequeueDecision None { get; } = new(null, false);

    public static RequeueDecision Backoff { get; } = new(null, true);
}

/// <summary>
/// Requeue arithmetic. Pure: randomness comes in as <c>unit</c>, a source of uniform values in [0, 1), so tests and
/// the controller decide where jitter comes from.
/// </summary>
public static class Requeue
{
    public const double JitterFraction = 0.05;
    public static readonly TimeSpan FixedRecheck = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan WindowMinimum = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan WindowMaximum = TimeSpan.FromHours(1);

    /// <summary><c>spec.interval</c> when positive (Go clients may write <c>0s</c>), else the controller default.</summary>
    public static TimeSpan EffectiveInterval(RequeueSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Interval > TimeSpan.Zero ? settings.Interval.Value : settings.DefaultInterval;
    }

    /// <summary>driftDetectionInterval is honoured only when positive and shorter than the effective interval.</summary>
    public static TimeSpan SuccessCadence(RequeueSettings settings)
    {
        var interval = EffectiveInterval(settings);
        return settings.DriftDetectionInterval is { } drift && drift > TimeSpan.Zero && drift < interval ? drift : interval;
    }

    public static TimeSpan RetryCadence(RequeueSettings settings) =>
        settings.RetryInterval > TimeSpan.Zero ? settings.RetryInterval.Value : EffectiveInterval(settings);

    /// <summary>Spreads <paramref name="duration"/> uniformly over ±5 %.</summary>
    public static TimeSpan Jitter(TimeSpan duration, Func<double> unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var u = unit();
        if (u is < 0 or >= 1 || double.IsNaN(u))
        {
            throw new ArgumentOutOfRangeException(nameof(unit), u, "jitter source must yield values in [0, 1)");
        }

        return duration + (duration * (JitterFraction * ((2 * u) - 1)));
    }

    public static RequeueDecision For(RequeueKind kind, RequeueSettings settings, Func<double> unit) => kind switch
    {
        RequeueKind.Interval => new(Jitter(SuccessCadence(settings), unit), false),
        RequeueKind.Retry => new(Jitter(RetryCadence(settings), unit), false),
        RequeueKind.RetryUnjittered => new(RetryCadence(settings), false),
        RequeueKind.FixedMinute => new(FixedRecheck, false),
        RequeueKind.Backoff => RequeueDecision.Backoff,
        RequeueKind.None => RequeueDecision.None,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown requeue kind"),
    };

    /// <summary>
    /// An update-window hold wakes at the next window boundary, clamped to [5 s, 1 h]; without a boundary it
    /// falls back to the retry cadence.
    /// </summary>
    public static RequeueDecision AtWindowBoundary(DateTimeOffset now, DateTimeOffset? nextBoundary, RequeueSettings settings, Func<double> unit)
    {
        if (nextBoundary is not { } next)
        {
            return For(RequeueKind.Retry, settings, unit);
        }

        var wait = next - now;
        return new(wait < WindowMinimum ? WindowMinimum : wait > WindowMaximum ? WindowMaximum : wait, false);
    }

    /// <summary>
    /// The usual requeue of each Ready reason. Some reasons requeue differently on specific paths, which the caller
    /// knows: InvalidSpec from duplicate claims (None), ResolveFailed or InvalidVersion from an API/fetch error
    /// (Backoff), StageFailed from a terminal fetch error (None), RBACDenied while resolving (FixedMinute), and
    /// UpdateDeferred (<see cref="AtWindowBoundary"/>). Unknown reasons return null.
    /// </summary>
    public static RequeueKind? KindFor(string readyReason) => readyReason switch
    {
        "Succeeded" => RequeueKind.Interval,
        "Suspended" => RequeueKind.None,
        "SourceNotReady" or "ArtifactNotFound" or "DependencyNotReady" => RequeueKind.Retry,
        "InvalidSpec" or "ResolveFailed" or "Stalled" or "InvalidVersion" or "DowngradeRequiresMigration"
            or "DowngradeNotAllowed" or "MigrationStageNotFound" or "MigrationArtifactInvalid"
            or "MigrationSourceNotVerified" or "MigrationSourceNotPinned" or "MigrationCoverageMissing" => RequeueKind.FixedMinute,
        "MigrationFailed" or "StageFailed" => RequeueKind.Backoff,
        "MigrationDirty" or "PreviousRevisionUnavailable" or "RBACDenied" => RequeueKind.None,
        "StageProgressing" => RequeueKind.RetryUnjittered,
        _ => null,
    };
}
