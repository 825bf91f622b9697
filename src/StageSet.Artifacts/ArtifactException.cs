namespace StageSet.Artifacts;

/// <summary>
/// A failure to obtain or read an artifact. Terminal failures (guard rejections, bad or mismatched digests, size caps,
/// duplicate tar paths, corrupt archives) will not heal by retrying the same coordinates, so the controller stops
/// requeueing; the others (network errors, non-200 answers) are retried with backoff.
/// </summary>
public sealed class ArtifactException : Exception
{
    public ArtifactException(string message, bool isTerminal, Exception? inner = null)
        : base(message, inner)
    {
        IsTerminal = isTerminal;
    }

    public bool IsTerminal { get; }

    internal static ArtifactException Terminal(string message, Exception? inner = null) => new(message, true, inner);

    internal static ArtifactException Transient(string message, Exception? inner = null) => new(message, false, inner);
}
