using System.Text.Json.Nodes;
using StageSet.Api;
using StageSet.Cel;
using StageSet.Engine.Health;
using StageSet.Kube;
using StageSet.Manifests;

namespace StageSet.Controller.Reconciliation;

/// <summary>
/// Reads a stage's wait set live (as the stage's identity) and judges it with kstatus and Flux's fail-fast rule.
/// One call is one poll; waiting between polls is the reconciler's requeue.
/// </summary>
/// <summary>The readyChecks.exprs verdict per covered object, and whether an inProgress expression held for one not ready.</summary>
internal sealed record ExpressionVerdicts(IReadOnlyList<ResourceStatus> Statuses, bool InProgressHeld);

internal sealed class StageVerifier(KubeCluster cluster, TimeProvider clock)
{
    private static readonly GroupVersionKind PodKind = new("", "v1", "Pod");

    public async Task<WaitCheck> PollAsync(IReadOnlyList<ObjectRef> waitSet, KubeIdentity identity, CancellationToken ct)
    {
        var client = cluster.As(identity);
        var statuses = new ResourceStatus[waitSet.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, waitSet.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, token) => statuses[i] = StatusReader.Read(waitSet[i].Identity,
                await ReadAsync(client, waitSet[i], token).ConfigureAwait(false), clock.GetUtcNow())).ConfigureAwait(false);
        return HealthWait.Check(statuses);
    }

    /// <summary>
    /// readyChecks.exprs: each applied object whose group and kind an expression set names is read live and judged;
    /// objects no expression covers are not part of the result. An evaluation error leaves the object Unknown (not
    /// ready, not failed).
    /// </summary>
    public async Task<ExpressionVerdicts> EvaluateExpressionsAsync(IReadOnlyList<CustomHealthCheck> exprs,
        IReadOnlyList<ObjectRef> applied, KubeIdentity identity, CancellationToken ct)
    {
        var checks = CelHealthCheckSet.Create(
            [.. exprs.Select(e => new CelHealthCheckEntry(e.ApiVersion, e.Kind,
                new CelHealthCheckExpressions(e.Current, e.InProgress, e.Failed)))],
            e => CelHealthCheck.ForKubernetesObject(e));
        // Judges only whether each kind's own inProgress expression holds: InProgress is also the verdict when no
        // expression matched, and only an inProgress that held turns a timeout into a hold.
        var inProgressProbes = CelHealthCheckSet.Create(
            [.. exprs.Where(e => !string.IsNullOrEmpty(e.InProgress))
                .Select(e => new CelHealthCheckEntry(e.ApiVersion, e.Kind, new CelHealthCheckExpressions(e.InProgress)))],
            e => CelHealthCheck.ForKubernetesObject(e));
        var client = cluster.As(identity);
        var results = new List<ResourceStatus>();
        var inProgressHeld = false;
        foreach (var reference in applied.Where(r => checks.Supports(r.Identity.Group, r.Identity.Kind)))
        {
            var live = await client.GetAsync(reference.Kind, reference.Identity.Namespace, reference.Identity.Name, ct)
                .ConfigureAwait(false);
            if (live is null)
            {
                results.Add(new ResourceStatus(reference.Identity, ObjectStatus.NotFound, "Resource not found"));
                continue;
            }

            var result = checks.Evaluate(live, ct);
            inProgressHeld |= result.Status is not CelHealthStatus.Current and not CelHealthStatus.Failed
                && inProgressProbes.Supports(reference.Identity.Group, reference.Identity.Kind)
                && inProgressProbes.Evaluate(live, ct).Status == CelHealthStatus.Current;
            results.Add(result.Status switch
            {
                CelHealthStatus.Current => new ResourceStatus(reference.Identity, ObjectStatus.Current, "ready"),
                CelHealthStatus.Failed => new ResourceStatus(reference.Identity, ObjectStatus.Failed, "failed"),
                CelHealthStatus.InProgress => new ResourceStatus(reference.Identity, ObjectStatus.InProgress, "in progress"),
                _ => new ResourceStatus(reference.Identity, ObjectStatus.Unknown, "", result.Error),
            });
        }

        return new ExpressionVerdicts(results, inProgressHeld);
    }

    private static async Task<LiveRead> ReadAsync(DynamicClient client, ObjectRef reference, CancellationToken ct)
    {
        JsonObject? obj;
        try
        {
            obj = await client.GetAsync(reference.Kind, reference.Identity.Namespace, reference.Identity.Name, ct)
                .ConfigureAwait(false);
        }
        catch (KubeApiException ex)
        {
            return LiveRead.Failed(ex.Message);
        }

        if (obj is null)
        {
            return LiveRead.NotFound();
        }

        if (!StatusReader.TracksPods(reference.Identity.GroupKind))
        {
            return LiveRead.Found(obj);
        }

        var selector = string.Join(",", (obj["spec"]?["selector"]?["matchLabels"] as JsonObject ?? [])
            .Select(kv => kv.Key + "=" + kv.Value?.GetValue<string>()));
        try
        {
            var pods = await client.ListAsync(PodKind, reference.Identity.Namespace,
                new ListOptions { LabelSelector = selector }, ct).ConfigureAwait(false);
            return LiveRead.Found(obj, pods.Items);
        }
        catch (KubeApiException ex)
        {
            return LiveRead.FoundWithoutPods(obj, ex.Message);
        }
    }
}
