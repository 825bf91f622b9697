using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using StageSet.Api;
using StageSet.Controller.Runtime;
using StageSet.Kube;
using StageSet.Manifests;
using StageSet.Manifests.Patch;

namespace StageSet.Controller.Reconciliation;

/// <summary>
/// Writes StageSet status as a JSON merge patch of exactly what changed (nothing at all when nothing changed, so a
/// steady state sends no write), refreshes the stage gauges, and emits the Ready-transition event, deduplicated
/// against the Ready status and reason before this reconcile.
/// </summary>
internal sealed class StatusWriter(DynamicClient client, ControllerMetrics metrics, EventRecorder events, ILogger log)
{
    private static readonly GroupVersionKind Kind = new(StageSetGroup.Group, StageSetGroup.Version, StageSetGroup.StageSetKind);

    /// <param name="raw">The StageSet as read at the start of the reconcile (its status is the diff base).</param>
    /// <param name="status">The complete new status.</param>
    /// <param name="eventMessage">Undecorated Ready message for the transition event; null: no event for this reason.</param>
    public async Task WriteAsync(JsonObject raw, StageSetStatus status, string? eventMessage, CancellationToken ct)
    {
        var ns = KubeObject.Namespace(raw);
        var name = KubeObject.Name(raw);
        var before = raw["status"] as JsonObject;
        var after = StageSetJson.ToJsonObject(status);
        var patch = (JsonObject)JsonMergePatch.Create(before ?? new JsonObject(), after)!;
        if (patch.Count > 0)
        {
            await client.PatchAsync(Kind, ns, name, PatchKind.Merge, new JsonObject { ["status"] = patch }.ToJsonString(),
                ct, subresource: "status").ConfigureAwait(false);
        }

        foreach (var stage in status.Stages ?? [])
        {
            metrics.StageReady.WithLabels(ns, name, stage.Name).Set(stage.Phase == StagePhases.Ready ? 1 : 0);
        }

        var ready = status.ReadyCondition();
        if (eventMessage is null || ready is null)
        {
            return;
        }

        var previous = PreviousReady(before);
        if (previous is { } p && p.Status == ready.Status && p.Reason == ready.Reason)
        {
            return;
        }

        log.LogInformation("{Namespace}/{Name} Ready={Status} {Reason}: {Message}", ns, name, ready.Status, ready.Reason,
            eventMessage);
        await events.RecordAsync(raw, ready.Status == ConditionStatus.True ? "Normal" : "Warning", ready.Reason,
            eventMessage, ct).ConfigureAwait(false);
    }

    private static (string Status, string Reason)? PreviousReady(JsonObject? status)
    {
        var ready = (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.GetValue<string>() == ConditionTypes.Ready);
        return ready is null
            ? null
            : (ready["status"]?.GetValue<string>() ?? "", ready["reason"]?.GetValue<string>() ?? "");
    }
}
