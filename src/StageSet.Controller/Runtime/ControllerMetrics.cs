using Prometheus;

namespace StageSet.Controller.Runtime;

/// <summary>
/// The controller's Prometheus series (names and labels are a public contract, see the spec). Each manager owns
/// its registry, so several controllers in one process (tests, the demo) never share counters.
/// </summary>
public sealed class ControllerMetrics
{
    private const string ControllerName = "stageset";

    public ControllerMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var f = Metrics.WithCustomRegistry(Registry);
        ReconcileTotal = f.CreateCounter("stageset_reconcile_total", "Reconciles by outcome reason.",
            "namespace", "name", "reason");
        StageAppliedTotal = f.CreateCounter("stageset_stage_applied_total",
            "Stages applied, verified and finished.", "namespace", "name", "stage");
        DriftCorrectedTotal = f.CreateCounter("stageset_drift_corrected_total",
            "Objects re-applied on an unchanged revision because they drifted.", "namespace", "name", "stage");
        UpdateDeferredTotal = f.CreateCounter("stageset_update_deferred_total", "Entries into an update-window hold.",
            "namespace", "name");
        StageReady = f.CreateGauge("stageset_stage_ready", "1 when the stage's phase is Ready.",
            "namespace", "stageset", "stage");
        WatchEngagementFailures = f.CreateCounter("stageset_watch_engagement_failures_total",
            "Dynamic source watches that failed to start.", "gvk");
        TeardownForceDropTotal = f.CreateCounter("stageset_teardown_force_drop_total",
            "Finalizers force-dropped.", "namespace", "name", "reason");
        InventorySkippedEntries = f.CreateCounter("stageset_inventory_skipped_entries_total",
            "Malformed inventory entries skipped.", "namespace", "stageset", "stage");
        ActionRunsTotal = f.CreateCounter("stageset_action_runs_total", "Executed pre/post actions.",
            "namespace", "name", "scope");

        RuntimeReconcileTotal = f.CreateCounter("controller_runtime_reconcile_total", "Reconciles per controller.",
            "controller", "result");
        RuntimeReconcileErrors = f.CreateCounter("controller_runtime_reconcile_errors_total",
            "Reconcile errors per controller.", "controller");
        RuntimeReconcileTime = f.CreateHistogram("controller_runtime_reconcile_time_seconds",
            "Reconcile duration per controller.", new HistogramConfiguration
            {
                LabelNames = ["controller"],
                Buckets = Histogram.ExponentialBuckets(0.005, 2, 16),
            });
        RuntimeActiveWorkers = f.CreateGauge("controller_runtime_active_workers", "Workers busy reconciling.",
            "controller");
        RuntimeMaxConcurrent = f.CreateGauge("controller_runtime_max_concurrent_reconciles", "Worker count.",
            "controller");
        WorkqueueDepth = f.CreateGauge("workqueue_depth", "Items waiting in the work queue.", "name");
        WorkqueueAdds = f.CreateCounter("workqueue_adds_total", "Items added to the work queue.", "name");
        WorkqueueRetries = f.CreateCounter("workqueue_retries_total", "Items re-queued with backoff.", "name");
    }

    public CollectorRegistry Registry { get; }

    public Counter ReconcileTotal { get; }

    public Counter StageAppliedTotal { get; }

    public Counter DriftCorrectedTotal { get; }

    public Counter UpdateDeferredTotal { get; }

    public Gauge StageReady { get; }

    public Counter WatchEngagementFailures { get; }

    public Counter TeardownForceDropTotal { get; }

    public Counter InventorySkippedEntries { get; }

    public Counter ActionRunsTotal { get; }

    public Counter RuntimeReconcileTotal { get; }

    public Counter RuntimeReconcileErrors { get; }

    public Histogram RuntimeReconcileTime { get; }

    public Gauge RuntimeActiveWorkers { get; }

    public Gauge RuntimeMaxConcurrent { get; }

    public Gauge WorkqueueDepth { get; }

    public Counter WorkqueueAdds { get; }

    public Counter WorkqueueRetries { get; }

    public static string Controller => ControllerName;

    /// <summary>Removes a stage's gauge (stage removed from the spec).</summary>
    public void RemoveStage(string ns, string stageSet, string stage) => StageReady.RemoveLabelled(ns, stageSet, stage);

    /// <summary>
    /// Drops every series of a deleted StageSet except the force-drop counter, which must outlive it.
    /// </summary>
    public void RemoveStageSet(string ns, string name)
    {
        foreach (var counter in new[] { ReconcileTotal, StageAppliedTotal, DriftCorrectedTotal, UpdateDeferredTotal, ActionRunsTotal })
        {
            foreach (var labels in counter.GetAllLabelValues().Where(l => l[0] == ns && l[1] == name).ToList())
            {
                counter.RemoveLabelled(labels);
            }
        }

        foreach (var labels in StageReady.GetAllLabelValues().Where(l => l[0] == ns && l[1] == name).ToList())
        {
            StageReady.RemoveLabelled(labels);
        }

        foreach (var labels in InventorySkippedEntries.GetAllLabelValues().Where(l => l[0] == ns && l[1] == name).ToList())
        {
            InventorySkippedEntries.RemoveLabelled(labels);
        }
    }
}
