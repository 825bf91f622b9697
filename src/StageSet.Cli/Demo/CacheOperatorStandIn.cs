using System.Text.Json.Nodes;
using StageSet.Kube;
using StageSet.Manifests;

namespace StageSet.Cli.Demo;

/// <summary>
/// Plays the quickstart's cache operator, which has no real image to run here: every Cache without a phase gets
/// <c>status.phase: Ready</c> and an endpoint, so the workloads stage's CEL ready check can pass.
/// </summary>
internal sealed class CacheOperatorStandIn(DynamicClient client, TextWriter log, Func<string> clock)
{
    public static readonly GroupVersionKind CacheKind = new("cache.example.com", "v1alpha1", "Cache");
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(TimeSpan provisioningTime, CancellationToken ct)
    {
        var seen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(seen, provisioningTime, ct).ConfigureAwait(false);
            }
            catch (NoKindMatchException)
            {
                // The CRD is installed by the first stage; until then there is nothing to serve.
            }
            catch (KubeApiException e) when (!ct.IsCancellationRequested)
            {
                await log.WriteLineAsync($"{clock()}  cache operator (stand-in): {e.Message}").ConfigureAwait(false);
            }

            try
            {
                await Task.Delay(Poll, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReconcileAsync(Dictionary<string, DateTimeOffset> seen, TimeSpan provisioningTime, CancellationToken ct)
    {
        var caches = await client.ListAsync(CacheKind, null, null, ct).ConfigureAwait(false);
        foreach (var cache in caches.Items.Where(c => c["status"]?["phase"] is null))
        {
            var key = KubeObject.Namespace(cache) + "/" + KubeObject.Name(cache);
            var first = seen.TryGetValue(key, out var at) ? at : seen[key] = DateTimeOffset.UtcNow;
            if (DateTimeOffset.UtcNow - first < provisioningTime)
            {
                continue;
            }

            var status = new JsonObject
            {
                ["status"] = new JsonObject
                {
                    ["phase"] = "Ready",
                    ["endpoint"] = $"{KubeObject.Name(cache)}.{KubeObject.Namespace(cache)}.svc:6379",
                },
            };
            await client.PatchAsync(CacheKind, KubeObject.Namespace(cache), KubeObject.Name(cache), PatchKind.Merge,
                status.ToJsonString(), ct, subresource: "status").ConfigureAwait(false);
            await log.WriteLineAsync($"{clock()}  cache operator (stand-in): Cache {key} is Ready").ConfigureAwait(false);
        }
    }
}
