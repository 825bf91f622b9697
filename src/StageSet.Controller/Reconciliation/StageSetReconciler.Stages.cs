using System.Text.Json.Nodes;
using StageSet.Api;
using StageSet.Cel;
using StageSet.Controller.Runtime;
using StageSet.Engine.Apply;
using StageSet.Engine.Health;
using StageSet.Engine.Inventory;
using StageSet.Engine.Rollout;
using StageSet.Kube;
using StageSet.Manifests;
using ApplyAction = StageSet.Kube.ApplyAction;
using InventoryEntry = StageSet.Engine.Inventory.InventoryEntry;

namespace StageSet.Controller.Reconciliation;

public sealed partial class StageSetReconciler
{
    /// <summary>Where one verify poll leaves a stage.</summary>
    private abstract record Verdict
    {
        public sealed record Healthy : Verdict;

        public sealed record Waiting(TimeSpan Next) : Verdict;

        public sealed record Failed(string Cause, Exception? Error = null) : Verdict;

        public sealed record Hold(string Cause) : Verdict;
    }

    /// <summary>Render, stamp, apply in Flux's staged order, report drift, record the inventory (write-ahead).</summary>
    private async Task<VerifyingStage> ApplyStageAsync(StageSetResource stageSet, Stage stage, int position,
        PinnedSource pin, KubeIdentity identity, InventorySnapshot previous, Report report, CancellationToken ct)
    {
        var ns = stageSet.Metadata.Namespace ?? "";
        var name = stageSet.Metadata.Name ?? "";
        var objects = await _pipeline.RenderAsync(stageSet, stage, pin, ct).ConfigureAwait(false);
        var stamp = OwnerStamp.For(name, ns, stage.Name, _s.Options.InventoryMode);
        foreach (var obj in objects)
        {
            OwnerLabels.Stamp(obj, stamp);
        }

        var applier = new ServerSideApplier(_s.Cluster.As(identity), new ApplierOptions
        {
            FieldManager = FieldManagers.Controller,
            EstablishedPollInterval = _s.Options.EstablishedPollInterval,
            EstablishedTimeout = ApplyPhases.WaitTimeout,
            Decide = Decide,
        });
        var changes = new List<ApplyChange>();
        try
        {
            foreach (var batch in ApplyPhases.Plan(objects))
            {
                changes.AddRange(await applier.ApplyBatchAsync(batch.Objects, ct).ConfigureAwait(false));
                if (batch.WaitForReady)
                {
                    await applier.WaitForEstablishedAsync(batch.Objects, ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw StageOperationFailure.From("apply", ex);
        }

        var previousRevision = report.Status.Stages?.FirstOrDefault(s => s.Name == stage.Name)?.AppliedRevision;
        var corrected = changes.Where(c => c.Changed).ToList();
        if (corrected.Count > 0 && previousRevision == pin.Revision)
        {
            _s.Metrics.DriftCorrectedTotal.WithLabels(ns, name, stage.Name).Inc(corrected.Count);
            var subjects = string.Join(", ", corrected.Select(c => HealthWait.Format(c.Identity)));
            await _s.Events.RecordAsync(report.Raw, "Warning", EventReasons.DriftCorrected,
                "stage \"" + stage.Name + "\" corrected out-of-band drift on " + corrected.Count + " object(s): " + subjects,
                ct).ConfigureAwait(false);
        }

        var entries = objects.Select(InventoryEntry.For).DistinctBy(e => e.Id).ToList();
        try
        {
            await _inventory.WriteStageAsync(new StageSetOwner(name, ns, stageSet.Metadata.Uid ?? ""), stage.Name,
                position, entries, previous, ct).ConfigureAwait(false);
        }
        catch (KubeApiException ex)
        {
            throw StageOperationFailure.From("record inventory", ex);
        }

        var applied = objects.Select(o => new ObjectRef(KubeObject.Identity(o), KubeObject.ApiVersion(o)))
            .DistinctBy(r => r.Identity).ToList();
        var waitSet = new List<ObjectRef>();
        if (stage.ReadyChecks?.DisableWait != true)
        {
            waitSet.AddRange(applied);
        }

        foreach (var check in stage.ReadyChecks?.Checks ?? [])
        {
            waitSet.Add(await CheckRefAsync(check, ns, ct).ConfigureAwait(false));
        }

        return new VerifyingStage(stage.Name, position, stage.EffectivePrune, entries,
            [.. waitSet.DistinctBy(r => r.Identity)], applied, pin.Revision, Now);
    }

    private static ApplyAction Decide(JsonObject? live, JsonObject dryRun) => ChangeDetection.Decide(live, dryRun) switch
    {
        ChangeAction.Created => ApplyAction.Created,
        ChangeAction.Unchanged or ChangeAction.Skipped => ApplyAction.Unchanged,
        _ => ApplyAction.Configured,
    };

    /// <summary>
    /// A readyChecks.checks entry: only the group of its apiVersion counts; the namespace is dropped for
    /// cluster-scoped kinds and defaults to the StageSet's otherwise.
    /// </summary>
    private async Task<ObjectRef> CheckRefAsync(NamespacedObjectKindReference check, string ns, CancellationToken ct)
    {
        var group = GroupVersion.Parse(check.ApiVersion).Group;
        try
        {
            var mapping = await _s.Cluster.Mapper.MapAsync(new GroupKind(group, check.Kind), ct).ConfigureAwait(false);
            var checkNs = mapping.Namespaced ? string.IsNullOrEmpty(check.Namespace) ? ns : check.Namespace : "";
            return new ObjectRef(new ObjectIdentity(group, check.Kind, checkNs, check.Name), mapping.Kind.ApiVersion);
        }
        catch (KubeApiException ex)
        {
            throw StageOperationFailure.From("verify", ex);
        }
    }

    /// <summary>One poll of the stage's health; past the verify deadline, decides hold versus failure.</summary>
    private async Task<Verdict> VerifyAsync(StageSetResource stageSet, Stage stage, VerifyingStage verifying,
        KubeIdentity identity, CancellationToken ct)
    {
        WaitCheck check;
        try
        {
            check = await _verifier.PollAsync(verifying.WaitSet, identity, ct).ConfigureAwait(false);
        }
        catch (KubeApiException ex)
        {
            return new Verdict.Failed(ex.Message, ex);
        }

        var celHold = false;
        var celPhase = false;
        if (check.State == WaitState.Ready)
        {
            if (stage.ReadyChecks?.Exprs is not { Count: > 0 } exprs)
            {
                return new Verdict.Healthy();
            }

            // CEL expressions judge the applied objects of their group and kind once kstatus is satisfied.
            ExpressionVerdicts cel;
            try
            {
                cel = await _verifier.EvaluateExpressionsAsync(exprs, verifying.Applied, identity, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is CelExpressionException or KubeApiException)
            {
                return new Verdict.Failed(ex.Message, ex);
            }

            check = HealthWait.Check(cel.Statuses);
            celPhase = true;
            celHold = cel.InProgressHeld;
            if (check.State == WaitState.Ready)
            {
                return new Verdict.Healthy();
            }
        }

        if (check.State == WaitState.Stalled)
        {
            return new Verdict.Failed(check.Cause ?? HealthWait.StalledHeader);
        }

        var timeout = VerifyTimeouts.Resolve(stage.ReadyChecks?.Timeout?.ToTimeSpan(), stage.Timeout?.ToTimeSpan(),
            stageSet.Spec.Timeout?.ToTimeSpan());
        var remaining = verifying.AppliedAt + timeout - Now;
        if (remaining > TimeSpan.Zero)
        {
            return new Verdict.Waiting(remaining < _s.Options.HealthPollInterval ? remaining : _s.Options.HealthPollInterval);
        }

        // This poll's read is fresh, which is the re-read the timeout rule asks for. Past the kstatus wait, only a
        // CEL inProgress that held makes the timeout a hold.
        var progressing = celPhase ? celHold : HealthWait.StillProgressing(check.Statuses);
        var verdict = VerifyTimeouts.Decide(progressing,
            VerifyTimeouts.EffectiveOnTimeout(stage.OnTimeout, stageSet.Spec.OnTimeout),
            HealthWait.TimeoutCause(check.Statuses));
        return verdict.Hold ? new Verdict.Hold(verdict.Cause) : new Verdict.Failed(verdict.Cause);
    }

    /// <summary>All stages healthy: duplicate-claim check, prune, removed-stage teardown, success status.</summary>
    private async Task<ReconcileResult> FinishRunAsync(ObjectKey key, StageSetResource stageSet, RunState run,
        Report report, CancellationToken ct)
    {
        var desired = run.Completed.Select(c => new DesiredStage(c.Name, c.Position, c.Prune, c.Entries)).ToList();
        var plan = PrunePlanner.Plan(run.Previous.Record.Stages, desired);
        if (plan.InvalidSpecMessage is { } duplicate)
        {
            return await report.FailAsync(ReadyReasons.InvalidSpec, duplicate, RetryKind.None, countMetric: false,
                emitEvent: false, ct).ConfigureAwait(false);
        }

        var stagesByName = stageSet.Spec.Stages.ToDictionary(s => s.Name, StringComparer.Ordinal);
        try
        {
            foreach (var stagePrune in plan.Stages.Where(p => !p.PruneDisabled))
            {
                var stage = stagePrune.Removed ? null : stagesByName.GetValueOrDefault(stagePrune.Stage);
                await DeleteEntriesAsync(stageSet, IdentityFor(stageSet, stage), stagePrune.Deletions, ct)
                    .ConfigureAwait(false);
                if (stagePrune.Removed)
                {
                    await _inventory.DeleteStageAsync(key.Namespace, key.Name, stagePrune.Stage, run.Previous, ct)
                        .ConfigureAwait(false);
                    _s.Metrics.RemoveStage(key.Namespace, key.Name, stagePrune.Stage);
                }
            }
        }
        catch (KubeApiException ex)
        {
            var reason = KubeErrors.IsPermissionOrKindProblem(ex) ? ReadyReasons.RbacDenied : ReadyReasons.StageFailed;
            return await report.FailAsync(reason, "prune: " + ex.Message,
                reason == ReadyReasons.RbacDenied ? RetryKind.None : RetryKind.Backoff, countMetric: true, emitEvent: true,
                ct, ex).ConfigureAwait(false);
        }

        return await report.SucceededAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes inventory entries (already in delete order) under <paramref name="identity"/>, with background
    /// propagation, skipping objects that are gone, no longer carry this StageSet's owner labels, or opt out with
    /// <c>stages.metio.wtf/prune: disabled</c>.
    /// </summary>
    private async Task DeleteEntriesAsync(StageSetResource stageSet, KubeIdentity identity,
        IReadOnlyList<InventoryEntry> entries, CancellationToken ct)
    {
        var client = _s.Cluster.As(identity);
        var ns = stageSet.Metadata.Namespace ?? "";
        var name = stageSet.Metadata.Name ?? "";
        foreach (var entry in entries)
        {
            if (entry.Identity is not { } id || entry.ApiVersion is not { } apiVersion)
            {
                continue;
            }

            var kind = GroupVersionKind.From(apiVersion, id.Kind);
            JsonObject? live;
            try
            {
                live = await client.GetAsync(kind, id.Namespace, id.Name, ct).ConfigureAwait(false);
            }
            catch (NoKindMatchException)
            {
                continue; // The kind is gone from the cluster, and with it every object of that kind.
            }

            if (live is null || PruneGuard.Check(live, name, ns) != DeleteVerdict.Delete)
            {
                continue;
            }

            await client.DeleteAsync(kind, id.Namespace, id.Name, ct,
                uid: KubeObject.Metadata(live)?["uid"]?.GetValue<string>()).ConfigureAwait(false);
        }
    }
}
