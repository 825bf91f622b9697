namespace StageSet.LocalApiServer;

/// <summary>How a <see cref="LocalApiServer"/> runs. Defaults match envtest: TLS, anonymous on, no emulated controllers.</summary>
public sealed record LocalApiServerOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>HTTPS with the server's own CA (default); false serves plain HTTP (bearer tokens only).</summary>
    public bool UseTls { get; init; } = true;

    /// <summary>Requests without credentials run as <c>system:anonymous</c>; false answers them 401.</summary>
    public bool AnonymousAuth { get; init; } = true;

    /// <summary>The clock behind timestamps, ages, history retention and bookmarks.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Where kubeconfig files are written; null uses a fresh temporary directory removed on dispose.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Delay between creating a CRD and it becoming Established (a separate write, as in kube-apiserver).</summary>
    public TimeSpan CrdEstablishDelay { get; init; }

    /// <summary>How often watches that allow bookmarks get one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Watch history kept for resuming (events).</summary>
    public int WatchHistoryEvents { get; init; } = 10_000;

    /// <summary>Watch history kept for resuming (age).</summary>
    public TimeSpan WatchHistoryAge { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>CustomResourceDefinition manifests (YAML or JSON files, or directories of them) created at startup.</summary>
    public IReadOnlyList<string> CrdPaths { get; init; } = [];

    /// <summary>Emulates workload controllers, scheduler and kubelet: kstatus-Current status after <see cref="WorkloadStatusDelay"/>.</summary>
    public bool WorkloadStatus { get; init; }

    public TimeSpan WorkloadStatusDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Emulates the namespace controller: deleted namespaces are emptied and removed.</summary>
    public bool NamespaceController { get; init; }

    /// <summary>Emulates the garbage collector: owner references, propagation policies.</summary>
    public bool GarbageCollector { get; init; }

    /// <summary>Emulates ServiceAccount admission: a <c>default</c> ServiceAccount and <c>kube-root-ca.crt</c> per namespace.</summary>
    public bool DefaultServiceAccounts { get; init; }
}
