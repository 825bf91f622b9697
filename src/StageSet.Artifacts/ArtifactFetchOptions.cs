namespace StageSet.Artifacts;

/// <summary>How artifacts are fetched. The controller keeps the guard on; the CLI and tests turn it off.</summary>
public sealed record ArtifactFetchOptions
{
    /// <summary>
    /// The URL/IP guard of §2.1 (localhost and loopback/link-local/multicast/unspecified literals refused, every
    /// dialled address checked). Scheme and host checks stay on regardless.
    /// </summary>
    public bool NetworkGuard { get; init; } = true;

    /// <summary>Whole-download timeout (Go client timeout).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Redirect hops followed before giving up (Go's default client stops after 10).</summary>
    public int MaxRedirects { get; init; } = 10;

    public ArtifactLimits Limits { get; init; } = ArtifactLimits.Default;

    /// <summary>
    /// Addresses the guard lets through although they are forbidden, for tests serving artifacts on loopback while
    /// the guard stays on. Empty in production.
    /// </summary>
    public IReadOnlySet<System.Net.IPAddress> ExemptAddresses { get; init; } = new HashSet<System.Net.IPAddress>();

    /// <summary>Host name resolution used by the dial-time pin; the system resolver unless a test maps names.</summary>
    public Func<string, CancellationToken, Task<System.Net.IPAddress[]>> Resolve { get; init; } =
        System.Net.Dns.GetHostAddressesAsync;
}
