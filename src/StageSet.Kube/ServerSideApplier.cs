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
public sealed record ApplyChange(ObjectIdentity Identity, string ApiVersion, ApplyAction Action, JsonObject Live);

public sealed record ApplierOptions
{
    public string FieldManager { get; init; } = "stageset-controller";

    /// <summary>Objects applied at the same time within one phase.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>How often a phase's CRDs are re-read while waiting for them to be Established.</summary>
    public TimeSpan EstablishedPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a phase's CRDs may take to become Established.</summary>
    public TimeSpan EstablishedTimeout { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Server-side apply with forced ownership. Each object is dry-run applied first and only written when the
/// result differs from the live object, so unchanged objects keep their resourceVersion and a steady state
/// writes nothing. Phases run in order; CRDs of a phase must be Established before the next phase starts.
/// </summary>
public sealed class ServerSideApplier(DynamicClient client, ApplierOptions? options = null)
{
    private static readonly GroupVersionKind CrdKind = new("apiextensions.k8s.io", "v1", "CustomResourceDefinition");
    private readonly ApplierOptions _options = options ?? new ApplierOptions();

    /// <summary>
    /// Applies <paramref name="phases"/> in order (the ordering decision belongs to the caller). Stops at the first
    /// failing object; <paramref name="onApplied"/> sees every change made before that.
    /// </summary>
    public async Task<IReadOnlyList<ApplyChange>> ApplyPhasesAsync(IReadOnlyList<IReadOnlyList<JsonObject>> phases,
        CancellationToken ct)
    {
        var changes = new List<ApplyChange>();
        foreach (var phase in phases)
        {
            var results = new ApplyChange[phase.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, phase.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Parallelism), CancellationToken = ct },
                async (i, token) => results[i] = await ApplyAsync(phase[i], token).ConfigureAwait(false))
                .ConfigureAwait(false);
            changes.AddRange(results);
            await WaitForCrdsAsync(phase, ct).ConfigureAwait(false);
        }

        return changes;
    }

    /// <summary>Applies one object unless the dry run shows it would not change.</summary>
    public async Task<ApplyChange> ApplyAsync(JsonObject desired, CancellationToken ct)
    {
        var gvk = KubeObject.Gvk(desired);
        var identity = KubeObject.Identity(desired);
        var live = await client.GetAsync(gvk, KubeObject.Namespace(desired), KubeObject.Name(desired), ct)
            .ConfigureAwait(false);
        var apply = new ApplyOptions(_options.FieldManager) { Force = true };
        if (live is not null)
        {
            var dryRun = await client.ApplyAsync(desired, apply with { DryRun = true }, ct).ConfigureAwait(false);
            if (SameState(live, dryRun))
            {
                return new ApplyChange(identity, gvk.ApiVersion, ApplyAction.Unchanged, live);
            }
        }

        var result = await client.ApplyAsync(desired, apply, ct).ConfigureAwait(false);
        return new ApplyChange(identity, gvk.ApiVersion, live is null ? ApplyAction.Created : ApplyAction.Configured,
            result);
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

    private async Task WaitForCrdsAsync(IReadOnlyList<JsonObject> phase, CancellationToken ct)
    {
        var crds = phase.Where(o => KubeObject.Gvk(o).GroupKind == CrdKind.GroupKind).Select(KubeObject.Name).ToList();
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
}
