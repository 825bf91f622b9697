using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Kube;

public enum ApplyAction
{
    Created,
    Configured,
    Unchanged,
}

/// <summary>What applying one object did; <see cref="Live"/> is the object as the server now holds it.</summary>
public sealed record ApplyChange(ObjectIdentity Identity, string ApiVersion, ApplyAction Action, JsonObject Live)
{
    public bool Changed => Action != ApplyAction.Unchanged;
}

/// <summary>
/// Decides from the live object (null when absent) and the server's dry-run result whether a real apply is needed
/// and what it would be. The controller passes the Flux drift rule; the default compares everything but
/// managed-field timestamps.
/// </summary>
public delegate ApplyAction ChangeDecider(JsonObject? live, JsonObject dryRun);

public sealed record ApplierOptions
{
    public string FieldManager { get; init; } = "stageset-controller";

    /// <summary>Objects read, dry-run or applied at the same time.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>How often CRDs are re-read while waiting for them to be Established.</summary>
    public TimeSpan EstablishedPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long CRDs may take to become Established.</summary>
    public TimeSpan EstablishedTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public ChangeDecider Decide { get; init; } = DefaultDecide;

    private static ApplyAction DefaultDecide(JsonObject? live, JsonObject dryRun) =>
        live is null ? ApplyAction.Created
        : ServerSideApplier.SameState(live, dryRun) ? ApplyAction.Unchanged
        : ApplyAction.Configured;
}

/// <summary>
/// Server-side apply with forced ownership, in two steps per batch: every object is read and dry-run applied first
/// (so a forbidden or invalid object stops the batch before anything is written), then only the objects whose
/// dry run differs from the live state are applied. Unchanged objects keep their resourceVersion and a steady
/// state writes nothing.
/// </summary>
public sealed class ServerSideApplier(DynamicClient client, ApplierOptions? options = null)
{
    private static readonly GroupVersionKind CrdKind = new("apiextensions.k8s.io", "v1", "CustomResourceDefinition");
    private readonly ApplierOptions _options = options ?? new ApplierOptions();

    /// <summary>Applies one batch: dry-run everything, then write what changed.</summary>
    public async Task<IReadOnlyList<ApplyChange>> ApplyBatchAsync(IReadOnlyList<JsonObject> objects, CancellationToken ct)
    {
        var apply = new ApplyOptions(_options.FieldManager) { Force = true };
        var planned = new (ApplyAction Action, JsonObject Live)[objects.Count];
        await ForEachAsync(objects.Count, async (i, token) =>
        {
            var desired = objects[i];
            var live = await client.GetAsync(KubeObject.Gvk(desired), KubeObject.Namespace(desired), KubeObject.Name(desired),
                token).ConfigureAwait(false);
            var dryRun = await client.ApplyAsync(desired, apply with { DryRun = true }, token).ConfigureAwait(false);
            var action = _options.Decide(live, dryRun);
            planned[i] = (action, live ?? dryRun);
        }, ct).ConfigureAwait(false);

        var changes = new ApplyChange[objects.Count];
        await ForEachAsync(objects.Count, async (i, token) =>
        {
            var desired = objects[i];
            var (action, live) = planned[i];
            var result = action == ApplyAction.Unchanged
                ? live
                : await client.ApplyAsync(desired, apply, token).ConfigureAwait(false);
            changes[i] = new ApplyChange(KubeObject.Identity(desired), KubeObject.ApiVersion(desired), action, result);
        }, ct).ConfigureAwait(false);
        return changes;
    }

    /// <summary>Applies batches in order, waiting for the CRDs of each batch before the next (CRs may follow).</summary>
    public async Task<IReadOnlyList<ApplyChange>> ApplyBatchesAsync(IReadOnlyList<IReadOnlyList<JsonObject>> batches,
        CancellationToken ct)
    {
        var changes = new List<ApplyChange>();
        foreach (var batch in batches)
        {
            changes.AddRange(await ApplyBatchAsync(batch, ct).ConfigureAwait(false));
            await WaitForEstablishedAsync(batch, ct).ConfigureAwait(false);
        }

        return changes;
    }

    /// <summary>
    /// True when a dry-run result equals the live object apart from bookkeeping the server rewrites on every
    /// request (managed-field timestamps).
    /// </summary>
    public static bool SameState(JsonObject live, JsonObject dryRun) =>
        JsonNode.DeepEquals(WithoutBookkeeping(live), WithoutBookkeeping(dryRun));

    private static JsonObject WithoutBookkeeping(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        if (copy["metadata"] is JsonObject meta && meta["managedFields"] is JsonArray fields)
        {
            foreach (var entry in fields.OfType<JsonObject>())
            {
                entry.Remove("time");
            }
        }

        return copy;
    }

    /// <summary>Waits until every CRD among <paramref name="objects"/> is Established (others are ignored).</summary>
    public async Task WaitForEstablishedAsync(IReadOnlyList<JsonObject> objects, CancellationToken ct)
    {
        var crds = objects.Where(o => KubeObject.Gvk(o).GroupKind == CrdKind.GroupKind).Select(KubeObject.Name).ToList();
        if (crds.Count == 0)
        {
            return;
        }

        var deadline = DateTimeOffset.UtcNow + _options.EstablishedTimeout;
        while (true)
        {
            var pending = new List<string>();
            foreach (var name in crds)
            {
                var crd = await client.GetAsync(CrdKind, null, name, ct).ConfigureAwait(false);
                if (crd is null || !IsEstablished(crd))
                {
                    pending.Add(name);
                }
            }

            if (pending.Count == 0)
            {
                return;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new KubeApiException("wait for CustomResourceDefinitions", 0, "Timeout",
                    "CustomResourceDefinition(s) not established within " + _options.EstablishedTimeout + ": " +
                    string.Join(", ", pending));
            }

            crds = pending;
            await Task.Delay(_options.EstablishedPollInterval, ct).ConfigureAwait(false);
        }
    }

    private static bool IsEstablished(JsonObject crd) =>
        (crd["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Any(c =>
            c["type"]?.GetValue<string>() == "Established" && c["status"]?.GetValue<string>() == "True");

    private Task ForEachAsync(int count, Func<int, CancellationToken, ValueTask> body, CancellationToken ct) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Parallelism), CancellationToken = ct }, body);
}
