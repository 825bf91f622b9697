using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using StageSet.Api;
using StageSet.Controller.Hosting;
using StageSet.Kube;
using StageSet.LocalApiServer;
using StageSet.LocalApiServer.ArtifactStorage;
using StageSet.Manifests;

namespace StageSet.Cli.Demo;

/// <summary>How the demo runs; the defaults are what <c>stagesetctl demo</c> uses.</summary>
internal sealed record DemoOptions
{
    /// <summary>The repository checkout; found from the working directory when null.</summary>
    public string? RepoRoot { get; init; }

    /// <summary>How long the StageSet may take to become Ready before the demo gives up.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the emulated kubelet and the cache operator stand-in take, so the gating is visible.</summary>
    public TimeSpan RolloutDelay { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Leave everything running until interrupted.</summary>
    public bool KeepRunning { get; init; }
}

/// <summary>
/// <c>stagesetctl demo</c>: one process runs the local API server, a loopback artifact store and the controller;
/// publishes <c>examples/quickstart</c> as ExternalArtifacts, applies its StageSet and shows the rollout stage by
/// stage until Ready, then prints <c>stagesetctl get</c>.
/// </summary>
internal sealed class QuickstartDemo(DemoOptions options, TextWriter stdout)
{
    private const string FieldManager = "stagesetctl-demo";
    private static readonly GroupVersionKind ExternalArtifactKind = new(SourceKinds.FluxSourceGroup, "v1", SourceKinds.ExternalArtifact);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var layout = RepoLayout.Find(options.RepoRoot);
        var (namespaces, stageSet) = ReadExample(layout);
        var ns = KubeObject.Namespace(stageSet);
        var name = KubeObject.Name(stageSet);

        await SayAsync("Starting the local API server (in memory, this process)").ConfigureAwait(false);
        await using var server = await LocalApiServer.LocalApiServer.StartAsync(new LocalApiServerOptions
        {
            CrdPaths = [layout.CrdDir, layout.FluxCrdDir],
            // There is no kubelet: the server writes the status a healthy workload would reach.
            WorkloadStatus = true,
            WorkloadStatusDelay = options.RolloutDelay,
            NamespaceController = true,
            GarbageCollector = true,
            DefaultServiceAccounts = true,
        }, ct).ConfigureAwait(false);
        await SayAsync($"  API server {server.Url} with the StageSet and Flux source CRDs installed").ConfigureAwait(false);
        await SayAsync($"  No kubelet runs here: the API server marks Deployments available after {Seconds(options.RolloutDelay)}, " +
                       "and the demo plays the cache operator").ConfigureAwait(false);
        await using var artifacts = await ArtifactServer.StartAsync().ConfigureAwait(false);
        await SayAsync($"  artifact storage {artifacts.BaseUrl}").ConfigureAwait(false);
        using var cluster = KubeCluster.Connect(server.ClientConfiguration, new KubeTransportOptions { UserAgent = FieldManager });
        await using var controller = await ControllerHost.StartAsync(new ControllerOptions
        {
            MetricsBindAddress = "127.0.0.1:0",
            HealthProbeBindAddress = "127.0.0.1:0",
            GateBindAddress = "127.0.0.1:0",
            HealthPollInterval = TimeSpan.FromMilliseconds(500),
            EstablishedPollInterval = TimeSpan.FromMilliseconds(200),
            AllowLoopbackArtifacts = true,
            GracefulShutdown = TimeSpan.FromSeconds(5),
        }, server.ClientConfiguration, ct: ct).ConfigureAwait(false);
        await SayAsync($"  controller running in-process (metrics {controller.MetricsAddress}, gate {controller.GateAddress})").ConfigureAwait(false);

        foreach (var obj in namespaces)
        {
            await ApplyAsync(cluster.Client, obj, ct).ConfigureAwait(false);
        }

        await PublishAsync(cluster.Client, artifacts, layout, stageSet, ct).ConfigureAwait(false);
        await ApplyAsync(cluster.Client, stageSet, ct).ConfigureAwait(false);
        await SayAsync($"Applied StageSet {ns}/{name}; following its rollout").ConfigureAwait(false);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var operatorStandIn = new CacheOperatorStandIn(cluster.Client, stdout, Stamp).RunAsync(options.RolloutDelay, stop.Token);
        try
        {
            await new RolloutProgress(cluster.Client, stdout, Stamp).WaitReadyAsync(ns, name, options.Timeout, ct).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await operatorStandIn.ConfigureAwait(false);
        }

        var kubeconfig = server.AdminKubeconfigPath;
        await stdout.WriteLineAsync().ConfigureAwait(false);
        await stdout.WriteLineAsync($"$ stagesetctl get -n {ns}").ConfigureAwait(false);
        await RunCliAsync(["get", "--kubeconfig", kubeconfig, "-n", ns], ct).ConfigureAwait(false);
        await stdout.WriteLineAsync().ConfigureAwait(false);
        await stdout.WriteLineAsync($"$ stagesetctl get {name} -n {ns}").ConfigureAwait(false);
        await RunCliAsync(["get", name, "--kubeconfig", kubeconfig, "-n", ns], ct).ConfigureAwait(false);

        if (options.KeepRunning)
        {
            await stdout.WriteLineAsync($"""

                Everything keeps running until you press Ctrl+C. In another shell:
                  export KUBECONFIG={kubeconfig}
                  kubectl get stagesets,deployments,caches -A
                  dotnet run --project src/StageSet.Cli -- get -A
                  dotnet run --project src/StageSet.Cli -- reconcile {name} -n {ns} --wait
                  dotnet run --project src/StageSet.Cli -- build {name} -n {ns}
                  curl -s {controller.GateAddress}gate/{ns}/{name}/workloads
                """).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await stdout.WriteLineAsync("Stopping.").ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }

    private async Task RunCliAsync(string[] args, CancellationToken ct)
    {
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, ct: ct).ConfigureAwait(false);
        if (code != ExitCodes.Success)
        {
            throw new CliException($"stagesetctl {string.Join(' ', args)} failed: {stderr.ToString().Trim()}");
        }
    }

    private static (List<JsonObject> Namespaces, JsonObject StageSet) ReadExample(RepoLayout layout)
    {
        var file = Path.Combine(layout.QuickstartDir, "stageset.yaml");
        var docs = KubeYaml.ParseDocuments(File.ReadAllText(file), file).OfType<JsonObject>().ToList();
        var stageSet = docs.FirstOrDefault(d => KubeObject.Kind(d) == StageSetGroup.StageSetKind)
                       ?? throw new CliException($"{file} contains no StageSet");
        return ([.. docs.Where(d => KubeObject.Kind(d) == "Namespace")], stageSet);
    }

    /// <summary>Each stage's directory becomes the ExternalArtifact its sourceRef names, served as a tarball with its digest.</summary>
    private async Task PublishAsync(DynamicClient client, ArtifactServer artifacts, RepoLayout layout, JsonObject stageSet,
        CancellationToken ct)
    {
        var ns = KubeObject.Namespace(stageSet);
        foreach (var stage in (stageSet["spec"]?["stages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var stageName = stage["name"]!.GetValue<string>();
            var source = stage["sourceRef"]!["name"]!.GetValue<string>();
            var dir = Path.Combine(layout.QuickstartDir, stageName);
            if (!Directory.Exists(dir))
            {
                throw new CliException($"stage \"{stageName}\": {dir} does not exist");
            }

            var files = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(dir, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);
            var tarball = Tarball.From(files);
            var published = artifacts.Publish($"{ns}/externalartifact/{source}/{tarball.Digest[7..19]}.tar.gz", tarball);
            await ApplyAsync(client, new JsonObject
            {
                ["apiVersion"] = ExternalArtifactKind.ApiVersion,
                ["kind"] = ExternalArtifactKind.Kind,
                ["metadata"] = new JsonObject { ["name"] = source, ["namespace"] = ns },
                ["spec"] = new JsonObject(),
            }, ct).ConfigureAwait(false);
            var revision = "latest@" + published.Digest;
            await client.PatchAsync(ExternalArtifactKind, ns, source, PatchKind.Merge,
                new JsonObject { ["status"] = published.SourceStatus(revision) }.ToJsonString(), ct,
                subresource: "status").ConfigureAwait(false);
            await SayAsync($"  published {stageName}/ ({files.Count} files) as ExternalArtifact {ns}/{source} at {revision[..(7 + 7 + 12)]}…")
                .ConfigureAwait(false);
        }
    }

    private static Task<JsonObject> ApplyAsync(DynamicClient client, JsonObject obj, CancellationToken ct) =>
        client.ApplyAsync(obj, new ApplyOptions(FieldManager) { Force = true }, ct);

    private Task SayAsync(string line) => stdout.WriteLineAsync($"{Stamp()}  {line}");

    private string Stamp() => $"[{_clock.Elapsed.TotalSeconds,5:0.0}s]";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";
}
