using StageSet.Engine.Inventory;

namespace StageSet.Controller.Hosting;

/// <summary>
/// Everything the manager needs, from flags or set directly by an embedding host (tests, the CLI demo). Defaults
/// are the spec's flag defaults; the <c>Test*</c>-style timings exist so tests stay fast without weakening checks.
/// </summary>
public sealed record ControllerOptions
{
    public string HealthProbeBindAddress { get; init; } = ":8081";

    public string MetricsBindAddress { get; init; } = ":8080";

    /// <summary>Empty disables the gate listener.</summary>
    public string GateBindAddress { get; init; } = ":8082";

    public bool LeaderElect { get; init; }

    /// <summary>Namespace of the leader-election Lease; the pod's namespace in a cluster.</summary>
    public string LeaderElectionNamespace { get; init; } = "default";

    public string LeaderElectionId { get; init; } = "stageset-controller.stages.metio.wtf";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Empty: cluster-wide.</summary>
    public IReadOnlyList<string> WatchNamespaces { get; init; } = [];

    public TimeSpan DefaultInterval { get; init; } = TimeSpan.FromMinutes(10);

    public InventoryMode InventoryMode { get; init; } = InventoryMode.Hybrid;

    public int InventoryShardCap { get; init; } = 5000;

    public bool NoCrossNamespaceRefs { get; init; }

    public string RunbookBaseUrl { get; init; } = "";

    public TimeSpan MaxTeardownWait { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Concurrent StageSet reconciles.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>How often a stage waiting for health is looked at again (the spec's 2 s poll).</summary>
    public TimeSpan HealthPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Fixed re-check for terminal reasons that can heal out of band.</summary>
    public TimeSpan TerminalRecheck { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Poll while waiting for CRDs of a cluster-definition phase to be Established.</summary>
    public TimeSpan EstablishedPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan GracefulShutdown { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Directory for downloaded artifacts; empty: a private temp directory.</summary>
    public string ArtifactCacheDir { get; init; } = "";

    /// <summary>
    /// Permit artifact URLs on loopback (tests and the local demo serve artifacts from 127.0.0.1). Never set from a flag.
    /// </summary>
    public bool AllowLoopbackArtifacts { get; init; }

    public string LogLevel { get; init; } = "info";

    public string LogFormat { get; init; } = "json";
}
