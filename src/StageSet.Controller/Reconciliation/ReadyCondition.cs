using StageSet.Api;

namespace StageSet.Controller.Reconciliation;

/// <summary>The single Ready condition: Flux's set-condition semantics and the runbook suffix.</summary>
internal static class ReadyCondition
{
    /// <summary>
    /// Replaces the Ready condition; <c>lastTransitionTime</c> only moves when the status changes.
    /// </summary>
    public static IReadOnlyList<Condition> Set(IReadOnlyList<Condition>? existing, string status, string reason,
        string message, long generation, DateTimeOffset now)
    {
        var previous = existing?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
        var transition = previous is not null && previous.Status == status ? previous.LastTransitionTime : Truncate(now);
        var ready = new Condition
        {
            Type = ConditionTypes.Ready,
            Status = status,
            ObservedGeneration = generation,
            LastTransitionTime = transition,
            Reason = reason,
            Message = message.Length > 32768 ? message[..32768] : message,
        };
        return [.. (existing ?? []).Where(c => c.Type != ConditionTypes.Ready), ready];
    }

    /// <summary>
    /// Seed-era runbook link: <c>&lt;message&gt; (runbook: &lt;base&gt;/&lt;reason lower-case&gt;/)</c> for every reason but
    /// Succeeded and Suspended; nothing when the base is empty.
    /// </summary>
    public static string Decorate(string message, string reason, string runbookBaseUrl)
    {
        if (runbookBaseUrl.Length == 0 || reason is ReadyReasons.Succeeded or ReadyReasons.Suspended)
        {
            return message;
        }

        return message + " (runbook: " + runbookBaseUrl.TrimEnd('/') + "/" + reason.ToLowerInvariant() + "/)";
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) =>
        new(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, TimeSpan.Zero);
}
