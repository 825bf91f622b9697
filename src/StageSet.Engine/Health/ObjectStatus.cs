namespace StageSet.Engine.Health;

/// <summary>
/// The kstatus verdict for one live object. The member names are the wire strings kstatus prints
/// (<c>InProgress</c>, <c>Current</c>, ...), so <see cref="Enum.ToString()"/> yields them unchanged.
/// </summary>
public enum ObjectStatus
{
    InProgress,
    Failed,
    Current,
    Terminating,
    NotFound,
    Unknown,
}

/// <summary>One of the two kstatus "abnormal-true" conditions (<c>Reconciling</c>, <c>Stalled</c>).</summary>
public sealed record StatusCondition(string Type, string Status, string Reason, string Message)
{
    public const string Reconciling = "Reconciling";
    public const string Stalled = "Stalled";

    public static StatusCondition ReconcilingTrue(string reason, string message) => new(Reconciling, "True", reason, message);

    public static StatusCondition StalledTrue(string reason, string message) => new(Stalled, "True", reason, message);
}

/// <summary>What kstatus computed for an object: the status, why, and the standard conditions that would belong on it.</summary>
public sealed record StatusResult(ObjectStatus Status, string Message, IReadOnlyList<StatusCondition> Conditions)
{
    public static StatusResult Current(string message) => new(ObjectStatus.Current, message, []);

    public static StatusResult InProgress(string reason, string message) =>
        new(ObjectStatus.InProgress, message, [StatusCondition.ReconcilingTrue(reason, message)]);

    public static StatusResult Failed(string reason, string message) =>
        new(ObjectStatus.Failed, message, [StatusCondition.StalledTrue(reason, message)]);
}

/// <summary>
/// The object is shaped so that kstatus cannot judge it (a condition list that is not a list, a generation that is
/// not an integer, a Pod phase nobody knows). Readers turn this into <see cref="ObjectStatus.Unknown"/>.
/// </summary>
public sealed class KStatusException(string message) : Exception(message);
