using System.Text.Json.Nodes;
using StageSet.Api;
using StageSet.Controller.Runtime;
using StageSet.Engine.Inventory;
using StageSet.Kube;

namespace StageSet.Controller.Reconciliation;

public sealed partial class StageSetReconciler
{
    /// <summary>
    /// StageSet deletion: every recorded stage in reverse position order (stages with <c>prune: false</c> orphan their
    /// objects), each under its identity, then the metric series and the finalizer. Failures keep the finalizer and
    /// back off; a permanent API error (Forbidden, unserved kind) or a teardown pending longer than
    /// <c>--max-teardown-wait</c> force-drops it with a TeardownForced event.
    /// </summary>
    private async Task<ReconcileResult> TeardownAsync(ObjectKey key, JsonObject raw, StageSetResource stageSet,
        CancellationToken ct)
    {
        _runs.Forget(key);
        var finalizers = stageSet.Metadata.Finalizers ?? [];
        if (!finalizers.Contains(Finalizers.StageSet))
        {
            return ReconcileResult.Done;
        }

        try
        {
            var snapshot = await _inventory.ReadAsync(key.Namespace, key.Name, ct).ConfigureAwait(false);
            var specPrune = stageSet.Spec.Stages
                .GroupBy(s => s.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().EffectivePrune, StringComparer.Ordinal);
            var stagesByName = stageSet.Spec.Stages.ToDictionary(s => s.Name, StringComparer.Ordinal);
            foreach (var stagePrune in PrunePlanner.Teardown(snapshot.Record.Stages, specPrune))
            {
                var stage = stagePrune.Removed ? null : stagesByName.GetValueOrDefault(stagePrune.Stage);
                await DeleteEntriesAsync(stageSet, IdentityFor(stageSet, stage), stagePrune.Deletions, ct)
                    .ConfigureAwait(false);
            }
        }
        catch (KubeApiException ex)
        {
            var pendingFor = Now - (stageSet.Metadata.DeletionTimestamp ?? Now);
            var reason = KubeErrors.IsPermissionOrKindProblem(ex) ? "permanent"
                : ex.IsUnauthorized ? "unauthorized"
                : pendingFor >= _s.Options.MaxTeardownWait ? "timed_out"
                : null;
            if (reason is null)
            {
                return ReconcileResult.Backoff(ex);
            }

            _s.Metrics.TeardownForceDropTotal.WithLabels(key.Namespace, key.Name, reason).Inc();
            await _s.Events.RecordAsync(raw, "Warning", EventReasons.TeardownForced,
                "teardown failed (" + reason + "), finalizer removed: " + ex.Message, ct).ConfigureAwait(false);
        }

        _s.Metrics.RemoveStageSet(key.Namespace, key.Name);
        await SetFinalizersAsync(raw, [.. finalizers.Where(f => f != Finalizers.StageSet)], ct).ConfigureAwait(false);
        return ReconcileResult.Done;
    }
}
