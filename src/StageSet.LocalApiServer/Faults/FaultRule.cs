namespace StageSet.LocalApiServer.Faults;

/// <summary>When a matching request is hit by a rule.</summary>
public abstract record FaultTrigger
{
    public static FaultTrigger Always { get; } = new AlwaysTrigger();

    /// <summary>The first <paramref name="count"/> matching requests.</summary>
    public static FaultTrigger First(int count) => new WindowTrigger(0, count);

    /// <summary>Lets <paramref name="skip"/> matching requests through, then hits the next <paramref name="count"/>.</summary>
    public static FaultTrigger SkipThen(int skip, int count) => new WindowTrigger(skip, count);

    /// <summary>Each matching request with probability <paramref name="p"/>, deterministic for a seed.</summary>
    public static FaultTrigger Probability(double p, int seed) => new ProbabilityTrigger(p, seed);

    internal sealed record AlwaysTrigger : FaultTrigger;

    internal sealed record WindowTrigger(int Skip, int Count) : FaultTrigger;

    internal sealed record ProbabilityTrigger(double P, int Seed) : FaultTrigger;
}

/// <summary>What happens to a request hit by a rule.</summary>
public abstract record FaultAction
{
    /// <summary>Any answer: code, body (JSON or text) and headers.</summary>
    public static FaultAction Respond(int code, string body, string contentType = "application/json", IReadOnlyDictionary<string, string>? headers = null) =>
        new RespondAction(code, body, contentType, headers ?? new Dictionary<string, string>());

    public static FaultAction InternalError(string message = "injected failure") => new PresetAction(Preset.InternalError, message, 0);

    public static FaultAction ServiceUnavailable() => new PresetAction(Preset.ServiceUnavailable, "", 0);

    public static FaultAction Timeout() => new PresetAction(Preset.Timeout, "", 0);

    /// <summary>409 Conflict with the optimistic-concurrency text for the addressed object.</summary>
    public static FaultAction Conflict() => new PresetAction(Preset.Conflict, "", 0);

    public static FaultAction Expired() => new PresetAction(Preset.Expired, "", 0);

    /// <summary>429 <c>text/plain</c> "Too many requests, please try again later." with <c>Retry-After</c> (APF style).</summary>
    public static FaultAction TooManyRequests(int retryAfterSeconds = 1) => new PresetAction(Preset.TooManyRequestsText, "", retryAfterSeconds);

    /// <summary>429 Status <c>TooManyRequests</c> with <c>details.retryAfterSeconds</c>.</summary>
    public static FaultAction TooManyRequestsStatus(int retryAfterSeconds = 1) => new PresetAction(Preset.TooManyRequestsStatus, "", retryAfterSeconds);

    /// <summary>Waits, then serves the request normally.</summary>
    public static FaultAction Delay(TimeSpan delay) => new DelayAction(delay, delay);

    /// <summary>Waits a uniformly drawn time in [min, max], then serves the request normally.</summary>
    public static FaultAction Delay(TimeSpan min, TimeSpan max) => new DelayAction(min, max);

    /// <summary>Never answers (until the client gives up or the server stops).</summary>
    public static FaultAction Hang() => new HangAction();

    /// <summary>Drops the connection without an answer.</summary>
    public static FaultAction Abort() => new AbortAction();

    /// <summary>Serves a watch but changes how it behaves.</summary>
    public static FaultAction Watch(WatchFault behaviour) => new WatchAction(behaviour);

    internal enum Preset
    {
        InternalError,
        ServiceUnavailable,
        Timeout,
        Conflict,
        Expired,
        TooManyRequestsText,
        TooManyRequestsStatus,
    }

    internal sealed record RespondAction(int Code, string Body, string ContentType, IReadOnlyDictionary<string, string> Headers) : FaultAction;

    internal sealed record PresetAction(Preset Kind, string Message, int RetryAfterSeconds) : FaultAction;

    internal sealed record DelayAction(TimeSpan Min, TimeSpan Max) : FaultAction;

    internal sealed record HangAction : FaultAction;

    internal sealed record AbortAction : FaultAction;

    internal sealed record WatchAction(WatchFault Behaviour) : FaultAction;
}

/// <summary>How a faulted watch behaves (api-server.md §10).</summary>
public sealed record WatchFault
{
    /// <summary>Closes the stream cleanly after this many events.</summary>
    public int? CloseAfterEvents { get; init; }

    /// <summary>Closes the stream cleanly after this long.</summary>
    public TimeSpan? CloseAfter { get; init; }

    /// <summary>Sends an ERROR event with a 410 Expired Status and closes.</summary>
    public bool InjectExpired { get; init; }

    /// <summary>Keeps the stream open but sends nothing.</summary>
    public bool Silent { get; init; }

    public bool SuppressBookmarks { get; init; }

    /// <summary>Sends bookmarks even if the client did not ask for them.</summary>
    public bool ForceBookmarks { get; init; }

    /// <summary>Sends a line that is not valid JSON and closes.</summary>
    public bool MalformedLine { get; init; }
}

/// <summary>A fault rule: which requests, when, and what happens.</summary>
public sealed record FaultRule(RequestMatch Match, FaultTrigger Trigger, FaultAction Action);
