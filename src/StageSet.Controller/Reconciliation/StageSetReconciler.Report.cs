using System.Text.Json.Nodes;
using StageSet.Api;
using StageSet.Controller.Runtime;
using StageSet.Engine.Rollout;

namespace StageSet.Controller.Reconciliation;

public sealed partial class StageSetReconciler
{
    /// <summary>
    /// The status one reconcile builds up and writes once at its end: stage entries touched this pass (in spec order,
    /// untouched stages keep their previous entry, removed stages drop out), the Ready condition, metrics, events.
    /// </summary>
    private sealed class Report(StageSetReconciler owner, JsonObject raw, StageSetResource stageSet, StageSetStatus status)
    {
        private readonly Dictionary<string, StageStatus> _touched = new(StringComparer.Ordinal);

        public StageSetStatus Status { get; set; } = status;

        /// <summary>The StageSet as read; events refer to it.</summary>
        public JsonObject Raw => raw;

        private string Namespace => stageSet.Metadata.Namespace ?? "";

        private string Name => stageSet.Metadata.Name ?? "";

        public void StageReady(Stage stage, PinnedSource pin, int entries) =>
            Touch(stage, StagePhases.Ready, pin.Revision, entries, null);

        public async Task<ReconcileResult> WaitingAsync(Stage stage, PinnedSource pin, int entries, TimeSpan next,
            CancellationToken ct)
        {
            Touch(stage, StagePhases.Verifying, pin.Revision, entries, null);
            await WriteAsync(null, ct).ConfigureAwait(false);
            return ReconcileResult.After(next);
        }

        public async Task<ReconcileResult> StageFailedAsync(Stage stage, PinnedSource pin, StageOperationFailure failure,
            CancellationToken ct)
        {
            Touch(stage, StagePhases.Failed, pin.Revision, 0, failure.Message);
            var reason = failure.Reason;
            var retry = failure.Terminal || reason == ReadyReasons.RbacDenied ? RetryKind.None : RetryKind.Backoff;
            return await FailAsync(reason, "stage \"" + stage.Name + "\" " + failure.Message, retry, countMetric: true,
                emitEvent: true, ct, failure).ConfigureAwait(false);
        }

        public async Task<ReconcileResult> ProgressingAsync(Stage stage, PinnedSource pin, int entries, string cause,
            CancellationToken ct)
        {
            Touch(stage, StagePhases.Verifying, pin.Revision, entries, "verify: " + cause);
            await SetReadyAsync(ConditionStatus.False, ReadyReasons.StageProgressing,
                "stage \"" + stage.Name + "\" is applied and still becoming ready: " + cause, countMetric: true,
                emitEvent: true, ct).ConfigureAwait(false);
            var decision = Engine.Rollout.Requeue.For(RequeueKind.RetryUnjittered, owner.Settings(stageSet), owner._jitter);
            return After(decision);
        }

        public async Task<ReconcileResult> FailAsync(string reason, string message, RetryKind retry, bool countMetric,
            bool emitEvent, CancellationToken ct, Exception? error = null)
        {
            await SetReadyAsync(ConditionStatus.False, reason, message, countMetric, emitEvent, ct).ConfigureAwait(false);
            return owner.Requeue(stageSet, retry, error ?? new InvalidOperationException(message));
        }

        public async Task<ReconcileResult> SucceededAsync(CancellationToken ct)
        {
            Status = Status with
            {
                LastAppliedRevisions = Status.LastAttemptedRevisions,
                InventoryMode = Engine.Inventory.ApplySet.ModeName(owner._s.Options.InventoryMode),
            };
            var count = stageSet.Spec.Stages.Count;
            await SetReadyAsync(ConditionStatus.True, ReadyReasons.Succeeded,
                "Applied and verified " + count + " stage(s)", countMetric: true, emitEvent: true, ct).ConfigureAwait(false);
            return After(Engine.Rollout.Requeue.For(RequeueKind.Interval, owner.Settings(stageSet), owner._jitter));
        }

        private async Task SetReadyAsync(string readyStatus, string reason, string message, bool countMetric,
            bool emitEvent, CancellationToken ct)
        {
            Status = Status with
            {
                Conditions = ReadyCondition.Set(Status.Conditions, readyStatus, reason,
                    ReadyCondition.Decorate(message, reason, owner._s.Options.RunbookBaseUrl),
                    stageSet.Metadata.Generation, owner.Now),
            };
            if (countMetric)
            {
                owner._s.Metrics.ReconcileTotal.WithLabels(Namespace, Name, reason).Inc();
            }

            await WriteAsync(emitEvent ? message : null, ct).ConfigureAwait(false);
        }

        private async Task WriteAsync(string? eventMessage, CancellationToken ct)
        {
            Status = Status with { Stages = Stages() };
            await owner._status.WriteAsync(raw, Status, eventMessage, ct).ConfigureAwait(false);
        }

        private void Touch(Stage stage, string phase, string revision, int entries, string? message)
        {
            var previous = Status.Stages?.FirstOrDefault(s => s.Name == stage.Name) ?? new StageStatus { Name = stage.Name };
            var cap = Math.Max(1, owner._s.Options.InventoryShardCap);
            _touched[stage.Name] = previous with
            {
                Phase = phase,
                AppliedRevision = revision,
                EntriesCount = entries,
                Shards = phase == StagePhases.Failed ? previous.Shards : Math.Max(1, (entries + cap - 1) / cap),
                Message = message,
            };
        }

        private List<StageStatus> Stages()
        {
            var previous = (Status.Stages ?? []).ToDictionary(s => s.Name, StringComparer.Ordinal);
            var result = new List<StageStatus>();
            foreach (var stage in stageSet.Spec.Stages)
            {
                if (_touched.TryGetValue(stage.Name, out var touched))
                {
                    result.Add(touched);
                }
                else if (previous.TryGetValue(stage.Name, out var kept))
                {
                    result.Add(kept);
                }
            }

            return result;
        }
    }
}
