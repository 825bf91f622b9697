using System.Text.Json.Nodes;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using StageSet.Controller.Runtime;
using StageSet.Kube;
using StageSet.Manifests;

namespace StageSet.Controller.Hosting;

/// <summary>What a reconciler gets from the host it runs in.</summary>
public sealed record ReconcilerServices(
    KubeCluster Cluster,
    ControllerOptions Options,
    ControllerMetrics Metrics,
    EventRecorder Events,
    Informer StageSets,
    Informer Inventories,
    ILoggerFactory LoggerFactory,
    TimeProvider Clock);

/// <summary>
/// The controller process in one object, so the binary, tests and the CLI demo run the same thing: caches of
/// StageSets, StageInventories and the sources they reference, a de-duplicating work queue with N workers,
/// leader election, and the metrics, probe and gate listeners. Start with options and a cluster configuration;
/// dispose (or <see cref="StopAsync"/>) for a graceful shutdown.
/// </summary>
public sealed class ControllerHost : IAsyncDisposable
{
    private readonly ControllerOptions _options;
    private readonly ILogger _log;
    private readonly ILoggerFactory _loggerFactory;
    private readonly KubeCluster _cluster;
    private readonly WorkQueue<ObjectKey> _queue;
    private readonly SourceIndex _index = new();
    private readonly Dictionary<GroupVersionKind, Informer> _sourceInformers = [];
    private readonly Lock _sourceLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<HttpListenerHost> _listeners = [];
    private readonly TaskCompletionSource _leading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _workers = Task.CompletedTask;
    private Task _election = Task.CompletedTask;
    private LeaderElector? _elector;
    private ReconcileLoop? _loop;
    private IReconciler? _reconciler;
    private int _stopped;

    private ControllerHost(ControllerOptions options, KubeCluster cluster, ILoggerFactory loggerFactory, TimeProvider clock)
    {
        _options = options;
        _cluster = cluster;
        _loggerFactory = loggerFactory;
        _log = loggerFactory.CreateLogger("stageset-controller");
        Metrics = new ControllerMetrics();
        _queue = new WorkQueue<ObjectKey>(clock: clock);
        var informerOptions = new InformerOptions { Namespaces = options.WatchNamespaces };
        StageSets = new Informer(cluster.Client, StageSetWatchPlan.StageSetKind, informerOptions,
            loggerFactory.CreateLogger("informer.stagesets"));
        Inventories = new Informer(cluster.Client, StageSetWatchPlan.StageInventoryKind, informerOptions,
            loggerFactory.CreateLogger("informer.stageinventories"));
        Events = new EventRecorder(cluster.Client, loggerFactory.CreateLogger("events"),
            Environment.MachineName + "-" + Environment.ProcessId);
        Services = new ReconcilerServices(cluster, options, Metrics, Events, StageSets, Inventories, loggerFactory, clock);
    }

    public ControllerMetrics Metrics { get; }

    public EventRecorder Events { get; }

    public Informer StageSets { get; }

    public Informer Inventories { get; }

    public ReconcilerServices Services { get; }

    public Uri? MetricsAddress { get; private set; }

    public Uri? ProbeAddress { get; private set; }

    public Uri? GateAddress { get; private set; }

    /// <summary>Completes once this replica leads (at once without leader election).</summary>
    public Task Leading => _leading.Task;

    public bool IsLeader => _leading.Task.IsCompleted;

    /// <summary>Ready when the StageSet and StageInventory caches are synced (the /readyz contract).</summary>
    public bool IsReady => StageSets.HasSynced && Inventories.HasSynced;

    /// <summary>Reconciles finished so far.</summary>
    public long Reconciles => _loop?.Reconciles ?? 0;

    /// <summary>Completes when the workers stop: on <see cref="StopAsync"/>, or after losing leadership.</summary>
    public Task Completion => _workers;

    /// <summary>The source kinds being watched on behalf of StageSets.</summary>
    public IReadOnlyCollection<GroupVersionKind> WatchedSourceKinds
    {
        get
        {
            lock (_sourceLock)
            {
                return [.. _sourceInformers.Keys];
            }
        }
    }

    public static async Task<ControllerHost> StartAsync(ControllerOptions options, KubernetesClientConfiguration config,
        ILoggerFactory? loggerFactory = null, CancellationToken ct = default,
        Func<ReconcilerServices, IReconciler>? reconcilerFactory = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(config);
        var host = new ControllerHost(options, KubeCluster.Connect(config), loggerFactory ?? NullLoggerFactory.Instance,
            clock ?? TimeProvider.System);
        try
        {
            await host.StartCoreAsync(reconcilerFactory ?? (s => new Reconciliation.StageSetReconciler(s)), config, ct)
                .ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return host;
    }

    /// <summary>Queues a reconcile of one StageSet now (tests, CLI demo).</summary>
    public void Enqueue(ObjectKey key) => _queue.Add(key);

    private async Task StartCoreAsync(Func<ReconcilerServices, IReconciler> reconcilerFactory,
        KubernetesClientConfiguration config, CancellationToken ct)
    {
        StageSets.Subscribe(OnStageSet);
        Inventories.Subscribe(OnInventory);
        EnsureSourceInformer(StageSetWatchPlan.ExternalArtifactKind);
        StageSets.Start();
        Inventories.Start();

        await StartListenersAsync(ct).ConfigureAwait(false);

        _reconciler = reconcilerFactory(Services);
        _loop = new ReconcileLoop(_queue, _reconciler, _options.Concurrency, Metrics, _log);
        if (_options.LeaderElect)
        {
            StartElection(config);
        }
        else
        {
            _leading.TrySetResult();
        }

        _workers = RunWorkersWhenLeadingAsync(_stop.Token);
    }

    private async Task RunWorkersWhenLeadingAsync(CancellationToken ct)
    {
        try
        {
            await _leading.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _log.LogInformation("starting {Workers} workers", _options.Concurrency);
        await _loop!.RunAsync(ct).ConfigureAwait(false);
    }

    private void StartElection(KubernetesClientConfiguration config)
    {
        var identity = Environment.MachineName + "_" + Guid.NewGuid().ToString("N")[..8];
        var typed = new Kubernetes(config);
        var lease = new LeaseLock(typed, _options.LeaderElectionNamespace, _options.LeaderElectionId, identity);
        _elector = new LeaderElector(new LeaderElectionConfig(lease)
        {
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
        });
        _elector.OnStartedLeading += () =>
        {
            _log.LogInformation("became leader ({Identity})", identity);
            _leading.TrySetResult();
        };
        _elector.OnStoppedLeading += () =>
        {
            if (!_stop.IsCancellationRequested)
            {
                // As controller-runtime: a replica that lost its lease stops reconciling rather than risk two leaders.
                _log.LogError("leader election lost; stopping");
                _ = StopAsync();
            }
        };
        _election = Task.Run(async () =>
        {
            try
            {
                await _elector.RunUntilLeadershipLostAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
            finally
            {
                typed.Dispose();
            }
        });
    }

    private async Task StartListenersAsync(CancellationToken ct)
    {
        if (_options.MetricsBindAddress is { Length: > 0 } m && m != "0")
        {
            var listener = await HttpListenerHost.StartAsync(m, ServeMetricsAsync, _loggerFactory, ct).ConfigureAwait(false);
            _listeners.Add(listener);
            MetricsAddress = listener.Address;
        }

        if (_options.HealthProbeBindAddress is { Length: > 0 } p && p != "0")
        {
            var listener = await HttpListenerHost.StartAsync(p, ServeProbeAsync, _loggerFactory, ct).ConfigureAwait(false);
            _listeners.Add(listener);
            ProbeAddress = listener.Address;
        }

        if (_options.GateBindAddress is { Length: > 0 } g)
        {
            try
            {
                var listener = await HttpListenerHost.StartAsync(g, ServeGateAsync, _loggerFactory, ct).ConfigureAwait(false);
                _listeners.Add(listener);
                GateAddress = listener.Address;
            }
#pragma warning disable CA1031 // The spec: a gate bind failure is logged and does not stop the manager.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _log.LogError(ex, "gate listener on {Address} failed to start", g);
            }
        }
    }

    private async Task ServeMetricsAsync(HttpContext ctx)
    {
        if (ctx.Request.Path != "/metrics")
        {
            ctx.Response.StatusCode = 404;
            return;
        }

        Metrics.WorkqueueDepth.WithLabels(ControllerMetrics.Controller).Set(_queue.Depth);
        ctx.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await Metrics.Registry.CollectAndExportAsTextAsync(ctx.Response.Body, ctx.RequestAborted).ConfigureAwait(false);
    }

    private Task ServeProbeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value;
        var response = path switch
        {
            "/healthz" or "/livez" => EndpointResponse.Text(200, "ok"),
            "/readyz" => IsReady
                ? EndpointResponse.Text(200, "ok")
                : EndpointResponse.Text(500, "caches not synced: " + string.Join(", ",
                    new[] { StageSets, Inventories }.Where(i => !i.HasSynced).Select(i => i.Kind.Kind +
                        (i.KindUnavailable ? " (kind not served)" : "")))),
            _ => EndpointResponse.Text(404, "not found"),
        };
        return response.WriteAsync(ctx.Response);
    }

    private Task ServeGateAsync(HttpContext ctx) =>
        GateEndpoint.Handle(ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Request.Headers.Accept.ToString(),
            (ns, name) => StageSets.Get(ns, name)).WriteAsync(ctx.Response);

    private void OnStageSet(InformerEvent evt)
    {
        var key = new ObjectKey(KubeObject.Namespace(evt.Object), KubeObject.Name(evt.Object));
        if (evt.Type == InformerEventType.Deleted)
        {
            _index.Remove(key);
            return;
        }

        foreach (var kind in _index.Set(key, StageSetWatchPlan.Sources(evt.Object)))
        {
            EnsureSourceInformer(kind);
        }

        if (evt.Type == InformerEventType.Added || StageSetWatchPlan.NeedsReconcile(evt.Previous, evt.Object))
        {
            _queue.Add(key);
        }
    }

    private void OnInventory(InformerEvent evt)
    {
        if (KubeObject.Label(evt.Object, "stages.metio.wtf/stage-set") is { Length: > 0 } owner &&
            evt.Type == InformerEventType.Deleted)
        {
            // A shard deleted out of band is rebuilt by the owner's next reconcile.
            _queue.Add(new ObjectKey(KubeObject.Namespace(evt.Object), owner));
        }
    }

    private void EnsureSourceInformer(GroupVersionKind kind)
    {
        Informer informer;
        lock (_sourceLock)
        {
            if (_sourceInformers.ContainsKey(kind))
            {
                return;
            }

            informer = new Informer(_cluster.Client, kind, new InformerOptions { Namespaces = _options.WatchNamespaces },
                _loggerFactory.CreateLogger("informer." + kind.Kind.ToLowerInvariant()));
            _sourceInformers[kind] = informer;
        }

        informer.Subscribe(evt => OnSource(kind, evt));
        try
        {
            informer.Start();
        }
#pragma warning disable CA1031 // Counted and logged; the StageSet keeps its interval-based reconciles.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Metrics.WatchEngagementFailures.WithLabels(kind.ToString()).Inc();
            _log.LogError(ex, "watch of {Kind} failed to start", kind);
        }
    }

    private void OnSource(GroupVersionKind kind, InformerEvent evt)
    {
        if (evt.Type == InformerEventType.Modified && SameSourceState(evt.Previous, evt.Object))
        {
            return;
        }

        var ns = KubeObject.Namespace(evt.Object);
        var name = KubeObject.Name(evt.Object);
        var keys = new HashSet<ObjectKey>(_index.Referencing(kind.GroupKind, ns, name));
        if (kind.GroupKind == StageSetWatchPlan.ExternalArtifactKind.GroupKind &&
            StageSetWatchPlan.ProducerOf(evt.Object) is { } producer)
        {
            keys.UnionWith(_index.Referencing(producer.Kind, ns, producer.Name));
        }

        foreach (var key in keys)
        {
            _queue.Add(key);
        }
    }

    /// <summary>A source update matters only when its artifact, conditions or back-pointer changed.</summary>
    private static bool SameSourceState(JsonObject? previous, JsonObject current) =>
        previous is not null &&
        JsonNode.DeepEquals(previous["status"]?["artifact"], current["status"]?["artifact"]) &&
        JsonNode.DeepEquals(previous["status"]?["conditions"], current["status"]?["conditions"]) &&
        JsonNode.DeepEquals(previous["spec"]?["sourceRef"], current["spec"]?["sourceRef"]);

    /// <summary>Stops workers (letting in-flight reconciles finish within the grace period), watches and listeners.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            await _workers.ConfigureAwait(false);
            return;
        }

        _queue.ShutDown();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _workers.WaitAsync(_options.GracefulShutdown).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log.LogWarning("reconciles still running after the {Grace} grace period", _options.GracefulShutdown);
        }

        await _election.ConfigureAwait(false);
        _elector?.Dispose();
        foreach (var listener in _listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        await StageSets.DisposeAsync().ConfigureAwait(false);
        await Inventories.DisposeAsync().ConfigureAwait(false);
        List<Informer> sources;
        lock (_sourceLock)
        {
            sources = [.. _sourceInformers.Values];
        }

        foreach (var informer in sources)
        {
            await informer.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _queue.Dispose();
        (_reconciler as IDisposable)?.Dispose();
        _cluster.Dispose();
        _stop.Dispose();
    }
}
