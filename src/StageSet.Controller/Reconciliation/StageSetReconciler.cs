using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using StageSet.Api;
using StageSet.Api.Validation;
using StageSet.Controller.Hosting;
using StageSet.Controller.Runtime;
using StageSet.Engine.Rollout;
using StageSet.Kube;
using StageSet.Manifests;

namespace StageSet.Controller.Reconciliation;

/// <summary>
/// Reconciles one StageSet: finalizer, suspend, validation, source pinning, then each stage strictly in order —
/// render, apply, record inventory, wait for health — then prune and report. A stage waiting for health ends the
/// reconcile with a short requeue (the run's progress stays in <see cref="RunMemory"/>), so a slow stage never holds
/// a worker.
/// </summary>
public sealed partial class StageSetReconciler : IReconciler, IDisposable
{
    private static readonly GroupVersionKind Kind = new(StageSetGroup.Group, StageSetGroup.Version, StageSetGroup.StageSetKind);
    private readonly ReconcilerServices _s;
    private readonly IStagePipeline _pipeline;
    private readonly RunMemory _runs = new();
    private readonly StatusWriter _status;
    private readonly InventoryStore _inventory;
    private readonly StageVerifier _verifier;
    private readonly ILogger _log;
    private readonly Func<double> _jitter;

    public StageSetReconciler(ReconcilerServices services, IStagePipeline? pipeline = null, Func<double>? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        _s = services;
        _log = services.LoggerFactory.CreateLogger("reconciler");
        _pipeline = pipeline ?? new EngineStagePipeline(services);
        _status = new StatusWriter(services.Cluster.Client, services.Metrics, services.Events, _log);
        _inventory = new InventoryStore(services.Cluster.Client, services.Options.InventoryMode, services.Options.InventoryShardCap);
        _verifier = new StageVerifier(services.Cluster, services.Clock);
        _jitter = jitter ?? Random.Shared.NextDouble;
    }

    private DateTimeOffset Now => _s.Clock.GetUtcNow();

    public void Dispose() => (_pipeline as IDisposable)?.Dispose();

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        if (_s.StageSets.Get(key.Namespace, key.Name) is not { } cached)
        {
            _runs.Forget(key);
            return ReconcileResult.Done;
        }

        var raw = (JsonObject)cached.DeepClone();
        StageSetResource stageSet;
        try
        {
            stageSet = StageSetJson.Deserialize<StageSetResource>(raw);
        }
        catch (ApiFormatException ex)
        {
            _log.LogWarning("{Key}: cannot read the StageSet: {Error}", key, ex.Message);
            await WriteUnreadableAsync(raw, ex.Message, ct).ConfigureAwait(false);
            return ReconcileResult.After(_s.Options.TerminalRecheck);
        }

        try
        {
            return await ReconcileCoreAsync(key, raw, stageSet, ct).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.IsConflict || ex.IsTransient || ex.IsNotFound)
        {
            // Our own bookkeeping raced a change or the API server hiccupped: the queue's backoff retries.
            _runs.Forget(key);
            return ReconcileResult.Backoff(ex);
        }
    }

    private async Task<ReconcileResult> ReconcileCoreAsync(ObjectKey key, JsonObject raw, StageSetResource stageSet,
        CancellationToken ct)
    {
        if (stageSet.Metadata.DeletionTimestamp is not null)
        {
            return await TeardownAsync(key, raw, stageSet, ct).ConfigureAwait(false);
        }

        if (!(stageSet.Metadata.Finalizers ?? []).Contains(Finalizers.StageSet))
        {
            // Carry on with the object the patch returned rather than requeue: the cache may not show the
            // finalizer yet, and a second patch from the stale copy would only conflict.
            raw = await SetFinalizersAsync(raw, [.. stageSet.Metadata.Finalizers ?? [], Finalizers.StageSet], ct)
                .ConfigureAwait(false);
            stageSet = StageSetJson.Deserialize<StageSetResource>(raw);
        }

        var generation = stageSet.Metadata.Generation;
        var status = stageSet.Status ?? new StageSetStatus();
        if (stageSet.Spec.Suspend)
        {
            _runs.Forget(key);
            status = status with
            {
                Conditions = ReadyCondition.Set(status.Conditions, ConditionStatus.False, ReadyReasons.Suspended,
                    "Reconciliation is suspended", generation, Now),
            };
            await _status.WriteAsync(raw, status, null, ct).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        var requestedAt = stageSet.Metadata.Annotation(Annotations.ReconcileRequestedAt);
        status = status with
        {
            LastHandledReconcileAt = requestedAt ?? status.LastHandledReconcileAt,
            ObservedGeneration = generation,
        };
        var report = new Report(this, raw, stageSet, status);

        var errors = StageSetValidation.ValidateSpec(stageSet);
        if (errors.Count > 0)
        {
            _runs.Forget(key);
            return await report.FailAsync(ReadyReasons.InvalidSpec, StageSetValidation.Describe(errors),
                RetryKind.FixedMinute, countMetric: false, emitEvent: false, ct).ConfigureAwait(false);
        }

        var pins = new List<PinnedSource>();
        foreach (var stage in stageSet.Spec.Stages)
        {
            try
            {
                pins.Add(await _pipeline.ResolveAsync(stageSet, stage, ct).ConfigureAwait(false));
            }
            catch (SourceFailure f)
            {
                _runs.Forget(key);
                return await report.FailAsync(f.Reason, f.Message, f.Retry, countMetric: false, emitEvent: false, ct)
                    .ConfigureAwait(false);
            }
        }

        report.Status = report.Status with
        {
            LastAttemptedRevisions = pins.GroupBy(p => p.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Revision, StringComparer.Ordinal),
        };

        var fingerprint = Fingerprint(stageSet, requestedAt, pins);
        var run = _runs.Get(key, fingerprint);
        if (run is null)
        {
            var snapshot = await _inventory.ReadAsync(key.Namespace, key.Name, ct).ConfigureAwait(false);
            run = new RunState(fingerprint, snapshot, [], null);
            _runs.Set(key, run);
        }

        for (var i = 0; i < stageSet.Spec.Stages.Count; i++)
        {
            var stage = stageSet.Spec.Stages[i];
            if (run.Completed.Any(c => c.Name == stage.Name))
            {
                continue;
            }

            var identity = IdentityFor(stageSet, stage);
            var verifying = run.Verifying is { } pending && pending.Name == stage.Name ? pending : null;
            if (verifying is null)
            {
                try
                {
                    verifying = await ApplyStageAsync(stageSet, stage, i, pins[i], identity, run.Previous, report, ct)
                        .ConfigureAwait(false);
                }
                catch (StageOperationFailure f)
                {
                    _runs.Forget(key);
                    return await report.StageFailedAsync(stage, pins[i], f, ct).ConfigureAwait(false);
                }

                run = run with { Verifying = verifying };
                _runs.Set(key, run);
            }

            var verdict = await VerifyAsync(stageSet, stage, verifying, identity, ct).ConfigureAwait(false);
            switch (verdict)
            {
                case Verdict.Healthy:
                    run = run with
                    {
                        Completed = [.. run.Completed, new CompletedStage(stage.Name, i, stage.EffectivePrune,
                            verifying.Entries, pins[i].Revision)],
                        Verifying = null,
                    };
                    _runs.Set(key, run);
                    report.StageReady(stage, pins[i], verifying.Entries.Count);
                    _s.Metrics.StageAppliedTotal.WithLabels(key.Namespace, key.Name, stage.Name).Inc();
                    continue;
                case Verdict.Waiting waiting:
                    return await report.WaitingAsync(stage, pins[i], verifying.Entries.Count, waiting.Next, ct)
                        .ConfigureAwait(false);
                case Verdict.Failed failed:
                    _runs.Forget(key);
                    return await report.StageFailedAsync(stage, pins[i],
                        new StageOperationFailure("verify", failed.Cause, inner: failed.Error), ct).ConfigureAwait(false);
                case Verdict.Hold hold:
                    _runs.Forget(key);
                    return await report.ProgressingAsync(stage, pins[i], verifying.Entries.Count, hold.Cause, ct)
                        .ConfigureAwait(false);
            }
        }

        _runs.Forget(key);
        return await FinishRunAsync(key, stageSet, run, report, ct).ConfigureAwait(false);
    }

    private static KubeIdentity IdentityFor(StageSetResource stageSet, Stage? stage) =>
        KubeIdentity.ServiceAccount(stageSet.Metadata.Namespace ?? "",
            string.IsNullOrEmpty(stage?.ServiceAccountName) ? stageSet.Spec.ServiceAccountName : stage.ServiceAccountName);

    private static string Fingerprint(StageSetResource stageSet, string? requestedAt, IReadOnlyList<PinnedSource> pins) =>
        string.Join("|", [
            stageSet.Metadata.Uid ?? "",
            stageSet.Metadata.Generation.ToString(CultureInfo.InvariantCulture),
            requestedAt ?? "",
            .. pins.Select(p => p.Key + "=" + p.Revision + "@" + p.Digest),
        ]);

    private RequeueSettings Settings(StageSetResource stageSet) => new(
        stageSet.Spec.Interval?.ToTimeSpan(),
        stageSet.Spec.RetryInterval?.ToTimeSpan(),
        stageSet.Spec.DriftDetectionInterval?.ToTimeSpan(),
        _s.Options.DefaultInterval);

    private ReconcileResult Requeue(StageSetResource stageSet, RetryKind kind, Exception? error) => kind switch
    {
        RetryKind.Retry => After(Engine.Rollout.Requeue.For(RequeueKind.Retry, Settings(stageSet), _jitter)),
        RetryKind.FixedMinute => ReconcileResult.After(_s.Options.TerminalRecheck),
        RetryKind.Backoff => ReconcileResult.Backoff(error ?? new InvalidOperationException("retry with backoff")),
        _ => ReconcileResult.Done,
    };

    private static ReconcileResult After(RequeueDecision decision) =>
        decision.After is { } after ? ReconcileResult.After(after) : ReconcileResult.Done;

    private async Task<JsonObject> SetFinalizersAsync(JsonObject raw, IReadOnlyList<string> finalizers, CancellationToken ct)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                // The resourceVersion makes the list replacement conditional: no lost finalizer of someone else.
                ["resourceVersion"] = KubeObject.Metadata(raw)?["resourceVersion"]?.DeepClone(),
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]),
            },
        };
        return await _s.Cluster.Client.PatchAsync(Kind, KubeObject.Namespace(raw), KubeObject.Name(raw), PatchKind.Merge,
            patch.ToJsonString(), ct).ConfigureAwait(false);
    }

    /// <summary>A StageSet whose JSON does not even deserialize: report it without the typed model.</summary>
    private async Task WriteUnreadableAsync(JsonObject raw, string message, CancellationToken ct)
    {
        var generation = KubeObject.Metadata(raw)?["generation"]?.GetValue<long>() ?? 0;
        var condition = new JsonObject
        {
            ["type"] = ConditionTypes.Ready,
            ["status"] = ConditionStatus.False,
            ["observedGeneration"] = generation,
            ["lastTransitionTime"] = Now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["reason"] = ReadyReasons.InvalidSpec,
            ["message"] = ReadyCondition.Decorate(message, ReadyReasons.InvalidSpec, _s.Options.RunbookBaseUrl),
        };
        var patch = new JsonObject { ["status"] = new JsonObject { ["conditions"] = new JsonArray(condition) } };
        await _s.Cluster.Client.PatchAsync(Kind, KubeObject.Namespace(raw), KubeObject.Name(raw), PatchKind.Merge,
            patch.ToJsonString(), ct, subresource: "status").ConfigureAwait(false);
    }
}
