using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using StageSet.Controller.Hosting;
using StageSet.Manifests;
using StageSet.Testing;

// Usage: dotnet run -c Release --project bench/StageSet.Scale.Bench -- [stagesets=1000] [workers=4]
// N StageSets, each in its own namespace with its own ExternalArtifact serving 4 ConfigMaps of that namespace
// (manifests name their namespace: nothing defaults it, as in Flux without a target namespace), reconciled by one in-process controller. Reports time to all Ready, API
// requests per StageSet by verb for the first rollout and for one no-op reconcile each, and peak working set.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
var stageSetKind = new GroupVersionKind("stages.metio.wtf", "v1", "StageSet");

await using var cluster = new BenchCluster();
await cluster.Inner.InitializeAsync();
var server = cluster.Inner.Server ?? throw new InvalidOperationException("the bench needs the in-memory API server");
Dictionary<string, string> Files(string ns) => Enumerable.Range(0, 4).ToDictionary(i => "cm" + i + ".yaml",
    i => "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-" + i + "\n  namespace: " + ns + "\ndata:\n  k: v\n");

Console.WriteLine($"creating {count} namespaces, ExternalArtifacts and StageSets...");
var namespaces = new List<string>();
for (var i = 0; i < count; i++)
{
    var ns = await cluster.Inner.CreateNamespaceAsync("s" + i.ToString(CultureInfo.InvariantCulture));
    namespaces.Add(ns);
    await cluster.Inner.Flux.PublishExternalArtifactAsync(ns, "app", Files(ns), "v1");
}

var options = new ControllerOptions
{
    MetricsBindAddress = "0",
    HealthProbeBindAddress = "0",
    GateBindAddress = "",
    Concurrency = workers,
    AllowLoopbackArtifacts = true,
    HealthPollInterval = TimeSpan.FromMilliseconds(200),
};
var peak = new PeakMemory();
await using var host = await ControllerHost.StartAsync(options, cluster.Inner.Config);
var mark = server.Requests.Mark();
var clock = Stopwatch.StartNew();
foreach (var ns in namespaces)
{
    await cluster.Inner.ApplyAsync(new JsonObject
    {
        ["apiVersion"] = "stages.metio.wtf/v1",
        ["kind"] = "StageSet",
        ["metadata"] = new JsonObject { ["name"] = "app", ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["interval"] = "1h",
            ["stages"] = new JsonArray(new JsonObject
            {
                ["name"] = "app",
                ["sourceRef"] = new JsonObject { ["kind"] = "ExternalArtifact", ["name"] = "app" },
            }),
        },
    });
}

await WaitAllAsync(ss => Ready(ss) == "Succeeded", "all Ready");
var rollout = clock.Elapsed;
var rolloutCounts = Counts(mark, namespaces);

Console.WriteLine("requesting one no-op reconcile of each StageSet...");
mark = server.Requests.Mark();
var token = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
clock.Restart();
foreach (var ns in namespaces)
{
    await cluster.Inner.Client.PatchAsync(stageSetKind, ns, "app", StageSet.Kube.PatchKind.Merge,
        new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["reconcile.fluxcd.io/requestedAt"] = token } } }.ToJsonString(),
        default);
}

await WaitAllAsync(ss => ss["status"]?["lastHandledReconcileAt"]?.GetValue<string>() == token, "all handled");
var noop = clock.Elapsed;
var noopCounts = Counts(mark, namespaces);
peak.Sample();

Console.WriteLine();
Console.WriteLine($"StageSets: {count} x 1 stage x 4 ConfigMaps, {workers} workers");
Console.WriteLine($"time until all Ready (first rollout): {rollout.TotalSeconds:F1} s");
Console.WriteLine($"time until all handled (no-op reconcile): {noop.TotalSeconds:F1} s");
Console.WriteLine("API requests per StageSet, first rollout: " + Format(rolloutCounts, count));
Console.WriteLine("API requests per StageSet, no-op reconcile: " + Format(noopCounts, count));
Console.WriteLine($"artifact downloads: {cluster.Inner.Artifacts.TotalDownloads}");
Console.WriteLine($"peak working set (controller + in-memory API server, one process): {peak.PeakBytes / (1024 * 1024)} MiB");
return 0;

async Task WaitAllAsync(Func<JsonObject, bool> done, string what)
{
    var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(30);
    while (true)
    {
        peak.Sample();
        var list = await cluster.Inner.Client.ListAsync(stageSetKind, null, null, default);
        var finished = list.Items.Count(done);
        if (finished >= count)
        {
            return;
        }

        if (DateTimeOffset.UtcNow > deadline)
        {
            throw new TimeoutException($"{what}: only {finished}/{count} after 30 minutes");
        }

        Console.Write($"\r{what}: {finished}/{count}   ");
        await Task.Delay(500);
    }
}

static string? Ready(JsonObject ss) => (ss["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
    .FirstOrDefault(c => c["type"]?.GetValue<string>() == "Ready")?["reason"]?.GetValue<string>();

Dictionary<string, int> Counts(long since, List<string> nss)
{
    var set = nss.ToHashSet(StringComparer.Ordinal);
    // Only the controller's own requests: the bench's client sends a different user agent.
    return server.Requests.Records
        .Where(r => r.Seq > since && r.Facts.UserAgent.StartsWith("stageset-controller", StringComparison.Ordinal) &&
                    (r.Facts.Namespace.Length == 0 || set.Contains(r.Facts.Namespace)) &&
                    r.Facts.Verb is not ("discovery" or "openapi" or "version"))
        .GroupBy(r => r.Facts.Verb + (r.DryRun ? "(dry-run)" : "") + (r.Facts.Subresource.Length > 0 ? "/" + r.Facts.Subresource : ""))
        .ToDictionary(g => g.Key, g => g.Count());
}

static string Format(Dictionary<string, int> counts, int n) =>
    string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal)
        .Select(c => c.Key + "=" + (c.Value / (double)n).ToString("F2", CultureInfo.InvariantCulture)));

/// <summary>Owns the shared test cluster for the bench's lifetime.</summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    public TestCluster Inner { get; } = new();

    public async ValueTask DisposeAsync() => await Inner.DisposeAsync();
}

/// <summary>Tracks the process's peak working set while the bench polls.</summary>
internal sealed class PeakMemory
{
    public long PeakBytes { get; private set; }

    public void Sample()
    {
        using var process = Process.GetCurrentProcess();
        PeakBytes = Math.Max(PeakBytes, Math.Max(process.WorkingSet64, process.PeakWorkingSet64));
    }
}
